"""Per-request cost of the benchmark scenarios, in-process and one request at a time.

    python bench/inprocess.py [--db sqlite|postgres] [--requests 200] [--profile DIR]

wrk (bench/run.py) measures throughput under load and is sensitive to whatever else the
machine is doing; this measures what one request costs the server: the app is called over
ASGI in this process (no network, no HTTP parsing), on the database `make bench` prepared.
Per scenario it reports p50/p95 in milliseconds, the median CPU time this process spent per
request (less sensitive to other load on the machine than wall time; the database server's
own work is not in it), the SQL statements per request and the response size. With
--profile it also writes a cProfile file per scenario (read it with `python -m pstats`).
The garbage collector is settled as `mijnzaken serve` settles it (core/heap.py) unless
--gc-default is given.

With --notified the process also runs the background work `mijnzaken serve` runs beside its
requests (routing the outbox, delivering notificaties, the other job runners), and an
abonnement on kanaal zaken sends every notificatie to the benchmark subscriber (a process of
its own, bench/subscriber.py). Each scenario then waits until the notificaties of its writes
have arrived; its CPU time is the process's total over the scenario, delivery included,
divided by the requests, and its statements are split into those of the requests and those
of the background work.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

# httpx's ASGI transport tries `import sniffio` on every request (to detect trio). Without
# sniffio installed each try searches sys.path again: about 0.1 ms of this process's CPU per
# request, which the figures would count as the server's. A None entry makes the import fail
# at once (Python's documented behaviour for sys.modules); asyncio is what runs here anyway.
try:
    import sniffio  # noqa: F401
except ImportError:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

import pg  # noqa: E402
from run import CLIENT_ID, CRS, SECRET, free_port, wait_for  # noqa: E402

BASE = "http://bench.local"
EXPAND = "status,status.statustype,zaaktype,resultaat,rollen"
BSN_FILTER = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"

Send = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


def database_url(args: argparse.Namespace) -> str:
    if args.db == "sqlite":
        return f"sqlite+aiosqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"
    return pg.url(args.pg_database, "postgresql+asyncpg")


async def portal_cookies(database: Any, settings: Any, bsns: list[str]) -> list[str]:
    """A logged-in portal session per citizen, as their OpenID Connect login leaves it (the
    login itself is bench/run.py's part): the cookie each of them sends."""
    from mijnzaken.core import clock
    from mijnzaken.klantbeeld.identiteit import Aanmelding, Kijker, Onderwerp
    from mijnzaken.portal import sessies

    name = "__Host-mijngemeente" if settings.portal_secure_cookies else "mijngemeente"
    cookies = []
    async with database.transaction() as session:
        for bsn in bsns:
            aanmelding = Aanmelding(
                onderwerp=Onderwerp("bsn", bsn),
                kijker=Kijker("inwoner", f"bsn:{bsn}", "Inwoner", "substantieel"),
                moment=clock.now(),
            )
            gegevens = {"aanmelding": sessies.aanmelding_naar(aanmelding)}
            current = await sessies.vervang(
                session, None, gegevens, None, settings.portal_idle_timeout
            )
            cookies.append(f"{name}={current.token}")
    return cookies


async def discover(api: httpx.AsyncClient, database: Any, settings: Any) -> dict[str, Send]:
    """The scenarios, on objects found through the standard APIs (as bench/run.py does)."""
    zaken = (await api.get("/zaken/api/v1/zaken", headers=CRS)).json()["results"]
    paths = [httpx.URL(z["url"]).path for z in zaken]
    rollen = (
        await api.get("/zaken/api/v1/rollen", params={"betrokkeneType": "natuurlijk_persoon"})
    ).json()["results"]
    bsns = sorted(
        {
            r["betrokkeneIdentificatie"]["inpBsn"]
            for r in rollen
            if r.get("betrokkeneIdentificatie", {}).get("inpBsn")
        }
    )[:50]
    zaaktype = zaken[0]["zaaktype"]
    statustypen = (
        await api.get("/catalogi/api/v1/statustypen", params={"zaaktype": zaaktype})
    ).json()["results"]
    roltypen = (await api.get("/catalogi/api/v1/roltypen", params={"zaaktype": zaaktype})).json()[
        "results"
    ]
    first_status = min(statustypen, key=lambda s: s["volgnummer"])["url"]
    initiator = next(r["url"] for r in roltypen if r["omschrijvingGeneriek"] == "initiator")
    rsin = zaken[0]["bronorganisatie"]

    async def detail(c: httpx.AsyncClient, i: int) -> httpx.Response:
        return await c.get(paths[i % len(paths)], headers=CRS)

    async def citizen(c: httpx.AsyncClient, i: int) -> httpx.Response:
        params = {BSN_FILTER: bsns[i % len(bsns)], "expand": EXPAND}
        return await c.get("/zaken/api/v1/zaken", params=params, headers=CRS)

    async def citizen_zoek(c: httpx.AsyncClient, i: int) -> httpx.Response:
        body = {BSN_FILTER: bsns[i % len(bsns)]}
        return await c.post(
            "/zaken/api/v1/zaken/_zoek", params={"expand": EXPAND}, json=body, headers=CRS
        )

    # the zaak `make bench` gave its 50 documents (bench/run.py, document_scenarios)
    links_of = {"zaak": zaken[0]["url"]}
    has_links = bool(
        (await api.get("/zaken/api/v1/zaakinformatieobjecten", params=links_of)).json()
    )

    async def links(c: httpx.AsyncClient, _i: int) -> httpx.Response:
        return await c.get("/zaken/api/v1/zaakinformatieobjecten", params=links_of)

    zaak = {
        "zaaktype": zaaktype,
        "bronorganisatie": rsin,
        "verantwoordelijkeOrganisatie": rsin,
        "startdatum": "2025-06-01",
        "omschrijving": "Benchmark",
    }

    async def create_zaak(c: httpx.AsyncClient, _i: int) -> httpx.Response:
        return await c.post("/zaken/api/v1/zaken", json=zaak, headers=CRS)

    async def create(c: httpx.AsyncClient, _i: int) -> httpx.Response:
        created = await c.post("/zaken/api/v1/zaken", json=zaak, headers=CRS)
        created.raise_for_status()
        url = created.json()["url"]
        rol = await c.post(
            "/zaken/api/v1/rollen",
            json={
                "zaak": url,
                "roltype": initiator,
                "betrokkeneType": "natuurlijk_persoon",
                "roltoelichting": "Aanvrager",
                "betrokkeneIdentificatie": {"inpBsn": "111222333"},
            },
        )
        rol.raise_for_status()
        return await c.post(
            "/zaken/api/v1/statussen",
            json={"zaak": url, "statustype": first_status, "datumStatusGezet": "2025-06-02T10:00Z"},
        )

    # the first page of documents, and the besluiten if the register holds any (the
    # prepared data makes none; a besluit detail is measured where a run has made them)
    documenten = (await api.get("/documenten/api/v1/enkelvoudiginformatieobjecten")).json()
    document_paths = [httpx.URL(d["url"]).path for d in documenten["results"]]
    besluiten = (await api.get("/besluiten/api/v1/besluiten")).json()["results"]
    besluit_paths = [httpx.URL(b["url"]).path for b in besluiten]

    async def document_detail(c: httpx.AsyncClient, i: int) -> httpx.Response:
        return await c.get(document_paths[i % len(document_paths)])

    async def besluit_detail(c: httpx.AsyncClient, i: int) -> httpx.Response:
        return await c.get(besluit_paths[i % len(besluit_paths)])

    zaaktype_path = httpx.URL(zaaktype).path

    async def klantbeeld(c: httpx.AsyncClient, i: int) -> httpx.Response:
        body = {"bsn": bsns[i % len(bsns)]}
        return await c.post("/klantbeeld/api/v1/klantbeeld/_zoek", json=body)

    cookies: list[str] = []

    async def overview(c: httpx.AsyncClient, i: int) -> httpx.Response:
        if not cookies:  # logged in when first asked: bench/run.py logs in its first 10
            cookies.extend(await portal_cookies(database, settings, bsns[:10]))
        return await c.get("/mijn/", headers={"Cookie": cookies[i % len(cookies)]})

    async def zaaktype_detail(c: httpx.AsyncClient, _i: int) -> httpx.Response:
        return await c.get(zaaktype_path)

    found: dict[str, Send] = {
        "zaak detail": detail,
        "zaaktype detail": zaaktype_detail,
        "citizen zaken list by BSN, with expand": citizen,
        "citizen _zoek by BSN, with expand": citizen_zoek,
        "create zaak": create_zaak,
        "create zaak + rol + status (3 requests)": create,
        "klantbeeld JSON of a citizen (application)": klantbeeld,
        "portal Mijn overzicht": overview,
    }
    if has_links:
        found["zaakinformatieobjecten of a zaak"] = links
    if document_paths:
        found["document detail"] = document_detail
    if besluit_paths:
        found["besluit detail"] = besluit_detail
    return found


SUBSCRIBER_AUTH = "Bearer bench-abonnee"


async def outbox_drained(database: Any, timeout: float = 600) -> None:
    """Wait until the background work has routed every notificatie in the outbox."""
    from sqlalchemy import func, select

    from mijnzaken.core.outbox import OutboxMessage

    deadline = time.monotonic() + timeout
    while True:
        async with database.reading() as session:
            left = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar()
        if not left:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"{left} notificaties still in the outbox after {timeout:.0f} s")
        print(f"routing {left} notificaties left in the outbox by an earlier run", flush=True)
        await asyncio.sleep(1)


async def subscribe(api: httpx.AsyncClient, subscriber: str) -> str:
    """An abonnement on kanaal zaken for the subscriber (the kanaal appears when the
    dispatcher has started)."""
    body = {
        "callbackUrl": f"{subscriber}/hook",
        "auth": SUBSCRIBER_AUTH,
        "kanalen": [{"naam": "zaken", "filters": {}}],
    }
    for _ in range(50):
        answer = await api.post("/notificaties/api/v1/abonnement", json=body)
        if answer.status_code == 201:
            return str(answer.json()["url"])
        await asyncio.sleep(0.2)
    answer.raise_for_status()
    raise SystemExit(f"no abonnement: {answer.text}")


async def delivered(subscriber: str, expected: int = 0, timeout: float = 60) -> int:
    """Wait until the subscriber has received `expected` notificaties; returns how many."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=subscriber, timeout=30) as client:
        while True:
            got = int((await client.get("/count")).json()["count"])
            if got >= expected or time.monotonic() > deadline:
                return got
            await asyncio.sleep(0.01)


async def measure(args: argparse.Namespace, subscriber: str | None) -> list[dict[str, Any]]:
    os.environ["MIJNZAKEN_DATABASE_URL"] = database_url(args)
    os.environ.setdefault("MIJNZAKEN_DEMO", "false")
    from mijnzaken import achtergrond
    from mijnzaken.app import create_app
    from mijnzaken.core import heap
    from mijnzaken.core.settings import Settings

    settings = Settings(base_url=BASE, outbound_allow_private=subscriber is not None)
    app = create_app(settings)
    database = app.state.runtime.database
    statements: list[str] = []
    background: list[str] = []  # statements of the background work (--notified)
    requests_task = asyncio.current_task()  # the ASGI transport runs the app in this task

    commits: list[bool] = []  # per commit: whether a request's (else the background's)

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        (statements if asyncio.current_task() is requests_task else background).append(statement)

    def committed(_conn: Any) -> None:
        commits.append(asyncio.current_task() is requests_task)

    created = 0  # answers 201: each notifies once

    async def on_response(response: httpx.Response) -> None:
        nonlocal created
        created += response.status_code == 201

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    event.listen(database.engine.sync_engine, "commit", committed)
    token = jwt.encode({"client_id": CLIENT_ID, "iat": int(time.time())}, SECRET, "HS256")
    results = []
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with contextlib.AsyncExitStack() as stack:
        api = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=transport,
                base_url=BASE,
                headers=headers,
                event_hooks={"response": [on_response]},
            )
        )
        abonnementen: list[str] = []

        async def unsubscribe() -> None:
            for url in abonnementen:
                (await api.delete(url)).raise_for_status()

        # the abonnement goes once the background work has stopped (deleting it while a
        # round records its deliveries can deadlock), and before the client closes
        stack.push_async_callback(unsubscribe)
        running = await stack.enter_async_context(contextlib.AsyncExitStack())
        if args.writer:
            from mijnzaken.verwerkingen import schrijver

            await running.enter_async_context(schrijver.running(database))
        if subscriber is not None:
            await running.enter_async_context(achtergrond.running(settings, database))
            # a run without --notified runs no background work: the notificaties of its
            # writes wait in the outbox. They are routed first, before the benchmark's
            # abonnement exists, or they would arrive with this run's and be counted as its
            await outbox_drained(database)
            abonnementen.append(await subscribe(api, subscriber))
        scenarios = await discover(api, database, settings)
        if not args.gc_default:
            # as `mijnzaken serve` does once started (the ASGI transport runs no lifespan)
            heap.settle(settings.gc_gen0_threshold)
        for name, send in scenarios.items():
            if args.only and args.only not in name:
                continue
            for i in range(args.warmup):
                (await send(api, i)).raise_for_status()
            timings, cpu, sizes = [], [], []
            # the warm-up's notificaties first (`created` counts the abonnement, whose test
            # message the subscriber counts)
            received = await delivered(subscriber, created) if subscriber is not None else 0
            before = created
            statements.clear()
            background.clear()
            commits.clear()
            profile = cProfile.Profile() if args.profile else None
            began_cpu = time.process_time()
            for i in range(args.requests):
                if profile is not None:
                    profile.enable()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = await send(api, i)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                if profile is not None:
                    profile.disable()
                response.raise_for_status()
                sizes.append(len(response.content))
            result: dict[str, Any] = {}
            if subscriber is not None:
                if profile is not None:
                    profile.enable()
                notified = created - before
                got = await delivered(subscriber, received + notified)
                if profile is not None:
                    profile.disable()
                result = {
                    "notificaties": notified,
                    "delivered": got - received,
                    "cpu_total_ms": round(
                        (time.process_time() - began_cpu) * 1000 / args.requests, 2
                    ),
                    "background_statements": round(len(background) / args.requests, 1),
                    "background_commits": round(commits.count(False) / args.requests, 2),
                }
            if profile is not None:
                args.profile.mkdir(parents=True, exist_ok=True)
                slug = "".join(ch if ch.isalnum() else "-" for ch in name)
                profile.dump_stats(args.profile / f"{slug}.prof")
            timings.sort()
            results.append(
                {
                    "scenario": name,
                    "requests": args.requests,
                    "p50_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
                    "mean_ms": round(statistics.fmean(timings), 2),
                    "cpu_ms": round(statistics.median(cpu), 2),
                    "statements": round(len(statements) / args.requests, 1),
                    "bytes": int(statistics.median(sizes)),
                    **result,
                }
            )
    await database.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="mijnzaken_bench")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument("--profile", type=Path, help="write a cProfile file per scenario here")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--gc-default",
        action="store_true",
        help="leave Python's garbage collector as it starts (serve settles it: core/heap.py)",
    )
    parser.add_argument(
        "--notified",
        action="store_true",
        help="run the background work as serve does and deliver every notificatie to the "
        "benchmark subscriber; CPU per request includes routing and delivering them",
    )
    parser.add_argument(
        "--writer",
        action="store_true",
        help="run the processing log's writer as serve does (its lifespan starts it): the "
        "entries of logged reads are written by it, beside the requests",
    )
    args = parser.parse_args()
    subscriber, process = None, None
    if args.notified:
        port = free_port()
        subscriber = f"http://127.0.0.1:{port}"
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "subscriber.py"), str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        if subscriber is not None:
            wait_for(f"{subscriber}/count")
        results = asyncio.run(measure(args, subscriber))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"in-process, one request at a time ({args.db}, {args.requests} requests per scenario)")
    print(f"{'scenario':<42} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8} {'SQL/req':>8} {'bytes':>9}")
    for r in results:
        print(
            f"{r['scenario']:<42} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['cpu_ms']:>8.2f} "
            f"{r['statements']:>8} {r['bytes']:>9}"
        )
    if args.notified:
        print("with their notificaties delivered (background work in this process):")
        print(
            f"{'scenario':<42} {'notified':>8} {'arrived':>8} {'CPU ms':>8} {'SQL bg':>8} "
            f"{'txn bg':>8}"
        )
        for r in results:
            if "notificaties" in r:
                print(
                    f"{r['scenario']:<42} {r['notificaties']:>8} {r['delivered']:>8} "
                    f"{r['cpu_total_ms']:>8.2f} {r['background_statements']:>8} "
                    f"{r['background_commits']:>8}"
                )


if __name__ == "__main__":
    main()
