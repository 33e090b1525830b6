"""SQLite called in the event loop's own thread, for SQLAlchemy's aiosqlite dialect (ADR 26).

aiosqlite runs every call (cursor, execute, fetch, close, commit) in a thread of its own and
hands the result back to the event loop: about 16 µs of CPU per hand-off on a busy two-core
machine and 70 µs on an idle one (`bench/sqlite_driver.py`), about 99 hand-offs per created
zaak with its notificatie, and a trip through the event loop's queue each time, which a
writer makes while it holds SQLite's write lock (ADR 25).

`Connection` gives SQLAlchemy's aiosqlite adapter the calls it makes on an aiosqlite
connection (`create_engine` passes `connect` as the engine's `async_creator`), as
coroutines that call `sqlite3` directly and return without suspending: no thread, no trip
through the loop. What it cannot do in the loop's thread is wait for SQLite's write lock:
SQLite's busy handler would sleep there and stop every other request of the process. The
connections therefore have no busy timeout (`busy_timeout` 0, set by `core.db`'s pragmas),
and a statement or commit that finds the database locked (`SQLITE_BUSY`) is tried again
after an asyncio sleep, which lets the loop serve others, for up to `BUSY_WAIT` seconds, as
SQLite's handler would have (1, 2, 5, 10 … 50 ms apart). Writers of this process queue at
the gate before that (ADR 25), so a retry is needed only when a writer outside it holds the
lock: the processing log's writer thread, another program.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

# as long as SQLite's busy handler waited (`PRAGMA busy_timeout`, core.db)
BUSY_WAIT = 10.0
_PAUSES = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05)
_SQLITE_BUSY = 5  # the primary result code; SQLITE_BUSY_SNAPSHOT (517) is not retried

T = TypeVar("T")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == _SQLITE_BUSY


async def _patiently(call: Callable[[], T]) -> T:
    """`call()`, tried again after a pause while the database is locked by another writer."""
    waited = 0.0
    attempt = 0
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or waited >= BUSY_WAIT:
                raise
        pause = _PAUSES[min(attempt, len(_PAUSES) - 1)]
        attempt += 1
        waited += pause
        await asyncio.sleep(pause)


class Cursor:
    """A sqlite3 cursor with aiosqlite's awaitable methods."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        await _patiently(lambda: self._cursor.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> Cursor:
        rows = list(parameters)  # an iterator could not be tried a second time
        await _patiently(lambda: self._cursor.executemany(sql, rows))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _Opening:
    """What `Connection.cursor()` returns: aiosqlite's is entered with `async with`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def __aenter__(self) -> Cursor:
        return Cursor(self._connection.cursor())

    async def __aexit__(self, *_exc: object) -> None:
        return None


class _AtOnce:
    """Stands in for aiosqlite's queue of calls, which SQLAlchemy's adapter uses directly to
    set the isolation level: the call is made at once, in this thread."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # handed to the awaiting adapter, as aiosqlite would
            future.set_exception(exc)


class Connection:
    """A sqlite3 connection with the awaitable calls SQLAlchemy's aiosqlite adapter makes."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._conn = connection  # aiosqlite's name, read by the adapter
        self._tx = _AtOnce()

    def cursor(self) -> _Opening:
        return _Opening(self._open())

    async def commit(self) -> None:
        connection = self._open()
        await _patiently(connection.commit)

    async def rollback(self) -> None:
        self._open().rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        """Close at once (the adapter's forced close)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._open().create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")  # what aiosqlite raises when closed
        return self._connection


def connector(database: str) -> Callable[[], Awaitable[Connection]]:
    """The `async_creator` of an engine on the SQLite file `database`."""

    async def connect() -> Connection:
        # used in the event loop's thread only; SQLAlchemy may close it from another one
        # when a pool is disposed at exit
        return Connection(sqlite3.connect(database, check_same_thread=False))

    return connect


def direct(dbapi_connection: Any) -> bool:
    """Whether a pooled connection (SQLAlchemy's adapter around it) is one of these."""
    return isinstance(getattr(dbapi_connection, "_connection", None), Connection)
