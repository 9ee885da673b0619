"""`hwbkg alignment --from X --to Y`: the alignment matrix of two plans at the terminal.

The same computation as the /alignment page (graph.alignment), printed as a table of
rows and their counterparts, as CSV or JSON (one line per row and column), or as SSSOM TSV.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from cli.commands import UserError, current_build
from graph import alignment, alignment_queries, alignment_reports, digests, store

FORMATS = ("table", "csv", "json", "sssom")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare the subcommand on the `hwbkg` parser; it runs :func:`alignment`."""
    command = sub.add_parser("alignment", help="how the themes and priorities of two plans line up")
    command.add_argument(
        "--from",
        dest="source",
        default=alignment.DEFAULT_FROM,
        help=f"plan slug of the rows (default {alignment.DEFAULT_FROM})",
    )
    command.add_argument(
        "--to",
        dest="target",
        default=alignment.DEFAULT_TO,
        help=f"plan slug of the columns (default {alignment.DEFAULT_TO})",
    )
    command.add_argument("--level", choices=("all", "theme", "priority"), default="all")
    command.add_argument("--format", choices=FORMATS, default="table")  # fmt: skip
    command.set_defaults(run=alignment_command)


def alignment_command(args: argparse.Namespace, config: dict) -> int:
    """Print the matrix of ``args.source`` against ``args.target`` in ``args.format``."""
    try:
        folder = current_build(config)
        kept = digests.read(folder, "alignment", store.open_store(folder))
        data = alignment_queries.from_digest(kept)
        source, target = data.plan(args.source, "--from"), data.plan(args.target, "--to")
        found = alignment.matrix(data, source, target, args.level)
    except (store.StoreMissing, alignment.UnknownPlan) as error:
        raise UserError(str(error)) from None
    if args.format == "sssom":
        sys.stdout.write(alignment_reports.sssom_tsv(data, found))
    elif args.format == "table":
        print(_table(data, found))
    else:
        _write(args.format, _cells(found))
    return 0


def _cells(found: alignment.Matrix) -> list[dict]:
    """One dict per row and column: the kind and the records behind it."""
    return [
        {
            "from": row.item.iri,
            "from_label": row.item.text,
            "to": column.iri,
            "to_label": column.text,
            "kind": cell.kind,
            "derived": cell.derived,
            "records": " ".join(step.record.iri for step in cell.chain),
        }  # fmt: skip
        for row in found.rows
        for column in found.columns
        for cell in [found.cell(row, column)]
    ]


def _write(fmt: str, cells: list[dict]) -> None:
    if fmt == "json":
        json.dump(cells, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    writer = csv.DictWriter(sys.stdout, list(cells[0]) if cells else ["from"])
    writer.writeheader()
    writer.writerows(cells)


def _table(data: alignment.Data, found: alignment.Matrix) -> str:
    """Each row item with its status and its counterparts, for people at a terminal."""
    lines = [f"{found.source.label}  ->  {found.target.label}", ""]
    for row in found.rows:
        parts = [
            f"{cell.kind} {data.items[iri].text}" + (" (derived)" if cell.derived else "")
            for iri, cell in row.cells.items()
        ]
        if row.absent:
            stated = [s.record for s in row.absent.chain if s.record.stated]
            parts = [alignment.NO_EQUIVALENT + "".join(f" (line {r.line})" for r in stated)]
        lines.append(f"{row.item.text[:60]:<60}  {'; '.join(parts) or alignment.UNMAPPED}")
    counts = alignment_reports.status_counts(found)
    lines += ["", ", ".join(f"{n} {status}" for status, n in counts.items())]
    return "\n".join(lines)
