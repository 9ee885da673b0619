"""Plan alignment pages: the matrix, its picture, gaps, coverage and plan versions.

Every page takes ``?from=<plan slug>&to=<plan slug>`` (a GET form, so it works without
JavaScript) and has .json and .csv twins; the matrix is also an SVG a Board paper can
include (/alignment.svg) and an SSSOM TSV (/alignment.sssom.tsv). The computation is
graph.alignment over the graph's mapping records; this module only shapes it for pages.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from graph import alignment, alignment_queries, alignment_reports
from graph.alignment import Cell, Data, Item, Matrix, Plan, Record
from graph.evidence import View
from webapp import paging, terms
from webapp.graphstore import digest, get_store
from webapp.pages import Table, error, respond

bp = Blueprint("alignment", __name__)
COVERAGE_PER_PAGE = 100
"""Coverage rows (an item and a plan reaching it) a page; the CSV has every row. At 100x
the rows of every plan named 2,626 items, 0.3 s to label."""

LEVELS = ("all", "theme", "priority")
COLOURS = {
    "exact": "#1a7f37", "close": "#6cc04a", "broad": "#2f6fb3", "narrow": "#7fb2e5",
    "related": "#e0a526", "no equivalent": "#c0392b", "unmapped": "#eeeeee",
}  # fmt: skip
"""Cell colours of the picture, dark to light by strength; told apart by text as well."""


class BadInput(ValueError):
    """A parameter names no plan or level; the message says which and what is allowed."""


def _chosen(default_from: str, default_to: str) -> tuple[Data, Plan, Plan, str]:
    """The graph's alignment data and the plans and level asked for.

    Raises BadInput, which :func:`bad_input` answers with a 400.
    """
    level = request.args.get("level", "all")
    if level not in LEVELS:
        raise BadInput(f"level must be one of {', '.join(LEVELS)}")
    data = digest("alignment", alignment_queries.from_digest)
    try:
        source = data.plan(request.args.get("from") or default_from, "from")
        target = data.plan(request.args.get("to") or default_to, "to")
    except alignment.UnknownPlan as problem:
        raise BadInput(str(problem)) from None
    return data, source, target, level


@bp.errorhandler(BadInput)
def bad_input(problem: BadInput) -> Response:
    """A 400 with the one-line reason: a page for the HTML views, plain text for the twins."""
    return error(400, str(problem), html="." not in request.path.rsplit("/", 1)[-1])


def record_href(record: Record) -> str:
    """Where a record is cited: its source line if stated, else its row of this page's
    mapping-records table."""
    if record.stated:
        return url_for("sources.source", slug=record.source_slug, _anchor=f"L{record.line}")
    return "#" + record_anchor(record)


def record_anchor(record: Record) -> str:
    """The id of the record's row in the mapping-records table."""
    return "record-" + alignment.local(record.iri, "mapping").replace("/", "-")


def _item_json(item: Item) -> dict:
    return {"iri": item.iri, "level": item.level, "notation": item.notation, "label": item.label}


def _record_json(record: Record) -> dict:
    return {
        "iri": record.iri, "kind": record.kind, "subject": record.subject,
        "target": record.target, "justification": record.justification,
        "confidence": record.confidence, "creator": record.creator, "date": record.date,
        "comment": record.comment, "mapping_set": record.mapping_set,
        "source": record.source_slug, "line": record.line, "href": record_href(record),
    }  # fmt: skip


def _cell_json(cell: Cell) -> dict:
    return {
        "kind": cell.kind,
        "derived": cell.derived,
        "records": [{"iri": s.record.iri, "inverted": s.inverted} for s in cell.chain],
    }


def _records(found: Matrix) -> list[Record]:
    """The records behind the matrix's cells, each once, in order of first use."""
    seen: dict[str, Record] = {}
    for row in found.rows:
        for cell in [*row.cells.values(), *([row.absent] if row.absent else [])]:
            seen.update({s.record.iri: s.record for s in cell.chain if s.record.iri not in seen})
    return list(seen.values())


def _plans_json(source: Plan, target: Plan) -> dict:
    return {
        "from": {"slug": source.slug, "iri": source.iri, "label": source.label},
        "to": {"slug": target.slug, "iri": target.iri, "label": target.label},
    }


def _matrix() -> tuple[Data, Matrix]:
    """The data and the matrix this request asks for. Raises BadInput."""
    data, source, target, level = _chosen(alignment.DEFAULT_FROM, alignment.DEFAULT_TO)
    return data, alignment.matrix(data, source, target, level)


@bp.get("/alignment", defaults={"fmt": "html"})
@bp.get("/alignment.<any(json, csv):fmt>")
def page(fmt: str):
    """The alignment matrix of two plans, its picture, its cells in words and its records."""
    data, found = _matrix()
    records = _records(found)
    payload, table = _matrix_report(found, records)
    return respond(
        fmt, "alignment/page.html", payload, table, matrix=found, plans=_plan_choices(data),
        record_list=records, colours=COLOURS, levels=LEVELS, href=record_href,
        anchor=record_anchor, entity_href=terms.href, data_items=data.items,
    )  # fmt: skip


def _matrix_report(found: Matrix, records: list[Record]) -> tuple[dict, Table]:
    """The matrix page's data and its table (one row per cell)."""
    payload = {
        **_plans_json(found.source, found.target),
        "level": request.args.get("level", "all"),
        "counts": alignment_reports.status_counts(found),
        "columns": [_item_json(c) for c in found.columns],
        "rows": [
            {
                **_item_json(row.item),
                "status": row.status,
                "cells": {iri: _cell_json(c) for iri, c in row.cells.items()},
                "no_equivalent": _cell_json(row.absent) if row.absent else None,
            }
            for row in found.rows
        ],
        "records": [_record_json(r) for r in records],
    }

    def table():
        columns = ["from_notation", "from_label", "from_iri", "to_notation", "to_label",
                   "to_iri", "kind", "derived", "records", "citations"]  # fmt: skip
        return columns, [
            [
                row.item.notation,
                row.item.label,
                row.item.iri,
                col.notation,
                col.label,
                col.iri,
                cell.kind,
                cell.derived,
                " ".join(s.record.iri for s in cell.chain),
                " ".join(record_href(s.record) for s in cell.chain),
            ]  # fmt: skip
            for row in found.rows
            for col in found.columns
            for cell in [found.cell(row, col)]
        ]

    return payload, table


def _plan_choices(data: Data) -> list[Plan]:
    return sorted(data.plans.values(), key=lambda p: p.label)


@bp.get("/alignment.svg")
def picture():
    """The matrix as a standalone SVG, for a Board paper."""
    _, found = _matrix()
    svg = render_template("alignment/matrix.svg", matrix=found, colours=COLOURS, href=record_href)
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/alignment.sssom.tsv")
def sssom():
    """The matrix's mappings as SSSOM TSV (stated, curated and chained)."""
    data, found = _matrix()
    text = alignment_reports.sssom_tsv(data, found)
    return Response(text, mimetype="text/tab-separated-values")


@bp.get("/alignment/gaps", defaults={"fmt": "html"})
@bp.get("/alignment/gaps.<any(json, csv):fmt>")
def gaps(fmt: str):
    """Themes and priorities of one plan with no counterpart in another."""
    data, source, target, _ = _chosen(alignment.DEFAULT_FROM, alignment.DEFAULT_TO)
    payload, table = _gaps_report(data, source, target)
    return respond(fmt, "alignment/gaps.html", payload, table, plans=_plan_choices(data))


def _gaps_report(data: Data, source: Plan, target: Plan) -> tuple[dict, Table]:
    """The gaps page's data and its table."""
    found = alignment_reports.gaps(data, source, target)
    rows = [
        {
            **_item_json(gap.item),
            "status": gap.status,
            "through": gap.through.label if gap.through else None,
            "records": [_record_json(s.record) for s in gap.basis.chain] if gap.basis else [],
        }
        for gap in found
    ]
    counts = {
        level: sum(1 for gap in found if gap.item.level == level) for level in ("theme", "priority")
    }

    def table():
        columns = ["level", "notation", "label", "iri", "status", "through", "citations",
                   "records"]  # fmt: skip
        return columns, [
            [
                r["level"],
                r["notation"],
                r["label"],
                r["iri"],
                r["status"],
                r["through"] or "",
                " ".join(x["href"] for x in r["records"]),
                " ".join(x["iri"] for x in r["records"]),
            ]  # fmt: skip
            for r in rows
        ]

    return {**_plans_json(source, target), "counts": counts, "gaps": rows}, table


@bp.get("/alignment/coverage", defaults={"fmt": "html"})
@bp.get("/alignment/coverage.<any(json, csv):fmt>")
def coverage(fmt: str):
    """For each item of a plan (the ICS priorities), the actions and priorities of every
    other plan that serve it through the mappings, each count listing what it counts."""
    data, _, target, _ = _chosen(alignment.DEFAULT_FROM, alignment.DEFAULT_TO)
    payload, table = _coverage_report(data, target)
    page = paging.paged(len(payload["rows"]), COVERAGE_PER_PAGE, fmt)
    payload = {**payload, "rows": page.rows(payload["rows"]), **page.json()}
    counted = [iri for r in payload["rows"] for iri in (*r["action_iris"], *r["priority_iris"])]
    return respond(
        fmt, "alignment/coverage.html", payload, table, plans=_plan_choices(data),
        names=terms.labels(get_store(), counted), entity_href=terms.href,
    )  # fmt: skip


def _coverage_report(data: Data, target: Plan) -> tuple[dict, Table]:
    """The coverage page's data and its table; a row keeps the IRIs of what it counts and
    of the records they serve the item through, so its evidence pack quotes their lines."""
    rows = [
        {
            **_item_json(c.item),
            "plan": c.plan.slug,
            "plan_label": c.plan.label,
            "actions": c.actions,
            "priorities": c.priorities,
            "action_iris": list(c.action_iris),
            "priority_iris": list(c.priority_iris),
            "records": [_record_json(r) for r in c.records],
        }  # fmt: skip
        for c in alignment_reports.coverage(data, target)
    ]

    def table():
        columns = ["notation", "label", "iri", "plan", "plan_label", "actions", "priorities",
                   "action_iris", "priority_iris", "records"]  # fmt: skip
        return columns, [
            [
                *(r[c] for c in columns[:7]),
                " ".join(r["action_iris"]),
                " ".join(r["priority_iris"]),
                " ".join(x["iri"] for x in r["records"]),
            ]
            for r in rows
        ]

    payload = {"to": {"slug": target.slug, "iri": target.iri, "label": target.label}, "rows": rows}
    return payload, table


@bp.get("/alignment/versions", defaults={"fmt": "html"})
@bp.get("/alignment/versions.<any(json, csv):fmt>")
def versions(fmt: str):
    """An older plan's priorities against a newer one's: kept, reworded, merged, new, dropped."""
    data, older, newer, _ = _chosen(alignment.DEFAULT_FROM, alignment.DEFAULT_NEWER)
    payload, table = _versions_report(data, older, newer)
    return respond(fmt, "alignment/versions.html", payload, table, plans=_plan_choices(data))


def _versions_report(data: Data, older: Plan, newer: Plan) -> tuple[dict, Table]:
    """The versions page's data and its table."""
    changes = alignment_reports.versions(data, older, newer)
    rows = [
        {
            "status": c.status,
            "older": _item_json(c.older) if c.older else None,
            "newer": _item_json(c.newer) if c.newer else None,
            "kind": c.step.kind if c.step else None,
            "record": _record_json(c.step.record) if c.step else None,
            "mapping_sets": list(c.mapping_sets),
        }
        for c in changes
    ]
    counts = {
        s: sum(1 for c in changes if c.status == s) for s in alignment_reports.VERSION_STATUSES
    }

    def table():
        columns = ["status", "older_notation", "older_label", "newer_notation", "newer_label",
                   "kind", "record", "comment", "mapping_sets",
                   "older_iri", "newer_iri"]  # fmt: skip
        return columns, [
            [
                r["status"],
                *_pair(r["older"]),
                *_pair(r["newer"]),
                r["kind"] or "",
                r["record"]["iri"] if r["record"] else "",
                r["record"]["comment"] if r["record"] else "",
                " ".join(r["mapping_sets"]),
                (r["older"] or {}).get("iri", ""),
                (r["newer"] or {}).get("iri", ""),
            ]  # fmt: skip
            for r in rows
        ]

    return {**_plans_json(older, newer), "counts": counts, "changes": rows}, table


EVIDENCE = {
    "matrix": ("alignment.page", "Alignment of {source} with {target}"),
    "gaps": ("alignment.gaps", "Gaps: {source} in {target}"),
    "coverage": ("alignment.coverage", "Coverage of {target} by the other plans"),
    "versions": ("alignment.versions", "Plan versions: {source} to {target}"),
}
"""The alignment tables with an evidence pack: their page and the pack's title."""
EVIDENCE_NOTES = (
    "items.rq reads the plans' themes and priorities and records.rq every mapping record "
    "(stated in a document, or curated SSSOM). graph.alignment reads each record both ways "
    f"(broad one way is narrow the other) and follows chains of up to {alignment.MAX_HOPS} "
    "records between plans; a derived cell lists every record of its chain."
)


def evidence_view(report: str) -> View:
    """One alignment table as its page shows it, for an evidence pack (registered in
    webapp/evidence.py). Aborts with a one-line 400 on an unknown plan or level."""
    newer = alignment.DEFAULT_NEWER if report == "versions" else alignment.DEFAULT_TO
    try:
        data, source, target, level = _chosen(alignment.DEFAULT_FROM, newer)
    except BadInput as problem:
        abort(error(400, str(problem), html=False))
    if report == "matrix":
        found = alignment.matrix(data, source, target, level)
        payload, table = _matrix_report(found, _records(found))
    elif report == "coverage":
        payload, table = _coverage_report(data, target)
    else:
        payload, table = {"gaps": _gaps_report, "versions": _versions_report}[report](
            data, source, target
        )
    columns, rows = table()
    endpoint, title = EVIDENCE[report]
    queries = {"items": alignment_queries.ITEMS_QUERY, "records": alignment_queries.RECORDS_QUERY}
    notes = EVIDENCE_NOTES
    if report == "coverage":
        queries["serving"] = alignment_queries.SERVING_QUERY
        notes += " serving.rq gives what each action and priority hangs from; rows list them."
    args = {key: value for key, value in request.args.items() if key in ("from", "to", "level")}
    return View(
        name=f"alignment-{report}",
        title=title.format(source=source.label, target=target.label),
        columns=columns,
        rows=list(rows),
        queries=queries,
        url=url_for(endpoint, _external=True, **args),
        notes=notes,
    )


def _pair(item: dict | None) -> list[str]:
    """An item's notation and label for a CSV row, blanks when there is none."""
    return [item["notation"], item["label"]] if item else ["", ""]
