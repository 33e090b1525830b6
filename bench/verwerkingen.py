"""Micro-benchmark: what logging one processing costs the request that logs it.

A "request" here is one transaction that reads a zaak row (the work a real read does) and,
when measured with logging, calls `verwerkingen.service.log` for it. The cost of logging is
the time `log()` takes plus the extra time the transaction's flush and commit take for the
entry's INSERTs (the actie and its data subjects, one executemany). Both variants run
interleaved on the same migrated database, so disk and cache effects hit them alike; the
report gives p50/p95 of each and of the difference per request. The sealer (after commit,
not part of the request) is timed separately.

    .venv/bin/python bench/verwerkingen.py                 # SQLite in a temporary folder
    .venv/bin/python bench/verwerkingen.py --requests 2000 --subjects 3
    .venv/bin/python bench/verwerkingen.py --database-url postgresql+asyncpg://…/db

Short by design (a few seconds): it measures one function, not the server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from mijnzaken.core.db import Database
from mijnzaken.core.migrate import upgrade
from mijnzaken.verwerkingen import keten, service

BSNS = ("999993653", "999990019", "999991905", "999992223", "999995996")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _request(database: Database, subjects: int, *, logged: bool) -> float:
    start = time.perf_counter()
    async with database.transaction() as session:
        await session.execute(text("SELECT count(*) FROM verwerkingen_keten"))
        if logged:
            service.log(
                session,
                activiteit="zaak inzien",
                betrokkenen=[service.Betrokkene("BSN", b) for b in BSNS[:subjects]],
                systeem="bench",
                gebruiker="medewerker-1",
                actor_weergave="Benchmark",
                grondslag="AVG art. 6 lid 1 sub e",
            )
    return (time.perf_counter() - start) * 1000


async def _call_only(subjects: int, n: int) -> list[float]:
    """The time of the `log()` call alone (no database round trip: it only adds rows)."""
    database = Database("sqlite+aiosqlite://")
    out = []
    try:
        async with database.sessionmaker() as session:
            for _ in range(n):
                start = time.perf_counter()
                service.log(
                    session,
                    activiteit="zaak inzien",
                    betrokkenen=[service.Betrokkene("BSN", b) for b in BSNS[:subjects]],
                    systeem="bench",
                )
                out.append((time.perf_counter() - start) * 1000)
                session.expunge_all()
    finally:
        await database.dispose()
    return out


async def run(url: str, requests: int, subjects: int) -> None:
    database = Database(url)
    try:
        for _ in range(50):  # warm up connections, statement caches
            await _request(database, subjects, logged=True)
            await _request(database, subjects, logged=False)
        with_log: list[float] = []
        without: list[float] = []
        for _ in range(requests):
            without.append(await _request(database, subjects, logged=False))
            with_log.append(await _request(database, subjects, logged=True))
        start = time.perf_counter()
        sealed = 0
        while True:
            async with database.transaction() as session:
                n = await keten.seal(session)
            if not n:
                break
            sealed += n
        seal_s = time.perf_counter() - start
        async with database.transaction() as session:
            rapport = await keten.verify(session)
    finally:
        await database.dispose()
    call = await _call_only(subjects, requests)
    extra = [w - o for w, o in zip(with_log, without, strict=True)]
    print(f"database: {url.split('://', 1)[0]}, {requests} requests, {subjects} data subject(s)")
    for label, values in (
        ("log() call alone", call),
        ("request without logging", without),
        ("request with logging", with_log),
        ("difference per request", extra),
    ):
        print(
            f"  {label:<26} p50 {_pct(values, 50):7.3f} ms   p95 {_pct(values, 95):7.3f} ms"
            f"   mean {statistics.fmean(values):7.3f} ms"
        )
    print(
        f"  p95(with) - p95(without): {_pct(with_log, 95) - _pct(without, 95):.3f} ms;"
        f" p50(with) - p50(without): {_pct(with_log, 50) - _pct(without, 50):.3f} ms"
    )
    rate = sealed / seal_s if seal_s else 0.0
    print(f"  sealer (after commit): {sealed} entries in {seal_s:.2f} s ({rate:,.0f}/s)")
    print(f"  verify: {rapport.gecontroleerd} links, in order: {rapport.in_orde}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--subjects", type=int, default=1, choices=range(1, len(BSNS) + 1))
    args = parser.parse_args()
    if args.database_url:
        upgrade(args.database_url)
        asyncio.run(run(args.database_url, args.requests, args.subjects))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        asyncio.run(run(url, args.requests, args.subjects))


if __name__ == "__main__":
    main()
