"""Long tables shown a page at a time, with links to the pages either side.

A table that can grow with the graph (every organisation, every co-delivery pair of all
plans) is cut into pages of a fixed size; the page number is a query-string argument
(``?page=2``, or another name when a page has two such tables), kept in the JSON twin so
a script walks the same pages. A page number that is not a whole number from 1 to the
last page is a 400, said in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request, url_for

from webapp.pages import error


class BadPage(ValueError):
    """A page argument that names no page; the message says which argument and the range."""


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``total`` rows, ``size`` rows a page, asked for as ``arg``;
    its links are to the view in format ``fmt`` (the request's own if None)."""

    arg: str
    number: int
    size: int
    total: int
    fmt: str | None = None

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_row(self) -> int:
        """The position of the page's first row in the whole table, from 1."""
        return min(self.total, (self.number - 1) * self.size + 1)

    def rows(self, rows: list) -> list:
        """This page's share of ``rows`` (all ``total`` of them)."""
        return rows[(self.number - 1) * self.size : self.number * self.size]

    def link(self, number: int) -> str | None:
        """This request's URL at page ``number`` of this table, or None past either end."""
        if not 1 <= number <= self.last:
            return None
        args = {**(request.view_args or {}), **request.args.to_dict(), self.arg: number}
        if self.fmt:
            args["fmt"] = self.fmt
        return url_for(request.endpoint, **args)

    def json(self) -> dict:
        """What the JSON twin says of the page: where it is and the links either side."""
        return {
            "page": self.number,
            "pages": self.last,
            "size": self.size,
            "total": self.total,
            "first_row": self.first_row,
            "last_row": min(self.total, self.number * self.size),
            "previous": self.link(self.number - 1),
            "next": self.link(self.number + 1),
        }


def number(arg: str = "page") -> int:
    """The page asked for as ``arg`` (1 if absent), before the number of pages is known (a
    search asks its index for one page). Raises BadPage for anything but a whole number
    from 1."""
    given = request.args.get(arg, "1").strip()
    # ASCII digits only, and few: int() accepts other scripts' digits and refuses 4,300 digits.
    if not (given.isascii() and given.isdigit() and len(given) < 10) or int(given) < 1:
        raise BadPage(f"{arg} must be a whole number from 1")
    return int(given)


def page(arg: str, total: int, size: int, fmt: str | None = None) -> Page:
    """The page of a ``total``-row table this request asks for as ``arg`` (1 if absent),
    linking to format ``fmt`` (a twin chosen by the Accept header links to that twin).

    Raises BadPage for anything but a whole number from 1 to the last page.
    """
    last = Page(arg, 1, size, total, fmt).last
    try:
        asked = number(arg)
    except BadPage:
        asked = 0
    if not 1 <= asked <= last:
        raise BadPage(f"{arg} must be a whole number from 1 to {last}")
    return Page(arg, asked, size, total, fmt)


def paged(total: int, size: int, fmt: str) -> Page:
    """The ``page`` this request asks for of a listing, a bad one answered with a 400 saying
    why (a page for the HTML view, one line for a twin)."""
    try:
        return page("page", total, size)
    except BadPage as bad:
        abort(error(400, str(bad), html=fmt == "html"))
