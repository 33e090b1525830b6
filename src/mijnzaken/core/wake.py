"""The receiving end of work signals from other processes (`core/outbox.py` sends them).

A commit that queued work wakes the runners of its own process directly. A process that runs
none signals the others: on PostgreSQL with NOTIFY, which `listening` receives on one held
connection; on SQLite by touching the database's `.work` file, whose modification time
`listening` looks at a few times a second (a stat, no query). A NOTIFY names the kinds of
work it signals and wakes the runners of those; the file wakes every runner of this process.
Runners still look for work every `MIJNZAKEN_DISPATCH_POLL_INTERVAL` seconds: a signal sent
while no connection listened, the lease of a crashed worker, a retry another process
scheduled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from mijnzaken.core import outbox
from mijnzaken.core.db import Database

logger = logging.getLogger("mijnzaken.jobs")

FILE_CHECK_INTERVAL = 0.2  # seconds between two looks at a SQLite database's `.work` file
RECONNECT_AFTER = 5.0  # seconds before a lost LISTEN connection is made again


@contextlib.asynccontextmanager
async def listening(database: Database) -> AsyncIterator[None]:
    """Wake this process's runners when another process signals work, for the length of
    the block."""
    stop = asyncio.Event()
    signal_file = outbox.work_signal_file(database.engine.url)
    if signal_file is not None:
        task = asyncio.create_task(_watch_file(signal_file, stop), name="work-signal-file")
    elif database.engine.url.get_backend_name() == "postgresql":
        task = asyncio.create_task(_listen(database, stop), name="work-signal-listen")
    else:
        yield
        return
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await task


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


async def _watch_file(path: Path, stop: asyncio.Event) -> None:
    seen = _stamp(path)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), FILE_CHECK_INTERVAL)
        stamp = _stamp(path)
        if stamp != seen:
            seen = stamp
            outbox.wake_all()


def _signalled(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
    kinds = [k for k in payload.split(",") if k]
    if kinds:
        outbox.wake(kinds)
    else:  # a signal that does not say which work (an older process)
        outbox.wake_all()


async def _listen(database: Database, stop: asyncio.Event) -> None:
    """Hold a connection that LISTENs on the work channel; make it again when it is lost."""
    while not stop.is_set():
        lost = asyncio.Event()
        try:
            async with database.engine.connect() as connection:
                raw = await connection.get_raw_connection()
                driver: Any = raw.driver_connection
                driver.add_termination_listener(lambda _conn, lost=lost: lost.set())

                await driver.add_listener(outbox.WORK_CHANNEL, _signalled)
                outbox.wake_all()  # what was signalled while nobody listened
                ended = asyncio.ensure_future(stop.wait())
                broken = asyncio.ensure_future(lost.wait())
                try:
                    await asyncio.wait({ended, broken}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    ended.cancel()
                    broken.cancel()
                # a connection that listened does not go back to the pool
                await connection.invalidate()
            if stop.is_set():
                return
            logger.warning("work signals: the listening connection was lost; making it again")
        except Exception as exc:
            logger.warning("work signals: cannot listen (%s); trying again", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), RECONNECT_AFTER)
