"""What the database's connections wait for while a scenario runs (PostgreSQL).

A scenario whose CPUs are partly idle is waiting for something: a row lock held until
another request commits, a buffer, the disk, or the application between two statements.
`Waits` samples `pg_stat_activity` of one database every `interval` seconds from a thread
of its own, on a connection of its own, and counts per sample what each of the database's
busy client connections was doing: `CPU` (active, not waiting), a wait event such as
`Lock:transactionid` or `IO:DataFileRead`, or `Client:ClientRead` for a connection idle in
a transaction (the application's turn, with the transaction's locks held).

The figures are samples, not a trace: a wait shorter than the interval is seen in
proportion to how often it happens. The sampler's own connection is not counted among the
busy ones; its work is in the database's CPU figure of the scenario.

It also counts the connections opened to the database meanwhile (`pg_stat_database.sessions`,
counted when a session starts): a pool too small for the requests a worker serves at once
opens and closes one per request, each a new server process that prepares every statement
again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from typing import Any

import asyncpg

SESSIONS = "SELECT sessions FROM pg_stat_database WHERE datname = $1"

SAMPLE = """
SELECT CASE
         WHEN state = 'active' AND wait_event IS NULL THEN 'CPU'
         ELSE coalesce(wait_event_type || ':' || wait_event, state)
       END AS doing,
       count(*) AS connections
FROM pg_stat_activity
WHERE datname = $1
  AND backend_type = 'client backend'
  AND state IN ('active', 'idle in transaction')
  AND pid <> pg_backend_pid()
GROUP BY 1
"""


class Waits:
    """Samples of what the busy connections of `database` do, taken while in the `with`."""

    def __init__(self, dsn: str, database: str, interval: float = 0.05) -> None:
        self.dsn, self.database, self.interval = dsn, database, interval
        self.samples = 0
        self.opened = 0  # connections opened while sampling, the sampler's own not counted
        self.seen: Counter[str] = Counter()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bench-waits", daemon=True)

    def __enter__(self) -> Waits:
        self._thread.start()
        self._ready.wait(30)
        if self._failure is not None:
            raise RuntimeError("could not sample pg_stat_activity") from self._failure
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._sample())
        except BaseException as exc:  # reported by __enter__, or lost with the thread
            self._failure = exc
            self._ready.set()

    async def _sample(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        try:
            statement = await conn.prepare(SAMPLE)
            sessions_before = await conn.fetchval(SESSIONS, self.database)
            self._ready.set()
            next_at = time.monotonic()
            while not self._stop.is_set():
                rows = await statement.fetch(self.database)
                self.seen.update({row["doing"]: row["connections"] for row in rows})
                self.samples += 1
                next_at += self.interval
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            self.opened = await conn.fetchval(SESSIONS, self.database) - sessions_before
        finally:
            await conn.close()

    def summary(self, top: int = 5) -> dict[str, Any]:
        """The number of samples, the mean number of busy connections per sample, and per
        activity its share of the busy connections' samples (the `top` largest); and the
        connections opened meanwhile."""
        busy = sum(self.seen.values())
        return {
            "samples": self.samples,
            "busy_connections": round(busy / self.samples, 2) if self.samples else 0.0,
            "connections_opened": self.opened,
            "shares": {
                doing: round(count / busy, 3) for doing, count in self.seen.most_common(top)
            },
        }


def describe(summary: dict[str, Any]) -> str:
    """One line of a summary: `2.4 busy; CPU 61 %, Lock:transactionid 30 %, …; 3 opened`."""
    shares = ", ".join(f"{doing} {share:.0%}" for doing, share in summary["shares"].items())
    return (
        f"{summary['busy_connections']} busy; {shares or 'none'};"
        f" {summary['connections_opened']} opened"
    )
