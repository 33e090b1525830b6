"""Where a delivery worker spends its time: the dispatcher run in this process, instrumented.

    python bench/dispatch_inprocess.py [--db sqlite|postgres] [--count 5000] [--concurrency N]
                                       [--profile FILE]

bench/notificaties.py measures a worker process from the outside; this runs the same
dispatcher loop here, against the benchmark subscriber (a process of its own), and counts
what each delivery costs: CPU time of this process, SQL statements, transactions (commits),
connection checkouts, wall time inside the claim and the record transactions, and the HTTP
connections the subscriber saw opened. CPU time and counts hardly depend on other load on the
machine; wall time and deliveries per second do.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import free_port, wait_for  # noqa: E402

from notificaties import prepare_database, start, stop, subscribe_and_fill  # noqa: E402


async def measure(args: argparse.Namespace, database_url: str, subscriber: str) -> dict[str, Any]:
    from mijnzaken.core.db import Database
    from mijnzaken.core.settings import Settings
    from mijnzaken.notificaties.dispatcher import Dispatcher

    settings = Settings(
        database_url=database_url,
        outbound_allow_private=True,
        **({"delivery_concurrency": args.concurrency} if args.concurrency else {}),
    )
    database = Database(database_url)
    dispatcher = Dispatcher(settings, database)
    runner = dispatcher.runner
    statements: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    spent: Counter[str] = Counter()

    def on_statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        statements[sql.lstrip().split(None, 1)[0].upper()] += 1

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", lambda _conn: counts.update(["commits"]))
    event.listen(engine.pool, "checkout", lambda *_a: counts.update(["checkouts"]))
    event.listen(engine.pool, "connect", lambda *_a: counts.update(["db_connections"]))

    def timed(name: str, method: Any) -> Any:
        async def wrapper(*a: Any, **kw: Any) -> Any:
            began = time.perf_counter()
            try:
                return await method(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - began
                counts[name] += 1

        return wrapper

    # the database rounds of the loop (older runners: a claim and a record transaction)
    for name in ("_cycle", "_claim", "_record"):
        if hasattr(runner, name):
            setattr(runner, name, timed(name.strip("_"), getattr(runner, name)))

    stop_event = asyncio.Event()
    async with httpx.AsyncClient(base_url=subscriber, timeout=30) as client:

        async def received() -> int:
            return int((await client.get("/count")).json()["count"])

        task = asyncio.create_task(dispatcher.run(stop_event))
        while await received() == 0:  # the first delivery starts the clock
            await asyncio.sleep(0.01)
        began, began_cpu = time.perf_counter(), time.process_time()
        statements.clear()
        counts.clear()
        spent.clear()
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        first = await received()
        while (got := await received()) < args.count:
            await asyncio.sleep(0.05)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        stop_event.set()
        await task
        seen = (await client.get("/count")).json()
    await database.dispose()
    n = got - first
    per = {k: round(v / n, 3) for k, v in sorted(statements.items())}
    return {
        "database": args.db,
        "concurrency": runner.concurrency,
        "deliveries": n,
        "deliveries_per_second": round(n / wall, 1),
        "cpu_ms_per_delivery": round(cpu / n * 1000, 3),
        "statements_per_delivery": per,
        "commits_per_delivery": round(counts["commits"] / n, 4),
        "checkouts_per_delivery": round(counts["checkouts"] / n, 4),
        "database_rounds": {
            name: {
                "count": counts[name],
                "ms_mean": round(spent[name] / counts[name] * 1000, 2),
                "share_of_wall": round(spent[name] / wall, 3),
            }
            for name in ("cycle", "claim", "record")
            if counts[name]
        },
        "http_connections_opened": seen["connections"],
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=0, help="default: the setting")
    parser.add_argument("--pg-database", default="mijnzaken_bench_dispatch")
    parser.add_argument("--profile", help="write a cProfile file of the measured part here")
    args = parser.parse_args()
    env = {**os.environ, "MIJNZAKEN_DEMO": "false"}
    prepare_database(args, env)
    database_url = env["MIJNZAKEN_DATABASE_URL"]
    port = free_port()
    subscriber = f"http://127.0.0.1:{port}"
    sub = start([sys.executable, str(ROOT / "bench" / "subscriber.py"), str(port)], env)
    try:
        wait_for(f"{subscriber}/count")
        asyncio.run(subscribe_and_fill(database_url, f"{subscriber}/hook", args.count + 1))
        result = asyncio.run(measure(args, database_url, subscriber))
    finally:
        stop(sub)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
