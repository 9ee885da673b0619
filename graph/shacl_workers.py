"""pySHACL in worker processes, one source at a time on each core.

pySHACL is pure Python, so a process validates on one core: with workers the build reads
and writes the next sources while the last ones are validated. A graph goes to a worker as
Turtle text (rdflib graphs pickle slowly) and its results come back as Turtle, which is also
what the cache keeps (graph/validate_parts.py).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

IN_FLIGHT = 2
"""Sources queued per worker before the build waits: bounds the memory they hold."""

_shapes: Graph | None = None  # in a worker process: the shapes, parsed once


class DataGraph(Graph):
    """The data graph handed to pySHACL.

    pySHACL parses a SPARQL constraint's text anew for every focus node (1,038 parses, a
    quarter of the validation time at 10x, cProfile); the text does not depend on the node
    (it is bound through initBindings), so each text is parsed once and reused.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=64)
def _prepared(text: str):
    return prepareQuery(text)


def results_for(shapes: Graph, data: Graph, keep: Callable[[Node], bool]) -> Graph:
    """Validate ``data`` (a DataGraph) and return the results whose focus node ``keep``
    accepts, without the report node (graph/validate_parts.py assembles one report)."""
    _, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    results = Graph()
    copy_results(report, results, keep)
    return results


def copy_results(report: Graph, target: Graph, keep: Callable[[Node], bool]) -> None:
    """Copy each sh:ValidationResult whose focus node ``keep`` accepts, with the blank
    nodes it holds (paths, nested shapes), into ``target``."""
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if keep(report.value(result, SH.focusNode)):
            _copy_node(report, result, target)


def _copy_node(source: Graph, node: Node, target: Graph) -> None:
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_node(source, o, target)


class Workers:
    """A pool of validating processes (as many as cores), started lazily: a build whose
    sources are all cached starts none. ``processes=False`` validates in this process
    instead (a web worker that finds its build's report stale must not fork)."""

    def __init__(self, shapes: Graph, processes: bool = True) -> None:
        self._shapes = shapes
        self._shapes_text = shapes.serialize(format="turtle") if processes else ""
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight: deque[Future] = deque()

    def submit(self, data: str, focus: set[Node]) -> Future:
        """Validate ``data`` (Turtle) in a worker; the future's result is the Turtle of the
        results for the ``focus`` IRIs. Blocks while too many are queued."""
        if not self._processes:
            done: Future = Future()
            graph = DataGraph().parse(data=data, format="turtle")
            done.set_result(results_for(self._shapes, graph, focus.__contains__).serialize())
            return done
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=os.cpu_count() or 1,
                mp_context=multiprocessing.get_context("spawn"),  # the parent may run threads
                initializer=_start,
                initargs=(self._shapes_text,),
            )
        future = self._pool.submit(_validate, data, sorted(str(n) for n in focus))
        self._in_flight.append(future)
        while len(self._in_flight) > IN_FLIGHT * (os.cpu_count() or 1):
            self._in_flight.popleft().result()
        return future

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _start(shapes_text: str) -> None:
    global _shapes
    _shapes = Graph().parse(data=shapes_text, format="turtle")


def _validate(data: str, focus: list[str]) -> str:
    graph = DataGraph().parse(data=data, format="turtle")
    wanted = set(focus)
    results = results_for(_shapes, graph, lambda node: str(node) in wanted)
    return results.serialize(format="turtle")
