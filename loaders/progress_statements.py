"""A sentence, bullet or paragraph of a report kept as a statement, with its figures and
the organisations it names."""

from __future__ import annotations

import re

from rdflib import URIRef

from loaders.base import SourceGraph, clean_text
from loaders.figures import FigureWriter
from loaders.text_partners import named_organisations
from vocab.ids import mint
from vocab.namespace import HWB

_BULLET = re.compile(r"^\s*-\s+")
_EMPHASIS = re.compile(r"\*+([^*]+?)\*+")
_ANGLED_URL = re.compile(r"<(https?://[^>\s]+)>")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]*)\)")
# Left in the text by mistake: a link whose address the conversion lost, an author's note.
_RESIDUE = {
    re.compile(r"\]\(#\)"): "link address lost in conversion",
    re.compile(r"\(I [^)]+\)"): "author's note left in the text; the figures may not be the latest",
}


def clean_statement(text: str) -> str:
    """Text as printed without bullet, *emphasis* markers or link markup.

    A <url> stays as text (clean_text would drop it as a tag); a [text](url) link keeps
    its text, and its address when the conversion kept one ("#" is no address).
    """
    text = _BULLET.sub("", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _ANGLED_URL.sub(r"\1", text)
    text = _LINK.sub(
        lambda m: m.group(1) if m.group(2) in ("", "#") else f"{m.group(1)} {m.group(2)}", text
    )
    return clean_text(text)


def add_statement(
    doc: SourceGraph,
    line: int,
    text: str,
    rdf_type: URIRef = HWB.ProgressStatement,
    notation: str | None = None,
    continued: tuple[int, ...] = (),
) -> URIRef:
    """Add the statement printed on ``line``: its label, figures and named organisations.

    Statements are one a line, so a writer per statement numbers its figures l<line>-1...
    """
    slug = doc.source.slug
    statement = mint("statement", slug, f"l{line}")
    label = clean_statement(text)
    doc.node(statement, rdf_type, line, label, notation, continued)
    FigureWriter(doc).add(statement, label, line)
    for pattern, reason in _RESIDUE.items():
        for match in pattern.finditer(text):
            doc.report.issue(line, reason, match.group(0))
    names = named_organisations(label, doc.registry, doc.source.area)
    if names:  # one cell, so the mentions of one line are numbered 1, 2, ... once
        doc.partners(statement, "; ".join(names), line, "partner")
    return statement
