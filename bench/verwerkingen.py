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
import datetime as dt
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.db import Database
from mijnzaken.core.migrate import upgrade
from mijnzaken.verwerkingen import keten, service

BSNS = ("999993653", "999990019", "999991905", "999992223", "999995996")


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _audit() -> Any:
    return insert(AuditTrail).values(
        uuid=uuid.uuid4(),
        bron="ZRC",
        applicatie_id="bench",
        actie="update",
        resultaat=200,
        hoofd_object="x",
        resource="zaak",
        resource_url="x",
        aanmaakdatum=dt.datetime.now(dt.UTC),
    )


async def _request(database: Database, subjects: int, *, logged: bool, writes: bool) -> float:
    start = time.perf_counter()
    async with database.transaction() as session:
        await session.execute(text("SELECT count(*) FROM verwerkingen_keten"))
        if writes:  # a request that changes something (here: its audit-trail record)
            await session.execute(_audit())
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


def _report(label: str, values: list[float]) -> None:
    print(
        f"  {label:<34} p50 {_pct(values, 50):7.3f} ms   p95 {_pct(values, 95):7.3f} ms"
        f"   mean {statistics.fmean(values):7.3f} ms"
    )


async def _scenario(database: Database, requests: int, subjects: int, writes: bool) -> None:
    for _ in range(50):  # warm up connections, statement caches
        await _request(database, subjects, logged=True, writes=writes)
        await _request(database, subjects, logged=False, writes=writes)
    with_log: list[float] = []
    without: list[float] = []
    for _ in range(requests):
        without.append(await _request(database, subjects, logged=False, writes=writes))
        with_log.append(await _request(database, subjects, logged=True, writes=writes))
    kind = "writing request" if writes else "read-only request"
    print(f" {kind}:")
    _report("without logging", without)
    _report("with logging", with_log)
    _report("difference (paired)", [w - o for w, o in zip(with_log, without, strict=True)])
    print(
        f"  {'p95(with) - p95(without)':<34} {_pct(with_log, 95) - _pct(without, 95):7.3f} ms;"
        f" p50: {_pct(with_log, 50) - _pct(without, 50):.3f} ms"
    )


async def run(url: str, requests: int, subjects: int) -> None:
    print(f"database: {url.split('://', 1)[0]}, {requests} requests, {subjects} data subject(s)")
    _report("log() call alone", await _call_only(subjects, requests))
    database = Database(url)
    try:
        await _scenario(database, requests, subjects, writes=False)
        await _scenario(database, requests, subjects, writes=True)
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
    rate = sealed / seal_s if seal_s else 0.0
    print(f" sealer (after commit): {sealed} entries in {seal_s:.2f} s ({rate:,.0f}/s)")
    print(f" verify: {rapport.gecontroleerd} links, in order: {rapport.in_orde}")


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
