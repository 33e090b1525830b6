"""Black-box tests of /klantcontacten, and through it of the shared resource layer."""

from __future__ import annotations

from sqlalchemy import select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.zaken import factories as f

API = "/zaken/api/v1/klantcontacten"


def body(zaak, **over):
    data = {
        "zaak": f.url(zaak),
        "datumtijd": "2024-03-02T10:00:00Z",
        "kanaal": "telefoon",
        "onderwerp": "Vraag over de aanvraag",
    }
    data.update(over)
    return data


async def test_create_list_and_retrieve(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(API, json=body(zaak), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["zaak"] == f.url(zaak)
    assert len(created["identificatie"]) == 14
    assert resp.headers["location"] == created["url"]
    assert (await client.get(created["url"], headers=superuser)).json() == created
    listed = await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)
    assert listed.json()["count"] == 1


async def test_create_writes_audit_trail_and_notification(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    headers = {**superuser, "X-Audit-Toelichting": "Gebeld door aanvrager"}
    created = (await client.post(API, json=body(zaak), headers=headers)).json()
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.actie, t.hoofd_object, t.toelichting) for t in trail] == [
        ("create", f.url(zaak), "Gebeld door aanvrager")
    ]
    assert trail[0].nieuw == created
    assert outbox[0].payload["kanaal"] == "zaken"
    assert outbox[0].payload["resourceUrl"] == created["url"]


async def test_unknown_zaak_is_400(client, superuser):
    resp = await client.post(
        API,
        json={
            "zaak": "http://testserver/zaken/api/v1/zaken/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
            "datumtijd": "2024-03-02T10:00:00Z",
        },
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaak"


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
    listed = await client.get(API, headers=reader)
    assert [k["zaak"] for k in listed.json()["results"]] == [f.url(zaak)]
    other_url = (await client.get(API, params={"zaak": f.url(hidden)}, headers=admin)).json()
    resp = await client.get(other_url["results"][0]["url"], headers=reader)
    assert resp.status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    import datetime as dt

    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.post(API, json=body(zaak), headers=writer)).status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    assert (await client.post(API, json=body(zaak), headers=forced)).status_code == 201


async def test_without_token_401_and_without_scope_403(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    assert (await client.get(API)).status_code == 401
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    assert (await client.post(API, json=body(zaak), headers=reader)).status_code == 403
