"""Black-box tests of /zaken/{zaak_uuid}/besluiten."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.zaken import factories as f

BESLUIT = "https://besluiten.elders.nl/besluiten/api/v1/besluiten/1"


def api(zaak):
    return f"{f.url(zaak)}/besluiten"


async def test_create_list_retrieve_and_destroy(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(api(zaak), json={"besluit": BESLUIT}, headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created == {
        "url": f"{api(zaak)}/{created['uuid']}",
        "uuid": created["uuid"],
        "besluit": BESLUIT,
    }
    assert resp.headers["location"] == created["url"]
    got = await client.get(created["url"], headers=superuser)
    assert got.json() == created
    listed = await client.get(api(zaak), headers=superuser)
    assert listed.json() == [created]
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(api(zaak), headers=superuser)).json() == []


async def test_besluit_must_be_a_url_and_zaak_must_exist(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(api(zaak), json={"besluit": "geen-url"}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "besluit"
    missing = f"http://testserver/zaken/api/v1/zaken/{uuid.uuid4()}/besluiten"
    resp = await client.post(missing, json={"besluit": BESLUIT}, headers=superuser)
    assert resp.status_code == 404


async def test_audit_trail_and_notification(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    created = (await client.post(api(zaak), json={"besluit": BESLUIT}, headers=superuser)).json()
    await client.delete(created["url"], headers=superuser)
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.hoofd_object) for t in trail] == [
        ("ZRC", "create", f.url(zaak)),
        ("ZRC", "destroy", f.url(zaak)),
    ]
    assert [(o.payload["resource"], o.payload["actie"]) for o in outbox] == [
        ("zaakbesluit", "create"),
        ("zaakbesluit", "destroy"),
    ]


async def test_zrc_006_zaak_of_path_must_be_readable(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    created = (await client.post(api(hidden), json={"besluit": BESLUIT}, headers=admin)).json()
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    assert (await client.get(api(hidden), headers=reader)).status_code == 403
    assert (await client.get(created["url"], headers=reader)).status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    resp = await client.post(api(zaak), json={"besluit": BESLUIT}, headers=writer)
    assert resp.status_code == 403
    both = await register(
        "beide",
        "geheim-beide",
        autorisaties=[
            f.zrc_autorisatie(
                zaaktype, "zaken.lezen", "zaken.bijwerken", "zaken.geforceerd-bijwerken"
            )
        ],
    )
    resp = await client.post(api(zaak), json={"besluit": BESLUIT}, headers=both)
    assert resp.status_code == 201
