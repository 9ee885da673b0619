"""The SHACL report of the built graph: results grouped by severity, then by shape, paged.

Validation is slow (about ten seconds on the real graph), so `hwbkg build` validates once
and keeps the results as the build's "validation" digest (graph/listings.py); this page
reads that once per build and shows one page of it. A shape edited since the build is
checked by the next build.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from itertools import groupby

from flask import Blueprint

from graph import validate
from webapp import graphstore, paging, terms
from webapp.graphstore import get_store
from webapp.pages import respond

bp = Blueprint("validation", __name__)

COLUMNS = ["severity", "shape", "focus", "path", "message", "value"]
PER_PAGE = 200


@dataclass(frozen=True)
class Report:
    """The counts per severity and every result, violations first."""

    counts: dict[str, int]
    records: list[validate.Record]
    shapes: Counter
    """Results per (severity, shape), for headings that count every page."""

    @property
    def conforms(self) -> bool:
        """As pySHACL with warnings allowed: no violation, however many warnings."""
        return not self.counts.get("Violation")


def get_report() -> Report:
    """The served build's report, read from its "validation" digest once per build."""
    found = graphstore.digest("validation")  # outside derived(): it derives the digest itself
    return graphstore.derived("validation", lambda: _report(found))


def _report(found: dict) -> Report:
    records = [validate.Record(**r) for r in found["records"]]
    return Report(found["counts"], records, Counter((r.severity, r.shape) for r in records))


def summary() -> dict:
    """What the home page shows: conforms and the counts per severity."""
    report = get_report()
    return {"conforms": report.conforms, "counts": report.counts}


def shape_name(iri: str) -> str:
    """hwbsh:MeasureIsPlaceholder for its IRI: shapes are named after what they check."""
    return iri.rsplit("#", 1)[-1]


def path_text(path: str) -> str:
    """A result path with prefixed names: ``^hwb:plan``, ``hwb:measure|hwb:measurePlaceholder``."""
    inverse = path.startswith("^")
    shown = "|".join(terms.short(p) for p in path.lstrip("^").split("|")) if path else ""
    return "^" + shown if inverse else shown


def _groups(records: list[validate.Record], counted: Counter) -> list[dict]:
    """Severity groups, each with its shapes and their results (focus nodes labelled);
    ``counted`` gives each shape's results on every page.

    ``records`` come sorted by severity then shape (validate.records), so groupby suffices.
    """
    focus = terms.labels(get_store(), [r.focus for r in records])
    groups = []
    for severity, of_severity in groupby(records, key=lambda r: r.severity):
        shapes = []
        for shape, results in groupby(of_severity, key=lambda r: r.shape):
            shown = [
                {**asdict(r), "node": focus.get(r.focus), "path": path_text(r.path)}
                for r in results
            ]
            shapes.append(
                {"name": shape_name(shape), "results": shown, "count": counted[severity, shape]}
            )
        groups.append({"severity": severity, "shapes": shapes})
    return groups


@bp.get("/validation", defaults={"fmt": "html"})
@bp.get("/validation.<any(json, csv):fmt>")
def index(fmt: str):
    """The report: HTML grouped by severity and shape and JSON, both paged, or CSV (one
    row per result, every result)."""
    report = get_report()
    page = paging.paged(len(report.records), PER_PAGE, fmt)
    shown = page.rows(report.records)
    data = {
        "conforms": report.conforms,
        "counts": report.counts,
        "total": len(report.records),
        **page.json(),
        "results": [asdict(r) for r in shown],
    }
    return respond(
        fmt,
        "validation/index.html",
        data,
        table=lambda: (COLUMNS, ([getattr(r, c) for c in COLUMNS] for r in report.records)),
        groups=_groups(shown, report.shapes) if fmt == "html" else [],
        per_page=PER_PAGE,
    )
