"""SQLite is called in the event loop's thread (ADR 26): no hand-off to a thread per call,
and a wait for another writer's lock that lets the loop serve others meanwhile."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from mijnzaken.core import sqlite_direct
from mijnzaken.core.db import create_blocking_sqlite_engine, create_engine


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "direct.sqlite3"
    with sqlite3.connect(file) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (n INTEGER)")
    return file


async def test_statements_run_in_the_event_loops_thread(path):
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    threads: list[int] = []

    def thread_id() -> int:
        threads.append(threading.get_ident())
        return 1

    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            raw.driver_connection._conn.create_function("thread_id", 0, thread_id)  # type: ignore[union-attr]
            assert await conn.scalar(text("SELECT thread_id()")) == 1
        assert threads == [threading.get_ident()]
    finally:
        await engine.dispose()


async def test_the_connections_have_no_busy_timeout_but_the_log_writers_has(path):
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("PRAGMA busy_timeout")) == 0
    finally:
        await engine.dispose()
    blocking = create_blocking_sqlite_engine(f"sqlite+aiosqlite:///{path}")
    assert blocking is not None
    with blocking.connect() as conn:
        assert conn.scalar(text("PRAGMA busy_timeout")) == 10000
    blocking.dispose()


async def test_a_write_waits_for_another_writer_while_the_loop_serves_others(path):
    """Another program holds the write lock: the write waits with asyncio (the loop keeps
    turning) and goes through once the lock is free, on top of what the other one wrote."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock
    other.execute("INSERT INTO t (n) VALUES (0)")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT count(*) FROM t"))  # reads first, as requests do
            await conn.execute(text("INSERT INTO t (n) VALUES (1)"))

    ticker = asyncio.create_task(tick())
    try:
        writing = asyncio.create_task(write())
        await asyncio.sleep(0.3)
        assert not writing.done()
        assert ticks >= 10  # the loop was not held up by the waiting writer
        other.execute("COMMIT")
        await asyncio.wait_for(writing, 5)
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM t")) == 2
    finally:
        ticker.cancel()
        other.close()
        await engine.dispose()


async def test_a_write_gives_up_when_the_lock_stays_taken(path, monkeypatch):
    monkeypatch.setattr(sqlite_direct, "BUSY_WAIT", 0.1)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (n) VALUES (1)"))
    finally:
        other.execute("ROLLBACK")
        other.close()
        await engine.dispose()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (0,)


async def test_an_in_memory_database_keeps_aiosqlite():
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert not sqlite_direct.direct(raw.dbapi_connection)
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
