"""`hwbkg audit [--plan X] [--organisation Y]`: the audit worklist at the terminal.

The same list as the /audit page (graph.audit): one line per gap in the table format, in
the order to work through each document, or the rows as CSV or JSON.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from cli.commands import UserError, current_build
from graph import audit, store

FORMATS = ("table", "csv", "json")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare the subcommand on the `hwbkg` parser; it runs :func:`audit_command`."""
    command = sub.add_parser("audit", help="the gaps in the sources an analyst must chase")
    command.add_argument(
        "--plan", default="", help="plan slug, e.g. leicester-jhwb-action-plan-2018-23"
    )
    command.add_argument(
        "--organisation", default="", help="organisation slug, e.g. leicester-city-council"
    )
    command.add_argument("--format", choices=FORMATS, default="table")
    command.set_defaults(run=audit_command)


def audit_command(args: argparse.Namespace, config: dict) -> int:
    """Print the worklist, filtered by ``args.plan`` and ``args.organisation``."""
    try:
        build_dir = current_build(config)
        oxigraph = store.open_store(build_dir)
        wanted = {
            name: audit.resolve(oxigraph, name, getattr(args, name))[0]
            for name in audit.FILTERS
            if getattr(args, name)
        }
        records = audit.shacl_records(build_dir, Path(config["SHAPES_DIR"]))
    except (store.StoreMissing, audit.UnknownFilter) as error:
        raise UserError(str(error)) from None
    gaps = audit.select(audit.worklist(oxigraph, records), **wanted)
    if args.format == "json":
        print(audit.dumps(gaps))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(audit.COLUMNS)
        writer.writerows(g.row() for g in gaps)
    else:
        print(table(gaps))
    return 0


def table(gaps: list[audit.Gap]) -> str:
    """One line per gap under a heading per plan: where to look, what kind, what it says."""
    lines: list[str] = []
    plan = None
    for gap in gaps:
        if gap.plan_label != plan:
            plan = gap.plan_label
            if lines:
                lines.append("")
            lines.append(plan or "(no plan)")
        where = f"{gap.file}:{gap.line}" if gap.line else gap.file
        row = f"  {where:<45} {gap.kind:<22} {gap.label[:50]:<50}  {gap.detail[:60]}"
        lines.append(row.rstrip())
    return "\n".join([*lines, f"({len(gaps)} gaps)"])
