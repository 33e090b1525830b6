"""What this process has read of remote Catalogi APIs, kept per process (ADR 0018).

One cache for every reader of a remote catalogue: the registers' link checks
(federatie/remote.py, federatie/zaken.py: a document's informatieobjecttype, a zaak's zaaktype,
its besluittypen and their catalogus) and the klantbeeld (klantbeeld/remote.py: a zaaktype's
statustypen). It holds GET answers (the JSON body) by URL, and only answers that were read
without an error and that the reader could use: a failure, a non-200 or a body without what
the reader needs is asked again next time. Zaken and documents are never put here; they
change.

A published type (`concept` false) cannot change (ztc-009, ztc-010; a new version gets a new
URL), so it stays until the size bound pushes it out. Anything else, a concept type that may
still change, a catalogus, a list, stays `MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL` seconds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from cachetools import TLRUCache

MAX_ENTRIES = 2000  # answers kept: the types of a few busy catalogues, a few MB at most

T = TypeVar("T")


class _Entry(NamedTuple):
    body: Any
    ttl: float  # seconds, when the body is not a published type


def _expires(_url: str, entry: _Entry, now: float) -> float:
    if isinstance(entry.body, dict) and entry.body.get("concept") is False:
        return math.inf
    return now + entry.ttl


class CatalogiCache:
    """Answers of remote catalogue resources by URL, bounded in number (least recently used
    goes first), a published type without time limit and anything else for its `ttl`."""

    def __init__(
        self, maxsize: int = MAX_ENTRIES, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self._entries: TLRUCache[str, _Entry] = TLRUCache(maxsize, _expires, timer)

    def get(self, url: str) -> Any | None:
        """The kept answer of `url`, or None."""
        entry = self._entries.get(url)
        return None if entry is None else entry.body

    def put(self, url: str, body: Any, ttl: float) -> None:
        """Keep the answer `body` of `url` (a `ttl` of 0 keeps only a published type)."""
        self._entries[url] = _Entry(body, ttl)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


CATALOGI = CatalogiCache()  # per process
