"""Answers to the library's queries, kept for the build that gave them.

A library query over a published build always gives the same answer (a build never
changes, graph/builds.py, and no library query calls NOW() or RAND()), and analysts run
the same few: at 100x the biggest take seconds on the on-disk store (docs/benchmarks.md).
So each build's snapshot (webapp/graphstore.py) keeps the replies to library texts, the
most recently used first, within RESULT_CACHE_MB; the next build starts empty. Any other
text is run every time: only the library's texts are known to be deterministic.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from graph import queries, sandbox


class Replies:
    """Replies by request, the least recently used dropped past ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._kept: OrderedDict[tuple, sandbox.Reply] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, request: sandbox.Request) -> sandbox.Reply | None:
        """The reply kept for ``request``, or None."""
        key = _key(request)
        with self._lock:
            reply = self._kept.get(key)
            if reply is not None:
                self._kept.move_to_end(key)
            return reply

    def put(self, request: sandbox.Request, reply: sandbox.Reply) -> None:
        """Keep ``reply`` unless it alone is over the budget; drop the oldest to fit it."""
        if len(reply.body) > self.budget:
            return
        key = _key(request)
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = reply
            self._size += len(reply.body)
            while self._size > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._kept)


def library_texts(queries_dir) -> frozenset[str]:
    """The text of every query in the library: the requests whose replies are kept."""
    return frozenset(query.text for query in queries.library(queries_dir).values())


def _key(request: sandbox.Request) -> tuple:
    bound = tuple(sorted((name, str(term)) for name, term in request.bindings.items()))
    return request.text, tuple(sorted(request.formats.items())), bound, request.notice
