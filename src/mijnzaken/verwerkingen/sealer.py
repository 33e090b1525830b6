"""The sealer: links committed entries into the hash chain, after their transaction (ADR 0010).

`log` only inserts, so the request that logs pays no lock and no read. The sealer runs in the
serving process (every `verwerkingen_seal_interval` seconds), in `mijnzaken verwerkingen
seal`, and before `verify` and `purge`; any number may run, one seals at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy.exc import DBAPIError, IntegrityError

from mijnzaken.core.db import Database
from mijnzaken.verwerkingen import keten

logger = logging.getLogger("mijnzaken.verwerkingen")


async def seal_all(database: Database, *, wait: bool = True) -> int:
    """Seal until nothing is left; how many rows were linked. Without `wait`, stop when
    another sealer is at work."""
    total = 0
    while True:
        async with database.transaction() as session:
            n = await keten.seal(session, wait=wait)
        total += n
        if n == 0:
            return total


async def _loop(database: Database, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            # a background round does not queue behind another process's sealer, holding a
            # pool connection: that sealer, or the next round, links what is waiting
            await seal_all(database, wait=False)
        except (IntegrityError, DBAPIError) as exc:
            # another sealer won the race (SQLite: the write lock; the unique volgnummer):
            # nothing was linked twice, the next round continues
            logger.info("sealer round skipped: %s", type(exc).__name__)
        except Exception:
            # the sealer keeps running: the next round starts from what is committed then
            logger.exception("sealer round failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


@contextlib.asynccontextmanager
async def running(database: Database, interval: float) -> AsyncIterator[None]:
    """Run the sealer in the background while the block runs. On the way out the round in
    progress finishes (a round cut off in its commit could land after the next one began)."""
    stop = asyncio.Event()
    task = asyncio.create_task(_loop(database, interval, stop))
    try:
        yield
    finally:
        stop.set()
        await task
