"""Read the files a build reads (sources, curated data, ontology, shapes), or refuse them.

A build must never publish a graph read from a file that is empty, binary, in another
encoding or not the Turtle it claims to be, and the person who replaced the file needs to
know where to look: every refusal is an :class:`InputError` whose message is one line
naming the file and, where there is one, the line.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph


class InputError(ValueError):
    """A build input is unreadable or malformed; the message is one line naming the file."""


def read_text(path: Path) -> str:
    """The text of a UTF-8 file. Raises InputError if it cannot be read or is not text."""
    return decode(read_bytes(path), path.name)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file. Raises InputError, not OSError, if it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path.name}: file not found ({path})") from None
    except OSError as error:
        raise InputError(f"{path.name}: cannot be read ({error.strerror})") from None


def decode(data: bytes, name: str) -> str:
    """``data`` as text. Raises InputError, naming ``name`` and the line, for a file with no
    text, a NUL byte (UTF-8 text never holds one: the file is binary, or UTF-16) or bytes
    that are not UTF-8 (a Latin-1 or Windows-1252 export)."""
    if not data.strip():
        raise InputError(f"{name}: empty (no text)")
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(f"{name} line {_line(data, nul)}: NUL byte (a binary file, not text)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise InputError(
            f"{name} line {_line(data, error.start)}: not UTF-8 "
            f"(byte 0x{data[error.start]:02x} at column {column}); save the file as UTF-8"
        ) from None


def _line(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def read_toml(path: Path) -> dict:
    """A TOML file's tables. Raises InputError naming the file and the line of a syntax error
    (tomllib puts "(at line 3, column 15)" at the end of its message)."""
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", str(error))
        if found is None:
            raise InputError(f"{path.name}: not valid TOML ({error})") from None
        reason, line, column = found.groups()
        message = f"{path.name} line {line}: not valid TOML ({reason}, column {column})"
        raise InputError(message) from None


def parse_turtle(path: Path) -> Graph:
    """Parse a Turtle file. Raises InputError naming the file and the line of a syntax error.

    Oxigraph's parser checks the text first: it is strict where rdflib is lenient (an IRI
    with a space, a bad language tag, which would then break loading the store) and says
    where the error is, where rdflib's parser can fail with a bare AssertionError or
    IndexError. The file's URI stays the base IRI, as when rdflib parses the path itself.
    """
    text = read_text(path)
    base = path.absolute().as_uri()
    try:
        for _ in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=base):
            pass
    except SyntaxError as error:
        reason = error.msg.partition(": ")[2] or error.msg
        raise InputError(f"{path.name} line {error.lineno}: not valid Turtle ({reason})") from None
    return Graph().parse(data=text, format="turtle", publicID=base)
