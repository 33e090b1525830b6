"""What this process has read of remote Catalogi APIs, kept per process (ADR 0018).

One cache for every reader of a remote catalogue: the registers' link checks
(federatie/remote.py, federatie/zaken.py: a document's informatieobjecttype, a zaak's zaaktype,
its besluittypen and their catalogus) and the klantbeeld (klantbeeld/remote.py: a zaaktype's
statustypen). It holds GET answers (the JSON body) by URL, and only answers that were read
without an error and that the reader could use: a failure, a non-200 or a body without what
the reader needs is asked again next time. Zaken and documents are never put here; they
change.

A published type (`concept` false) changes little, but it does change: it gets an
`eindeGeldigheid`, or a correctie (ztc-009). So a type is used for at most
`MIJNZAKEN_REMOTE_CATALOGI_TYPE_MAX_AGE` seconds; anything else, a catalogus, a list, for
`MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL` seconds (and a concept type for the shorter of the two).
An answer that came with an ETag is kept after that, only to be asked for again with
If-None-Match: a remote that answers 304 Not Modified costs no body and no parsing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NamedTuple

from cachetools import LRUCache

MAX_ENTRIES = 2000  # answers kept: the types of a few busy catalogues, a few MB at most


class _Entry(NamedTuple):
    body: Any
    etag: str | None  # the remote's ETag of `body`, for If-None-Match
    fresh_until: float  # on the cache's timer


def lifetime(body: Any, ttl: float, max_age: float) -> float:
    """Seconds an answer is used without asking again: a published type `max_age`, a concept
    type the shorter of `ttl` and `max_age`, anything else `ttl`."""
    if isinstance(body, dict) and "concept" in body:
        return max_age if body["concept"] is False else min(ttl, max_age)
    return ttl


class CatalogiCache:
    """Answers of remote catalogue resources by URL, bounded in number (least recently used
    goes first), each used for its lifetime and, with an ETag, kept to be revalidated."""

    def __init__(
        self, maxsize: int = MAX_ENTRIES, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: LRUCache[str, _Entry] = LRUCache(maxsize)
        self.timer = timer

    def get(self, url: str) -> Any | None:
        """The kept answer of `url` while it is fresh, or None."""
        entry = self._entries.get(url)
        if entry is None:
            return None
        if entry.fresh_until > self.timer():
            return entry.body
        if entry.etag is None:  # nothing to revalidate with
            self._entries.pop(url, None)
        return None

    def stale(self, url: str) -> tuple[Any, str] | None:
        """The expired answer of `url` and its ETag, to ask whether it still holds (None when
        there is none, or it came without an ETag)."""
        entry = self._entries.get(url)
        if entry is None or entry.etag is None:
            return None
        return entry.body, entry.etag

    def put(
        self,
        url: str,
        body: Any,
        ttl: float,
        *,
        max_age: float = float("inf"),
        etag: str | None = None,
    ) -> None:
        """Keep the answer `body` of `url` for its `lifetime` (a `ttl` of 0 keeps only a
        published type), with the remote's `etag` of it if it gave one."""
        seconds = lifetime(body, ttl, max_age)
        if seconds <= 0 and etag is None:
            self._entries.pop(url, None)
            return
        self._entries[url] = _Entry(body, etag, self.timer() + seconds)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


CATALOGI = CatalogiCache()  # per process
