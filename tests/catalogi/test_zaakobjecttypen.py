"""Black-box tests of /zaakobjecttypen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from tests.catalogi import factories as f

URL = "/catalogi/api/v1/zaakobjecttypen"
OBJECTTYPE = "https://objecttypen.example.nl/api/v2/objecttypes/1"


async def scoped(register: Any, name: str, *scopes: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": "ztc", "scopes": list(scopes)}]
    )
    return headers


async def zaaktype_in_catalogus(database: Database, **over: Any) -> tuple[Any, Any]:
    catalogus = await f.create_catalogus(database)
    return catalogus, await f.create_zaaktype(database, catalogus, **over)


def body(catalogus: m.Catalogus, zaaktype: m.ZaakType, /, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "anderObjecttype": False,
        "objecttype": OBJECTTYPE,
        "relatieOmschrijving": "Voertuig",
        "zaaktype": f.url(zaaktype),
        "catalogus": f.url(catalogus),
    }
    data.update(over)
    return data


async def create_zaakobjecttype(database: Database, zaaktype: m.ZaakType, **over: Any) -> Any:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "ander_objecttype": False,
        "objecttype": OBJECTTYPE,
        "relatie_omschrijving": "Voertuig",
        "begin_geldigheid": zaaktype.begin_geldigheid,
    }
    fields.update(over)
    zaakobjecttype = m.ZaakObjectType(**fields)
    async with database.transaction() as session:
        session.add(zaakobjecttype)
    return zaakobjecttype


async def test_create_and_retrieve_zaakobjecttype(client, superuser, database):
    catalogus, zaaktype = await zaaktype_in_catalogus(database)
    resp = await client.post(URL, json=body(catalogus, zaaktype), headers=superuser)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert resp.headers["Location"] == out["url"]
    assert out["catalogus"] == f.url(catalogus)
    assert out["zaaktypeIdentificatie"] == "ZT-1"
    assert out["beginGeldigheid"] == "2024-01-01"
    assert (out["resultaattypen"], out["statustypen"]) == ([], [])
    assert (await client.get(out["url"], headers=superuser)).json() == out


async def test_create_bad_input_is_400(client, superuser, database):
    catalogus, zaaktype = await zaaktype_in_catalogus(database)
    resp = await client.post(
        URL,
        json=body(catalogus, zaaktype, objecttype="geen url", anderObjecttype="misschien"),
        headers=superuser,
    )
    assert resp.status_code == 400
    assert {p["name"] for p in resp.json()["invalidParams"]} == {"objecttype", "anderObjecttype"}
    data = body(catalogus, zaaktype)
    del data["catalogus"]
    resp = await client.post(URL, json=data, headers=superuser)
    assert resp.json()["invalidParams"][0]["name"] == "catalogus"
    other = await f.create_catalogus(database, domein="ANDER")
    resp = await client.post(URL, json=body(other, zaaktype), headers=superuser)
    assert resp.json()["invalidParams"][0]["code"] == "relations-incorrect-catalogus"
    resp = await client.post(
        URL, json=body(catalogus, zaaktype, beginGeldigheid="2023-05-05"), headers=superuser
    )
    assert resp.json()["invalidParams"][0]["name"] == "beginGeldigheid"


async def test_list_filters(client, superuser, database):
    catalogus, concept = await zaaktype_in_catalogus(database, identificatie="CONCEPT")
    published = await f.create_zaaktype(
        database,
        catalogus,
        identificatie="PUB",
        concept=False,
        begin_geldigheid=dt.date(2024, 3, 1),
        einde_geldigheid=dt.date(2024, 12, 31),
    )
    await create_zaakobjecttype(database, concept, ander_objecttype=True)
    await create_zaakobjecttype(
        database, published, relatie_omschrijving="Pand", objecttype=OBJECTTYPE + "0"
    )

    async def idents(**params: Any) -> list[str]:
        resp = await client.get(URL, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return sorted(r["zaaktypeIdentificatie"] for r in resp.json()["results"])

    # no `status` filter on this resource: concept types are listed too
    assert await idents() == ["CONCEPT", "PUB"]
    assert await idents(anderObjecttype="true") == ["CONCEPT"]
    assert await idents(catalogus=f.url(catalogus)) == ["CONCEPT", "PUB"]
    assert await idents(catalogus="https://elders.nl/catalogussen/1") == []
    assert await idents(datumBeginGeldigheid="2024-03-01") == ["PUB"]
    assert await idents(datumEindeGeldigheid="2024-12-31") == ["PUB"]
    assert await idents(datumGeldigheid="2025-02-01") == ["CONCEPT"]
    assert await idents(objecttype=OBJECTTYPE) == ["CONCEPT"]
    assert await idents(relatieOmschrijving="Pand") == ["PUB"]
    assert await idents(zaaktype=f.url(published)) == ["PUB"]
    assert await idents(zaaktypeIdentificatie="CONCEPT") == ["CONCEPT"]
    for params in ({"status": "alles"}, {"anderObjecttype": "soms"}, {"page": "een"}):
        assert (await client.get(URL, params=params, headers=superuser)).status_code == 400


async def test_etag_head_put_patch_delete(client, superuser, database):
    catalogus, zaaktype = await zaaktype_in_catalogus(database)
    zot = await create_zaakobjecttype(database, zaaktype)
    resp = await client.get(f.url(zot), headers=superuser)
    etag = resp.headers["ETag"]
    cached = await client.get(f.url(zot), headers={**superuser, "If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(f.url(zot), headers=superuser)
    assert (head.status_code, head.headers["ETag"], head.content) == (200, etag, b"")
    resp = await client.put(
        f.url(zot), json=body(catalogus, zaaktype, relatieOmschrijving="Auto"), headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["relatieOmschrijving"] == "Auto"
    resp = await client.patch(f.url(zot), json={"anderObjecttype": True}, headers=superuser)
    assert (resp.json()["anderObjecttype"], resp.json()["relatieOmschrijving"]) == (True, "Auto")
    resp = await client.patch(f.url(zot), json={"objecttype": None}, headers=superuser)
    assert resp.status_code == 400
    assert (await client.delete(f.url(zot), headers=superuser)).status_code == 204
    assert (await client.get(f.url(zot), headers=superuser)).status_code == 404


async def test_ztc_010_published_zaaktype(client, register, database):
    schrijver = await scoped(register, "schrijver", "catalogi.schrijven")
    forceerder = await scoped(
        register, "forceerder", "catalogi.geforceerd-schrijven", "catalogi.geforceerd-verwijderen"
    )
    catalogus, zaaktype = await zaaktype_in_catalogus(database, concept=False)
    zot = await create_zaakobjecttype(database, zaaktype)
    for resp in (
        await client.post(URL, json=body(catalogus, zaaktype), headers=schrijver),
        await client.put(f.url(zot), json=body(catalogus, zaaktype), headers=schrijver),
        await client.patch(f.url(zot), json={"relatieOmschrijving": "x"}, headers=schrijver),
    ):
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["code"] == "non-concept-zaaktype"
    deleted = await client.delete(f.url(zot), headers=forceerder)
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "non-concept-zaaktype"
    resp = await client.patch(f.url(zot), json={"relatieOmschrijving": "x"}, headers=forceerder)
    assert resp.status_code == 200


async def test_without_token_is_401_and_missing_scope_is_403(client, register, database):
    catalogus, zaaktype = await zaaktype_in_catalogus(database)
    zot = await create_zaakobjecttype(database, zaaktype)
    assert (await client.get(URL)).status_code == 401
    assert (await client.patch(f.url(zot), json={})).status_code == 401
    lezer = await scoped(register, "lezer", "catalogi.lezen")
    assert (await client.get(URL, headers=lezer)).status_code == 200
    assert (
        await client.post(URL, json=body(catalogus, zaaktype), headers=lezer)
    ).status_code == 403
    assert (await client.put(f.url(zot), json={}, headers=lezer)).status_code == 403
    assert (await client.delete(f.url(zot), headers=lezer)).status_code == 403
    schrijver = await scoped(register, "schrijver", "catalogi.schrijven")
    assert (await client.get(f.url(zot), headers=schrijver)).status_code == 403
