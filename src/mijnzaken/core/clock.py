"""The one place that reads the time, so tests can move it."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in the Netherlands (validity dates are calendar days there)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
