"""Registering a request — a zaak, its initiator and its first status, as a form does — costs
few statements: the catalogue types it is checked against come from the per-process cache
under the catalogue version (ADR 7), and the sub-resources of an object just created are not
looked for. A change to a published type (its eindeGeldigheid, a correctie) still applies to
the next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from mijnzaken.catalogi import models as cm
from mijnzaken.catalogi.services import cache
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.statements import run_counted
from tests.zaken import factories as f

ZAKEN = "/zaken/api/v1/zaken"
ROLLEN = "/zaken/api/v1/rollen"
STATUSSEN = "/zaken/api/v1/statussen"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
RSIN = "002220647"


async def types_of(database, zaaktype) -> tuple[cm.RolType, list[cm.StatusType]]:
    async with database.transaction() as session:
        roltype = (
            await session.execute(select(cm.RolType).where(cm.RolType.zaaktype_id == zaaktype.id))
        ).scalar_one()
        stmt = (
            select(cm.StatusType)
            .where(cm.StatusType.zaaktype_id == zaaktype.id)
            .order_by(cm.StatusType.volgnummer)
        )
        return roltype, list((await session.execute(stmt)).scalars())


def zaak_body(zaaktype: Any, **over: Any) -> dict[str, Any]:
    return {
        "bronorganisatie": RSIN,
        "zaaktype": cf.url(zaaktype),
        "verantwoordelijkeOrganisatie": RSIN,
        "startdatum": "2024-03-01",
        "omschrijving": "Parkeervergunning aanvragen",
        **over,
    }


async def register_request(client, headers, zaaktype, roltype, statustype, database) -> Any:
    """The three requests of a registration; per request the statements it ran."""

    async def zaak() -> Any:
        return await client.post(ZAKEN, json=zaak_body(zaaktype), headers={**headers, **CRS})

    zaak_sql, created = await run_counted(database, zaak)
    assert created.status_code == 201, created.text
    url = created.json()["url"]

    async def rol() -> Any:
        body = {
            "zaak": url,
            "roltype": cf.url(roltype),
            "betrokkeneType": "natuurlijk_persoon",
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": "111222333"},
        }
        return await client.post(ROLLEN, json=body, headers=headers)

    rol_sql, rol_resp = await run_counted(database, rol)
    assert rol_resp.status_code == 201, rol_resp.text

    async def status() -> Any:
        body = {
            "zaak": url,
            "statustype": cf.url(statustype),
            "datumStatusGezet": "2024-03-02T10:00:00Z",
        }
        return await client.post(STATUSSEN, json=body, headers=headers)

    status_sql, status_resp = await run_counted(database, status)
    assert status_resp.status_code == 201, status_resp.text
    return created.json(), rol_resp.json(), status_resp.json(), (zaak_sql, rol_sql, status_sql)


def reading(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and table in s]


def counted(statements: list[str]) -> int:
    """Statements of the request itself (not the wake-up signal to other processes)."""
    return len([s for s in statements if not s.startswith("NOTIFY")])


async def test_registration_reads_no_catalogue_type_and_no_sub_resources(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    roltype, statustypen = await types_of(database, zaaktype)
    # the first registration fills the process's cache of catalogue types
    await register_request(client, superuser, zaaktype, roltype, statustypen[0], database)
    zaak, rol, status, (zaak_sql, rol_sql, status_sql) = await register_request(
        client, superuser, zaaktype, roltype, statustypen[0], database
    )
    assert (zaak["rollen"], zaak["status"], zaak["deelzaken"]) == ([], None, [])
    assert rol["statussen"] == []
    assert status["zaakinformatieobjecten"] == []
    assert status["indicatieLaatstGezetteStatus"] is True
    for statements in (zaak_sql, rol_sql, status_sql):
        for table in ("catalogi_zaaktype", "catalogi_roltype", "catalogi_statustype"):
            assert not reading(statements, table), statements
    # a new zaak: its number is recorded without looking it up first, and nothing can hang
    # under it yet
    assert not reading(zaak_sql, "zaken_zaakidentificatie")
    assert not reading(zaak_sql, "zaken_rol")
    # the zaak of a rol is read for its rights and its name: its key columns, not its JSON
    [zaak_read] = reading(rol_sql, "FROM zaken_zaak")
    assert "zaken_zaak.kenmerken" not in zaak_read, zaak_read
    # a new rol set no status yet; a new status has no documents yet
    assert not reading(rol_sql, "zaken_status")
    assert not reading(status_sql, "zaken_zaakinformatieobject")
    # the zaak of a status is read once, under its row lock
    assert len(reading(status_sql, "FROM zaken_zaak")) == 1
    # authentication with the catalogue version, the zaaknummer (counter and record: one
    # statement on PostgreSQL), the zaak, the audit trail and the notification (one
    # statement on PostgreSQL)
    postgres = database.engine.dialect.name == "postgresql"
    assert counted(zaak_sql) <= (4 if postgres else 6), zaak_sql
    # authentication with the catalogue version, the zaak, and the rol with its audit trail
    # and notification (one statement on PostgreSQL, written as the transaction commits)
    assert counted(rol_sql) <= (3 if postgres else 5), rol_sql
    # ... the status and the zaak's pointer to it (one statement on PostgreSQL)
    assert counted(status_sql) <= (4 if postgres else 6), status_sql
    if postgres:
        assert not [s for s in status_sql if s.lstrip().startswith("UPDATE zaken_zaak")]


async def test_zrc_001_eindegeldigheid_set_on_a_published_zaaktype_applies_at_once(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    resp = await client.post(ZAKEN, json=zaak_body(zaaktype), headers={**superuser, **CRS})
    assert resp.status_code == 201, resp.text  # the zaaktype is cached now
    # ztc-009: a published zaaktype may still get an eindeGeldigheid
    resp = await client.patch(
        cf.url(zaaktype), json={"eindeGeldigheid": "2024-02-29"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    resp = await client.post(ZAKEN, json=zaak_body(zaaktype), headers={**superuser, **CRS})
    assert resp.status_code == 400, resp.text
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-niet-geldig"


async def test_zrc_007_a_statustype_added_by_correctie_is_the_eindstatus_at_once(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    roltype, statustypen = await types_of(database, zaaktype)
    # the first registration caches the statustypen and which one is the eindstatus
    await register_request(client, superuser, zaaktype, roltype, statustypen[0], database)
    # a correctie adds a later statustype: "Afgehandeld" (2) is no eindstatus any more
    await cf.create_statustype(database, zaaktype, volgnummer=3, omschrijving="Gearchiveerd")
    zaak = await f.create_zaak(database, zaaktype)
    resp = await client.post(
        STATUSSEN,
        json={
            "zaak": f.url(zaak),
            "statustype": cf.url(statustypen[1]),
            "datumStatusGezet": "2024-03-02T10:00:00Z",
        },
        headers=superuser,
    )
    # without a resultaat an eindstatus would be refused (zrc-007); this one is accepted
    assert resp.status_code == 201, resp.text
    async with database.transaction() as session:
        stored = (await session.execute(select(m.Zaak).where(m.Zaak.id == zaak.id))).scalar_one()
    assert stored.einddatum is None


async def test_a_cached_catalogue_type_is_read_only(client, superuser, database):
    zaaktype = await f.published_zaaktype(database, producten_of_diensten=["https://p.nl/1"])
    async with database.transaction() as session:
        obj = (
            await session.execute(select(cm.ZaakType).where(cm.ZaakType.id == zaaktype.id))
        ).scalar_one()
        columns = cache.Columns(obj)
    assert columns.uuid == zaaktype.uuid
    assert columns.begin_geldigheid == zaaktype.begin_geldigheid
    with pytest.raises(AttributeError):
        columns.concept = True
    with pytest.raises(AttributeError):
        columns.producten_of_diensten.append("https://p.nl/2")
    with pytest.raises(AttributeError):
        _ = columns.no_such_column
    assert columns.producten_of_diensten == ("https://p.nl/1",)
    assert isinstance(zaaktype.begin_geldigheid, dt.date)
