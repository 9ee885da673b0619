"""Check a built graph against the SHACL shapes in shapes/*.ttl (a thin wrapper on pySHACL).

Violations are a broken graph (a node with no plan, label or provenance, a link to the
wrong kind of thing); warnings are gaps in the sources themselves (an action with no lead
partner, a TBA measure). ``conforms`` is True when there is no violation, however many
warnings: the sources' gaps are for analysts to read, not for the build to fail on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Dataset, Graph
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph import store
from vocab.inputs import parse_turtle

SEVERITIES = ("Violation", "Warning", "Info")
REPORT_FILE = "shacl-report.ttl"
"""The report saved beside the built graph, so serving pages never re-validates."""


@dataclass(frozen=True)
class ValidationResult:
    """pySHACL's answer: conforms (no violation), the report graph and text, and counts."""

    conforms: bool
    report_graph: Graph
    text: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Record:
    """One validation result as plain strings, for the command line and the web pages.

    ``path`` is the property IRI, or ``^`` and the IRI for an inverse path; ``path`` and
    ``value`` are empty when the result has none (a node-level constraint).
    """

    severity: str
    shape: str
    focus: str
    path: str
    message: str
    value: str


def load_shapes(shapes_dir: Path) -> Graph:
    """All shapes files as one graph: shapes in one file use shapes of another (common.ttl).

    Raises FileNotFoundError if the folder has no ``*.ttl``, so an empty shapes graph never
    passes for a valid one, and vocab.inputs.InputError for a file that does not parse.
    """
    paths = sorted(Path(shapes_dir).glob("*.ttl"))
    if not paths:
        raise FileNotFoundError(f"no SHACL shapes (*.ttl) in {shapes_dir}")
    shapes = Graph()
    for path in paths:
        shapes += parse_turtle(path)
    return shapes


def validate(data: Graph | Dataset, shapes_dir: Path) -> ValidationResult:
    """Validate ``data`` (a graph, or every named graph of a dataset, as one union).

    The data must include the ontology: sh:class follows rdfs:subClassOf in the data graph,
    which is how a hwb:GenericPartner passes as an org:Organization. No inference is run.
    """
    conforms, report, text = shacl_validate(
        union(data), shacl_graph=load_shapes(shapes_dir), inference="none", allow_warnings=True
    )
    return ValidationResult(conforms, report, text, count_results(report))


def saved_report(build_dir: Path, shapes_dir: Path) -> Graph:
    """The report graph for the build in folder ``build_dir``, read from the build.

    `hwbkg build` saves the report in ``build_dir/REPORT_FILE``; it is used while it is newer
    than the built graph and every shapes file. A shape edited since the build makes it
    stale: the graph is validated again, source by source in this process
    (graph/validate_parts.py), and not saved, since a published build is never written to;
    rebuilding saves a fresh one. Raises store.StoreMissing when the folder holds no build.
    """
    path = Path(build_dir) / REPORT_FILE
    if _fresh(path, [Path(build_dir) / store.DATASET_FILE, *Path(shapes_dir).glob("*.ttl")]):
        return Graph().parse(path, format="turtle")
    return validate_build(Path(build_dir), Path(shapes_dir)).report_graph


def validate_build(build_dir: Path, shapes_dir: Path) -> ValidationResult:
    """Validate the build in folder ``build_dir`` as `hwbkg build` did, source by source
    (graph/validate_parts.py), in this process and with no cache. Raises store.StoreMissing
    when the folder holds no build."""
    from graph.validate_parts import check_nquads  # it builds on this module

    nquads = build_dir / store.DATASET_FILE
    if not nquads.is_file():
        raise store.StoreMissing(f"no graph built in {build_dir}: run `hwbkg build` first")
    return check_nquads(nquads, shapes_dir, processes=False).finish(nquads)


def save_report(build_dir: Path, report: Graph) -> None:
    """Write ``report`` into the build folder being staged (graph.builds.publish)."""
    report.serialize(destination=build_dir / REPORT_FILE, format="turtle", encoding="utf-8")


def _fresh(report: Path, inputs: list[Path]) -> bool:
    """True when ``report`` exists and was written after every one of ``inputs``."""
    if not report.is_file():
        return False
    written = report.stat().st_mtime
    return all(p.stat().st_mtime <= written for p in inputs if p.is_file())


def union(data: Graph | Dataset) -> Graph:
    """One graph of every triple: pySHACL would otherwise validate each named graph alone,
    and a theme in one source's graph could not see the plan in another."""
    if not isinstance(data, Dataset):
        return data
    merged = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def count_results(report: Graph) -> dict[str, int]:
    """The number of results of each severity (every severity present, zero or not)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for severity in report.objects(None, SH.resultSeverity):
        counts[_local(severity)] += 1
    return counts


def records(report: Graph) -> list[Record]:
    """Every result of a pySHACL report, sorted by severity (violations first), shape,
    focus node, path and value; the message is the shape's sh:message."""
    found = [
        Record(
            severity=_local(report.value(result, SH.resultSeverity)),
            shape=str(report.value(result, SH.sourceShape)),
            focus=str(report.value(result, SH.focusNode)),
            path=_path(report, report.value(result, SH.resultPath)),
            message="; ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
            value=_term(report.value(result, SH.value)),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return sorted(
        found,
        key=lambda r: (SEVERITIES.index(r.severity), r.shape, r.focus, r.path, r.value, r.message),
    )


def _path(report: Graph, path) -> str:
    """The result path in SPARQL property-path syntax, for the two complex paths the shapes
    use: ``^p`` (inverse) and ``p|q`` (alternative)."""
    if not isinstance(path, BNode):
        return _term(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{inverse}"
    return "|".join(str(p) for p in Collection(report, report.value(path, SH.alternativePath)))


def _term(term) -> str:
    if term is None:
        return ""
    return str(term) if not isinstance(term, BNode) else term.n3()


def _local(iri) -> str:
    """sh:Violation -> "Violation"."""
    return str(iri).rsplit("#", 1)[-1]
