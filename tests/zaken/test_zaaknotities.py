"""Black-box tests of /zaaknotities (new in Zaken API 1.7.0)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import event, select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.zaken import factories as f

API = "/zaken/api/v1/zaaknotities"


def body(zaak, **over):
    data = {
        "gerelateerdAan": f.url(zaak),
        "onderwerp": "Telefoongesprek",
        "tekst": "Aanvrager belde over de termijn.",
        "aangemaaktDoor": "Jan Jansen",
    }
    data.update(over)
    return data


async def test_create_read_update_partial_update_and_delete(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(API, json=body(zaak), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["notitieType"] == "intern"
    assert created["status"] == "concept"
    assert created["aanmaakdatum"] == created["wijzigingsdatum"]
    assert (await client.get(created["url"], headers=superuser)).json() == created

    patched = await client.patch(created["url"], json={"status": "definitief"}, headers=superuser)
    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "definitief"
    assert patched.json()["aanmaakdatum"] == created["aanmaakdatum"]
    assert patched.json()["wijzigingsdatum"] >= created["wijzigingsdatum"]
    put = await client.put(created["url"], json=body(zaak, tekst="Nieuw"), headers=superuser)
    assert put.json()["tekst"] == "Nieuw"
    assert put.json()["status"] == "concept"

    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404


async def test_register_sets_the_dates(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(
        API, json=body(zaak, aanmaakdatum="2000-01-01T00:00:00Z"), headers=superuser
    )
    assert resp.json()["aanmaakdatum"] > "2020"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"onderwerp": ""}, "onderwerp"),
        ({"tekst": ""}, "tekst"),
        ({"notitieType": "geheim"}, "notitieType"),
        ({"gerelateerdAan": "geen-url"}, "gerelateerdAan"),
        (
            {"gerelateerdAan": f"http://testserver/zaken/api/v1/zaken/{uuid.uuid4()}"},
            "gerelateerdAan",
        ),
    ],
)
async def test_bad_input_is_400(client, superuser, database, over, field):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(API, json=body(zaak, **over), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == field


async def test_list_filters(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    other = await f.create_zaak(database, zaaktype)
    first = (await client.post(API, json=body(zaak), headers=superuser)).json()
    second = (
        await client.post(
            API,
            json=body(
                other,
                onderwerp="Brief 100%",
                tekst="Verstuurd",
                aangemaaktDoor="Piet",
                notitieType="extern",
                status="definitief",
            ),
            headers=superuser,
        )
    ).json()

    async def urls(**params):
        resp = await client.get(API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [n["url"] for n in resp.json()["results"]]

    assert await urls() == [first["url"], second["url"]]
    assert await urls(gerelateerdAan=f.url(other)) == [second["url"]]
    assert await urls(gerelateerdAan="12") == []
    assert await urls(aangemaaktDoor="Piet") == [second["url"]]
    assert await urls(aangemaaktDoor__icontains="JANSEN") == [first["url"]]
    assert await urls(onderwerp="Telefoongesprek") == [first["url"]]
    assert await urls(onderwerp__icontains="100%") == [second["url"]]
    assert await urls(onderwerp__icontains="_") == []
    assert await urls(tekst="Verstuurd") == [second["url"]]
    assert await urls(tekst__icontains="TERMIJN") == [first["url"]]
    assert await urls(notitieType="extern") == [second["url"]]
    assert await urls(status="concept") == [first["url"]]
    assert await urls(aanmaakdatum=first["aanmaakdatum"]) == [first["url"]]
    assert await urls(aanmaakdatum__gt=first["aanmaakdatum"]) == [second["url"]]
    assert await urls(aanmaakdatum__gte=first["aanmaakdatum"]) == [first["url"], second["url"]]
    assert await urls(aanmaakdatum__lt=second["aanmaakdatum"]) == [first["url"]]
    assert await urls(aanmaakdatum__lte="2000-01-01T00:00:00") == []
    assert await urls(wijzigingsdatum__gt="2000-01-01T00:00:00Z") == [first["url"], second["url"]]
    assert await urls(wijzigingsdatum__gte=second["wijzigingsdatum"]) == [second["url"]]
    assert await urls(wijzigingsdatum__lt="2000-01-01T00:00:00Z") == []
    assert await urls(wijzigingsdatum__lte=first["wijzigingsdatum"]) == [first["url"]]
    assert await urls(wijzigingsdatum=second["wijzigingsdatum"]) == [second["url"]]

    bad = await client.get(API, params={"aanmaakdatum__gt": "gisteren"}, headers=superuser)
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "aanmaakdatum__gt"
    assert (await client.get(API, params={"onbekend": "x"}, headers=superuser)).status_code == 400


async def test_page_size(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    for n in range(3):
        await client.post(API, json=body(zaak, onderwerp=f"Notitie {n}"), headers=superuser)
    page = (await client.get(API, params={"pageSize": 2}, headers=superuser)).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert "pageSize=2" in page["next"]
    second = (await client.get(page["next"], headers=superuser)).json()
    assert [n["onderwerp"] for n in second["results"]] == ["Notitie 2"]
    too_big = await client.get(API, params={"pageSize": 501}, headers=superuser)
    assert too_big.status_code == 400


async def test_audit_trail_and_notification(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    created = (await client.post(API, json=body(zaak), headers=superuser)).json()
    await client.delete(created["url"], headers=superuser)
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.resource_url) for t in trail] == [
        ("ZRC", "create", created["url"]),
        ("ZRC", "destroy", created["url"]),
    ]
    assert [(o.payload["kanaal"], o.payload["resource"]) for o in outbox] == [
        ("zaken", "zaaknotitie"),
        ("zaken", "zaaknotitie"),
    ]


async def test_zrc_006_only_notities_of_authorised_zaaktypen(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    created = [(await client.post(API, json=body(z), headers=admin)).json() for z in (zaak, hidden)]
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    listed = (await client.get(API, headers=reader)).json()
    assert [n["url"] for n in listed["results"]] == [created[0]["url"]]
    assert (await client.get(created[1]["url"], headers=reader)).status_code == 403


async def test_moving_a_notitie_needs_rights_on_both_zaken(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    foreign = await f.create_zaak(database, other)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen", "zaken.bijwerken")],
    )
    created = (await client.post(API, json=body(zaak), headers=writer)).json()
    resp = await client.patch(
        created["url"], json={"gerelateerdAan": f.url(foreign)}, headers=writer
    )
    assert resp.status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.post(API, json=body(zaak), headers=writer)).status_code == 403
    both = await register(
        "beide",
        "geheim-beide",
        autorisaties=[
            f.zrc_autorisatie(
                zaaktype, "zaken.lezen", "zaken.bijwerken", "zaken.geforceerd-bijwerken"
            )
        ],
    )
    assert (await client.post(API, json=body(zaak), headers=both)).status_code == 201


async def test_list_costs_a_constant_number_of_queries(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    async def measure() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            assert (await client.get(API, headers=superuser)).status_code == 200
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        return len(statements)

    for _ in range(2):
        zaak = await f.create_zaak(database, zaaktype)
        await client.post(API, json=body(zaak), headers=superuser)
    few = await measure()
    for _ in range(6):
        zaak = await f.create_zaak(database, zaaktype)
        await client.post(API, json=body(zaak), headers=superuser)
    assert await measure() == few
