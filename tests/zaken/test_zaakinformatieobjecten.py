"""Black-box tests of /zaakinformatieobjecten (zrc-003, zrc-004, zrc-006, zrc-007)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.documenten import factories as df
from tests.zaken import factories as f

API = "/zaken/api/v1/zaakinformatieobjecten"


def body(zaak, document, **over):
    data = {"zaak": f.url(zaak), "informatieobject": document, "titel": "Aanvraag"}
    data.update(over)
    return data


async def _docs(client, headers, database, zaaktype, count=1):
    """Documents of our register that zaken of `zaaktype` may link (zrc-017)."""
    return await df.linkable_documents(client, headers, database, zaaktype=zaaktype, count=count)


async def _status(database, zaak):
    async with database.transaction() as session:
        zaaktype_id = zaak.zaaktype_id
        from mijnzaken.catalogi import models as cm

        statustype = (
            (
                await session.execute(
                    select(cm.StatusType).where(cm.StatusType.zaaktype_id == zaaktype_id)
                )
            )
            .scalars()
            .first()
        )
        status = m.Status(
            zaak_id=zaak.id,
            statustype_id=statustype.id,
            datum_status_gezet=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
        )
        session.add(status)
        await session.flush()
    return f"http://testserver/zaken/api/v1/statussen/{status.uuid}"


async def test_create_retrieve_list_update_and_destroy(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    doc, other_doc = await _docs(client, superuser, database, zaaktype, 2)
    resp = await client.post(API, json=body(zaak, doc), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["informatieobject"] == doc
    assert created["status"] is None
    got = await client.get(created["url"], headers=superuser)
    assert got.json() == created
    listed = await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)
    assert listed.json() == [created]
    by_document = await client.get(API, params={"informatieobject": other_doc}, headers=superuser)
    assert by_document.json() == []

    status_url = await _status(database, zaak)
    patched = await client.patch(
        created["url"],
        json={
            "titel": "Bijlage",
            "status": status_url,
            "vernietigingsdatum": "2030-01-01T00:00:00Z",
        },
        headers=superuser,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["titel"] == "Bijlage"
    assert patched.json()["status"] == status_url
    assert patched.json()["vernietigingsdatum"] == "2030-01-01T00:00:00Z"
    put = await client.put(
        created["url"], json=body(zaak, doc, beschrijving="x"), headers=superuser
    )
    assert put.status_code == 200, put.text
    assert put.json()["status"] is None
    assert put.json()["titel"] == "Aanvraag"

    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404


async def test_head_and_etag(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    [doc] = await _docs(client, superuser, database, zaaktype)
    created = (await client.post(API, json=body(zaak, doc), headers=superuser)).json()
    got = await client.get(created["url"], headers=superuser)
    head = await client.head(created["url"], headers=superuser)
    assert head.status_code == 200
    assert head.headers["etag"] == got.headers["etag"]
    again = await client.get(
        created["url"], headers={**superuser, "If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304


async def test_zrc_003_informatieobject_must_be_a_url(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(API, json=body(zaak, "geen url"), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "informatieobject"


async def test_zrc_003_local_document_that_does_not_exist_is_bad_url(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    local = (
        "http://testserver/documenten/api/v1/enkelvoudiginformatieobjecten/"
        "6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    )
    resp = await client.post(API, json=body(zaak, local), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "informatieobject",
        "code": "bad-url",
        "reason": resp.json()["invalidParams"][0]["reason"],
    }
    not_a_document = await client.post(API, json=body(zaak, f.url(zaak)), headers=superuser)
    assert not_a_document.json()["invalidParams"][0]["code"] == "bad-url"


async def test_zrc_004_aard_relatie_and_registratiedatum_set_by_register(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    [doc] = await _docs(client, superuser, database, zaaktype)
    resp = await client.post(
        API,
        json=body(
            zaak,
            doc,
            aardRelatieWeergave="Legt vast, omgekeerd: kan vastgelegd zijn als",
            registratiedatum="2000-01-01T00:00:00Z",
            beschrijving="Het aanvraagformulier",
        ),
        headers=superuser,
    )
    created = resp.json()
    assert created["aardRelatieWeergave"] == "Hoort bij, omgekeerd: kent"
    assert created["registratiedatum"] > "2020"
    assert created["titel"] == "Aanvraag"
    assert created["beschrijving"] == "Het aanvraagformulier"


async def test_zrc_004_relation_cannot_change(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    other = await f.create_zaak(database, zaaktype)
    doc, other_doc = await _docs(client, superuser, database, zaaktype, 2)
    created = (await client.post(API, json=body(zaak, doc), headers=superuser)).json()
    resp = await client.patch(created["url"], json={"zaak": f.url(other)}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaak"
    assert resp.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"
    resp = await client.put(created["url"], json=body(zaak, other_doc), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "informatieobject"


async def test_same_document_twice_on_one_zaak_is_unique_error(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    [doc] = await _docs(client, superuser, database, zaaktype)
    assert (await client.post(API, json=body(zaak, doc), headers=superuser)).status_code == 201
    resp = await client.post(API, json=body(zaak, doc), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"
    other = await f.create_zaak(database, zaaktype)
    assert (await client.post(API, json=body(other, doc), headers=superuser)).status_code == 201


async def test_status_must_belong_to_the_same_zaak(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    other = await f.create_zaak(database, zaaktype)
    foreign_status = await _status(database, other)
    [doc] = await _docs(client, superuser, database, zaaktype)
    resp = await client.post(API, json=body(zaak, doc, status=foreign_status), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "status"


async def test_naive_vernietigingsdatum_is_dutch_time_and_year_one_is_400(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    doc, other_doc = await _docs(client, superuser, database, zaaktype, 2)
    resp = await client.post(
        API, json=body(zaak, doc, vernietigingsdatum="2030-06-01T12:00:00"), headers=superuser
    )
    assert resp.json()["vernietigingsdatum"] == "2030-06-01T10:00:00Z"
    resp = await client.post(
        API,
        json=body(zaak, other_doc, vernietigingsdatum="0001-01-01T00:00:00"),
        headers=superuser,
    )
    assert resp.status_code == 400


async def test_audit_trail_and_notification(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    [doc] = await _docs(client, superuser, database, zaaktype)
    async with database.transaction() as session:  # creating the document left its own
        await session.execute(AuditTrail.__table__.delete())
        await session.execute(OutboxMessage.__table__.delete())
    created = (await client.post(API, json=body(zaak, doc), headers=superuser)).json()
    await client.delete(created["url"], headers=superuser)
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.hoofd_object) for t in trail] == [
        ("ZRC", "create", f.url(zaak)),
        ("ZRC", "destroy", f.url(zaak)),
    ]
    payload = outbox[0].payload
    assert payload["kanaal"] == "zaken"
    assert payload["resource"] == "zaakinformatieobject"
    assert set(payload["kenmerken"]) == {
        "bronorganisatie",
        "zaaktype",
        "vertrouwelijkheidaanduiding",
    }


async def test_zrc_006_only_zaken_of_authorised_zaaktypen_are_listed(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    for z, zt in ((zaak, mine), (hidden, other)):
        [doc] = await _docs(client, admin, database, zt)
        assert (await client.post(API, json=body(z, doc), headers=admin)).status_code == 201
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    listed = (await client.get(API, headers=reader)).json()
    assert [z["zaak"] for z in listed] == [f.url(zaak)]
    hidden_link = (await client.get(API, params={"zaak": f.url(hidden)}, headers=admin)).json()
    assert (await client.get(hidden_link[0]["url"], headers=reader)).status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    admin = await register("admin", "geheim-admin", alle=True)
    [doc] = await _docs(client, admin, database, zaaktype)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.post(API, json=body(zaak, doc), headers=writer)).status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    created = await client.post(API, json=body(zaak, doc), headers=forced)
    assert created.status_code == 201
    url = created.json()["url"]
    assert (await client.delete(url, headers=writer)).status_code == 403
    assert (await client.delete(url, headers=forced)).status_code == 204


async def test_list_costs_a_constant_number_of_queries(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    status_url = await _status(database, zaak)
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

    docs = await _docs(client, superuser, database, zaaktype, 8)
    for n in range(2):
        await client.post(API, json=body(zaak, docs[n], status=status_url), headers=superuser)
    few = await measure()
    for n in range(2, 8):
        other = await f.create_zaak(database, zaaktype)
        await client.post(API, json=body(other, docs[n]), headers=superuser)
    assert await measure() == few
