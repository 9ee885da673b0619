"""Read the source manifest (data/sources/sources.toml) into Source records.

Every entry names a file in the manifest's own folder that reads as UTF-8 text; where the
entry gives its ``sha256``, the file must still be that document byte for byte (a file cut
short or swapped for another is refused before anything is built).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from loaders.base import Source
from vocab.inputs import InputError, decode, read_bytes, read_toml

KINDS = {"strategy", "action plan", "proposed priorities", "progress report"}
STATUSES = {"draft", "final"}
REQUIRED = (
    "slug",
    "file",
    "title",
    "publishers",
    "area",
    "kind",
    "period",
    "status",
    "loader",
    "title_line",
)
TEXT = ("slug", "file", "title", "area", "kind", "status", "loader")


class ManifestError(InputError):
    """The manifest is missing, malformed or names a file that is not there."""


def load_manifest(path: Path) -> list[Source]:
    """Return the manifest's sources in order.

    Raises ManifestError, or InputError for a source that is not text, with a one-line reason.
    """
    if not path.is_file():
        raise ManifestError(f"manifest not found: {path}")
    data = read_toml(path)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ManifestError(f"{path.name}: 'source' must be [[source]] tables")
    sources, slugs = [], set()
    for index, entry in enumerate(entries, start=1):
        sources.append(_source(path, entry, index))
        if sources[-1].slug in slugs:
            raise ManifestError(f"{path.name}: slug {sources[-1].slug!r} appears twice")
        slugs.add(sources[-1].slug)
    if not sources:
        raise ManifestError(f"{path.name}: no [[source]] entries")
    return sources


def _source(manifest: Path, entry: dict, index: int) -> Source:
    """One entry as a Source, its fields and its file checked."""
    if not isinstance(entry, dict):
        raise ManifestError(f"{manifest.name} source #{index}: not a [[source]] table")
    where = f"{manifest.name} source #{index} ({entry.get('slug', '?')})"
    _check_fields(entry, where)
    file = _inside(manifest.parent, entry["file"], where)
    _check_file(file, manifest, entry, where)
    issued = entry.get("issued")
    return Source(
        slug=entry["slug"],
        path=file,
        title=entry["title"],
        publishers=tuple(entry["publishers"]),
        area=entry["area"],
        kind=entry["kind"],
        period=str(entry["period"]),
        status=entry["status"],
        loader=entry["loader"],
        title_line=entry["title_line"],
        issued=str(issued) if issued is not None else None,
    )


def _check_fields(entry: dict, where: str) -> None:
    """Every field is there, of its type and, where the values are fixed, one of them."""
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ManifestError(f"{where}: missing {', '.join(missing)}")
    not_text = [key for key in TEXT if not isinstance(entry[key], str)]
    publishers = entry["publishers"]
    if not isinstance(publishers, list) or not all(isinstance(p, str) for p in publishers):
        not_text.append("publishers (a list)")
    if not_text:
        raise ManifestError(f"{where}: {', '.join(not_text)} must be text")
    if entry["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind {entry['kind']!r} is not one of {sorted(KINDS)}")
    if entry["status"] not in STATUSES:
        raise ManifestError(f"{where}: status {entry['status']!r} is not draft or final")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["slug"]):
        raise ManifestError(f"{where}: slug must be lower-case words joined by '-'")
    issued = entry.get("issued")
    if issued is not None and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(issued)):
        raise ManifestError(f"{where}: issued {issued!r} is not YYYY-MM or YYYY-MM-DD")
    title_line = entry["title_line"]
    if not isinstance(title_line, int) or isinstance(title_line, bool) or title_line < 1:
        raise ManifestError(f"{where}: title_line {title_line!r} is not a line number (1 or more)")
    expected = entry.get("sha256")
    if expected is not None and not re.fullmatch(r"[0-9a-f]{64}", str(expected)):
        raise ManifestError(f"{where}: sha256 {expected!r} is not 64 lower-case hex digits")


def _inside(folder: Path, name: str, where: str) -> Path:
    """``folder / name``, refused unless it is a file inside ``folder`` once ``..``, an
    absolute path or a symbolic link is followed: a manifest must not make the build read
    (and publish in the graph) files from elsewhere on the machine."""
    if "\0" in name:
        raise ManifestError(f"{where}: file {name!r} holds a NUL character")
    file = folder / name
    home = folder.resolve()
    if not file.resolve().is_relative_to(home):
        raise ManifestError(f"{where}: file {name!r} is outside the manifest's folder ({home})")
    if not file.is_file():
        raise ManifestError(f"{where}: file not found: {file}")
    return file


def _check_file(file: Path, manifest: Path, entry: dict, where: str) -> None:
    """The file is text, is the document its sha256 names, and its title_line is there."""
    data = read_bytes(file)
    lines = decode(data, file.name).splitlines()
    expected, actual = entry.get("sha256"), hashlib.sha256(data).hexdigest()
    if expected is not None and actual != expected:
        raise ManifestError(
            f"{where}: {file.name} has sha256 {actual[:12]}..., the manifest expects "
            f"{expected[:12]}... (cut short or replaced?); if the document was replaced "
            f'on purpose, set sha256 = "{actual}" in {manifest.name}'
        )
    line = entry["title_line"]
    if line > len(lines):
        raise ManifestError(
            f"{where}: title_line {line} is past the end of {file.name} ({len(lines)} lines)"
        )
    if not lines[line - 1].strip():
        raise ManifestError(f"{where}: title_line {line} is a blank line of {file.name}")
