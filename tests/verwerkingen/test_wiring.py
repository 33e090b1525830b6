"""The registers log through the one log function: a read of a citizen's zaak, rol or
customer data by an application leaves one entry per request naming the application and its
user, and the citizen then sees it in their own log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import Onderwerp
from mijnzaken.verwerkingen.models import Verwerkingsactie
from tests.catalogi import factories as cf
from tests.conftest import make_token
from tests.klantinteracties import factories as kif
from tests.zaken import factories as zf

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
BSN = "999993653"


async def _entries(database: Any) -> list[Verwerkingsactie]:
    async with database.transaction() as session:
        stmt = (
            select(Verwerkingsactie)
            .options(selectinload(Verwerkingsactie.objecten))
            .order_by(Verwerkingsactie.id)
        )
        return list((await session.execute(stmt)).scalars())


async def _app_with_user(register: Any) -> dict[str, str]:
    await register("zaaksysteem", "zaaksysteem-secret", alle=True)
    token = make_token(
        "zaaksysteem", "zaaksysteem-secret", user_id="m.devries", user_representation="M. de Vries"
    )
    return {"Authorization": f"Bearer {token}", **CRS}


async def test_reading_zaken_with_rollen_logs_one_entry_naming_app_and_user(
    client: Any, register: Any, database: Any
) -> None:
    headers = await _app_with_user(register)
    zaaktype = await zf.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    for _ in range(3):
        zaak = await zf.create_zaak(database, zaaktype)
        await zf.create_rol(database, zaak, roltype, bsn=BSN)
        await zf.create_rol(database, zaak, roltype, bsn="999990019")
        await zf.create_rol(database, zaak, roltype, betrokkene_type="medewerker")
    response = await client.get("/zaken/api/v1/zaken", params={"expand": "rollen"}, headers=headers)
    assert response.status_code == 200, response.text
    [entry] = await _entries(database)
    assert entry.systeem == "zaaksysteem"
    assert entry.gebruiker == "m.devries"
    assert "M. de Vries" in entry.actor_weergave
    assert sorted(o.object_id for o in entry.objecten) == ["999990019", BSN]
    rol = response.json()["results"][0]["rollen"][0]
    assert (await client.get(rol, headers=headers)).status_code == 200
    assert len(await _entries(database)) == 2
    async with database.transaction() as session:
        log = await klantbeeld._gather_verwerkingen(session, Onderwerp("bsn", BSN))
    assert [item.activiteit for item in log.items] == ["rollen lezen", "zaken lezen"]
    assert log.items[0].wie == "zaaksysteem (medewerker M. de Vries)"


async def test_reading_one_zaak_logs_the_bsns_of_its_natuurlijke_personen_only(
    client: Any, register: Any, database: Any
) -> None:
    headers = await _app_with_user(register)
    zaaktype = await zf.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    zaak = await zf.create_zaak(database, zaaktype)
    await zf.create_rol(database, zaak, roltype, bsn=BSN)
    await zf.create_rol(database, zaak, roltype, bsn="999990019")
    # a BSN stored with another kind of betrokkene names no natuurlijk persoon of the zaak
    await zf.create_rol(database, zaak, roltype, bsn="999990031", betrokkene_type="medewerker")
    other = await zf.create_zaak(database, zaaktype)
    await zf.create_rol(database, other, roltype, bsn="999990020")
    response = await client.get(zf.url(zaak), headers=headers)
    assert response.status_code == 200, response.text
    [entry] = await _entries(database)
    assert entry.actie_naam == "zaken lezen"
    assert sorted(o.object_id for o in entry.objecten) == ["999990019", BSN]


async def test_a_zaak_without_natuurlijk_persoon_and_a_write_log_nothing(
    client: Any, superuser: Any, database: Any
) -> None:
    zaaktype = await zf.published_zaaktype(database)
    zaak = await zf.create_zaak(database, zaaktype)
    assert (await client.get(zf.url(zaak), headers={**superuser, **CRS})).status_code == 200
    created = await client.post(
        "/zaken/api/v1/zaken",
        json={
            "bronorganisatie": "002220647",
            "zaaktype": cf.url(zaaktype),
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2024-03-01",
        },
        headers={**superuser, **CRS},
    )
    assert created.status_code == 201, created.text
    assert await _entries(database) == []


async def test_reading_a_partij_in_klantinteracties_logs_its_bsn(
    client: Any, register: Any, database: Any
) -> None:
    headers = await _app_with_user(register)
    partij = await kif.create_partij(
        client, headers, partijIdentificatoren=[kif.bsn_identificator(BSN)]
    )
    assert await _entries(database) == []  # creating is not reading
    assert (await client.get(partij["url"], headers=headers)).status_code == 200
    page = await client.get(f"{kif.API}/partij-identificatoren", headers=headers)
    assert page.status_code == 200
    first, second = await _entries(database)
    assert (first.actie_naam, second.actie_naam) == ("partij lezen", "partijidentificator lezen")
    for entry in (first, second):
        assert [o.object_id for o in entry.objecten] == [BSN]
        assert entry.gebruiker == "m.devries"


def test_access_log_lines_leave_out_the_query_string(app: Any, caplog: Any) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="uvicorn.access")
    # the call uvicorn's HTTP protocol makes for every request
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:50000",
        "GET",
        f"/zaken/api/v1/zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn={BSN}",
        "1.1",
        200,
    )
    assert 'GET /zaken/api/v1/zaken HTTP/1.1" 200' in caplog.text
    assert BSN not in caplog.text
