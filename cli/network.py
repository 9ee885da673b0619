"""`hwbkg partners` and `hwbkg network`: the partner network from the command line.

The same facts and metrics as the /network page (the build's network digest,
graph/network_digest.py, and graph.network). Subcommands register themselves with
:func:`add_parsers`.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from cli.commands import UserError, current_build, text_table
from graph import digests, network, network_digest, network_queries, store

COLUMNS = ["label", "kind", "led", "sole", "partnered", "lead_share", "weighted_degree",
           "betweenness", "articulation_point", "community", "plans"]  # fmt: skip
"""The organisation table's columns, as on the page (the JSON has every field)."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the two subcommands to the `hwbkg` parser, each with its scope options."""
    partners_parser = sub.add_parser("partners", help="organisations with their network metrics")
    partners_parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    network_parser = sub.add_parser("network", help="the partner network as GraphML, GEXF, JSON")
    network_parser.add_argument("--format", choices=list(network.EXPORT_FORMATS), default="graphml")
    network_parser.add_argument(
        "--graph", choices=["co-delivery", "partner-work"], default="co-delivery"
    )
    network_parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    for found, run in ((partners_parser, partners), (network_parser, network_command)):
        found.add_argument("--plan", help="plan key, as in its IRI (default: all plans)")
        found.add_argument(
            "--theme", help="theme key, e.g. leicester-jhwb-action-plan-2018-23/healthy-start"
        )
        found.add_argument("--role", choices=network_queries.ROLES, help="keep one role only")
        found.set_defaults(run=run)


def _analyse(args: argparse.Namespace, config: dict) -> network.Analysis:
    """The scope named by ``args``, analysed. Raises UserError for an unknown scope or no build."""
    try:
        folder = current_build(config)
        kept = digests.read(folder, "network", store.open_store(folder))
        scope = network_digest.options(kept).check(args.plan, args.theme, args.role)
    except (store.StoreMissing, network_queries.ScopeError) as error:
        raise UserError(str(error)) from None
    return network.analyse(network_digest.facts(kept, scope), scope.role)


def _cell(value) -> str:
    """A value as a table or CSV cell: lists joined, shares as two decimals."""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def partners(args: argparse.Namespace, config: dict) -> int:
    """Print each organisation's metrics in the scope, most work led first."""
    rows = _analyse(args, config).organisations
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    cells = [[_cell(row[c]) for c in COLUMNS] for row in rows]
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerows([COLUMNS, *cells])
        return 0
    print(text_table(COLUMNS, cells, width=48, noun="organisations"))
    return 0


def network_command(args: argparse.Namespace, config: dict) -> int:
    """Write the scope's co-delivery or partner-work network in ``args.format``."""
    found = _analyse(args, config)
    graph = found.codelivery if args.graph == "co-delivery" else found.work
    data = network.serialise(graph, args.format)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0
