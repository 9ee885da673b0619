"""Read the source manifest (data/sources/sources.toml) into Source records."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from loaders.base import Source

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


class ManifestError(ValueError):
    """The manifest is missing, malformed or names a file that is not there."""


def load_manifest(path: Path) -> list[Source]:
    """Return the manifest's sources in order. Raises ManifestError with a one-line reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"manifest not found: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{path.name}: not valid TOML ({error})") from None
    sources, slugs = [], set()
    for index, entry in enumerate(data.get("source", []), start=1):
        sources.append(_source(path.parent, entry, index))
        if sources[-1].slug in slugs:
            raise ManifestError(f"{path.name}: slug {sources[-1].slug!r} appears twice")
        slugs.add(sources[-1].slug)
    if not sources:
        raise ManifestError(f"{path.name}: no [[source]] entries")
    return sources


def _source(folder: Path, entry: dict, index: int) -> Source:
    where = f"source #{index} ({entry.get('slug', '?')})"
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ManifestError(f"{where}: missing {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind {entry['kind']!r} is not one of {sorted(KINDS)}")
    if entry["status"] not in STATUSES:
        raise ManifestError(f"{where}: status {entry['status']!r} is not draft or final")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["slug"]):
        raise ManifestError(f"{where}: slug must be lower-case words joined by '-'")
    issued = entry.get("issued")
    if issued is not None and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(issued)):
        raise ManifestError(f"{where}: issued {issued!r} is not YYYY-MM or YYYY-MM-DD")
    file = folder / entry["file"]
    if not file.is_file():
        raise ManifestError(f"{where}: file not found: {file}")
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
        title_line=int(entry["title_line"]),
        issued=str(issued) if issued is not None else None,
    )
