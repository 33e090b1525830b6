"""The processing log's writer: group commit of the entries of read-only requests (ADR 0013).

A read that logs would otherwise turn its transaction into a writing one (on SQLite: take
the database's single write lock) for one small INSERT. Instead `service.log` hands the
entry of a request that has written nothing to this writer when the data has been read; the
writer inserts whatever entries are waiting in one transaction (multi-row INSERTs), and each
request awaits the commit of its batch before its own transaction answers
(`core.db.wait_before_commit`): no page or response is shown without its entry stored. A
batch that cannot be written fails its requests with `LogboekOnbeschikbaar` (503).

One writer per database engine and process, started by the app's lifespan (`running`), and
by the CLI or a test that wants it; without one, `log` writes in the caller's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from mijnzaken.core.db import Database, create_blocking_sqlite_engine
from mijnzaken.core.errors import ApiError
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

logger = logging.getLogger("mijnzaken.verwerkingen")

# one entry: the actie's column values and its verwerkte objecten
Entry = tuple[dict[str, Any], list[dict[str, Any]]]

MAX_BATCH = 500  # entries per transaction; what waits beyond goes in the next one

_ACTIE: Table = Verwerkingsactie.__table__  # type: ignore[assignment]
_OBJECT: Table = VerwerktObject.__table__  # type: ignore[assignment]


class LogboekOnbeschikbaar(ApiError):
    """The processing-log entry of a read could not be stored: the data is not shown."""

    status = 503
    code = "verwerkingenlog_onbeschikbaar"
    title = "Het verwerkingenlog is niet beschikbaar; probeer het later opnieuw."


def write(connection: Connection, entries: Sequence[Entry]) -> None:
    """Insert entries in the connection's transaction: the acties in one multi-row INSERT
    (ids returned in the order given), then all their objecten in one."""
    if not entries:
        return
    ids = (
        connection.execute(
            insert(_ACTIE).returning(_ACTIE.c.id, sort_by_parameter_order=True),
            [{**values, "actueel": True} for values, _objecten in entries],
        )
        .scalars()
        .all()
    )
    objecten = [
        {**o, "actie_versie_id": row_id}
        for row_id, (_values, objs) in zip(ids, entries, strict=True)
        for o in objs
    ]
    if objecten:
        connection.execute(insert(_OBJECT), objecten)


class Schrijver:
    """Takes entries from concurrent requests and writes them in batches, one transaction
    per batch; `submit` answers a future that is done when the entries are committed.

    While a batch is being written, new entries wait for the next one. Up to `lanes`
    batches are written at once, each on a connection of the writer's own (no wait for the
    pool, which requests awaiting their batch may hold to the last connection): one on
    SQLite, which has one writer anyway; a few on PostgreSQL, whose commits wait for the
    disk in parallel."""

    def __init__(
        self, engine: AsyncEngine, *, max_batch: int = MAX_BATCH, lanes: int | None = None
    ) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.lanes = lanes or (1 if engine.dialect.name == "sqlite" else 4)
        self.loop = asyncio.get_running_loop()
        self._queue: deque[tuple[list[Entry], asyncio.Future[None]]] = deque()
        self._wake = asyncio.Event()
        self._free_lanes = asyncio.Semaphore(self.lanes)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._connections: list[AsyncConnection] = []  # idle ones, kept between batches
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        # SQLite: a batch is written in one thread call on a blocking connection, instead
        # of an event-loop turn per statement, which a busy loop makes long
        self._blocking = create_blocking_sqlite_engine(
            engine.url.render_as_string(hide_password=False)
        )
        self._blocking_connection: Connection | None = None
        # counters, for the benchmark and the tests
        self.batches = 0
        self.entries = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="verwerkingen-schrijver")

    def accepts(self) -> bool:
        """Whether entries handed over now will be written (running, same event loop)."""
        if self._closing or self._task is None or self._task.done():
            return False
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    def submit(self, entries: list[Entry]) -> asyncio.Future[None]:
        """Queue entries; the future is done when their batch committed, or fails with
        `LogboekOnbeschikbaar`."""
        future: asyncio.Future[None] = self.loop.create_future()
        # a request that ended otherwise (rolled back, cancelled) no longer awaits it
        future.add_done_callback(_retrieved)
        self._queue.append((entries, future))
        self._wake.set()
        return future

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                await self._free_lanes.acquire()
                # taken when a lane is free: what arrived meanwhile joins this batch
                task = asyncio.create_task(self._in_lane(self._take()))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
            if self._closing:
                await asyncio.gather(*self._in_flight)
                if not self._queue:
                    return

    def _take(self) -> list[tuple[list[Entry], asyncio.Future[None]]]:
        batch: list[tuple[list[Entry], asyncio.Future[None]]] = []
        size = 0
        while self._queue and (not batch or size + len(self._queue[0][0]) <= self.max_batch):
            item = self._queue.popleft()
            batch.append(item)
            size += len(item[0])
        return batch

    async def _in_lane(self, batch: list[tuple[list[Entry], asyncio.Future[None]]]) -> None:
        try:
            await self._write(batch)
        finally:
            self._free_lanes.release()

    async def _write(self, batch: list[tuple[list[Entry], asyncio.Future[None]]]) -> None:
        entries = [e for es, _f in batch for e in es]
        if self._blocking is not None:
            await self._write_blocking(batch, entries)
            return
        connection: AsyncConnection | None = None
        try:
            connection = self._connections.pop() if self._connections else None
            connection = connection or await self.engine.connect()
            async with connection.begin():
                await connection.run_sync(write, entries)
        except (IntegrityError, DataError) as exc:
            assert connection is not None  # refused by the database: it was reached
            self._connections.append(connection)
            if len(batch) > 1:
                # one request's entry is refused: the others need not fail with it
                for item in batch:
                    await self._write([item])
                return
            self._fail(batch, exc)
            return
        except Exception as exc:  # the database is unreachable, full, locked too long, ...
            await _discard(connection)  # the next batch starts on a fresh one
            self._fail(batch, exc)
            return
        self._connections.append(connection)
        self._done(batch, entries)

    async def _write_blocking(
        self, batch: list[tuple[list[Entry], asyncio.Future[None]]], entries: list[Entry]
    ) -> None:
        try:
            await asyncio.to_thread(self._in_thread, entries)
        except (IntegrityError, DataError) as exc:
            if len(batch) > 1:
                for item in batch:
                    await self._write([item])
                return
            self._fail(batch, exc)
            return
        except Exception as exc:
            await asyncio.to_thread(self._drop_blocking)
            self._fail(batch, exc)
            return
        self._done(batch, entries)

    def _in_thread(self, entries: list[Entry]) -> None:
        assert self._blocking is not None
        if self._blocking_connection is None:
            self._blocking_connection = self._blocking.connect()
        with self._blocking_connection.begin():
            write(self._blocking_connection, entries)

    def _drop_blocking(self) -> None:
        connection, self._blocking_connection = self._blocking_connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()
            with contextlib.suppress(Exception):
                connection.close()

    def _done(
        self, batch: list[tuple[list[Entry], asyncio.Future[None]]], entries: list[Entry]
    ) -> None:
        self.batches += 1
        self.entries += len(entries)
        for _entries, future in batch:
            if not future.done():
                future.set_result(None)

    @staticmethod
    def _fail(batch: list[tuple[list[Entry], asyncio.Future[None]]], exc: Exception) -> None:
        logger.error(
            "processing-log batch of %d request(s) not written: %s", len(batch), type(exc).__name__
        )
        for _entries, future in batch:
            if not future.done():
                future.set_exception(LogboekOnbeschikbaar())

    async def close(self) -> None:
        """Write what was handed over, then stop; later entries go in their own transaction."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task
        while self._connections:
            await self._connections.pop().close()
        if self._blocking is not None:
            await asyncio.to_thread(self._drop_blocking)
            self._blocking.dispose()


async def _discard(connection: AsyncConnection | None) -> None:
    if connection is None:
        return
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


_writers: dict[AsyncEngine, Schrijver] = {}


def voor(session: AsyncSession) -> Schrijver | None:
    """The running writer of the session's database in this event loop, if any."""
    bind = session.bind
    writer = _writers.get(bind) if isinstance(bind, AsyncEngine) else None
    return writer if writer is not None and writer.accepts() else None


def blocking_engine(database: Database) -> Engine | None:
    """The engine the running writer of `database` writes its batches through when that is
    not the database's own (SQLite), e.g. to count its statements."""
    writer = _writers.get(database.engine)
    return writer._blocking if writer is not None else None


@contextlib.asynccontextmanager
async def running(database: Database, *, max_batch: int = MAX_BATCH) -> AsyncIterator[Schrijver]:
    """Run the writer of `database` while the block runs; on the way out every entry handed
    over is written (or its request failed) before this returns. Nested use shares the
    writer that already runs."""
    existing = _writers.get(database.engine)
    if existing is not None and existing.accepts():
        yield existing
        return
    writer = Schrijver(database.engine, max_batch=max_batch)
    writer.start()
    _writers[database.engine] = writer
    try:
        yield writer
    finally:
        if _writers.get(database.engine) is writer:
            del _writers[database.engine]
        await writer.close()
