"""Black-box tests of /zaken/{zaak_uuid}/zaakeigenschappen (zrc-018, ztc-015, zrc-006/007)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import event, select

from mijnzaken.catalogi import models as cm
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.zaken import factories as f


async def create_eigenschap(database, zaaktype, naam="kenteken", **specificatie):
    spec = {"groep": "", "formaat": "tekst", "lengte": "8", "kardinaliteit": "1"}
    spec.update(specificatie)
    async with database.transaction() as session:
        obj = cm.Eigenschap(
            zaaktype_id=zaaktype.id, naam=naam, definitie="Een eigenschap", specificatie=spec
        )
        session.add(obj)
        await session.flush()
    return obj


def api(zaak):
    return f"{f.url(zaak)}/zaakeigenschappen"


def body(zaak, eigenschap, waarde="AB-123-C"):
    return {"zaak": f.url(zaak), "eigenschap": cf.url(eigenschap), "waarde": waarde}


async def test_create_list_retrieve_update_and_destroy(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    eigenschap = await create_eigenschap(database, zaaktype)
    resp = await client.post(api(zaak), json=body(zaak, eigenschap), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["naam"] == "kenteken"
    assert created["url"] == f"{api(zaak)}/{created['uuid']}"
    assert resp.headers["location"] == created["url"]
    assert (await client.get(created["url"], headers=superuser)).json() == created
    assert (await client.get(api(zaak), headers=superuser)).json() == [created]
    head = await client.head(created["url"], headers=superuser)
    assert head.status_code == 200
    assert head.headers["etag"]

    patched = await client.patch(created["url"], json={"waarde": "XY-99-Z"}, headers=superuser)
    assert patched.status_code == 200, patched.text
    assert patched.json()["waarde"] == "XY-99-Z"
    put = await client.put(created["url"], json=body(zaak, eigenschap, "1"), headers=superuser)
    assert put.json()["waarde"] == "1"
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404


async def test_unknown_zaak_of_path_is_404_and_child_of_other_zaak_is_404(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    other = await f.create_zaak(database, zaaktype)
    eigenschap = await create_eigenschap(database, zaaktype)
    created = (await client.post(api(zaak), json=body(zaak, eigenschap), headers=superuser)).json()
    missing = f"http://testserver/zaken/api/v1/zaken/{uuid.uuid4()}/zaakeigenschappen"
    assert (await client.get(missing, headers=superuser)).status_code == 404
    wrong = f"{api(other)}/{created['uuid']}"
    assert (await client.get(wrong, headers=superuser)).status_code == 404
    mismatch = await client.post(api(other), json=body(zaak, eigenschap), headers=superuser)
    assert mismatch.status_code == 400
    assert mismatch.json()["invalidParams"][0]["name"] == "zaak"


async def test_zrc_018_eigenschap_must_belong_to_the_zaaktype(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other_type = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, zaaktype)
    foreign = await create_eigenschap(database, other_type)
    resp = await client.post(api(zaak), json=body(zaak, foreign), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "eigenschap"
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"
    not_an_eigenschap = body(zaak, foreign)
    not_an_eigenschap["eigenschap"] = cf.url(zaaktype)
    resp = await client.post(api(zaak), json=not_an_eigenschap, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "eigenschap"


@pytest.mark.parametrize(
    ("specificatie", "good", "bad"),
    [
        ({"formaat": "tekst", "lengte": "5"}, "abcde", "abcdef"),
        ({"formaat": "getal", "lengte": "4"}, "1234", "12a4"),
        ({"formaat": "getal", "lengte": "5,2"}, "123,45", "1,234"),
        ({"formaat": "datum", "lengte": "8"}, "20240229", "20230229"),
        ({"formaat": "datum", "lengte": "8"}, "20240301", "2024-03-01"),
        ({"formaat": "datum_tijd", "lengte": "14"}, "20240301235959", "20240301246000"),
        (
            {"formaat": "tekst", "lengte": "10", "waardenverzameling": ["rood", "groen"]},
            "groen",
            "blauw",
        ),
    ],
)
async def test_zrc_018_waarde_follows_the_specificatie(
    client, superuser, database, specificatie, good, bad
):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    eigenschap = await create_eigenschap(database, zaaktype, **specificatie)
    ok = await client.post(api(zaak), json=body(zaak, eigenschap, good), headers=superuser)
    assert ok.status_code == 201, ok.text
    resp = await client.post(api(zaak), json=body(zaak, eigenschap, bad), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "waarde"


async def test_audit_trail_and_notification(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    eigenschap = await create_eigenschap(database, zaaktype)
    created = (await client.post(api(zaak), json=body(zaak, eigenschap), headers=superuser)).json()
    await client.patch(created["url"], json={"waarde": "ZZ-11-Y"}, headers=superuser)
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.resource_url) for t in trail] == [
        ("ZRC", "create", created["url"]),
        ("ZRC", "partial_update", created["url"]),
    ]
    assert [(o.payload["kanaal"], o.payload["resource"]) for o in outbox] == [
        ("zaken", "zaakeigenschap"),
        ("zaken", "zaakeigenschap"),
    ]
    assert outbox[0].payload["hoofdObject"] == f.url(zaak)


async def test_zrc_006_zaak_of_path_must_be_readable(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    hidden = await f.create_zaak(database, other)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    assert (await client.get(api(hidden), headers=reader)).status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    eigenschap = await create_eigenschap(database, zaaktype)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    resp = await client.post(api(zaak), json=body(zaak, eigenschap), headers=writer)
    assert resp.status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    resp = await client.post(api(zaak), json=body(zaak, eigenschap), headers=forced)
    assert resp.status_code == 201


async def test_list_costs_a_constant_number_of_queries(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    eigenschappen = [await create_eigenschap(database, zaaktype, naam=f"e{n}") for n in range(6)]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    async def measure() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            assert (await client.get(api(zaak), headers=superuser)).status_code == 200
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        return len(statements)

    await client.post(api(zaak), json=body(zaak, eigenschappen[0]), headers=superuser)
    few = await measure()
    for e in eigenschappen[1:]:
        await client.post(api(zaak), json=body(zaak, e), headers=superuser)
    assert len((await client.get(api(zaak), headers=superuser)).json()) == 6
    assert await measure() == few
