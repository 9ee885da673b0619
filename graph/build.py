"""Build the dataset: every source through its loader, the curated files, the ontology.

One named graph per source and per curated file, so no triple is stated in two graphs
(Oxigraph's union would count it twice).

The graphs are produced one at a time: `hwbkg build` runs :func:`load_source` for each
source in a worker process and streams the graphs to disk (graph/staging.py), so no copy
of the whole dataset is ever held in rdflib; :func:`build` gathers them (:func:`parts`)
into one in-memory Dataset for tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCTERMS, RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from graph import curated
from loaders import get_loader
from loaders.base import LoadReport, Source, SourceGraph
from vocab.ids import curated_graph, mint, source_graph
from vocab.inputs import parse_turtle
from vocab.namespace import GRAPH, HWB, ONTOLOGY_IRI
from vocab.organisations import Registry

PLAN_CLASSES = {
    "strategy": HWB.Strategy,
    "action plan": HWB.ActionPlan,
    "proposed priorities": HWB.ProposedPriorities,
    "progress report": HWB.ProgressReport,
}
LOAD_REPORT_GRAPH = GRAPH["load-report"]
BUILD_GRAPH = GRAPH["build"]
ONTOLOGY_GRAPH = GRAPH["ontology"]


@dataclass
class BuildResult:
    """When the build ran (UTC, whole seconds), what each loader reported and, when built in
    memory (:func:`build`), the dataset; streamed builds (graph/staging.py) keep none."""

    built_at: dt.datetime
    dataset: Dataset | None = None
    reports: dict[str, LoadReport] = field(default_factory=dict)
    curated_issues: list[str] = field(default_factory=list)

    def issues(self) -> list[tuple[str, int, str]]:
        return [
            (slug, e.line, e.reason)
            for slug, report in self.reports.items()
            for e in report.issues()
        ]


@dataclass(frozen=True)
class Part:
    """One named graph of the build, as it is produced. A source's part carries its load
    issues (they belong in LOAD_REPORT_GRAPH), so it can be validated on its own."""

    name: URIRef
    graph: Graph
    source: Source | None = None
    issues: Graph | None = None


def now() -> dt.datetime:
    """The build time as recorded: UTC, whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build(sources: list[Source], config: Mapping) -> BuildResult:
    """Read ``sources`` and the curated data named in ``config`` into one in-memory dataset
    (see :func:`parts` for ``config`` and the errors)."""
    dataset = Dataset()
    result = BuildResult(now(), dataset)
    for part in parts(sources, config, result):
        _add_graph(dataset, part.name, part.graph)
        if part.issues is not None:
            _add_graph(dataset, LOAD_REPORT_GRAPH, part.issues)
    return result


@dataclass(frozen=True)
class Context:
    """What every source's loader reads beside its document: the organisation registry and
    the curated graphs (by name); and the ontology, which the loaders do not read."""

    registry: Registry
    curated: dict[str, Graph]
    ontology: Graph

    def everything_curated(self) -> Graph:
        """The curated graphs as one (the loaders look up ICS themes in it)."""
        merged = Graph()
        for graph in self.curated.values():
            merged += graph
        return merged


def read_context(config: Mapping, issues: list[str]) -> Context:
    """Read the ontology and the curated data named in ``config``; curated problems that do
    not stop the build go to ``issues``.

    ``config`` keys: ``CURATED_DIR`` (organisations.toml, ICS priorities, mappings) and
    ``ONTOLOGY`` (the ontology Turtle file). Raises vocab.inputs.InputError (or a subclass)
    for a malformed curated or ontology file.
    """
    curated_dir = Path(config["CURATED_DIR"])
    ontology = parse_turtle(Path(config["ONTOLOGY"]))  # first: a bad file fails before loading
    registry = Registry.from_toml(curated_dir / "organisations.toml")
    curated_graphs = {
        "organisations": registry.to_graph(),
        **curated.load(curated_dir, registry, issues),
    }
    return Context(registry, curated_graphs, ontology)


def context_parts(context: Context, sources: list[Source], built_at: dt.datetime) -> list[Part]:
    """The named graphs that are not a source's: curated files, ontology, provenance."""
    named = [Part(curated_graph(name), graph) for name, graph in context.curated.items()]
    return [
        *named,
        Part(ONTOLOGY_GRAPH, context.ontology),
        Part(BUILD_GRAPH, _provenance(sources, built_at)),
    ]


def parts(sources: list[Source], config: Mapping, result: BuildResult) -> Iterator[Part]:
    """The build's named graphs one at a time: curated files, ontology, provenance, then
    each source, its loader's report recorded in ``result`` as it is read.

    ``config`` as for :func:`read_context`. Raises what it raises, and the loaders' errors.
    """
    context = read_context(config, result.curated_issues)
    yield from context_parts(context, sources, result.built_at)
    everything_curated = context.everything_curated()
    for source in sources:
        doc = load_source(source, context.registry, everything_curated)
        result.reports[source.slug] = doc.report
        yield Part(source_graph(source.slug), doc.graph, source, issues_graph(source, doc.report))


def load_source(source: Source, registry: Registry, curated_data: Graph) -> SourceGraph:
    """Run one source's loader and return its graph and report."""
    doc = SourceGraph(source, registry, curated_data)
    _describe_source(doc)
    get_loader(source.loader).load(doc)
    return doc


def _describe_source(doc: SourceGraph) -> None:
    """The plan and source-document nodes every source has, from the manifest."""
    source, plan = doc.source, doc.source.plan
    doc.node(plan, PLAN_CLASSES[source.kind], source.title_line, source.title)
    for publisher in source.publishers:
        doc.add(plan, DCTERMS.publisher, mint("org", publisher))
    doc.add(plan, HWB.area, source.area)
    doc.add(plan, HWB.period, source.period)
    doc.add(plan, HWB.status, source.status)
    if source.issued:
        datatype = XSD.date if len(source.issued) == 10 else XSD.gYearMonth
        doc.add(plan, DCTERMS.issued, Literal(source.issued, datatype=datatype))
    scheme = mint("scheme", source.slug)
    doc.add(plan, HWB.themeScheme, scheme)
    doc.add(scheme, RDF.type, SKOS.ConceptScheme)
    doc.add(scheme, SKOS.prefLabel, Literal(f"Themes of {source.title}"))
    document = source.document
    doc.add(document, RDF.type, HWB.SourceDocument)
    doc.add(document, HWB.fileName, source.file_name)
    doc.add(document, DCTERMS.title, source.title)
    doc.add(document, HWB.sha256, sha256(source.path))
    doc.add(document, HWB.lineCount, Literal(len(doc.lines), datatype=XSD.integer))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def issues_graph(source: Source, report: LoadReport) -> Graph:
    """Load issues as data, so the audit worklist can query them beside the SHACL report."""
    graph = Graph()
    for index, entry in enumerate(report.issues(), start=1):
        issue = mint("load-issue", source.slug, f"l{entry.line}-{index}")
        graph.add((issue, RDF.type, HWB.LoadIssue))
        graph.add((issue, HWB.sourceDocument, source.document))
        graph.add((issue, HWB.sourceLine, Literal(entry.line, datatype=XSD.positiveInteger)))
        graph.add((issue, HWB.reason, Literal(entry.reason)))
    return graph


def _provenance(sources: list[Source], now: dt.datetime) -> Graph:
    """PROV-O description of this build: when it ran and which documents it used."""
    graph = Graph()
    activity = mint("build", "latest")
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.endedAtTime, Literal(now.isoformat(), datatype=XSD.dateTime)))
    for source in sources:
        graph.add((activity, PROV.used, source.document))
    graph.add((activity, PROV.used, ONTOLOGY_IRI))
    return graph


def _add_graph(dataset: Dataset, name: URIRef, graph: Graph) -> None:
    target = dataset.graph(name)
    for triple in graph:
        target.add(triple)
