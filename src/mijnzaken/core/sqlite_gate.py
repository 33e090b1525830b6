"""SQLite's writers queue instead of polling (ADR 0025).

SQLite lets one connection write at a time. A connection that finds the write lock taken
waits in SQLite's busy handler, which sleeps between tries (1, 2, 5, 10 … up to 100 ms each)
and does not queue: under load a writer can lose try after try to writers that came later,
and wait seconds (the benchmark's writes had p95 over a second, with the CPUs a third idle).

The gate puts the writers in line before they ask SQLite. Within a process they queue on an
asyncio lock; the processes on one database file (the serving workers, a `mijnzaken worker`)
queue on an advisory lock (`flock`) of a file next to the database (`var/mijnzaken.sqlite3`:
`var/mijnzaken.schrijven.lock`, `core.db.lock_file`), which the kernel hands to a waiter as
soon as it is free.
A writer enters the gate just before its transaction's first write (where SQLite takes its
write lock) and leaves it when the transaction has ended.

The gate only decides who asks first: SQLite's own lock still guarantees that one writer
writes. A writer that does not pass the gate (another program, one that waited longer than
the busy timeout for it, or the processing log's writer thread, which stays out of line:
see the ADR) simply finds SQLite's lock taken and waits for it, as before (in SQLite's busy
handler, or with asyncio on the event loop's connections: `core.sqlite_direct`).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.util import await_only

# How long a writer waits in line before it goes to SQLite without the gate (the busy timeout:
# a transaction that holds the gate this long is stuck, and SQLite's lock will say so).
WAIT = 10.0

# a statement that takes SQLite's write lock; compiled INSERT/UPDATE/DELETE and DDL are
# known by their execution context, text by this
_WRITE = re.compile(
    r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b"
    r"|\s*WITH\b.*\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|REPLACE\s+INTO)\b",
    re.IGNORECASE | re.DOTALL,
)

_HELD = "core.sqlite_gate.held"  # in a pooled connection's info: the gate it holds


class Gate:
    """The queue of the writers of one SQLite file in this process (see the module)."""

    def __init__(self, path: str) -> None:
        self.path = path  # the lock file (core.db.lock_file)
        self._fd: int | None = None
        self._lock: asyncio.Lock | None = None
        self.passed = 0  # writers that went through, for tests and metrics
        self.bypassed = 0  # writers that waited WAIT and went to SQLite without it

    def _file(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    async def enter(self) -> bool:
        """Wait for this process's turn, then for the file's; False when that took longer
        than WAIT (the caller then writes without the gate)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        lock = self._lock
        try:
            await asyncio.wait_for(lock.acquire(), WAIT)
        except TimeoutError:
            self.bypassed += 1
            return False
        fd = self._file()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        except BaseException:
            lock.release()
            raise
        else:
            self.passed += 1
            return True
        # another process writes: wait in a thread for the kernel to hand the lock over
        taking = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            await asyncio.wait_for(asyncio.shield(taking), WAIT)
        except BaseException as exc:
            # cancelled, or waited too long: whenever the thread gets the lock it lets go at
            # once, and only then does this process's next writer take its turn
            taking.add_done_callback(lambda done: self._abandoned(done, lock))
            if isinstance(exc, TimeoutError):
                self.bypassed += 1
                return False
            raise
        self.passed += 1
        return True

    def _abandoned(self, taking: asyncio.Future[None], lock: asyncio.Lock) -> None:
        if not taking.cancelled() and taking.exception() is None:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        lock.release()

    def leave(self) -> None:
        fcntl.flock(self._file(), fcntl.LOCK_UN)
        assert self._lock is not None
        self._lock.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


_GATES: dict[AsyncEngine, Gate] = {}


def of(engine: AsyncEngine) -> Gate | None:
    """The gate the writers of `engine` pass, if it has one."""
    return _GATES.get(engine)


def install(engine: AsyncEngine, lock: str) -> Gate:
    """Make the writers of `engine`, an async engine on a SQLite file, pass a gate on the
    lock file `lock` (the processes on that file share it); `uninstall` closes it."""
    gate = Gate(lock)
    _GATES[engine] = gate
    sync_engine: Engine = engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _enter(
        connection: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        info = connection.info
        if _HELD in info:
            return
        if not (
            (context is not None and (context.isinsert or context.isupdate or context.isdelete))
            or _WRITE.match(statement)
        ):
            return
        # runs inside SQLAlchemy's bridge from async to sync code, which may await
        if await_only(gate.enter()):
            info[_HELD] = gate

    @event.listens_for(sync_engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        _leave(record.info)

    @event.listens_for(sync_engine, "invalidate")
    def _invalidated(_dbapi_connection: Any, record: Any, _exc: Any) -> None:
        _leave(record.info)

    return gate


def uninstall(engine: AsyncEngine) -> None:
    gate = _GATES.pop(engine, None)
    if gate is not None:
        gate.close()


def _leave(info: dict[str, Any]) -> None:
    gate = info.pop(_HELD, None)
    if gate is not None:
        gate.leave()


# A session's transaction ends before its connection goes back to the pool (a request that
# commits and then awaits its processing-log entries keeps its session a while): the gate is
# left as the transaction ends, which SQLite's write lock does too.
_CONNECTIONS = "core.sqlite_gate.connections"


@event.listens_for(OrmSession, "after_begin")
def _begun(session: OrmSession, _transaction: Any, connection: Any) -> None:
    session.info.setdefault(_CONNECTIONS, []).append(connection.info)


@event.listens_for(OrmSession, "after_commit")
def _committed(session: OrmSession) -> None:
    for info in session.info.pop(_CONNECTIONS, ()):
        _leave(info)


@event.listens_for(OrmSession, "after_rollback")
def _rolled_back(session: OrmSession) -> None:
    for info in session.info.pop(_CONNECTIONS, ()):
        _leave(info)
