"""The `hwbkg` command line: build and check the graph, query it, serve the workbench.

build, validate, query, export, stats and serve work on the graph itself; alignment,
partners, network and audit answer the analysts' questions from it.

Errors a user can cause (a missing file, a bad manifest, a malformed query) print one
line to stderr and exit non-zero; they never show a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli import alignment, audit, build, commands, network, synth
from graph import settings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="hwbkg", description=__doc__.splitlines()[0])
    top.add_argument(
        "--build-dir", type=Path, help="where builds/ and the `current` pointer are (build/)"
    )
    sub = top.add_subparsers(dest="command", required=True)
    build.add_parser(sub)

    validate = sub.add_parser("validate", help="check the built graph against the SHACL shapes")
    validate.add_argument("--format", choices=["text", "turtle"], default="text")

    query = sub.add_parser("query", help="run a SPARQL query on the built graph")
    given = query.add_mutually_exclusive_group(required=True)
    given.add_argument("sparql", nargs="?", help="the query text")
    given.add_argument("--file", type=Path, help="read the query from a file")
    given.add_argument("--name", help="a query from the library (queries/<name>.rq)")
    query.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    query.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph")

    export = sub.add_parser("export", help="write the whole dataset, ontology included")
    export.add_argument("--format", choices=["ttl", "trig", "nq", "jsonld"], default="trig")
    export.add_argument("--output", type=Path, help="file to write (default: stdout)")

    sub.add_parser("stats", help="count plans, themes, priorities, actions... per source")

    serve = sub.add_parser("serve", help="start the workbench")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--settings", type=Path, help="a TOML file of limits (see docs/security.md)")

    alignment.add_parser(sub)
    network.add_parsers(sub)
    audit.add_parser(sub)
    synth.add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = settings.load(settings.from_options(args))
    except settings.SettingsError as error:
        print(f"hwbkg: {error}", file=sys.stderr)
        return 2
    try:
        run = getattr(args, "run", None) or getattr(commands, args.command)
        return run(args, config)
    except commands.UserError as error:
        print(f"hwbkg {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`hwbkg query ... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
