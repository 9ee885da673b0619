"""The shrink guard: a build that lost much of the one being served is not published unless
the person building says so (`hwbkg build --accept-shrink`).

A source that arrives cut short, a manifest entry dropped by mistake or a loader that stops
recognising a layout all still build "successfully": only the counts show it. So the new
build's summary is compared with the current build's, and it is refused when

- a source's graph disappears (its entry left the manifest): removing a document from the
  workbench is a decision, never a side effect;
- a source's graph loses more than SOURCE_SHARE of its quads: a corrected or revised
  document, or a loader fix, adds or drops some rows, but a quarter of a plan gone at once
  is what a file cut short or replaced by the wrong document looks like;
- the whole dataset loses more than TOTAL_SHARE of its quads: several sources each shrinking
  just under the source threshold at once is a broken loader or a bad batch of files, not
  routine editing.

Growth is never refused: a bigger graph loses nothing that was being served.
"""

from __future__ import annotations

SOURCE_SHARE = 0.25
TOTAL_SHARE = 0.10


def shrinkage(before: dict, after: dict) -> list[str]:
    """What shrank past the thresholds from summary ``before`` to ``after`` (summary.json of
    graph/builds.py), one phrase per source graph and the total last; empty if nothing did."""
    found = []
    for slug, source in before["sources"].items():
        old = before["graphs"].get(source["graph"], 0)
        if slug not in after["sources"]:
            found.append(f"source {slug}: {old:,} quads -> gone")
            continue
        new = after["graphs"].get(after["sources"][slug]["graph"], 0)
        if _lost(old, new) > SOURCE_SHARE:
            found.append(f"source {slug}: {_change(old, new)}")
    if _lost(before["quads"], after["quads"]) > TOTAL_SHARE:
        found.append(f"total: {_change(before['quads'], after['quads'])}")
    return found


def _lost(old: int, new: int) -> float:
    """The share of ``old`` that is gone (0 when nothing is, or ``old`` was empty)."""
    return max(old - new, 0) / old if old else 0.0


def _change(old: int, new: int) -> str:
    return f"{old:,} -> {new:,} quads (-{_lost(old, new):.0%})"
