"""`hwbkg synth`: write many documents shaped like the real ones (graph/synth.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.commands import UserError
from graph.manifest import load_manifest
from graph.synth import MANIFEST_FILE, synthesise
from vocab.inputs import InputError
from vocab.organisations import Registry


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add `hwbkg synth` to the `hwbkg` parser."""
    command = sub.add_parser("synth", help="write N variants of each source, for scale tests")
    command.add_argument("--scale", type=int, required=True, help="variants per real source")
    command.add_argument("--seed", type=int, default=0, help="the same seed writes the same files")
    command.add_argument("--out", type=Path, required=True, help="folder to write into")
    command.set_defaults(run=synth_command)


def synth_command(args: argparse.Namespace, config: dict) -> int:
    """Write the variants and their manifest; print what was written."""
    if args.scale < 1:
        raise UserError(f"--scale must be 1 or more, not {args.scale}")
    if args.out.exists() and not args.out.is_dir():
        raise UserError(f"--out {args.out} is a file, not a folder")
    try:
        sources = load_manifest(Path(config["MANIFEST"]))
        registry = Registry.from_toml(Path(config["CURATED_DIR"]) / "organisations.toml")
    except InputError as error:
        raise UserError(str(error)) from None
    count = synthesise(sources, registry, args.scale, args.seed, args.out)
    print(f"wrote {count} sources ({len(sources)} real, scale {args.scale}, seed {args.seed})")
    print(f"  build them: hwbkg build --manifest {args.out / MANIFEST_FILE}")
    return 0
