"""SQLite's writers queue at a gate instead of polling SQLite's lock (ADR 0025): within a
process on an asyncio lock, between processes on the lock file's advisory lock. A writer
enters just before its transaction's first write and leaves as the transaction ends."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from mijnzaken.core import sqlite_gate
from mijnzaken.core.db import Database, lock_file
from mijnzaken.core.migrate import upgrade
from mijnzaken.verwerkingen import schrijver, service

BSN = "999993653"


def _free(path: str) -> bool:
    """Whether another process (here: another descriptor) could take the file's lock now."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


class OtherProcess:
    """The lock file held as another process holds it: on a descriptor of its own."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        os.close(self.fd)


def _held_elsewhere(tmp_path: Path) -> tuple[sqlite_gate.Gate, OtherProcess]:
    """This process's gate of a database file whose lock another process holds."""
    lock = str(lock_file(str(tmp_path / "db.sqlite3"), "schrijven"))
    return sqlite_gate.Gate(lock), OtherProcess(lock)


async def _taken_and_left_once_free(gate: sqlite_gate.Gate, other: OtherProcess) -> None:
    """Once the other process lets go, this process's next writer gets through, and its
    leaving frees the file again."""
    other.release()
    assert await asyncio.wait_for(gate.enter(), 5) is True
    gate.leave()
    assert _free(gate.path)
    gate.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/gate.sqlite3"
    upgrade(url)
    return url


@pytest.fixture
async def sqlite_database(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url)
    yield database
    await database.dispose()


async def test_a_writer_waits_for_the_other_process_and_goes_on_when_it_is_done(tmp_path):
    gate, other = _held_elsewhere(tmp_path)
    entering = asyncio.ensure_future(gate.enter())
    await asyncio.sleep(0.2)
    assert not entering.done()  # in line, not writing beside the other process
    other.release()
    assert await asyncio.wait_for(entering, 5) is True
    assert not _free(gate.path)
    gate.leave()
    assert _free(gate.path)
    gate.close()


async def test_writers_of_one_process_take_turns(tmp_path):
    gate = sqlite_gate.Gate(str(lock_file(str(tmp_path / "db.sqlite3"), "schrijven")))
    order: list[str] = []

    async def write(name: str) -> None:
        assert await gate.enter()
        order.append(f"{name} in")
        await asyncio.sleep(0.05)
        order.append(f"{name} out")
        gate.leave()

    await asyncio.gather(write("a"), write("b"), write("c"))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]
    assert gate.passed == 3
    gate.close()


async def test_a_writer_that_waited_too_long_goes_to_sqlite_without_the_gate(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_gate, "WAIT", 0.2)
    gate, other = _held_elsewhere(tmp_path)
    assert await gate.enter() is False
    assert gate.bypassed == 1
    # the thread that still waits lets go as soon as it gets the lock; only then is it this
    # process's turn again
    await _taken_and_left_once_free(gate, other)


async def test_a_writer_cancelled_in_line_leaves_nothing_locked(tmp_path):
    gate, other = _held_elsewhere(tmp_path)
    entering = asyncio.ensure_future(gate.enter())
    await asyncio.sleep(0.1)
    entering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await entering
    await _taken_and_left_once_free(gate, other)


async def test_a_transaction_holds_the_gate_from_its_first_write_to_its_commit(sqlite_database):
    gate = sqlite_gate.of(sqlite_database.engine)
    assert gate is not None
    async with sqlite_database.transaction() as session:
        await session.execute(text("SELECT 1"))
        assert _free(gate.path)  # a read takes no write lock
        await session.execute(
            text("UPDATE zaken_zaaknummer_teller SET laatste = laatste WHERE 1 = 0")
        )
        assert not _free(gate.path)
    assert _free(gate.path)
    assert gate.passed == 1


async def test_a_transaction_that_rolls_back_leaves_the_gate(sqlite_database):
    gate = sqlite_gate.of(sqlite_database.engine)
    assert gate is not None

    async def failing_request() -> None:
        async with sqlite_database.transaction() as session:
            await session.execute(text("DELETE FROM zaken_zaaknummer_teller WHERE 1 = 0"))
            raise RuntimeError("the request fails")

    with pytest.raises(RuntimeError):
        await failing_request()
    assert _free(gate.path)
    # and the next writer gets through
    async with sqlite_database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM zaken_zaaknummer_teller WHERE 1 = 0"))
    assert _free(gate.path)
    assert gate.passed == 2


async def test_a_write_waits_while_another_process_writes(sqlite_database):
    gate = sqlite_gate.of(sqlite_database.engine)
    assert gate is not None
    other = OtherProcess(gate.path)

    async def write() -> None:
        async with sqlite_database.transaction() as session:
            await session.execute(text("DELETE FROM zaken_zaaknummer_teller WHERE 1 = 0"))

    writing = asyncio.ensure_future(write())
    await asyncio.sleep(0.2)
    assert not writing.done()
    other.release()
    await asyncio.wait_for(writing, 5)
    assert _free(gate.path)


async def test_the_processing_logs_writer_stays_out_of_line(sqlite_database):
    """The log writer's thread does not queue at the gate (ADR 0025: with it in line, logged
    reads cost more under load); SQLite's own lock still orders it among the writers."""
    gate = sqlite_gate.of(sqlite_database.engine)
    assert gate is not None
    entry = service.entry(
        activiteit="dossier inzien",
        betrokkenen=[service.Betrokkene("BSN", BSN)],
        systeem="zaaksysteem",
    )
    assert entry is not None
    async with schrijver.running(sqlite_database) as writer:
        other = OtherProcess(gate.path)
        try:
            await asyncio.wait_for(writer.submit([entry]), 5)
        finally:
            other.release()
    async with sqlite_database.transaction() as session:
        count = await session.scalar(text("SELECT count(*) FROM verwerkingen_verwerktobject"))
    assert count == 1


async def test_a_database_without_a_file_has_no_gate(settings):
    database = Database(settings.database_url)
    try:
        if database.engine.dialect.name == "sqlite":
            assert sqlite_gate.of(database.engine) is not None
        else:
            assert sqlite_gate.of(database.engine) is None
    finally:
        await database.dispose()
    assert sqlite_gate.of(database.engine) is None
    memory = Database("sqlite+aiosqlite:///:memory:")
    assert sqlite_gate.of(memory.engine) is None
    await memory.dispose()
