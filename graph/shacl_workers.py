"""pySHACL and the loaders in worker processes, one source at a time on each core.

pySHACL and the loaders are pure Python, so a process works on one core: with workers
the build loads, writes and validates on all of them. Whatever crosses between processes
is N-Triples bytes or plain Python values, never Turtle: rdflib's Turtle parser took 77 s
of the workers' 204 s at 100x (py-spy), its N-Triples parser a fraction of that. Only the
results come back as Turtle (a few per source), which is also what the cache keeps
(graph/validate_parts.py).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from graph.validate import load_shapes

IN_FLIGHT = 2
"""Sources queued per worker before the build waits: bounds the memory they hold."""


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


def shapes_graph(shapes_dir: Path) -> Graph:
    """The shapes, for pySHACL, in a store that is not context-aware: pySHACL reads the
    shapes graph again for every shape on every focus node, and rdflib's default store
    looks up each triple's contexts as it goes (a sixth of the CPU validating five 10x
    sources took, time.process_time). The data graph cannot be so stored: pySHACL wraps
    it in a Dataset."""
    shapes = Graph(store="SimpleMemory")
    shapes += load_shapes(shapes_dir)
    return shapes


class Validator:
    """The shapes and the ontology, read once per process, and the check of one source."""

    def __init__(self, shapes_dir: Path, ontology: Graph) -> None:
        self.shapes = shapes_graph(shapes_dir)
        self.ontology = ontology

    def check(self, data: DataGraph, focus: Iterable[str]) -> str:
        """Validate ``data`` with the ontology added to it; return the Turtle of the results
        whose focus node is one of the ``focus`` IRIs."""
        data += self.ontology
        wanted = set(focus)
        return results_for(self.shapes, data, lambda node: str(node) in wanted).serialize()


_validator: Validator | None = None  # in a worker process: set once by start_validator


def start_validator(shapes_dir: Path, ontology: bytes) -> None:
    """A worker's start: read the shapes, and the ``ontology`` given as N-Triples."""
    global _validator
    _validator = Validator(shapes_dir, Graph().parse(data=ontology, format="nt"))


def validate_lines(data: bytes, focus: list[str]) -> str:
    """Validate the triples ``data`` (N-Triples) in this worker: the results, as Turtle,
    whose focus node is one of the ``focus`` IRIs."""
    return _validator.check(DataGraph().parse(data=data, format="nt"), focus)


class WorkerFailed(RuntimeError):
    """A worker process died (killed, out of memory) before it answered."""


class Workers:
    """A pool of processes (as many as cores), started lazily, each set up once by
    ``start(*args)``: a build whose sources are all cached starts none.
    ``processes=False`` runs the jobs in this process instead (a web worker that finds its
    build's report stale must not fork)."""

    def __init__(self, start: Callable, args: tuple, processes: bool = True) -> None:
        self._start, self._args = start, args
        self._processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._started = False
        self._in_flight: deque[Future] = deque()

    def submit(self, job: Callable, *args) -> Future:
        """Run ``job(*args)`` in a worker; blocks while too many are queued. The future
        raises what the job raised, or WorkerFailed."""
        if not self._processes:
            if not self._started:
                self._start(*self._args)
                self._started = True
            done: Future = Future()
            done.set_result(job(*args))
            return done
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=os.cpu_count() or 1,
                mp_context=multiprocessing.get_context("spawn"),  # the parent may run threads
                initializer=self._start,
                initargs=self._args,
            )
        future = self._pool.submit(job, *args)
        self._in_flight.append(future)
        while len(self._in_flight) > IN_FLIGHT * (os.cpu_count() or 1):
            outcome(self._in_flight.popleft())
        return future

    def close(self) -> None:
        """Stop the processes; jobs not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def outcome(future: Future):
    """The future's result; a dead worker raises WorkerFailed, one line."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise WorkerFailed(f"a build worker process died: {error}") from None
