"""What the browsing pages share: a data twin for every page and one error answer.

Datasette's habit: a page at ``/x`` has its data at ``/x.json`` (and ``/x.csv`` for
tables), announced by a ``Link: rel="alternate"`` header, so a script never scrapes HTML.
Views declare two rules on one endpoint, ``/x`` (``fmt`` defaults to "html") and
``/x.<fmt>``, and end with :func:`respond`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Response, jsonify, render_template, request, url_for
from werkzeug.http import HTTP_STATUS_CODES

from graph.evidence import table_csv

MEDIA = {"json": "application/json", "csv": "text/csv"}

Table = Callable[[], tuple[list[str], Iterable[list]]]


def twin_url(fmt: str) -> str:
    """This request's URL in format ``fmt``, query string kept (search filters)."""
    args = {**(request.view_args or {}), **request.args.to_dict(), "fmt": fmt}
    return url_for(request.endpoint, **args)


def link_header(alternates: dict[str, str]) -> str:
    """A Link header value naming each alternate URL with its media type."""
    return ", ".join(
        f'<{url}>; rel="alternate"; type="{media}"' for media, url in alternates.items()
    )


def respond(fmt: str, template: str, data: dict, table: Table | None = None, **context) -> Response:
    """Answer in ``fmt``: the page, its ``data`` as JSON, or ``table()`` as CSV.

    The HTML page gets ``data`` and ``context`` and a Link header to its twins; the JSON
    twin is ``data`` alone (it must be JSON-ready). At the page's own URL, a client whose
    Accept header prefers JSON or CSV to HTML gets that twin (content negotiation).
    """
    if fmt == "html":
        fmt = negotiated(["json"] + (["csv"] if table is not None else []))
    if fmt == "json":
        return jsonify(data)
    if fmt == "csv" and table is not None:
        columns, rows = table()
        return csv_response(columns, rows)
    formats = ["json"] + (["csv"] if table is not None else [])
    response = Response(render_template(template, **data, **context))
    response.headers["Link"] = link_header({MEDIA[f]: twin_url(f) for f in formats})
    return response


def negotiated(twins: list[str]) -> str:
    """The format the request's Accept header prefers: "html" or one of ``twins``."""
    offered = {"text/html": "html", **{MEDIA[t]: t for t in twins}}
    return offered.get(request.accept_mimetypes.best_match(list(offered)), "html")


def csv_response(columns: list[str], rows: Iterable[list]) -> Response:
    """A CSV download with a header row (UTF-8, as spreadsheet tools read it)."""
    return Response(table_csv(columns, rows), mimetype="text/csv")


def error(status: int, message: str, html: bool = True) -> Response:
    """A 4xx saying what went wrong: a page for people, one line of text for scripts.

    ``message`` names the parameter at fault, never its value: pages and text alike must
    not echo what a request sent.
    """
    if not html:
        return Response(message + "\n", status, mimetype="text/plain")
    page = render_template(
        "entities/error.html", status=status, reason=HTTP_STATUS_CODES[status], message=message
    )
    return Response(page, status)
