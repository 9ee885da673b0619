"""What the browsing pages share: a data twin for every page and one error answer.

Datasette's habit: a page at ``/x`` has its data at ``/x.json`` (and ``/x.csv`` for
tables), announced by a ``Link: rel="alternate"`` header, so a script never scrapes HTML.
Views declare two rules on one endpoint, ``/x`` (``fmt`` defaults to "html") and
``/x.<fmt>``, and end with :func:`respond`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask import Response, abort, jsonify, render_template, request, url_for
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


class BadPage(ValueError):
    """A ``page`` parameter that is no page of the listing; the message says why."""


def page_number(value: str | None) -> int:
    """The ``page`` parameter as a number from 1. Raises BadPage otherwise."""
    if value is None:
        return 1
    # ASCII digits only, and few: int() accepts other scripts' digits and refuses 4,300 digits.
    if not re.fullmatch(r"[0-9]{1,9}", value) or int(value) < 1:
        raise BadPage("page must be a whole number from 1")
    return int(value)


def page_url(number: int) -> str:
    """This request's URL at page ``number`` (format and filters kept)."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
    return url_for(request.endpoint, **args)


@dataclass(frozen=True)
class Pager:
    """Which page of a listing of ``total`` items this request shows, ``size`` a page."""

    number: int
    total: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The position of the page's first item in the whole listing, from 0."""
        return (self.number - 1) * self.size

    def slice(self, items: Sequence) -> Sequence:
        """The page's share of the whole listing ``items``."""
        return items[self.first : self.first + self.size]

    def links(self) -> dict:
        """For the page and its JSON twin: the page, how many, and the next and previous."""
        return {
            "page": self.number,
            "pages": self.pages,
            "next": page_url(self.number + 1) if self.number < self.pages else None,
            "previous": page_url(self.number - 1) if self.number > 1 else None,
        }


def pager(total: int, size: int) -> Pager:
    """The page the request asks for (``?page=``, 1 by default) of ``total`` items.

    Raises BadPage for a page that is not a number from 1 or is past the last page.
    """
    found = Pager(page_number(request.args.get("page")), total, size)
    if found.number > found.pages:
        raise BadPage(f"the page asked for is past the last page ({found.pages})")
    return found


def paged(total: int, size: int, fmt: str) -> Pager:
    """:func:`pager`, a bad page answered with a 400 saying why (one line for a twin)."""
    try:
        return pager(total, size)
    except BadPage as bad:
        abort(error(400, f"Bad page: {bad}", html=fmt == "html"))
