"""What one SQLite statement costs through the async driver, against the same statement
called directly.

    python bench/sqlite_driver.py [--statements 20000]

SQLAlchemy's async SQLite dialect reaches SQLite through aiosqlite, which runs every call
(execute, fetch, close) in a thread of its own and hands the result back to the event loop;
the server calls sqlite3 in the loop's thread instead (ADR 26). This measures the CPU
time of this process (all its threads) per `SELECT 1` made the way SQLAlchemy's aiosqlite
adapter makes it (execute, fetchall, close: three calls) and the same statement on a plain
`sqlite3` connection, on a temporary database file. The difference is what the hand-offs
cost on this machine, per statement.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

import aiosqlite


async def through_aiosqlite(path: Path, n: int) -> tuple[float, float]:
    """CPU and wall microseconds per statement through aiosqlite."""
    async with aiosqlite.connect(path) as db:
        await db.execute("SELECT 1")  # the thread and the connection are up
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            cursor = await db.execute("SELECT 1")
            await cursor.fetchall()
            await cursor.close()
        return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6


def direct(path: Path, n: int) -> tuple[float, float]:
    """CPU and wall microseconds per statement on a sqlite3 connection in this thread."""
    db = sqlite3.connect(path)
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            cursor = db.execute("SELECT 1")
            cursor.fetchall()
            cursor.close()
        return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "driver.sqlite3"
        sqlite3.connect(path).close()
        rows = [
            (
                "aiosqlite (execute, fetchall, close)",
                asyncio.run(through_aiosqlite(path, args.statements)),
            ),
            ("sqlite3, directly", direct(path, args.statements)),
        ]
    print(f"{'per SELECT 1':<40} {'CPU µs':>8} {'wall µs':>8}")
    for name, (cpu, wall) in rows:
        print(f"{name:<40} {cpu:>8.1f} {wall:>8.1f}")


if __name__ == "__main__":
    main()
