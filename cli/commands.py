"""The work behind each `hwbkg` subcommand (argument parsing lives in cli/main.py)."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from rdflib import Dataset

from graph import builds, pool, queries, settings, sparql, store
from graph.server import TROUBLE as SERVER_TROUBLE


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def current_build(config: dict) -> Path:
    """The folder of the build being served under BUILD_DIR, resolved once.

    Raises store.StoreMissing when nothing is built.
    """
    return builds.current(Path(config["BUILD_DIR"])).path


def _reference(config: dict) -> Dataset:
    try:
        return store.open_reference(current_build(config))
    except store.StoreMissing as error:
        raise UserError(str(error)) from None


def validate(args: argparse.Namespace, config: dict) -> int:
    """SHACL-validate the current build with the shapes as they are now (the build saved its
    own report when it was built), as `hwbkg build` does, with its cache: only what changed
    since is validated anew. Exit 1 when there are violations."""
    from graph.validate_parts import CACHE_DIR, Unordered, check_nquads

    try:
        nquads = current_build(config) / store.DATASET_FILE
        if not nquads.is_file():
            raise store.StoreMissing(f"no graph built in {nquads.parent}: run `hwbkg build`")
        cache = Path(config["BUILD_DIR"]) / CACHE_DIR
        result = check_nquads(nquads, Path(config["SHAPES_DIR"]), cache).finish(nquads)
    except (store.StoreMissing, Unordered) as error:
        raise UserError(str(error)) from None
    if args.format == "turtle":
        sys.stdout.write(result.report_graph.serialize(format="turtle"))
    else:
        print(result.text)
    counts = ", ".join(f"{n} {severity}" for severity, n in sorted(result.counts.items()))
    print(f"conforms: {result.conforms}; {counts or 'no results'}", file=sys.stderr)
    return 1 if result.counts.get("Violation") else 0


def query(args: argparse.Namespace, config: dict) -> int:
    """Run a query given inline, in a file or by library name; print it in ``args.format``."""
    try:
        if args.name:
            text = queries.get(Path(config["QUERIES_DIR"]), args.name).text
        elif args.file:
            text = args.file.read_text(encoding="utf-8")
        else:
            text = args.sparql
        answer = sparql.run(store.open_store(current_build(config)), text)
    except (queries.UnknownQuery, sparql.QueryError, store.StoreMissing) as error:
        raise UserError(str(error)) from None
    except (FileNotFoundError, IsADirectoryError):
        raise UserError(f"query file not found: {args.file}") from None
    if answer.kind == "graph":
        sys.stdout.write(answer.serialize("turtle").decode())
    elif args.format == "table":
        print(_table(answer))
    else:
        sys.stdout.write(answer.serialize(args.format).decode())
    return 0


def _table(answer: sparql.Answer) -> str:
    """A query's answer as a plain-text table for people at a terminal."""
    if answer.kind == "ask":
        return "true" if bool(answer.results) else "false"
    columns, found = sparql.rows(answer)
    return text_table(columns, [[sparql.term_text(t) for t in row] for row in found])


def text_table(columns: list[str], cells: list[list[str]], width: int = 72, noun="rows") -> str:
    """Columns padded to their longest cell (at most ``width`` characters), then a count."""
    widths = [min(width, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    lines = [columns, ["-" * w for w in widths], *cells]
    padded = ["  ".join(v[:w].ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
              for line in lines]  # fmt: skip
    return "\n".join([*padded, f"({len(cells)} {noun})"])


EXPORT_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


def export(args: argparse.Namespace, config: dict) -> int:
    """Write the dataset (ontology included); Turtle flattens the named graphs."""
    dataset = _reference(config)
    data = dataset if args.format != "ttl" else _union(dataset)
    text = data.serialize(format=EXPORT_FORMATS[args.format])
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _union(dataset: Dataset):
    from rdflib import Graph

    union = Graph()
    for prefix, namespace in sparql.PREFIXES.items():
        union.bind(prefix, namespace)
    for quad in dataset.quads((None, None, None, None)):
        union.add(quad[:3])
    return union


STATS_QUERY = """
SELECT ?document ?class (COUNT(DISTINCT ?thing) AS ?count) WHERE {
  ?thing hwb:sourceDocument ?source ; a ?type .
  ?source hwb:fileName ?document .
  FILTER(STRSTARTS(STR(?type), STR(hwb:)))
  BIND(REPLACE(STR(?type), STR(hwb:), "hwb:") AS ?class)
} GROUP BY ?document ?class ORDER BY ?document ?class
"""


def stats(args: argparse.Namespace, config: dict) -> int:
    """Count the nodes read from each source document by class, and the dataset's size."""
    try:
        oxi = store.open_store(current_build(config))
    except store.StoreMissing as error:
        raise UserError(str(error)) from None
    answer = sparql.run(oxi, STATS_QUERY)
    print(_table(answer))
    print(f"quads: {len(oxi):,}")
    return 0


def serve(args: argparse.Namespace, config: dict) -> int:
    """Serve the workbench with waitress (a production WSGI server)."""
    from waitress.server import create_server

    from graph.sandbox import cap_malloc_arenas
    from webapp import create_app, graphstore

    cap_malloc_arenas()
    try:
        given = settings.read_toml(args.settings) if args.settings else {}
        app = create_app(settings.load(config, given, settings.from_options(args)))
    except (store.StoreMissing, settings.SettingsError, *SERVER_TROUBLE) as error:
        raise UserError(str(error)) from None
    # Queries wait for a worker holding a server thread: keep PAGE_THREADS beyond the most
    # they can hold, so pages never queue behind SPARQL.
    limits = app.config
    threads = limits["QUERY_WORKERS"] + limits["QUERY_QUEUE"] + limits["PAGE_THREADS"]
    try:
        # Our own socket: waitress leaks its half-made one when the port is taken.
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        listener = socket.create_server((args.host, args.port), family=family)
    except OSError as error:
        graphstore.close(app)
        raise UserError(f"cannot listen on {args.host}:{args.port} ({os.strerror(error.errno)}); "
                        "choose another with --port") from None  # fmt: skip
    # ident=None: no Server header (waitress sends "Server: waitress" by default).
    server = create_server(app, sockets=[listener], threads=threads, ident=None)
    print(f"starting {limits['QUERY_WORKERS']} query workers")
    try:
        graphstore.snapshot_of(app).pool.warm(wait=True)
    except pool.PoolBusy as error:
        graphstore.close(app)
        raise UserError(str(error)) from None
    graphstore.warm(app)
    app.logger.setLevel("INFO")  # say when a new build is served, or why one was not
    graphstore.watch(app)
    print(f"hwbkg workbench on http://{args.host}:{args.port}/")
    server.run()
    return 0
