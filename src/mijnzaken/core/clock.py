"""The one place that reads the time, so tests can move it."""

from __future__ import annotations

import datetime as dt
import time


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in the Netherlands (validity dates are calendar days there)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def started() -> float:
    """A point to measure a duration from with `ms_since` (monotonic, not wall-clock time)."""
    return time.perf_counter()


def ms_since(started: float) -> int:
    """Whole milliseconds since `started` (a value of `started()`)."""
    return round((time.perf_counter() - started) * 1000)
