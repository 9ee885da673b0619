"""Curated data other than the organisation registry: ICS priorities and theme mappings.

Each file becomes a named graph of its own (see graph/build.py).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.organisations import Registry


def load(curated_dir: Path, registry: Registry, issues: list[str]) -> dict[str, Graph]:
    """Return {graph name: graph} for every curated Turtle file in ``curated_dir``.

    Problems that do not stop the build (a mapping to an unknown concept) go to ``issues``.
    """
    graphs = {}
    for path in sorted(curated_dir.glob("*.ttl")):
        graphs[path.stem] = Graph().parse(path)
    return graphs
