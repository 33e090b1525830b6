"""Black-box tests of /resultaten: the outcome of a zaak, one per zaak (zrc-020, zrc-007)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.statements import warm_count
from tests.zaken import factories as f
from tests.zaken.test_statussen import client_with, create_resultaattype

API = "/zaken/api/v1/resultaten"


async def setup(database, **zaak_over):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, **zaak_over)
    return zaaktype, zaak, await create_resultaattype(database, zaaktype)


def body(zaak, resultaattype, /, **over):
    data = {
        "zaak": f.url(zaak),
        "resultaattype": cf.url(resultaattype),
        "toelichting": "Vergunning verleend",
    }
    data.update(over)
    return data


async def test_create_retrieve_head_and_list(client, superuser, database):
    _zt, zaak, resultaattype = await setup(database)
    resp = await client.post(API, json=body(zaak, resultaattype), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["zaak"] == f.url(zaak)
    assert created["resultaattype"] == cf.url(resultaattype)
    assert created["toelichting"] == "Vergunning verleend"
    retrieved = await client.get(created["url"], headers=superuser)
    assert retrieved.json() == created
    expanded = await client.get(created["url"], params={"expand": "zaak"}, headers=superuser)
    assert expanded.status_code == 200
    assert {k: v for k, v in expanded.json().items() if k != "_expand"} == created
    head = await client.head(created["url"], headers=superuser)
    assert (head.status_code, head.headers["etag"]) == (200, retrieved.headers["etag"])
    for params in (
        {"zaak": f.url(zaak)},
        {"resultaattype": cf.url(resultaattype)},
        {"expand": "zaak"},
    ):
        listed = await client.get(API, params=params, headers=superuser)
        assert [
            {k: v for k, v in r.items() if k != "_expand"} for r in listed.json()["results"]
        ] == [created], params
    other = await client.get(
        API, params={"resultaattype": "https://elders.example/rt/1"}, headers=superuser
    )
    assert other.json()["count"] == 0


async def test_bad_references_are_400_naming_the_field(client, superuser, database):
    _zt, zaak, resultaattype = await setup(database)
    missing_zaak = "http://testserver/zaken/api/v1/zaken/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    missing_type = (
        "http://testserver/catalogi/api/v1/resultaattypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    )
    cases = [
        (body(zaak, resultaattype, zaak=missing_zaak), "zaak", "does_not_exist"),
        (body(zaak, resultaattype, resultaattype=missing_type), "resultaattype", "does_not_exist"),
        (body(zaak, resultaattype, resultaattype="nee"), "resultaattype", "invalid"),
        (body(zaak, resultaattype, toelichting="x" * 1001), "toelichting", "max_length"),
        ({"zaak": f.url(zaak)}, "resultaattype", "required"),
    ]
    for data, name, code in cases:
        resp = await client.post(API, json=data, headers=superuser)
        assert resp.status_code == 400, (data, resp.text)
        assert resp.json()["invalidParams"][0]["name"] == name
        assert resp.json()["invalidParams"][0]["code"] == code


async def test_zrc_020_resultaattype_of_another_zaaktype_is_400(client, superuser, database):
    _zt, zaak, _rt = await setup(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    foreign = await create_resultaattype(database, other)
    resp = await client.post(API, json=body(zaak, foreign), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "resultaattype"
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"


async def test_a_zaak_has_one_resultaat(client, superuser, database):
    _zt, zaak, resultaattype = await setup(database)
    assert (await client.post(API, json=body(zaak, resultaattype), headers=superuser)).is_success
    resp = await client.post(API, json=body(zaak, resultaattype), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "zaak",
        "code": "unique",
        "reason": "De zaak heeft al een resultaat.",
    }


async def test_update_and_partial_update_change_the_toelichting(client, superuser, database):
    zaaktype, zaak, resultaattype = await setup(database)
    created = (await client.post(API, json=body(zaak, resultaattype), headers=superuser)).json()
    put = await client.put(
        created["url"], json=body(zaak, resultaattype, toelichting="Gewijzigd"), headers=superuser
    )
    assert put.status_code == 200, put.text
    assert put.json() == {**created, "toelichting": "Gewijzigd"}
    patch = await client.patch(created["url"], json={"toelichting": ""}, headers=superuser)
    assert patch.json() == {**created, "toelichting": ""}
    assert (await client.get(created["url"], headers=superuser)).json() == patch.json()

    # the resultaattype and the zaak stay as they are
    another = await create_resultaattype(database, zaaktype, omschrijving="Geweigerd")
    resp = await client.patch(
        created["url"], json={"resultaattype": cf.url(another)}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "resultaattype"
    assert resp.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"
    other_zaak = await f.create_zaak(database, zaaktype, identificatie="ANDER")
    resp = await client.patch(created["url"], json={"zaak": f.url(other_zaak)}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaak"
    resp = await client.patch(created["url"], json={"resultaattype": None}, headers=superuser)
    assert resp.status_code == 400


async def test_changes_write_audit_trail_and_notifications(client, superuser, database):
    zaaktype, zaak, resultaattype = await setup(database)
    created = (await client.post(API, json=body(zaak, resultaattype), headers=superuser)).json()
    await client.patch(created["url"], json={"toelichting": "Anders"}, headers=superuser)
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail).order_by(AuditTrail.id))).scalars()
        outbox = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        trail, outbox = trail.all(), outbox.all()
    assert [(t.bron, t.actie, t.resource, t.hoofd_object) for t in trail] == [
        ("ZRC", actie, "resultaat", f.url(zaak))
        for actie in ("create", "partial_update", "destroy")
    ]
    assert trail[2].oud["toelichting"] == "Anders"
    assert trail[2].nieuw is None
    assert [(o.payload["resource"], o.payload["actie"]) for o in outbox] == [
        ("resultaat", "create"),
        ("resultaat", "partial_update"),
        ("resultaat", "destroy"),
    ]
    assert outbox[0].payload["kenmerken"] == {
        "bronorganisatie": zaak.bronorganisatie,
        "zaaktype": cf.url(zaaktype),
        "vertrouwelijkheidaanduiding": "openbaar",
    }


async def test_zrc_006_only_resultaten_of_authorised_zaaktypen(
    client, superuser, register, database
):
    zaaktype, zaak, resultaattype = await setup(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    hidden_zaak = await f.create_zaak(database, other, identificatie="VERBORGEN")
    mine = (await client.post(API, json=body(zaak, resultaattype), headers=superuser)).json()
    hidden = (
        await client.post(
            API,
            json=body(hidden_zaak, await create_resultaattype(database, other)),
            headers=superuser,
        )
    ).json()
    reader = await client_with(register, zaaktype, "zaken.lezen")
    assert [r["url"] for r in (await client.get(API, headers=reader)).json()["results"]] == [
        mine["url"]
    ]
    assert (await client.get(hidden["url"], headers=reader)).status_code == 403
    assert (await client.delete(mine["url"], headers=reader)).status_code == 403
    writer = await client_with(register, zaaktype, "zaken.bijwerken")
    assert (await client.delete(hidden["url"], headers=writer)).status_code == 403
    # zaken.bijwerken without zaken.lezen is enough to change a resultaat
    resp = await client.patch(mine["url"], json={"toelichting": "Bijgewerkt"}, headers=writer)
    assert resp.status_code == 200, resp.text


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(
    client, superuser, register, database
):
    zaaktype, zaak, resultaattype = await setup(database, einddatum=dt.date(2024, 4, 1))
    writer = await client_with(register, zaaktype, "zaken.lezen", "zaken.bijwerken")
    assert (
        await client.post(API, json=body(zaak, resultaattype), headers=writer)
    ).status_code == 403
    forced = await client_with(register, zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")
    resp = await client.post(API, json=body(zaak, resultaattype), headers=forced)
    assert resp.status_code == 201
    url = resp.json()["url"]
    assert (await client.patch(url, json={"toelichting": "x"}, headers=writer)).status_code == 403
    assert (await client.delete(url, headers=writer)).status_code == 403
    assert (await client.patch(url, json={"toelichting": "x"}, headers=forced)).status_code == 200
    assert (await client.delete(url, headers=forced)).status_code == 204


async def test_list_costs_a_constant_number_of_queries(client, superuser, register, database):
    zaaktype, zaak, resultaattype = await setup(database)
    reader = await client_with(register, zaaktype, "zaken.lezen")

    async def count_list() -> int:
        return await warm_count(database, lambda: client.get(API, headers=reader))

    assert (await client.post(API, json=body(zaak, resultaattype), headers=superuser)).is_success
    one = await count_list()
    for i in range(6):
        z = await f.create_zaak(database, zaaktype, identificatie=f"Z-{i}")
        rt = await create_resultaattype(database, zaaktype, omschrijving=f"RT {i}")
        assert (await client.post(API, json=body(z, rt), headers=superuser)).is_success
    assert await count_list() == one
