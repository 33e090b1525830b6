"""Micro-benchmark: what logging one processing costs the request that logs it.

A "request" here is one transaction that reads a row (the work a real read does) and, when
logged, calls `verwerkingen.service.log`. Two write paths are measured on the same migrated
database, interleaved so that disk and cache effects hit them alike:

- `in transaction`: no writer runs, the entry goes out with the request's own commit (what
  every logged read did before ADR 0013; what a writing request still does);
- `writer`: the process's writer (verwerkingen/schrijver.py) stores the entries of read-only
  requests in group-committed batches and the request awaits its batch at its end.

Reported per path, p50/p95 over the requests:
- `wait at the end`: from the end of the request's own work to its transaction's answer
  (commit, plus for a logged read the wait for its batch): what the request waits for;
- `log cost`: that wait of a logged request minus the one of the unlogged request run just
  before it (paired), plus the `log()` call itself;
- CPU per request (process time, writer included: it runs in this process).
Then the same with `--concurrency` requests at once, all logged: request latency, requests
per second, entries per batch. The sealer (after commit, not part of the request) is timed
separately.

    .venv/bin/python bench/verwerkingen.py                 # SQLite in a temporary folder
    .venv/bin/python bench/verwerkingen.py --requests 2000 --concurrency 32
    .venv/bin/python bench/verwerkingen.py --database-url postgresql+asyncpg://…/db

Short by design (seconds): it measures one function and its write path, not the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.db import Database
from mijnzaken.core.migrate import upgrade
from mijnzaken.verwerkingen import keten, schrijver, service

BSNS = ("999993653", "999990019", "999991905", "999992223", "999995996")
PATHS = ("in transaction", "writer")


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


def _log(session: Any, subjects: int) -> float:
    start = time.perf_counter()
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


async def _request(
    database: Database, subjects: int, *, logged: bool, writes: bool
) -> tuple[float, float, float]:
    """(the whole request, the wait at its end, the log() call) in ms."""
    start = time.perf_counter()
    call = 0.0
    async with database.transaction() as session:
        await session.execute(text("SELECT count(*) FROM verwerkingen_keten"))
        if writes:  # a request that changes something (here: its audit-trail record)
            await session.execute(_audit())
        if logged:
            call = _log(session, subjects)
        end_of_work = time.perf_counter()
    done = time.perf_counter()
    return (done - start) * 1000, (done - end_of_work) * 1000, call


@contextlib.asynccontextmanager
async def _path(database: Database, name: str) -> AsyncIterator[schrijver.Schrijver | None]:
    if name == "writer":
        async with schrijver.running(database) as writer:
            yield writer
    else:
        yield None


def _report(label: str, values: list[float]) -> None:
    print(
        f"    {label:<32} p50 {_pct(values, 50):7.3f} ms   p95 {_pct(values, 95):7.3f} ms"
        f"   mean {statistics.fmean(values):7.3f} ms"
    )


async def _sequential(
    database: Database, requests: int, subjects: int, *, writes: bool, path: str
) -> None:
    async with _path(database, path):
        for _ in range(50):  # warm up connections, statement caches
            await _request(database, subjects, logged=True, writes=writes)
            await _request(database, subjects, logged=False, writes=writes)
        with_log: list[tuple[float, float, float]] = []
        without: list[tuple[float, float, float]] = []
        cpu = {"with": 0.0, "without": 0.0}
        for _ in range(requests):
            c = time.process_time()
            without.append(await _request(database, subjects, logged=False, writes=writes))
            c2 = time.process_time()
            with_log.append(await _request(database, subjects, logged=True, writes=writes))
            cpu["without"] += c2 - c
            cpu["with"] += time.process_time() - c2
    kind = "writing request" if writes else "read-only request"
    print(f"  {kind}, path {path!r}, one at a time:")
    _report("request without logging", [w[0] for w in without])
    _report("request with logging", [w[0] for w in with_log])
    _report("wait at the end, without log", [w[1] for w in without])
    _report("wait at the end, with log", [w[1] for w in with_log])
    cost = [w[1] + w[2] - o[1] for w, o in zip(with_log, without, strict=True)]
    _report("log cost (call + extra wait)", cost)
    print(
        f"    CPU per request: {cpu['without'] / requests * 1000:.3f} ms without log, "
        f"{cpu['with'] / requests * 1000:.3f} ms with log"
    )


async def _concurrent(
    database: Database, requests: int, subjects: int, concurrency: int, path: str
) -> None:
    latencies: list[float] = []
    waits: list[float] = []
    remaining = requests

    async def client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            total, wait, _call = await _request(database, subjects, logged=True, writes=False)
            latencies.append(total)
            waits.append(wait)

    async with _path(database, path) as writer:
        batches = writer.batches if writer else 0
        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        batches = (writer.batches - batches) if writer else requests
    print(
        f"  {concurrency} logged reads at once, path {path!r}: {requests / seconds:,.0f} req/s,"
        f" {requests / max(batches, 1):.1f} entries per write transaction,"
        f" CPU {cpu / requests * 1000:.3f} ms/request"
    )
    _report("request", latencies)
    _report("wait at the end (commit + log)", waits)


async def _call_only(subjects: int, n: int) -> list[float]:
    """The time of the `log()` call alone (no database round trip: it only adds rows)."""
    database = Database("sqlite+aiosqlite://")
    out = []
    try:
        async with database.sessionmaker() as session:
            for _ in range(n):
                out.append(_log(session, subjects))
                session.info.clear()
    finally:
        await database.dispose()
    return out


async def run(url: str, requests: int, subjects: int, concurrency: int) -> None:
    print(
        f"database: {url.split('://', 1)[0]}, {requests} requests, {subjects} data subject(s),"
        f" concurrency {concurrency}"
    )
    _report("log() call alone", await _call_only(subjects, requests))
    database = Database(url)
    try:
        for path in PATHS:
            await _sequential(database, requests, subjects, writes=False, path=path)
        # a writing request keeps its entry in its own transaction on either path
        await _sequential(database, requests, subjects, writes=True, path="writer")
        for path in PATHS:
            await _concurrent(database, requests, subjects, concurrency, path)
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
    print(f"  sealer (after commit): {sealed} entries in {seal_s:.2f} s ({rate:,.0f}/s)")
    print(f"  verify: {rapport.gecontroleerd} links, in order: {rapport.in_orde}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--subjects", type=int, default=1, choices=range(1, len(BSNS) + 1))
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if args.database_url:
        upgrade(args.database_url)
        asyncio.run(run(args.database_url, args.requests, args.subjects, args.concurrency))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        asyncio.run(run(url, args.requests, args.subjects, args.concurrency))


if __name__ == "__main__":
    main()
