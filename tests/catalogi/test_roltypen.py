"""Black-box tests of /roltypen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mijnzaken.catalogi import models as m
from tests.catalogi import factories as f

URL = "/catalogi/api/v1/roltypen"


async def scoped(register: Any, name: str, *scopes: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": "ztc", "scopes": list(scopes)}]
    )
    return headers


def body(zaaktype: m.ZaakType, /, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "zaaktype": f.url(zaaktype),
        "omschrijving": "Aanvrager",
        "omschrijvingGeneriek": "initiator",
    }
    data.update(over)
    return data


async def test_create_and_retrieve_roltype(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    resp = await client.post(
        URL, json=body(zaaktype, catalogus=f.url(catalogus)), headers=superuser
    )
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert resp.headers["Location"] == out["url"]
    assert out["catalogus"] == f.url(catalogus)
    assert out["zaaktypeIdentificatie"] == "ZT-1"
    assert out["omschrijvingGeneriek"] == "initiator"
    assert out["beginGeldigheid"] == "2024-01-01"
    assert (await client.get(out["url"], headers=superuser)).json() == out


async def test_create_bad_input_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.post(
        URL, json=body(zaaktype, omschrijvingGeneriek="baas"), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "omschrijvingGeneriek"
    resp = await client.post(URL, json=body(zaaktype, zaaktype="geen url"), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaaktype"
    resp = await client.post(
        URL, json=body(zaaktype, zaaktype="https://elders.nl/zaaktypen/1"), headers=superuser
    )
    assert resp.json()["invalidParams"][0]["code"] == "no_match"


async def test_catalogus_must_be_the_zaaktypes(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    other = await f.create_catalogus(database, domein="ANDER")
    resp = await client.post(URL, json=body(zaaktype, catalogus=f.url(other)), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "relations-incorrect-catalogus"


async def test_begin_geldigheid_must_match_zaaktype(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.post(
        URL, json=body(zaaktype, beginGeldigheid="2020-01-01"), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "beginGeldigheid"


async def test_list_filters(client, superuser, database):
    concept = await f.create_zaaktype(database, identificatie="CONCEPT")
    published = await f.create_zaaktype(
        database, identificatie="PUB", concept=False, einde_geldigheid=dt.date(2024, 12, 31)
    )
    await f.create_roltype(database, concept, omschrijving_generiek="behandelaar")
    await f.create_roltype(database, published)

    async def idents(**params: Any) -> list[str]:
        resp = await client.get(URL, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return sorted(r["zaaktypeIdentificatie"] for r in resp.json()["results"])

    assert await idents() == ["PUB"]
    assert await idents(status="concept") == ["CONCEPT"]
    assert await idents(status="alles") == ["CONCEPT", "PUB"]
    assert await idents(status="alles", omschrijvingGeneriek="behandelaar") == ["CONCEPT"]
    assert await idents(status="alles", zaaktype=f.url(published)) == ["PUB"]
    assert await idents(status="alles", zaaktypeIdentificatie="CONCEPT") == ["CONCEPT"]
    assert await idents(datumGeldigheid="2025-01-01") == []
    assert await idents(datumGeldigheid="2024-03-01") == ["PUB"]


async def test_list_bad_query_is_400(client, superuser):
    for params in ({"foo": "bar"}, {"omschrijvingGeneriek": "baas"}, {"status": "x"}):
        assert (await client.get(URL, params=params, headers=superuser)).status_code == 400


async def test_etag_and_head(client, superuser, database):
    roltype = await f.create_roltype(database, await f.create_zaaktype(database))
    resp = await client.get(f.url(roltype), headers=superuser)
    etag = resp.headers["ETag"]
    again = await client.get(f.url(roltype), headers={**superuser, "If-None-Match": etag})
    assert again.status_code == 304
    head = await client.head(f.url(roltype), headers=superuser)
    assert head.status_code == 200
    assert head.headers["ETag"] == etag
    assert head.content == b""


async def test_put_patch_delete(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    roltype = await f.create_roltype(database, zaaktype)
    resp = await client.put(
        f.url(roltype),
        json=body(zaaktype, omschrijving="Behandelaar", omschrijvingGeneriek="behandelaar"),
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["omschrijvingGeneriek"] == "behandelaar"
    resp = await client.patch(f.url(roltype), json={"omschrijving": "B"}, headers=superuser)
    assert resp.status_code == 200
    assert resp.json()["omschrijving"] == "B"
    assert resp.json()["omschrijvingGeneriek"] == "behandelaar"
    resp = await client.patch(
        f.url(roltype), json={"omschrijvingGeneriek": None}, headers=superuser
    )
    assert resp.status_code == 400
    assert (await client.delete(f.url(roltype), headers=superuser)).status_code == 204
    assert (await client.get(f.url(roltype), headers=superuser)).status_code == 404


async def test_ztc_010_published_zaaktype(client, register, database):
    schrijver = await scoped(register, "schrijver", "catalogi.schrijven")
    forceerder = await scoped(
        register, "forceerder", "catalogi.geforceerd-schrijven", "catalogi.geforceerd-verwijderen"
    )
    zaaktype = await f.create_zaaktype(database, concept=False)
    roltype = await f.create_roltype(database, zaaktype)
    for resp in (
        await client.post(URL, json=body(zaaktype), headers=schrijver),
        await client.put(f.url(roltype), json=body(zaaktype), headers=schrijver),
        await client.patch(f.url(roltype), json={"omschrijving": "x"}, headers=schrijver),
    ):
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["code"] == "non-concept-zaaktype"
    deleted = await client.delete(f.url(roltype), headers=forceerder)
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "non-concept-zaaktype"
    assert (await client.post(URL, json=body(zaaktype), headers=forceerder)).status_code == 201
    resp = await client.put(f.url(roltype), json=body(zaaktype), headers=forceerder)
    assert resp.status_code == 200


async def test_without_token_is_401(client, database):
    roltype = await f.create_roltype(database, await f.create_zaaktype(database))
    assert (await client.get(URL)).status_code == 401
    assert (await client.head(f.url(roltype))).status_code == 401
    assert (await client.put(f.url(roltype), json={})).status_code == 401
    assert (await client.delete(f.url(roltype))).status_code == 401


async def test_missing_scope_is_403(client, register, database):
    lezer = await scoped(register, "lezer", "catalogi.lezen")
    zaaktype = await f.create_zaaktype(database)
    roltype = await f.create_roltype(database, zaaktype)
    assert (await client.get(f.url(roltype), headers=lezer)).status_code == 200
    assert (await client.post(URL, json=body(zaaktype), headers=lezer)).status_code == 403
    assert (await client.patch(f.url(roltype), json={}, headers=lezer)).status_code == 403
    assert (await client.delete(f.url(roltype), headers=lezer)).status_code == 403
    zaken = await register(
        "zaken",
        "zaken-secret",
        autorisaties=[
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": f.url(zaaktype),
                "max_vertrouwelijkheidaanduiding": "geheim",
            }
        ],
    )
    # ztc-014: the Zaken register reads the catalogue with zaken.lezen
    assert (await client.get(URL, headers=zaken)).status_code == 200
    assert (await client.post(URL, json=body(zaaktype), headers=zaken)).status_code == 403
