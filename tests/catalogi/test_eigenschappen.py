"""Black-box tests of /eigenschappen."""

from __future__ import annotations

from typing import Any

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from tests.catalogi import factories as f

URL = "/catalogi/api/v1/eigenschappen"


async def scoped(register: Any, name: str, *scopes: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": "ztc", "scopes": list(scopes)}]
    )
    return headers


def body(zaaktype: m.ZaakType, /, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "naam": "kenteken",
        "definitie": "Kenteken van de auto",
        "specificatie": {"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
        "zaaktype": f.url(zaaktype),
    }
    data.update(over)
    return data


async def create_eigenschap(database: Database, zaaktype: m.ZaakType, **over: Any) -> Any:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "naam": "kenteken",
        "definitie": "Kenteken",
        "specificatie": {"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
        "begin_geldigheid": zaaktype.begin_geldigheid,
    }
    fields.update(over)
    eigenschap = m.Eigenschap(**fields)
    async with database.transaction() as session:
        session.add(eigenschap)
    return eigenschap


async def test_create_and_retrieve_eigenschap(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    statustype = await f.create_statustype(database, zaaktype)
    resp = await client.post(
        URL, json=body(zaaktype, statustype=f.url(statustype)), headers=superuser
    )
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert out["statustype"] == f.url(statustype)
    assert out["zaaktypeIdentificatie"] == "ZT-1"
    assert out["catalogus"].startswith(f.BASE + "/catalogussen/")
    assert out["specificatie"] == {
        "groep": "",
        "formaat": "tekst",
        "lengte": "8",
        "kardinaliteit": "1",
        "waardenverzameling": [],
    }
    assert (await client.get(out["url"], headers=superuser)).json() == out
    # the statustype lists the eigenschap that names it
    st = (await client.get(f.url(statustype), headers=superuser)).json()
    assert st["eigenschappen"] == [out["url"]]


async def test_ztc_015_datum_lengte(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    for formaat, goed, fout in (("datum", "8", "10"), ("datum_tijd", "14", "8")):
        spec = {"formaat": formaat, "lengte": fout, "kardinaliteit": "1"}
        resp = await client.post(URL, json=body(zaaktype, specificatie=spec), headers=superuser)
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["name"] == "specificatie.lengte"
        spec["lengte"] = goed
        resp = await client.post(URL, json=body(zaaktype, specificatie=spec), headers=superuser)
        assert resp.status_code == 201, resp.text


async def test_create_bad_input_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    spec = {"formaat": "kleur", "lengte": "8"}
    resp = await client.post(
        URL, json=body(zaaktype, specificatie=spec, naam="x" * 21), headers=superuser
    )
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"naam", "specificatie.formaat", "specificatie.kardinaliteit"}
    resp = await client.post(URL, json=[], headers=superuser)
    assert resp.status_code == 400


async def test_statustype_of_the_same_zaaktype_only(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    other = await f.create_zaaktype(database, identificatie="ZT-2")
    vreemd = await f.create_statustype(database, other)
    resp = await client.post(URL, json=body(zaaktype, statustype=f.url(vreemd)), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "statustype"
    resp = await client.post(
        URL, json=body(zaaktype, statustype=f.BASE + "/statustypen/x"), headers=superuser
    )
    assert resp.status_code == 400


async def test_list_filters_and_bad_query(client, superuser, database):
    concept = await f.create_zaaktype(database, identificatie="CONCEPT")
    published = await f.create_zaaktype(database, identificatie="PUB", concept=False)
    await create_eigenschap(database, concept)
    await create_eigenschap(database, published)

    async def idents(**params: Any) -> list[str]:
        resp = await client.get(URL, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return sorted(r["zaaktypeIdentificatie"] for r in resp.json()["results"])

    assert await idents() == ["PUB"]
    assert await idents(status="alles") == ["CONCEPT", "PUB"]
    assert await idents(status="concept", zaaktype=f.url(concept)) == ["CONCEPT"]
    assert await idents(status="alles", zaaktypeIdentificatie="PUB") == ["PUB"]
    assert await idents(datumGeldigheid="2023-01-01") == []
    for params in ({"naam": "x"}, {"datumGeldigheid": "1-1-2024"}):
        assert (await client.get(URL, params=params, headers=superuser)).status_code == 400


async def test_etag_head_put_patch_delete(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    eigenschap = await create_eigenschap(database, zaaktype)
    resp = await client.get(f.url(eigenschap), headers=superuser)
    etag = resp.headers["ETag"]
    cached = await client.get(f.url(eigenschap), headers={**superuser, "If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(f.url(eigenschap), headers=superuser)
    assert (head.status_code, head.headers["ETag"], head.content) == (200, etag, b"")
    resp = await client.put(f.url(eigenschap), json=body(zaaktype, naam="merk"), headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["naam"] == "merk"
    resp = await client.patch(f.url(eigenschap), json={"toelichting": "T"}, headers=superuser)
    assert resp.status_code == 200
    assert (resp.json()["naam"], resp.json()["toelichting"]) == ("merk", "T")
    bad = {"specificatie": {"formaat": "datum", "lengte": "6", "kardinaliteit": "1"}}
    assert (await client.patch(f.url(eigenschap), json=bad, headers=superuser)).status_code == 400
    assert (await client.delete(f.url(eigenschap), headers=superuser)).status_code == 204
    assert (await client.get(f.url(eigenschap), headers=superuser)).status_code == 404


async def test_ztc_010_published_zaaktype(client, register, database):
    schrijver = await scoped(register, "schrijver", "catalogi.schrijven")
    forceerder = await scoped(
        register, "forceerder", "catalogi.geforceerd-schrijven", "catalogi.geforceerd-verwijderen"
    )
    zaaktype = await f.create_zaaktype(database, concept=False)
    eigenschap = await create_eigenschap(database, zaaktype)
    for resp in (
        await client.post(URL, json=body(zaaktype), headers=schrijver),
        await client.put(f.url(eigenschap), json=body(zaaktype), headers=schrijver),
        await client.patch(f.url(eigenschap), json={"naam": "x"}, headers=schrijver),
    ):
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["code"] == "non-concept-zaaktype"
    deleted = await client.delete(f.url(eigenschap), headers=forceerder)
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "non-concept-zaaktype"
    assert (await client.post(URL, json=body(zaaktype), headers=forceerder)).status_code == 201


async def test_without_token_is_401_and_missing_scope_is_403(client, register, database):
    zaaktype = await f.create_zaaktype(database)
    eigenschap = await create_eigenschap(database, zaaktype)
    assert (await client.get(URL)).status_code == 401
    assert (await client.post(URL, json=body(zaaktype))).status_code == 401
    assert (await client.get(f.url(eigenschap))).status_code == 401
    lezer = await scoped(register, "lezer", "catalogi.lezen")
    assert (await client.get(f.url(eigenschap), headers=lezer)).status_code == 200
    assert (await client.post(URL, json=body(zaaktype), headers=lezer)).status_code == 403
    assert (await client.put(f.url(eigenschap), json={}, headers=lezer)).status_code == 403
    assert (await client.delete(f.url(eigenschap), headers=lezer)).status_code == 403
    schrijver = await scoped(register, "schrijver", "catalogi.schrijven")
    assert (await client.get(URL, headers=schrijver)).status_code == 403
