"""Black-box tests of /besluitinformatieobjecten (brc-003, brc-004, brc-005, brc-008).

A document of our own Documenten register must exist and have an informatieobjecttype of the
besluittype, and the link is mirrored there as an objectinformatieobject; a remote document
is fetched from its own Documenten API (tests/documenten/test_remote_relaties.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from mijnzaken.besluiten import models as m
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.besluiten import factories as f

LOCAL_DOC = "http://testserver/documenten/api/v1/enkelvoudiginformatieobjecten/"


def body(besluit, document, **over):
    data = {"besluit": f.url(besluit), "informatieobject": document}
    data.update(over)
    return data


async def _docs(client, headers, database, besluittype, count=1):
    """Documents of our register that besluiten of `besluittype` may link (brc-008)."""
    from tests.documenten import factories as df

    return await df.linkable_documents(
        client, headers, database, besluittype=besluittype, count=count
    )


async def test_create_read_list_and_delete(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    besluit = await f.create_besluit(database, besluittype)
    other = await f.create_besluit(database, besluittype)
    doc, other_doc = await _docs(client, superuser, database, besluittype, 2)
    resp = await client.post(f.BIO_API, json=body(besluit, doc), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created == {
        "url": created["url"],
        "informatieobject": doc,
        "besluit": f.url(besluit),
    }
    assert resp.headers["location"] == created["url"]
    second = (await client.post(f.BIO_API, json=body(other, other_doc), headers=superuser)).json()
    assert (await client.get(created["url"], headers=superuser)).json() == created

    async def listed(**params):
        resp = await client.get(f.BIO_API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return resp.json()

    assert await listed() == [created, second]
    assert await listed(besluit=f.url(besluit)) == [created]
    assert await listed(informatieobject=other_doc) == [second]
    assert await listed(besluit="https://elders.nl/besluiten/api/v1/besluiten/1") == []
    expanded = await listed(besluit=f.url(other), expand="besluit")
    assert expanded[0]["_expand"]["besluit"]["url"] == f.url(other)
    resp = await client.get(f.BIO_API, params={"expand": "informatieobject"}, headers=superuser)
    assert resp.status_code == 400
    assert (await client.get(f.BIO_API, params={"x": "1"}, headers=superuser)).status_code == 400

    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert await listed() == [second]
    missing = f"{f.BIO_API}/{uuid.uuid4()}"
    assert (await client.get(missing, headers=superuser)).status_code == 404


async def test_same_document_twice_and_unknown_besluit(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    besluit = await f.create_besluit(database, besluittype)
    [doc] = await _docs(client, superuser, database, besluittype)
    assert (
        await client.post(f.BIO_API, json=body(besluit, doc), headers=superuser)
    ).status_code == 201
    resp = await client.post(f.BIO_API, json=body(besluit, doc), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"
    gone = {"besluit": f"{f.API}/{uuid.uuid4()}", "informatieobject": doc}
    resp = await client.post(f.BIO_API, json=gone, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "besluit"
    resp = await client.post(f.BIO_API, json={"besluit": "x"}, headers=superuser)
    assert {p["name"] for p in resp.json()["invalidParams"]} == {"besluit", "informatieobject"}


async def test_rights_follow_the_besluittype_of_the_besluit(client, register, database):
    mine = await f.published_besluittype(database)
    other = await f.published_besluittype(database, omschrijving="Ander besluit")
    own = await f.create_besluit(database, mine)
    foreign = await f.create_besluit(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    [own_doc] = await _docs(client, admin, database, mine)
    foreign_doc, foreign_doc2 = await _docs(client, admin, database, other, 2)
    hidden = (await client.post(f.BIO_API, json=body(foreign, foreign_doc), headers=admin)).json()
    user = await register(
        "gebruiker",
        "geheim-gebruiker",
        autorisaties=[f.brc_autorisatie(mine, "besluiten.lezen", "besluiten.aanmaken")],
    )
    assert (await client.post(f.BIO_API, json=body(own, own_doc), headers=user)).status_code == 201
    assert (
        await client.post(f.BIO_API, json=body(foreign, foreign_doc2), headers=user)
    ).status_code == 403
    assert [b["besluit"] for b in (await client.get(f.BIO_API, headers=user)).json()] == [
        f.url(own)
    ]
    assert (await client.get(hidden["url"], headers=user)).status_code == 403
    assert (await client.delete(hidden["url"], headers=user)).status_code == 403


async def test_audit_trail_of_the_besluit_and_no_notification(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    besluit = await f.create_besluit(database, besluittype)
    [doc] = await _docs(client, superuser, database, besluittype)
    async with database.transaction() as session:  # creating the document left its own
        await session.execute(AuditTrail.__table__.delete())
        await session.execute(OutboxMessage.__table__.delete())
    created = (await client.post(f.BIO_API, json=body(besluit, doc), headers=superuser)).json()
    await client.delete(created["url"], headers=superuser)
    trail = (await client.get(f"{f.url(besluit)}/audittrail", headers=superuser)).json()
    assert [(e["resource"], e["actie"], e["resourceUrl"]) for e in trail] == [
        ("besluitinformatieobject", "create", created["url"]),
        ("besluitinformatieobject", "destroy", created["url"]),
    ]
    async with database.transaction() as session:
        # the Besluiten API notifies about besluit only (its kanaal's resources)
        assert (await session.execute(select(OutboxMessage))).scalars().all() == []
        assert len((await session.execute(select(AuditTrail))).scalars().all()) == 2


async def test_brc_003_local_informatieobject_must_exist(client, superuser, database):
    besluittype, document = await _local_document(client, superuser, database)
    besluit = await f.create_besluit(database, besluittype)
    for url in (f"{LOCAL_DOC}{uuid.uuid4()}", "http://testserver/zaken/api/v1/zaken/1"):
        resp = await client.post(f.BIO_API, json=body(besluit, url), headers=superuser)
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["name"] == "informatieobject"
        assert resp.json()["invalidParams"][0]["code"] == "bad-url"
    resp = await client.post(f.BIO_API, json=body(besluit, "geen url"), headers=superuser)
    assert resp.status_code == 400
    resp = await client.post(f.BIO_API, json=body(besluit, document["url"]), headers=superuser)
    assert resp.status_code == 201, resp.text


async def _local_document(client, superuser, database, *, listed=True):
    """A published besluittype and a document of our Documenten register whose
    informatieobjecttype the besluittype lists (or not)."""
    from tests.documenten import factories as df

    iot = await df.informatieobjecttype(database, omschrijving="Besluitbrief")
    besluittype = await f.published_besluittype(
        database,
        await f._catalogus(database, iot.catalogus_id),
        informatieobjecttype_omschrijvingen=["Besluitbrief"] if listed else [],
    )
    return besluittype, await df.create_eio(client, superuser, iot)


async def _mirrors(client, superuser, besluit) -> list[dict]:
    resp = await client.get(
        "/documenten/api/v1/objectinformatieobjecten",
        params={"object": f"http://testserver/besluiten/api/v1/besluiten/{besluit.uuid}"},
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    result: list[dict] = resp.json()
    return result


async def test_brc_004_aard_relatie_is_legt_vast(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    besluit = await f.create_besluit(database, besluittype)
    [doc] = await _docs(client, superuser, database, besluittype)
    created = (await client.post(f.BIO_API, json=body(besluit, doc), headers=superuser)).json()
    async with database.transaction() as session:
        stored = (await session.execute(select(m.BesluitInformatieObject))).scalar_one()
    assert stored.aard_relatie == "legt_vast"
    assert created["url"].endswith(str(stored.uuid))


async def test_brc_005_a_link_to_a_local_document_is_mirrored(client, superuser, database):
    besluittype, document = await _local_document(client, superuser, database)
    besluit = await f.create_besluit(database, besluittype)
    created = await client.post(f.BIO_API, json=body(besluit, document["url"]), headers=superuser)
    assert created.status_code == 201, created.text
    [mirror] = await _mirrors(client, superuser, besluit)
    assert (mirror["informatieobject"], mirror["objectType"]) == (document["url"], "besluit")
    # removing the link removes its mirror; so does removing the besluit (brc-009)
    assert (await client.delete(created.json()["url"], headers=superuser)).status_code == 204
    assert await _mirrors(client, superuser, besluit) == []
    again = await client.post(f.BIO_API, json=body(besluit, document["url"]), headers=superuser)
    assert again.status_code == 201
    assert len(await _mirrors(client, superuser, besluit)) == 1
    assert (await client.delete(f.url(besluit), headers=superuser)).status_code == 204
    assert await _mirrors(client, superuser, besluit) == []


async def test_brc_008_informatieobjecttype_of_a_local_document_checked(
    client, superuser, database
):
    besluittype, document = await _local_document(client, superuser, database, listed=False)
    besluit = await f.create_besluit(database, besluittype)
    local = body(besluit, document["url"])
    resp = await client.post(f.BIO_API, json=local, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == (
        "missing-besluittype-informatieobjecttype-relation"
    )
    assert await _mirrors(client, superuser, besluit) == []
