"""Builds on a SPARQL server: loading one, and the pointer naming the one being served.

The server keeps, in a registry graph, each loaded build's id and named graphs, and for
each build it served, when it began to::

    GRAPH <.../graph/builds> {
      <.../graph/build/<id>> dcterms:identifier "<id>" ; dcterms:hasPart <graph>, ... ;
                             dcterms:issued "2026-12-03T15:20:25.123456Z"^^xsd:dateTime .
    }

The served build is the one issued last. Loading a build registers it, puts each of its
graphs (relocated under the build's own namespace, graph.remote) with the Graph Store
Protocol, and only then adds its ``dcterms:issued``: one triple in one INSERT DATA, so
readers see the old build or the new one (a DELETE/INSERT of a pointer would need its WHERE
to match, and Virtuoso 7.2 matched nothing where no pointer existed yet). Readers on any
host find the build id in one query and switch when they next look (webapp.graphstore).
Builds other than the new one and the one served until now are then dropped, so a reader
still on the previous build keeps its graphs until it switches, as graph.builds keeps
folders on disk.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import DCTERMS, XSD

from graph import remote, store
from graph.server import Server
from vocab.namespace import GRAPH

REGISTRY = ox.NamedNode(str(GRAPH["builds"]))
ISSUED = ox.NamedNode(str(DCTERMS.issued))
IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))
HAS_PART = ox.NamedNode(str(DCTERMS.hasPart))
BUILDS = f"""
SELECT ?id ?graph ?issued WHERE {{ GRAPH {REGISTRY} {{
  ?build {IDENTIFIER} ?id ; {HAS_PART} ?graph . OPTIONAL {{ ?build {ISSUED} ?issued }}
}} }}
"""


@dataclass(frozen=True)
class ServerBuild:
    """A build as loaded on the server: its id, its named graphs (as the build names
    them), and when it was last switched to (None: never, or not yet)."""

    id: str
    graphs: tuple[str, ...]
    issued: dt.datetime | None = None


def registered(server: Server) -> list[ServerBuild]:
    """Every build the registry lists (the served one, the previous one, any left by a
    load that failed)."""
    response = server.query({"query": BUILDS}, remote.RESULTS_JSON)
    graphs: dict[str, set[str]] = {}
    issued: dict[str, dt.datetime] = {}
    for row in ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON):
        graphs.setdefault(row["id"].value, set()).add(row["graph"].value)
        if row["issued"] is not None:
            when = dt.datetime.fromisoformat(row["issued"].value)
            issued[row["id"].value] = max(when, issued.get(row["id"].value, when))
    return [ServerBuild(i, tuple(sorted(g)), issued.get(i)) for i, g in sorted(graphs.items())]


def served(server: Server) -> ServerBuild | None:
    """The build issued last (ties: the newest id), or None if none was ever served."""
    switched = [build for build in registered(server) if build.issued is not None]
    return max(switched, key=lambda build: (build.issued, build.id), default=None)


def load(build_dir: Path, build_id: str, server: Server) -> float | None:
    """Load the build in ``build_dir`` into ``server`` and serve it; the seconds it took, or
    None when the server already serves it.

    The build's named graphs are loaded (a build keeps nothing in the default graph).
    Raises graph.server's errors; the pointer then still names the build served before.
    """
    began = time.perf_counter()
    before = served(server)
    if before is not None and before.id == build_id:
        return None
    oxigraph = store.open_store(build_dir)
    graphs = sorted(graph.value for graph in oxigraph.named_graphs())
    parts = [(remote_node(build_id), HAS_PART, ox.NamedNode(graph)) for graph in graphs]
    registration = [(remote_node(build_id), IDENTIFIER, ox.Literal(build_id)), *parts]
    server.update(f"INSERT DATA {{ GRAPH {REGISTRY} {{ {_triples(registration)} }} }}")
    union = remote.union_graph(build_id)
    server.update(f"DROP SILENT GRAPH {ox.NamedNode(union)}")  # left by a load that failed
    for graph in graphs:
        quads = oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        data = ox.serialize((quad.triple for quad in quads), format=ox.RdfFormat.N_TRIPLES)
        data = remote.relocate(data, build_id)
        server.put_graph(remote.relocate(graph, build_id), data)
        server.put_graph(union, data, replace=False)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    switch = (remote_node(build_id), ISSUED, ox.Literal(now, datatype=ox.NamedNode(XSD.dateTime)))
    server.update(f"INSERT DATA {{ GRAPH {REGISTRY} {{ {_triples([switch])} }} }}")
    keep = {build_id, before.id if before else build_id}
    _drop(server, [old for old in registered(server) if old.id not in keep])
    return time.perf_counter() - began


def remote_node(build_id: str) -> ox.NamedNode:
    """The registry's node for build ``build_id``."""
    return ox.NamedNode(str(GRAPH[f"build/{build_id}"]))


def _drop(server: Server, old: list[ServerBuild]) -> None:
    """Drop the graphs of the builds ``old`` and their registry entries."""
    for build in old:
        graphs = [remote.relocate(graph, build.id) for graph in build.graphs]
        drops = [
            f"DROP SILENT GRAPH {ox.NamedNode(graph)}"
            for graph in [*graphs, remote.union_graph(build.id)]
        ]
        entry = f"DELETE WHERE {{ GRAPH {REGISTRY} {{ {remote_node(build.id)} ?p ?o }} }}"
        server.update(" ;\n".join([*drops, entry]))


def _triples(triples: list[tuple]) -> str:
    """Triples in N-Triples syntax (terms written and escaped by pyoxigraph)."""
    return " ".join(f"{s} {p} {o} ." for s, p, o in triples)
