"""Server time of the citizen portal, cold per citizen: Mijn overzicht and one zaak page of
each of the citizens with the most zaken, requested in-process (no network, no load
generator), each citizen once, so nothing is cached for them.

    python bench/server_time.py --database-url sqlite+aiosqlite:///var/bench/bench.sqlite3

The database is one `make bench` prepared (100,000 zaken, about 50 per citizen). Each
citizen gets a portal session written the way a login writes it; the sessions are removed
again at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time

import httpx
from sqlalchemy import delete, func, select

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld.identiteit import Aanmelding, Kijker, Onderwerp
from mijnzaken.portal import sessies
from mijnzaken.portal.models import Sessie
from mijnzaken.zaken.models import Rol


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, round(q * (len(values) - 1)))]


async def main(url: str, citizens: int) -> None:
    settings = Settings(database_url=url, portal_secure_cookies=False)
    database = Database(url)
    app = create_app(settings, database)
    async with database.transaction() as session:
        rows = await session.execute(
            select(Rol.inp_bsn, func.count())
            .where(Rol.inp_bsn.is_not(None))
            .group_by(Rol.inp_bsn)
            .order_by(func.count().desc())
            .limit(citizens + 1)
        )
        found = [(bsn, n) for bsn, n in rows.all()]
        cookies = []
        for bsn, _n in found:
            kijker = Kijker(soort="inwoner", identificatie=f"bsn:{bsn}", label="Inwoner")
            aanmelding = Aanmelding(Onderwerp("bsn", bsn), kijker, clock.now())
            current = await sessies.login(session, None, aanmelding, None, 900)
            cookies.append((current.ident, f"mijngemeente={current.token}"))
    overview: list[float] = []
    detail: list[float] = []
    shown: list[int] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for i, (_ident, cookie) in enumerate(cookies):
            start = time.perf_counter()
            page = await client.get("/mijn/", headers={"Cookie": cookie})
            took = time.perf_counter() - start
            assert page.status_code == 200, page.status_code
            links = re.findall(r'href="(/mijn/zaken/[0-9a-f-]+)"', page.text)
            if i == 0:  # the first citizen warms the process up (templates, statements)
                if links:
                    await client.get(links[0], headers={"Cookie": cookie})
                continue
            overview.append(took)
            shown.append(len(links))
            if links:
                start = time.perf_counter()
                zaak = await client.get(links[len(links) // 2], headers={"Cookie": cookie})
                detail.append(time.perf_counter() - start)
                assert zaak.status_code == 200
    async with database.transaction() as session:
        await session.execute(delete(Sessie).where(Sessie.id.in_([i for i, _c in cookies])))
    await database.dispose()
    zaken = [n for _b, n in found[1:]]
    print(
        f"citizens: {len(overview)}, zaken each (all roles): {min(zaken)}-{max(zaken)}, "
        f"shown on the overview: {min(shown)}-{max(shown)}"
    )
    for name, values in (("Mijn overzicht", overview), ("zaak page", detail)):
        ms = [v * 1000 for v in values]
        print(
            f"{name:<15} p50 {statistics.median(ms):6.1f} ms  p95 {_p(ms, 0.95):6.1f} ms  "
            f"max {max(ms):6.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--citizens", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.citizens))
