"""Black-box tests of /statustypen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from tests.catalogi import factories as f

URL = "/catalogi/api/v1/statustypen"


async def scoped(register: Any, name: str, *scopes: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": "ztc", "scopes": list(scopes)}]
    )
    return headers


def body(zaaktype: m.ZaakType, /, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "omschrijving": "Ontvangen",
        "zaaktype": f.url(zaaktype),
        "volgnummer": 1,
    }
    data.update(over)
    return data


@contextmanager
def count_queries(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


async def test_create_statustype_renders_zaaktype_fields(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.post(
        URL,
        json=body(
            zaaktype,
            checklistitemStatustype=[{"itemnaam": "Paspoort", "vraagstelling": "Gezien?"}],
            doorlooptijd="P3D",
        ),
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert resp.headers["Location"] == out["url"]
    assert out["zaaktype"] == f.url(zaaktype)
    assert out["catalogus"].endswith("/catalogussen/" + str(await catalogus_uuid(database)))
    assert out["zaaktypeIdentificatie"] == "ZT-1"
    assert out["isEindstatus"] is True
    assert out["beginGeldigheid"] == "2024-01-01"
    assert out["omschrijvingGeneriek"] == ""
    assert out["checklistitemStatustype"] == [
        {
            "itemnaam": "Paspoort",
            "toelichting": None,
            "vraagstelling": "Gezien?",
            "verplicht": False,
        }
    ]
    assert out["eigenschappen"] == []
    again = await client.get(out["url"], headers=superuser)
    assert again.json() == out


async def catalogus_uuid(database: Database) -> Any:
    from sqlalchemy import select

    async with database.transaction() as session:
        return (await session.execute(select(m.Catalogus.uuid))).scalar_one()


async def test_create_with_bad_fields_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.post(
        URL, json=body(zaaktype, volgnummer=0, doorlooptijd="drie dagen"), headers=superuser
    )
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"volgnummer", "doorlooptijd"}
    resp = await client.post(URL, json={"zaaktype": f.url(zaaktype)}, headers=superuser)
    assert {p["name"] for p in resp.json()["invalidParams"]} == {"omschrijving", "volgnummer"}


async def test_zaaktype_must_be_one_of_ours(client, superuser, database):
    other = {**body(await f.create_zaaktype(database)), "zaaktype": "https://elders.nl/zt/1"}
    resp = await client.post(URL, json=other, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "zaaktype",
        "code": "no_match",
        "reason": resp.json()["invalidParams"][0]["reason"],
    }
    missing = {
        **other,
        "zaaktype": f.BASE + "/zaaktypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
    }
    resp = await client.post(URL, json=missing, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaaktype"
    assert resp.json()["invalidParams"][0]["code"] == "does_not_exist"


async def test_volgnummer_unique_per_zaaktype_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    await f.create_statustype(database, zaaktype, volgnummer=1)
    resp = await client.post(URL, json=body(zaaktype, volgnummer=1), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"
    other = await f.create_zaaktype(database, identificatie="ZT-2")
    resp = await client.post(URL, json=body(other, volgnummer=1), headers=superuser)
    assert resp.status_code == 201


async def test_begin_geldigheid_follows_zaaktype(client, superuser, database):
    zaaktype = await f.create_zaaktype(
        database, begin_geldigheid=dt.date(2024, 2, 1), versiedatum=dt.date(2024, 1, 15)
    )
    wrong = body(zaaktype, beginGeldigheid="2023-01-01")
    resp = await client.post(URL, json=wrong, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "beginGeldigheid"
    by_versiedatum = body(zaaktype, beginGeldigheid="2024-01-15")
    resp = await client.post(URL, json=by_versiedatum, headers=superuser)
    assert resp.status_code == 201
    assert resp.json()["beginGeldigheid"] == "2024-01-15"
    absent = await client.post(URL, json=body(zaaktype, volgnummer=2), headers=superuser)
    assert absent.json()["beginGeldigheid"] == "2024-02-01"


async def test_is_eindstatus_in_a_list_with_constant_queries(client, superuser, database):
    async def zaaktype_with(n: int, ident: str) -> None:
        zaaktype = await f.create_zaaktype(database, identificatie=ident, concept=False)
        for i in range(1, n + 1):
            await f.create_statustype(database, zaaktype, volgnummer=i * 10, omschrijving=str(i))

    await zaaktype_with(2, "A")
    with count_queries(database) as few:
        small = await client.get(URL, headers=superuser)
    await zaaktype_with(3, "B")
    await zaaktype_with(4, "C")
    with count_queries(database) as many:
        resp = await client.get(URL, headers=superuser)
    assert resp.status_code == 200
    results = resp.json()["results"]
    assert len(results) == 9
    eind = sorted(
        (r["zaaktypeIdentificatie"], r["volgnummer"]) for r in results if r["isEindstatus"]
    )
    assert eind == [("A", 20), ("B", 30), ("C", 40)]
    assert small.json()["count"] == 2
    assert len(many) == len(few)


async def test_list_filters(client, superuser, database):
    concept = await f.create_zaaktype(database, identificatie="CONCEPT")
    published = await f.create_zaaktype(
        database, identificatie="PUB", concept=False, einde_geldigheid=dt.date(2024, 12, 31)
    )
    await f.create_statustype(database, concept)
    await f.create_statustype(database, published)

    async def idents(**params: Any) -> list[str]:
        resp = await client.get(URL, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return sorted(r["zaaktypeIdentificatie"] for r in resp.json()["results"])

    assert await idents() == ["PUB"]
    assert await idents(status="concept") == ["CONCEPT"]
    assert await idents(status="alles") == ["CONCEPT", "PUB"]
    assert await idents(status="alles", zaaktype=f.url(concept)) == ["CONCEPT"]
    assert await idents(status="alles", zaaktype="https://elders.nl/zaaktypen/1") == []
    assert await idents(status="alles", zaaktypeIdentificatie="PUB") == ["PUB"]
    assert await idents(status="alles", datumGeldigheid="2025-06-01") == ["CONCEPT"]
    assert await idents(datumGeldigheid="2024-06-01") == ["PUB"]
    assert await idents(expand="zaaktype") == ["PUB"]


async def test_list_bad_query_is_400(client, superuser):
    for params in ({"onbekend": "1"}, {"status": "alle"}, {"datumGeldigheid": "gisteren"}):
        resp = await client.get(URL, params=params, headers=superuser)
        assert resp.status_code == 400, params
    resp = await client.get(URL, params={"page": 2}, headers=superuser)
    assert resp.status_code == 404


async def test_retrieve_etag_304_and_head(client, superuser, database):
    statustype = await f.create_statustype(database, await f.create_zaaktype(database))
    resp = await client.get(f.url(statustype), headers=superuser)
    assert resp.status_code == 200
    etag = resp.headers["ETag"]
    cached = await client.get(f.url(statustype), headers={**superuser, "If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(f.url(statustype), headers=superuser)
    assert head.status_code == 200
    assert head.headers["ETag"] == etag
    assert head.content == b""
    missing = await client.get(URL + "/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c", headers=superuser)
    assert missing.status_code == 404


async def test_put_and_patch(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    statustype = await f.create_statustype(database, zaaktype)
    resp = await client.put(
        f.url(statustype),
        json=body(zaaktype, omschrijving="Behandeld", volgnummer=5),
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["volgnummer"] == 5
    resp = await client.patch(f.url(statustype), json={"statustekst": "Klaar"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["statustekst"] == "Klaar"
    assert resp.json()["omschrijving"] == "Behandeld"
    resp = await client.patch(f.url(statustype), json={"omschrijving": None}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "omschrijving"


async def test_patch_volgnummer_taken_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    await f.create_statustype(database, zaaktype, volgnummer=1)
    second = await f.create_statustype(database, zaaktype, volgnummer=2)
    resp = await client.patch(f.url(second), json={"volgnummer": 1}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"


async def test_eigenschappen_of_the_same_zaaktype_only(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    other = await f.create_zaaktype(database, identificatie="ZT-2")
    eigen = await create_eigenschap(database, zaaktype)
    vreemd = await create_eigenschap(database, other)
    resp = await client.post(
        URL, json=body(zaaktype, eigenschappen=[f.url(vreemd)]), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "eigenschappen"
    resp = await client.post(
        URL, json=body(zaaktype, eigenschappen=[f.url(eigen)]), headers=superuser
    )
    assert resp.status_code == 201
    assert resp.json()["eigenschappen"] == [f.url(eigen)]
    deleted = await client.delete(f.url(eigen), headers=superuser)
    assert deleted.status_code == 204
    after = await client.get(resp.json()["url"], headers=superuser)
    assert after.json()["eigenschappen"] == []


async def create_eigenschap(database: Database, zaaktype: m.ZaakType) -> m.Eigenschap:
    eigenschap = m.Eigenschap(
        zaaktype_id=zaaktype.id,
        naam="kenteken",
        definitie="Kenteken",
        specificatie={"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
    )
    async with database.transaction() as session:
        session.add(eigenschap)
    return eigenschap


async def test_delete(client, superuser, database):
    statustype = await f.create_statustype(database, await f.create_zaaktype(database))
    resp = await client.delete(f.url(statustype), headers=superuser)
    assert resp.status_code == 204
    assert (await client.get(f.url(statustype), headers=superuser)).status_code == 404
    assert (await client.delete(f.url(statustype), headers=superuser)).status_code == 404


async def test_ztc_010_published_zaaktype(client, register, database):
    schrijver = await scoped(register, "schrijver", "catalogi.lezen", "catalogi.schrijven")
    forceerder = await scoped(
        register, "forceerder", "catalogi.geforceerd-schrijven", "catalogi.geforceerd-verwijderen"
    )
    zaaktype = await f.create_zaaktype(database, concept=False)
    statustype = await f.create_statustype(database, zaaktype, volgnummer=1)
    for resp in (
        await client.post(URL, json=body(zaaktype, volgnummer=2), headers=schrijver),
        await client.put(f.url(statustype), json=body(zaaktype), headers=schrijver),
        await client.patch(f.url(statustype), json={"statustekst": "x"}, headers=schrijver),
    ):
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0]["code"] == "non-concept-zaaktype"
    for headers in (schrijver, forceerder):
        deleted = await client.delete(f.url(statustype), headers=headers)
        assert deleted.status_code == 409
        assert deleted.json()["code"] == "non-concept-zaaktype"
    # a correctie: adding a statustype at the end
    resp = await client.post(URL, json=body(zaaktype, volgnummer=2), headers=forceerder)
    assert resp.status_code == 201
    resp = await client.patch(f.url(statustype), json={"statustekst": "x"}, headers=forceerder)
    assert resp.status_code == 200


async def test_without_token_is_401(client, database):
    statustype = await f.create_statustype(database, await f.create_zaaktype(database))
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(f.url(statustype))).status_code == 401
    assert (await client.post(URL, json={})).status_code == 401
    assert (await client.patch(f.url(statustype), json={})).status_code == 401
    assert (await client.delete(f.url(statustype))).status_code == 401


async def test_missing_scope_is_403(client, register, database):
    lezer = await scoped(register, "lezer", "catalogi.lezen")
    niemand = await scoped(register, "niemand", "catalogi.schrijven")
    zaaktype = await f.create_zaaktype(database)
    statustype = await f.create_statustype(database, zaaktype)
    assert (await client.get(URL, headers=lezer)).status_code == 200
    assert (await client.post(URL, json=body(zaaktype), headers=lezer)).status_code == 403
    assert (
        await client.put(f.url(statustype), json=body(zaaktype), headers=lezer)
    ).status_code == 403
    assert (await client.patch(f.url(statustype), json={}, headers=lezer)).status_code == 403
    assert (await client.delete(f.url(statustype), headers=lezer)).status_code == 403
    assert (await client.get(f.url(statustype), headers=niemand)).status_code == 403
    assert (await client.get(URL, headers=niemand)).status_code == 403
