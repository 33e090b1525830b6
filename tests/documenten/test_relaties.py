"""Documents and zaken together: zrc-003/005/017 in the Zaken register for local documents,
objectinformatieobjecten (drc-002, drc-003, drc-004), drc-008 with relations, and the
functions the Besluiten register calls."""

from __future__ import annotations

import datetime as dt

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from mijnzaken.documenten.services import relaties
from tests.catalogi import factories as cf
from tests.documenten import factories as f
from tests.statements import warm_count
from tests.zaken import factories as zf

ZIO = "/zaken/api/v1/zaakinformatieobjecten"
OIO = "/documenten/api/v1/objectinformatieobjecten"


async def _zaak_with_type(database: Database, *, linked: bool = True):
    """A zaak whose zaaktype lists (or not) the document's informatieobjecttype."""
    zaaktype = await zf.published_zaaktype(database)
    async with database.transaction() as session:
        catalogus_id = zaaktype.catalogus_id
        iot = cm.InformatieObjectType(
            catalogus_id=catalogus_id,
            omschrijving="Bijlage",
            vertrouwelijkheidaanduiding="openbaar",
            informatieobjectcategorie="Bijlage",
            begin_geldigheid=dt.date(2024, 1, 1),
            concept=False,
        )
        session.add(iot)
        if linked:
            session.add(
                cm.ZaakTypeInformatieObjectType(
                    zaaktype_id=zaaktype.id,
                    informatieobjecttype_omschrijving="Bijlage",
                    volgnummer=1,
                    richting="inkomend",
                )
            )
        await session.flush()
    zaak = await zf.create_zaak(database, zaaktype)
    return zaak, iot


async def _link(client, headers, zaak, doc):
    return await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": doc["url"]}, headers=headers
    )


async def test_zrc_005_linking_a_local_document_mirrors_an_objectinformatieobject(
    client, superuser, database
):
    zaak, iot = await _zaak_with_type(database)
    doc = await f.create_eio(client, superuser, iot)
    link = await _link(client, superuser, zaak, doc)
    assert link.status_code == 201, link.text
    mirrored = await client.get(OIO, params={"informatieobject": doc["url"]}, headers=superuser)
    assert mirrored.status_code == 200, mirrored.text
    [oio] = mirrored.json()
    assert oio["object"] == zf.url(zaak)
    assert oio["objectType"] == "zaak"
    by_object = await client.get(
        f.EIO,
        params={
            "objectinformatieobjecten_object": zf.url(zaak),
            "objectinformatieobjecten_objectType": "zaak",
        },
        headers=superuser,
    )
    assert [d["url"] for d in by_object.json()["results"]] == [doc["url"]]
    # drc-008: a document with relations cannot be destroyed
    refused = await client.delete(doc["url"], headers=superuser)
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["code"] == "pending-relations"
    # drc-004: the relation exists in the zaak, so it cannot be removed here
    kept = await client.delete(oio["url"], headers=superuser)
    assert kept.status_code == 400
    assert kept.json()["invalidParams"][0]["code"] == "inconsistent-relation"
    # removing the zaak's link removes the mirror, and then the document can go
    removed = await client.delete(link.json()["url"], headers=superuser)
    assert removed.status_code == 204
    assert (await client.get(OIO, headers=superuser)).json() == []
    assert (await client.delete(doc["url"], headers=superuser)).status_code == 204


async def test_zrc_003_a_local_document_must_exist(client, superuser, database):
    zaak, iot = await _zaak_with_type(database)
    doc = await f.create_eio(client, superuser, iot)
    await client.post(f"{doc['url']}/lock", headers=superuser)
    gone = doc["url"][:-12] + "000000000000"
    resp = await _link(client, superuser, zaak, {"url": gone})
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "bad-url"


async def test_zrc_017_the_documents_type_must_belong_to_the_zaaktype(client, superuser, database):
    zaak, iot = await _zaak_with_type(database, linked=False)
    doc = await f.create_eio(client, superuser, iot)
    resp = await _link(client, superuser, zaak, doc)
    assert resp.status_code == 400
    assert (
        resp.json()["invalidParams"][0]["code"] == "missing-zaaktype-informatieobjecttype-relation"
    )


async def test_drc_002_object_must_be_a_known_object(client, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    resp = await client.post(
        OIO,
        json={
            "informatieobject": doc["url"],
            "object": "http://testserver/zaken/api/v1/zaken/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
            "objectType": "zaak",
        },
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "object"


async def test_drc_003_a_relation_exists_once(client, superuser, database):
    zaak, iot = await _zaak_with_type(database)
    doc = await f.create_eio(client, superuser, iot)
    assert (await _link(client, superuser, zaak, doc)).status_code == 201
    resp = await client.post(
        OIO,
        json={"informatieobject": doc["url"], "object": zf.url(zaak), "objectType": "zaak"},
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"


async def test_drc_004_relation_must_exist_in_the_source(client, superuser, database):
    zaak, iot = await _zaak_with_type(database)
    doc = await f.create_eio(client, superuser, iot)
    resp = await client.post(
        OIO,
        json={"informatieobject": doc["url"], "object": zf.url(zaak), "objectType": "zaak"},
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "inconsistent-relation"


async def test_relaties_functions_for_the_besluiten_register(client, superuser, database, app):
    """informatieobject / koppel / ontkoppel, as the Besluiten register calls them."""
    iot = await f.informatieobjecttype(database, vertrouwelijkheidaanduiding="intern")
    doc = await f.create_eio(client, superuser, iot)
    besluit = "http://testserver/besluiten/api/v1/besluiten/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    ctx = _ctx(app, database)
    async with database.transaction() as session:
        ctx.session = session
        found = await relaties.informatieobject(ctx, doc["url"])
        assert found is not None
        assert found.informatieobjecttype == cf.url(iot)
        assert found.vertrouwelijkheidaanduiding == "intern"
        assert await relaties.informatieobject(ctx, "https://elders.nl/documenten/1") is None
        assert await relaties.koppel(
            ctx, informatieobject_url=doc["url"], object_type="besluit", object_url=besluit
        )
        assert not await relaties.koppel(
            ctx,
            informatieobject_url="https://elders.nl/d/1",
            object_type="besluit",
            object_url=besluit,
        )
    [oio] = (await client.get(OIO, headers=superuser)).json()
    assert (oio["object"], oio["objectType"]) == (besluit, "besluit")
    async with database.transaction() as session:
        ctx.session = session
        assert await relaties.ontkoppel(
            ctx, informatieobject_url=doc["url"], object_url=besluit, object_type="besluit"
        )
    assert (await client.get(OIO, headers=superuser)).json() == []


def _ctx(app, _database):
    """The part of a request context the relaties functions use: URLs, settings and the
    session."""
    from types import SimpleNamespace

    from mijnzaken.core.urls import Urls

    return SimpleNamespace(
        urls=Urls("http://testserver"), session=None, settings=app.state.runtime.settings
    )


async def test_documents_of_a_zaak_in_a_fixed_number_of_queries(client, superuser, database):
    """The zaak's links, then its documents with their types in one `_zoek`: the statement
    count is the same for 2 and for 12 documents."""
    zaak, iot = await _zaak_with_type(database)

    async def add(n: int) -> None:
        for _ in range(n):
            doc = await f.create_eio(client, superuser, iot)
            assert (await _link(client, superuser, zaak, doc)).status_code == 201

    async def links():
        return await client.get(ZIO, params={"zaak": zf.url(zaak)}, headers=superuser)

    async def documents():
        uuids = [link["informatieobject"].rsplit("/", 1)[1] for link in (await links()).json()]
        return await client.post(
            f"{f.EIO}/_zoek",
            json={"uuid__in": uuids, "expand": "informatieobjecttype"},
            headers=superuser,
        )

    await add(2)
    few = (await warm_count(database, links), await warm_count(database, documents))
    await add(10)
    many = (await warm_count(database, links), await warm_count(database, documents))
    assert (await documents()).json()["count"] == 12
    assert few == many


async def test_zrc_005_destroying_a_zaak_removes_the_mirrors_of_its_documents(
    client, superuser, database
):
    zaak, iot = await _zaak_with_type(database)
    doc = await f.create_eio(client, superuser, iot)
    assert (await _link(client, superuser, zaak, doc)).status_code == 201
    assert len((await client.get(OIO, headers=superuser)).json()) == 1
    gone = await client.delete(zf.url(zaak), headers={**superuser, "Accept-Crs": "EPSG:4326"})
    assert gone.status_code == 204, gone.text
    assert (await client.get(OIO, headers=superuser)).json() == []
    assert (await client.delete(doc["url"], headers=superuser)).status_code == 204
