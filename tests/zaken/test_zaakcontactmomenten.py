"""Black-box tests of /zaakcontactmomenten: contactmomenten (another register) linked
to a zaak by URL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.zaken import factories as f

API = "/zaken/api/v1/zaakcontactmomenten"
REF = "https://klantinteracties.elders.nl/api/v1/contactmomenten/"


def body(zaak, n=1):
    return {"zaak": f.url(zaak), "contactmoment": f"{REF}{n}"}


async def test_create_list_retrieve_and_destroy(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(API, json=body(zaak), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["contactmoment"] == f"{REF}1"
    assert resp.headers["location"] == created["url"]
    assert (await client.get(created["url"], headers=superuser)).json() == created
    listed = await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)
    assert listed.json() == [created]
    by_ref = await client.get(API, params={"contactmoment": f"{REF}2"}, headers=superuser)
    assert by_ref.json() == []
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404


async def test_bad_input_is_400(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(
        API, json={"zaak": f.url(zaak), "contactmoment": "x"}, headers=superuser
    )
    assert resp.json()["invalidParams"][0]["name"] == "contactmoment"
    unknown = await client.get(API, params={"onbekend": "1"}, headers=superuser)
    assert unknown.status_code == 400


async def test_audit_trail_and_notification(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    created = (await client.post(API, json=body(zaak), headers=superuser)).json()
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.resource_url) for t in trail] == [("ZRC", "create", created["url"])]
    assert outbox[0].payload["kanaal"] == "zaken"
    assert outbox[0].payload["resource"] == "zaakcontactmoment"
    assert outbox[0].payload["kenmerken"]["bronorganisatie"] == zaak.bronorganisatie


async def test_zrc_006_only_zaken_of_authorised_zaaktypen_are_listed(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    for z in (zaak, hidden):
        assert (await client.post(API, json=body(z), headers=admin)).status_code == 201
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    assert [x["zaak"] for x in (await client.get(API, headers=reader)).json()] == [f.url(zaak)]


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

    for n in range(2):
        await client.post(
            API, json=body(await f.create_zaak(database, zaaktype), n), headers=superuser
        )
    few = await measure()
    for n in range(2, 8):
        await client.post(
            API, json=body(await f.create_zaak(database, zaaktype), n), headers=superuser
        )
    assert await measure() == few
