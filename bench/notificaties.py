"""`make bench-notificaties`: deliveries per second per worker, commit-to-receipt latency, and
zero lost across a subscriber outage.

    python bench/notificaties.py [--db sqlite|postgres] [--count N] [--rate R] [--outage S]
    python bench/notificaties.py --quick

1. Throughput: N notificaties for one abonnement are put in the queue, then ONE
   `mijnzaken worker` process delivers them to a subscriber on loopback
   (bench/subscriber.py, a separate process). Rate = N / (last receipt - first receipt).
2. Latency: `mijnzaken serve` (dispatcher in-process, the default) takes zaken created at a
   moderate rate through the Zaken API; each creation's notificatie is timed from the
   request's answer (the commit precedes it) to its receipt at the subscriber, and from the
   moment the request was sent (an upper bound).
3. Outage: the subscriber is stopped for --outage seconds while zaken keep being created,
   then started again; the run waits until every notificatie has arrived and reports how
   many were lost (must be 0), the duplicates, and how long the backlog took after recovery.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
CLIENT_ID = "mijnzaken-bench"
SECRET = "mijnzaken-bench-geheim-van-voldoende-lengte"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
AUTH = "Bearer bench-abonnee"
sys.path.insert(0, str(ROOT / "bench"))

import pg  # noqa: E402
from run import free_port, wait_for  # noqa: E402


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def receipts(subscriber: str) -> list[tuple[str, float]]:
    return [tuple(r) for r in httpx.get(f"{subscriber}/stats", timeout=30).json()["receipts"]]  # type: ignore[misc]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite":
        path = workdir / "notificaties.sqlite3"
        for p in workdir.glob("notificaties.sqlite3*"):
            p.unlink()
        env["MIJNZAKEN_DATABASE_URL"] = f"sqlite+aiosqlite:///{path}"
    else:
        pg.psql("test", "-qc", f"DROP DATABASE IF EXISTS {args.pg_database}")
        pg.psql("test", "-qc", f"CREATE DATABASE {args.pg_database}")
        env["MIJNZAKEN_DATABASE_URL"] = pg.url(args.pg_database, "postgresql+asyncpg")
    mz = str(BIN / "mijnzaken")
    subprocess.run([mz, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            mz,
            "applicatie",
            "create",
            "--client-id",
            CLIENT_ID,
            "--secret",
            SECRET,
            "--alle-autorisaties",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run([mz, "demo", "load"], env=env, check=True, capture_output=True)


async def subscribe_and_fill(database_url: str, callback: str, count: int) -> None:
    """One abonnement on `zaken` for the subscriber, and `count` notificaties queued for it."""
    from mijnzaken.core.db import Database
    from mijnzaken.core.settings import Settings
    from mijnzaken.notificaties import service
    from mijnzaken.notificaties.delivery import delivery_queue
    from mijnzaken.notificaties.models import Abonnement, AbonnementKanaal, Kanaal

    settings = Settings(database_url=database_url)
    database = Database(database_url)
    queue = delivery_queue(settings)
    try:
        async with database.transaction() as session:
            await service.ensure_own_kanalen(session)
            zaken = (await service.list_kanalen(session, "zaken"))[0]
            assert isinstance(zaken, Kanaal)
            session.add(
                Abonnement(
                    uuid=uuid.uuid4(),
                    callback_url=callback,
                    auth=AUTH,
                    client_id=CLIENT_ID,
                    kanalen=[AbonnementKanaal(kanaal_id=zaken.id, filters={})],
                )
            )
        now = dt.datetime.now(dt.UTC)
        for start_at in range(0, count, 1000):
            batch = []
            for n in range(start_at, min(count, start_at + 1000)):
                url = f"http://bench.invalid/zaken/api/v1/zaken/{uuid.UUID(int=n)}"
                message = {
                    "kanaal": "zaken",
                    "hoofdObject": url,
                    "resource": "zaak",
                    "resourceUrl": url,
                    "actie": "create",
                    "aanmaakdatum": now.isoformat().replace("+00:00", "Z"),
                    "kenmerken": {
                        "bronorganisatie": "002220647",
                        "zaaktype": "http://bench.invalid/catalogi/api/v1/zaaktypen/x",
                        "vertrouwelijkheidaanduiding": "openbaar",
                    },
                }
                batch.append((message, "bench", now))
            async with database.transaction() as session:
                await service.route(session, queue, batch)
    finally:
        await database.dispose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(
    args: argparse.Namespace, env: dict[str, str], subscriber: str, subscriber_pid: int
) -> dict[str, Any]:
    asyncio.run(subscribe_and_fill(env["MIJNZAKEN_DATABASE_URL"], f"{subscriber}/hook", args.count))
    worker = start([str(BIN / "mijnzaken"), "worker"], env)
    cpu_start = cpu_end = None
    sub_start = sub_end = 0.0
    count_start = 0
    try:
        deadline = time.monotonic() + max(120, args.count / 50)
        while time.monotonic() < deadline:
            count = httpx.get(f"{subscriber}/count", timeout=30).json()["count"]
            if count and cpu_start is None:
                cpu_start, count_start = cpu_seconds(worker.pid), count
                sub_start = cpu_seconds(subscriber_pid)
            if count >= args.count:
                cpu_end = cpu_seconds(worker.pid)
                sub_end = cpu_seconds(subscriber_pid)
                break
            time.sleep(0.2)
    finally:
        stop(worker)
    got = receipts(subscriber)
    times = sorted(t for _k, t in got)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    cpu_per_delivery = None
    if cpu_start is not None and cpu_end is not None and len(got) > count_start:
        cpu_per_delivery = (cpu_end - cpu_start) / (len(got) - count_start)
    return {
        "notificaties": args.count,
        "received": len(got),
        "unique": len({k for k, _t in got}),
        "seconds": round(span, 3),
        "deliveries_per_second": round((len(got) - 1) / span, 1) if span else None,
        # what the worker process itself spends: the rate it reaches on a core of its own
        "worker_cpu_ms_per_delivery": round(cpu_per_delivery * 1000, 3)
        if cpu_per_delivery
        else None,
        "deliveries_per_worker_cpu_second": round(1 / cpu_per_delivery, 1)
        if cpu_per_delivery
        else None,
        # the subscriber shares the machine: when it needs as much CPU as the worker, the rate
        # on a busy machine says as much about it as about the worker
        "subscriber_cpu_ms_per_delivery": round(
            (sub_end - sub_start) / (len(got) - count_start) * 1000, 3
        )
        if cpu_per_delivery
        else None,
    }


def create_zaken(
    api: httpx.Client, zaaktype: str, rate: float, seconds: float
) -> list[tuple[str, float, float]]:
    """Create zaken at `rate` per second for `seconds`: (url, sent, answered) each."""
    body = {
        "zaaktype": zaaktype,
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2025-06-01",
        "omschrijving": "Benchmark notificaties",
    }
    out = []
    interval = 1 / rate
    began = time.monotonic()
    n = 0
    while time.monotonic() - began < seconds:
        target = began + n * interval
        pause = target - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        sent = time.time()
        resp = api.post("/zaken/api/v1/zaken", json=body, headers=CRS)
        answered = time.time()
        resp.raise_for_status()
        out.append((resp.json()["url"], sent, answered))
        n += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=20_000, help="notificaties for throughput")
    parser.add_argument("--rate", type=float, default=20.0, help="zaken per second (latency)")
    parser.add_argument("--seconds", type=float, default=20.0, help="latency phase length")
    parser.add_argument("--outage", type=float, default=180.0, help="subscriber down (s)")
    parser.add_argument("--retry-cap", type=float, default=30.0, help="backoff cap in the run")
    parser.add_argument("--pg-database", default="mijnzaken_bench_notificaties")
    parser.add_argument("--quick", action="store_true", help="small and short: checks harness")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.count, args.seconds, args.outage, args.rate = 500, 3.0, 4.0, 10.0

    env = {
        **os.environ,
        "MIJNZAKEN_DEMO": "false",
        "MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE": "true",
        "MIJNZAKEN_DELIVERY_RETRY_CAP": str(args.retry_cap),
    }
    prepare_database(args, env)
    sub_port, api_port = free_port(), free_port()
    subscriber = f"http://127.0.0.1:{sub_port}"
    sub_cmd = [sys.executable, str(ROOT / "bench" / "subscriber.py"), str(sub_port)]
    procs: list[subprocess.Popen[bytes]] = []
    report: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(),
        "database": args.db,
        "load_average": os.getloadavg(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {
            "count": args.count,
            "rate": args.rate,
            "seconds": args.seconds,
            "outage_s": args.outage,
            "retry_cap_s": args.retry_cap,
        },
    }
    try:
        sub = start(sub_cmd, env)
        wait_for(f"{subscriber}/stats")
        print("throughput: one worker process ...", flush=True)
        report["throughput"] = throughput(args, env, subscriber, sub.pid)
        print(json.dumps(report["throughput"]), flush=True)
        stop(sub)
        sub = start(sub_cmd, env)  # fresh receipts
        wait_for(f"{subscriber}/stats")

        base = f"http://127.0.0.1:{api_port}"
        serve = start(
            [str(BIN / "mijnzaken"), "serve", "--port", str(api_port)],
            {**env, "MIJNZAKEN_BASE_URL": base},
        )
        procs.append(serve)
        wait_for(f"{base}/")
        token = jwt.encode({"client_id": CLIENT_ID, "iat": int(time.time())}, SECRET, "HS256")
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as api:
            zaaktype = api.get("/catalogi/api/v1/zaaktypen").json()["results"][0]["url"]
            print(f"latency: {args.rate}/s for {args.seconds} s ...", flush=True)
            created = create_zaken(api, zaaktype, args.rate, args.seconds)
            time.sleep(3)
            arrived = {k: t for k, t in receipts(subscriber)}
            after_answer = [(arrived[u] - a) * 1000 for u, _s, a in created if u in arrived]
            after_send = [(arrived[u] - s) * 1000 for u, s, _a in created if u in arrived]
            report["latency"] = {
                "zaken": len(created),
                "received": len(after_answer),
                "p50_ms_from_answer": round(statistics.median(after_answer), 1),
                "p95_ms_from_answer": round(percentile(after_answer, 95), 1),
                "p50_ms_from_send": round(statistics.median(after_send), 1),
                "p95_ms_from_send": round(percentile(after_send, 95), 1),
            }
            print(json.dumps(report["latency"]), flush=True)

            print(f"outage: subscriber down for {args.outage} s ...", flush=True)
            before = receipts(subscriber)
            stop(sub)
            during = create_zaken(api, zaaktype, args.rate, args.outage)
            back = time.time()
            sub = start(sub_cmd, env)
            wait_for(f"{subscriber}/stats")
            wanted = {u for u, _s, _a in created + during}
            deadline = time.monotonic() + args.retry_cap * 4 + 120
            got: list[tuple[str, float]] = []
            while time.monotonic() < deadline:
                got = receipts(subscriber)
                if wanted <= {k for k, _t in before + got}:
                    break
                time.sleep(1)
            seen = [k for k, _t in before + got]
            lost = wanted - set(seen)
            report["outage"] = {
                "zaken_during_outage": len(during),
                "zaken_total": len(wanted),
                "lost": len(lost),
                "duplicates": len(seen) - len(set(seen)),
                "seconds_to_drain_after_recovery": round(
                    max((t for _k, t in got), default=back) - back, 1
                ),
            }
            print(json.dumps(report["outage"]), flush=True)
        procs.append(sub)
    finally:
        for p in procs:
            stop(p)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    label = f"notificaties-{args.db}" + ("-quick" if args.quick else "")
    (args.out / f"{stamp}-{label}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    if report["outage"]["lost"]:
        raise SystemExit(f"{report['outage']['lost']} notificaties lost")


if __name__ == "__main__":
    main()
