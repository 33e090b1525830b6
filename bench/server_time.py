"""Server time of the citizen portal, cold per citizen: Mijn overzicht and one zaak page of
each of the citizens with the most documents (then the most zaken), requested in-process (no
network, no load generator), each citizen once, so nothing is cached for them.

    python bench/server_time.py [--db sqlite|postgres] [--pg-database NAME] [--citizens 50]
    python bench/server_time.py --database-url URL

The database is one `make bench` (or `bench/run.py --prepare-only`) prepared: 100,000 zaken,
among them the zaken of 500 citizens with 50 zaken and 200 documents each, all of which the
portal shows. Each citizen gets a portal session written the way a login writes it; the
sessions are removed again at the end. The figures are wall-clock server time and the CPU time
of this process per request; state the machine's load next to them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import pg  # bench/, the directory of this script
from sqlalchemy import delete, event, func, select

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld.identiteit import Aanmelding, Kijker, Onderwerp
from mijnzaken.portal import sessies
from mijnzaken.portal.models import Sessie
from mijnzaken.zaken.models import Rol, ZaakInformatieObject

ROOT = Path(__file__).resolve().parent.parent
# the public base `mijnzaken demo generate` wrote the document links under (its default):
# the portal recognises a document as its own by that URL
GENERATED_BASE = "http://127.0.0.1:8000"
ZAAK_LINK = re.compile(r'href="(/mijn/zaken/[0-9a-f-]+)"')
DOCUMENT_LINK = re.compile(r'href="/mijn/zaken/[0-9a-f-]+/documenten/([0-9a-f-]+)"')
DOCUMENT_COUNT = re.compile(r"U heeft (\d+) document")


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, round(q * (len(values) - 1)))]


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    if args.db == "sqlite":
        return f"sqlite+aiosqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"
    return pg.url(args.pg_database, "postgresql+asyncpg")


async def main(url: str, citizens: int, base_url: str) -> None:
    settings = Settings(database_url=url, base_url=base_url, portal_secure_cookies=False)
    database = Database(url)
    app = create_app(settings, database)
    async with database.transaction() as session:
        documenten = func.count(ZaakInformatieObject.id)
        rows = await session.execute(
            select(Rol.inp_bsn, func.count(func.distinct(Rol.zaak_id)), documenten)
            .outerjoin(ZaakInformatieObject, ZaakInformatieObject.zaak_id == Rol.zaak_id)
            .where(Rol.inp_bsn.is_not(None))
            .group_by(Rol.inp_bsn)
            .order_by(documenten.desc(), func.count(func.distinct(Rol.zaak_id)).desc())
            .limit(citizens + 1)
        )
        found = [(bsn, zaken, docs) for bsn, zaken, docs in rows.all()]
        cookies = []
        for bsn, _zaken, _docs in found:
            kijker = Kijker(soort="inwoner", identificatie=f"bsn:{bsn}", label="Inwoner")
            aanmelding = Aanmelding(Onderwerp("bsn", bsn), kijker, clock.now())
            current = await sessies.login(session, None, aanmelding, None, 900)
            cookies.append((current.ident, f"mijngemeente={current.token}"))
    overview: list[float] = []
    detail: list[float] = []
    cpu_overview: list[float] = []
    cpu_detail: list[float] = []
    sql_overview: list[int] = []
    sql_detail: list[int] = []
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    shown_zaken: list[int] = []
    shown_documents: list[int] = []
    on_zaak_page: list[int] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        for i, (_ident, cookie) in enumerate(cookies):
            statements.clear()
            start, cpu = time.perf_counter(), time.process_time()
            page = await client.get("/mijn/", headers={"Cookie": cookie})
            took, cpu_took = time.perf_counter() - start, time.process_time() - cpu
            sql_overview.append(len(statements))
            assert page.status_code == 200, page.status_code
            links = sorted(set(ZAAK_LINK.findall(page.text)))
            if i == 0:  # the first citizen warms the process up (templates, statements)
                if links:
                    await client.get(links[0], headers={"Cookie": cookie})
                continue
            overview.append(took)
            cpu_overview.append(cpu_took)
            shown_zaken.append(len(links))
            documents = DOCUMENT_COUNT.search(page.text)
            shown_documents.append(int(documents.group(1)) if documents else 0)
            if links:
                statements.clear()
                start, cpu = time.perf_counter(), time.process_time()
                zaak = await client.get(links[len(links) // 2], headers={"Cookie": cookie})
                detail.append(time.perf_counter() - start)
                cpu_detail.append(time.process_time() - cpu)
                sql_detail.append(len(statements))
                assert zaak.status_code == 200
                on_zaak_page.append(len(set(DOCUMENT_LINK.findall(zaak.text))))
    event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    async with database.transaction() as session:
        await session.execute(delete(Sessie).where(Sessie.id.in_([i for i, _c in cookies])))
    await database.dispose()
    measured = found[1:]
    print(
        f"citizens: {len(overview)}; in the register each: "
        f"zaken {min(z for _b, z, _d in measured)}-{max(z for _b, z, _d in measured)}, "
        f"documents {min(d for _b, _z, d in measured)}-{max(d for _b, _z, d in measured)}; "
        f"shown on the overview: zaken {min(shown_zaken)}-{max(shown_zaken)}, "
        f"documents {min(shown_documents)}-{max(shown_documents)}; "
        f"documents on the zaak page: {min(on_zaak_page, default=0)}-"
        f"{max(on_zaak_page, default=0)}"
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, values, cpu_values, sql in (
        ("Mijn overzicht", overview, cpu_overview, sql_overview),
        ("zaak page", detail, cpu_detail, sql_detail),
    ):
        ms = [v * 1000 for v in values]
        cpu_ms = [v * 1000 for v in cpu_values]
        print(
            f"{name:<15} p50 {statistics.median(ms):6.1f} ms  p95 {_p(ms, 0.95):6.1f} ms  "
            f"max {max(ms):6.1f} ms  CPU p50 {statistics.median(cpu_ms):5.1f} ms  "
            f"p95 {_p(cpu_ms, 0.95):5.1f} ms  SQL statements {min(sql)}-{max(sql)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="mijnzaken_bench")
    parser.add_argument("--database-url", help="instead of --db: any database URL")
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument(
        "--base-url",
        default=GENERATED_BASE,
        help="the MIJNZAKEN_BASE_URL the register was generated with",
    )
    args = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    asyncio.run(main(database_url(args), args.citizens, args.base_url))
