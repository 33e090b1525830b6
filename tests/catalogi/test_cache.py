"""Rendered catalogue types are kept per process (catalogi/services/cache.py), and a change is
visible at once: to the next request of this process, of another process, and never the
uncommitted change of a transaction that is rolled back."""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from mijnzaken.catalogi.models import ZaakType
from mijnzaken.catalogi.services import cache
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from tests.catalogi import factories as cf
from tests.zaken import factories as f

CRS = {"Accept-Crs": "EPSG:4326"}
BASE = "http://testserver"


async def _expanded_zaaktype(client: httpx.AsyncClient, headers: dict[str, str], zaak: Any) -> Any:
    resp = await client.get(f.url(zaak), params={"expand": "zaaktype"}, headers={**headers, **CRS})
    assert resp.status_code == 200, resp.text
    return resp.json()["_expand"]["zaaktype"]


async def test_a_changed_zaaktype_is_expanded_as_changed_at_once(client, superuser, database):
    zaaktype = await f.published_zaaktype(database, omschrijving="Parkeervergunning")
    zaak = await f.create_zaak(database, zaaktype)
    for _ in range(2):  # rendered, then from the cache
        before = await _expanded_zaaktype(client, superuser, zaak)
        assert before["omschrijving"] == "Parkeervergunning"
    resp = await client.patch(
        cf.url(zaaktype), json={"omschrijving": "Bewonersvergunning"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert (await _expanded_zaaktype(client, superuser, zaak))["omschrijving"] == (
        "Bewonersvergunning"
    )


# Another worker process: it runs the application's code, so its sessions notice a catalogue
# change the same way; this process learns of it from the database only.
OTHER_PROCESS = """
import asyncio, sys, uuid
from sqlalchemy import select, text
import mijnzaken.app
from mijnzaken.catalogi.models import ZaakType
from mijnzaken.core.db import Database

async def main(url, ident):
    database = Database(url)
    async with database.transaction() as session:
        stmt = select(ZaakType).where(ZaakType.uuid == uuid.UUID(ident))
        (await session.execute(stmt)).scalar_one().omschrijving = "Gewijzigd door een ander proces"
    await database.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_a_change_by_another_process_is_seen_at_once(client, superuser, database):
    zaaktype = await f.published_zaaktype(database, omschrijving="Parkeervergunning")
    zaak = await f.create_zaak(database, zaaktype)
    before = await _expanded_zaaktype(client, superuser, zaak)
    assert (before["omschrijving"], before["toelichting"]) == ("Parkeervergunning", "")
    # the type is cached: a change that bypasses the application goes unnoticed ...
    async with database.engine.begin() as conn:
        await conn.execute(text("UPDATE catalogi_zaaktype SET toelichting = 'Buiten om'"))
    assert (await _expanded_zaaktype(client, superuser, zaak))["toelichting"] == ""
    # ... a change by another process running the application is seen by the next request
    subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, database.url, str(zaaktype.uuid)],
        check=True,
        timeout=120,
    )
    after = await _expanded_zaaktype(client, superuser, zaak)
    assert (after["omschrijving"], after["toelichting"]) == (
        "Gewijzigd door een ander proces",
        "Buiten om",
    )


async def _omschrijving(session: Any, idents: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    stmt = select(ZaakType.uuid, ZaakType.omschrijving).where(ZaakType.uuid.in_(idents))
    return {ident: {"omschrijving": text} for ident, text in (await session.execute(stmt)).all()}


class RolledBack(Exception):
    pass


async def test_an_uncommitted_change_stays_out_of_the_cache(database: Database):
    zaaktype = await f.published_zaaktype(database, omschrijving="Parkeervergunning")
    today = clock.today()

    async def bodies(session: Any, collection: str) -> Any:
        found = await cache.bodies(
            session,
            collection,
            BASE,
            today,
            [zaaktype.uuid],
            lambda missing: _omschrijving(session, missing),
        )
        return found[zaaktype.uuid]["omschrijving"]

    async def change_and_roll_back() -> None:
        async with database.transaction() as session:
            assert await bodies(session, "first") == "Parkeervergunning"
            stored = await session.get(ZaakType, zaaktype.id)
            assert stored is not None
            stored.omschrijving = "Niet bewaard"
            # this transaction sees its own change (loaded after an autoflush) ...
            assert await bodies(session, "second") == "Niet bewaard"
            assert await bodies(session, "first") == "Niet bewaard"
            raise RolledBack

    with pytest.raises(RolledBack):
        await change_and_roll_back()
    # ... and nobody else ever does
    async with database.transaction() as session:
        assert await bodies(session, "second") == "Parkeervergunning"
        assert await bodies(session, "first") == "Parkeervergunning"


async def test_cached_types_are_reused_within_a_catalogue_version(database: Database):
    zaaktype = await f.published_zaaktype(database)
    loads: list[list[uuid.UUID]] = []

    async def counting(session: Any, missing: list[uuid.UUID]) -> Any:
        loads.append(missing)
        return await _omschrijving(session, missing)

    async def read() -> Any:
        async with database.transaction() as session:
            return await cache.bodies(
                session,
                "zaaktypen-test",
                BASE,
                clock.today(),
                [zaaktype.uuid],
                lambda missing: counting(session, missing),
            )

    first, second = await read(), await read()
    assert first == second
    assert loads == [[zaaktype.uuid]]  # the second transaction found it cached
    await cf.create_statustype(database, zaaktype, volgnummer=9)  # any catalogue change
    await read()
    assert loads == [[zaaktype.uuid], [zaaktype.uuid]]
