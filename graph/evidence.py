"""Evidence packs: one zip a Board paper can cite for any table the workbench shows.

A pack holds the rows as CSV, the SPARQL that produced them, the build they came from
(when it ran, and the SHA-256 of every source document it read) and an appendix quoting
every source line behind the rows. Any view can have one: give :func:`pack` a
:class:`View` (title, columns, rows as strings, the queries) and the folder of the
sources. The lines to quote are found from the rows themselves: every instance IRI in a
cell is looked up in the graph for its ``hwb:sourceDocument`` and ``hwb:sourceLine``, so a
view only has to keep the IRIs of what it shows (the action, the mapping record, the
load issue) in its rows.

The lines are read from the source files named by the build's ``hwb:fileName``; a file
whose checksum no longer matches the build's ``hwb:sha256`` is quoted with a warning, so
a pack never passes off a changed file as the one the graph was built from.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import sparql
from loaders.base import read_lines
from vocab.ids import mint
from vocab.namespace import ID

MEDIA_TYPE = "application/zip"
_IRI = re.compile(r"<[^\s<>]*>")
_INSTANCE = re.compile(re.escape(str(ID)) + r"[^\s;,|<>\"]+")

BUILD_QUERY = """
SELECT ?build ?ended ?document ?file ?sha ?title WHERE {
  ?build prov:endedAtTime ?ended .
  OPTIONAL {
    ?build prov:used ?document . ?document hwb:fileName ?file ; hwb:sha256 ?sha .
    OPTIONAL { ?document dcterms:title ?title }
  }
} ORDER BY ?file
"""
PROVENANCE_QUERY = """
SELECT ?node ?file ?line ?curated WHERE {
  VALUES ?node { %s }
  { ?node hwb:sourceLine ?line ; hwb:sourceDocument/hwb:fileName ?file }
  UNION
  { ?node dcterms:source ?curated FILTER NOT EXISTS { ?node hwb:sourceLine ?any } }
}
"""


@dataclass(frozen=True)
class View:
    """A table as a page shows it, and how it was made.

    ``rows`` hold strings (IRIs in full, so the pack can find their source lines);
    ``queries`` maps a short name to the SPARQL text that was run, and ``bindings`` a
    query's name to the terms substituted for its variables when it ran, each as SPARQL
    text (``str()`` of a pyoxigraph term: ``<iri>`` or a quoted literal); ``url`` is the
    page the view is a table of; ``notes`` says in words what the code did with the
    query results (a join, a chain of mappings...).
    """

    name: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    queries: Mapping[str, str]
    url: str = ""
    notes: str = ""
    bindings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def records(self) -> list[dict[str, str]]:
        """The rows as dicts by column name (the JSON twin's shape)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class SourceFile:
    """A document the build read: its file name, checksum and title."""

    file: str
    sha256: str
    title: str


@dataclass(frozen=True)
class Build:
    """The build a view came from: when it ended and what it read."""

    ended: str
    sources: tuple[SourceFile, ...]

    def as_json(self) -> dict:
        return {
            "build": str(mint("build", "latest")),
            "endedAtTime": self.ended,
            "sources": [vars(s) for s in self.sources],
        }


@dataclass
class Citations:
    """The lines behind a view's rows: {file: {line: [nodes]}}, and curated records by file."""

    lines: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    curated: dict[str, list[str]] = field(default_factory=dict)


def csv_text(view: View) -> str:
    """The view's rows as CSV with a header line, as its page's CSV twin writes them."""
    return table_csv(view.columns, view.rows)


def table_csv(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A header line and the rows, as RFC 4180 CSV (what spreadsheet tools read)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def query_file(text: str, bound: Mapping[str, str] | None = None) -> str:
    """A query as it ran, made to run anywhere: the prefixes it uses declared (the store
    supplied them) and the terms bound by substitution appended as a VALUES clause.

    A trailing VALUES joins with the answer rather than substituting before evaluation:
    the rows are the same when the query's own pattern binds the variable, as the network
    queries (the only ones run with bindings so far) do; the comment line says what ran.
    """
    # A prefix counts as used where it starts a name, not inside an IRI like <http://x/id:y>.
    names = _IRI.sub(" ", text)
    used = [p for p in sparql.PREFIXES if re.search(rf"(?<![\w:]){p}:", names)]
    head = [f"PREFIX {p}: <{sparql.PREFIXES[p]}>" for p in used]
    if not bound:
        return "\n".join([*head, text.strip()]) + "\n"
    names = sorted(bound)
    values = " ".join(bound[n] for n in names)
    note = "# Ran with " + ", ".join(f"?{n}" for n in names) + " substituted (SEP-0007)."
    tail = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    return "\n".join([note, *head, text.strip(), tail]) + "\n"


def build_info(store: ox.Store) -> Build:
    """The latest build's end time and source documents, from its PROV-O description."""
    columns, found = sparql.rows(
        sparql.run(store, BUILD_QUERY, {"build": ox.NamedNode(mint("build", "latest"))})
    )
    rows = [dict(zip(columns, map(sparql.term_text, row), strict=True)) for row in found]
    ended = rows[0]["ended"] if rows else ""
    sources = tuple(SourceFile(r["file"], r["sha"], r["title"]) for r in rows if r["file"])
    return Build(ended, sources)


def instance_iris(rows: Sequence[Sequence[str]]) -> list[str]:
    """Every instance IRI (under ``id/``) named in any cell, in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for cell in row:
            for iri in _INSTANCE.findall(str(cell)):
                seen.setdefault(iri, None)
    return list(seen)


def citations(store: ox.Store, rows: Sequence[Sequence[str]]) -> Citations:
    """Where each IRI in ``rows`` was read: source file and line, or the curated file."""
    found = Citations()
    iris = instance_iris(rows)
    if not iris:
        return found
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    _, results = sparql.rows(sparql.run(store, PROVENANCE_QUERY % values))
    for node, file, line, curated in results:
        if curated is not None:
            found.curated.setdefault(curated.value, []).append(node.value)
        else:
            by_line = found.lines.setdefault(file.value, {})
            by_line.setdefault(int(line.value), []).append(node.value)
    return found


def appendix(view: View, build: Build, cited: Citations, sources_dir: Path) -> str:
    """Markdown quoting every cited line exactly (trailing tabs of empty cells too), file by
    file, with the nodes that cite it."""
    checksums = {s.file: s.sha256 for s in build.sources}
    parts = [f"# Source lines behind: {view.title}\n", f"Build ended {build.ended}.\n"]
    if not cited.lines and not cited.curated:
        parts.append("No row of this view names a node read from a source document.\n")
    for file in sorted(cited.lines):
        parts.append(f"\n## {file}\n")
        # Only the last part of the name is used: a name cannot lead outside the folder.
        text, warning = _read_source(sources_dir / Path(file).name, checksums.get(file))
        if warning:
            parts.append(f"\n**{warning}**\n")
        for line in sorted(cited.lines[file]):
            quoted = text[line - 1] if text and line <= len(text) else "(line not available)"
            nodes = ", ".join(sorted(cited.lines[file][line]))
            parts.append(f"\n### line {line}\n\n> {quoted}\n\nCited for: {nodes}\n")
    for file in sorted(cited.curated):
        parts.append(f"\n## Curated: {file}\n\nRecords: {', '.join(sorted(cited.curated[file]))}\n")
    return "".join(parts)


def _read_source(path: Path, sha256: str | None) -> tuple[list[str], str]:
    """A source file's lines and a warning if it is missing or changed since the build.

    Lines are split as the loaders split them (loaders.base.read_lines), so line numbers
    agree with ``hwb:sourceLine``.
    """
    try:
        data = path.read_bytes()
        lines = read_lines(path)
    except (OSError, UnicodeDecodeError):
        return [], f"{path.name} cannot be read from {path.parent}: its lines cannot be quoted."
    warning = ""
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        warning = (
            f"{path.name} has changed since the build (SHA-256 differs): "
            "the lines below are from the current file and may not be the ones the graph read."
        )
    return lines, warning


def pack(store: ox.Store, view: View, sources_dir: Path) -> bytes:
    """The evidence zip for ``view``: README, data.csv, sparql/*.rq, build.json, appendix.md."""
    build = build_info(store)
    files = {
        "README.txt": _readme(view, build),
        "data.csv": csv_text(view),
        **{
            f"sparql/{name}.rq": query_file(text, view.bindings.get(name))
            for name, text in view.queries.items()
        },
        "build.json": json.dumps(build.as_json(), indent=1) + "\n",
        "appendix.md": appendix(view, build, citations(store, view.rows), sources_dir),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def download_name(view: View) -> str:
    """The zip's file name: the view's name and ``-evidence.zip``."""
    return f"{view.name}-evidence.zip"


def _readme(view: View, build: Build) -> str:
    lines = [
        view.title,
        "=" * len(view.title),
        "",
        *([f"Where: {view.url}"] if view.url else []),
        f"Build: ended {build.ended}; {len(build.sources)} source documents "
        "(file names and SHA-256 in build.json).",
        f"Rows: {len(view.rows)}.",
        "",
        "data.csv     the rows, as the page shows them",
        "sparql/*.rq  the SPARQL run on the graph to produce them (prefixes declared,",
        "             IRIs bound at run time appended as VALUES: each file runs on its own)",
        "build.json   the build (prov:endedAtTime) and the checksum of each source read",
        "appendix.md  every source line behind the rows, quoted from the source files",
    ]
    if view.notes:
        lines += ["", "How the rows were made:", view.notes]
    return "\n".join(lines) + "\n"
