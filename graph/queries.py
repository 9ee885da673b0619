"""The query library: queries/*.rq, each starting with a comment header.

    # title: Partners named in each strategy
    # description: One row per strategy and partner organisation.
    # params: council (IRI, optional)

The .rq file is the only copy of a query; the CLI, the web app and the tests read it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\s*(title|description|params)\s*:\s*(.*)$")


class UnknownQuery(LookupError):
    """No query of that name in the library."""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    title: str
    description: str
    params: str
    text: str


def read_query(path: Path) -> LibraryQuery:
    """Parse one .rq file. Raises ValueError if the header has no title."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        found = _HEADER.match(line)
        if found:
            header[found.group(1)] = (header.get(found.group(1), "") + " " + found.group(2)).strip()
    if "title" not in header:
        raise ValueError(f"{path.name}: the header has no '# title:' line")
    return LibraryQuery(
        path.stem, header["title"], header.get("description", ""), header.get("params", ""), text
    )


def library(queries_dir: Path) -> dict[str, LibraryQuery]:
    """All queries of the library by name, in name order."""
    return {q.name: q for q in map(read_query, sorted(queries_dir.glob("*.rq")))}


def get(queries_dir: Path, name: str) -> LibraryQuery:
    """One library query. Raises UnknownQuery with the names that exist (not ``name``: the
    library pages show the message).

    ``name`` is looked up among the files, never made into a path: a path from it could
    leave the folder, or be too long for the file system (an OSError, not a 404).
    """
    paths = {path.stem: path for path in sorted(queries_dir.glob("*.rq"))}
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise UnknownQuery(f"no library query of that name (known: {known})")
    return read_query(paths[name])
