"""The SHACL report of the built graph: results grouped by severity, then by shape.

Validation is slow (about ten seconds on the real graph), so the report is read from the
one saved in the build's folder (graph.validate.saved_report) and kept with the served
build (webapp.graphstore): it is computed at most once per build, never per request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import groupby
from pathlib import Path

from flask import Blueprint, current_app

from graph import validate
from webapp import graphstore, terms
from webapp.graphstore import get_store
from webapp.pages import respond

bp = Blueprint("validation", __name__)

COLUMNS = ["severity", "shape", "focus", "path", "message", "value"]


@dataclass(frozen=True)
class Report:
    """The counts per severity and every result, violations first."""

    counts: dict[str, int]
    records: list[validate.Record]

    @property
    def conforms(self) -> bool:
        """As pySHACL with warnings allowed: no violation, however many warnings."""
        return not self.counts.get("Violation")


@graphstore.warmup
def get_report() -> Report:
    """The served build's report, read from its folder (or validated) once per build."""
    return graphstore.derived("validation", _read_report)


def _read_report() -> Report:
    graph = validate.saved_report(
        graphstore.snapshot().build.path, Path(current_app.config["SHAPES_DIR"])
    )
    return Report(validate.count_results(graph), validate.records(graph))


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


def _groups(records: list[validate.Record]) -> list[dict]:
    """Severity groups, each with its shapes and their results (focus nodes labelled).

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
            shapes.append({"name": shape_name(shape), "results": shown})
        groups.append({"severity": severity, "shapes": shapes})
    return groups


@bp.get("/validation", defaults={"fmt": "html"})
@bp.get("/validation.<any(json, csv):fmt>")
def index(fmt: str):
    """The report: HTML grouped by severity and shape, JSON, or CSV (one row per result)."""
    report = get_report()
    data = {
        "conforms": report.conforms,
        "counts": report.counts,
        "results": [asdict(r) for r in report.records],
    }
    return respond(
        fmt,
        "validation/index.html",
        data,
        table=lambda: (COLUMNS, ([getattr(r, c) for c in COLUMNS] for r in report.records)),
        groups=_groups(report.records) if fmt == "html" else [],
    )
