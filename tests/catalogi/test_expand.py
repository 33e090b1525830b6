"""`expand` on the Catalogi list and retrieve operations (core/expand.py through the API)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from tests.catalogi import factories as f

API = "/catalogi/api/v1"


async def create_resultaattype(database: Database, zaaktype: m.ZaakType) -> m.ResultaatType:
    return await f._store(
        database,
        m.ResultaatType(
            zaaktype_id=zaaktype.id,
            omschrijving="Verleend",
            resultaattypeomschrijving="https://selectielijst.example.nl/api/v1/resultaattypeomschrijvingen/1",
            selectielijstklasse="https://selectielijst.example.nl/api/v1/resultaten/1",
            archiefnominatie="vernietigen",
            archiefactietermijn="P10Y",
            begin_geldigheid=zaaktype.begin_geldigheid,
        ),
    )


async def create_eigenschap(
    database: Database, zaaktype: m.ZaakType, statustype: m.StatusType
) -> m.Eigenschap:
    return await f._store(
        database,
        m.Eigenschap(
            zaaktype_id=zaaktype.id,
            statustype_id=statustype.id,
            naam="kenteken",
            definitie="Kenteken",
            specificatie={"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
            begin_geldigheid=zaaktype.begin_geldigheid,
        ),
    )


async def create_zaakobjecttype(database: Database, zaaktype: m.ZaakType) -> m.ZaakObjectType:
    return await f._store(
        database,
        m.ZaakObjectType(
            zaaktype_id=zaaktype.id,
            ander_objecttype=False,
            objecttype="https://objecttypen.example.nl/api/v1/objecttypen/1",
            relatie_omschrijving="Voertuig",
            begin_geldigheid=zaaktype.begin_geldigheid,
        ),
    )


async def create_ztiot(
    database: Database, zaaktype: m.ZaakType, iot: m.InformatieObjectType
) -> m.ZaakTypeInformatieObjectType:
    return await f._store(
        database,
        m.ZaakTypeInformatieObjectType(
            zaaktype_id=zaaktype.id,
            informatieobjecttype_omschrijving=iot.omschrijving,
            volgnummer=1,
            richting="inkomend",
        ),
    )


async def published_zaaktype(database: Database, catalogus: m.Catalogus) -> m.ZaakType:
    return await f.create_zaaktype(database, catalogus, concept=False)


async def get(client: httpx.AsyncClient, headers: dict[str, str], path: str, expand: str) -> Any:
    resp = await client.get(f"{API}/{path}", params={"expand": expand}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def urls(objects: list[dict[str, Any]]) -> list[str]:
    return [o["url"] for o in objects]


async def test_zaaktypen_list_expands_statustypen_and_catalogus(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await published_zaaktype(database, catalogus)
    first = await f.create_statustype(database, zaaktype, volgnummer=1)
    last = await f.create_statustype(database, zaaktype, omschrijving="Afgehandeld", volgnummer=2)

    [result] = (await get(client, superuser, "zaaktypen", "statustypen,catalogus"))["results"]

    assert result["_expand"]["catalogus"]["url"] == f.url(catalogus)
    assert result["_expand"]["catalogus"]["domein"] == "TEST"
    statustypen = result["_expand"]["statustypen"]
    assert urls(statustypen) == result["statustypen"] == [f.url(first), f.url(last)]
    assert [s["isEindstatus"] for s in statustypen] == [False, True]


async def test_zaaktype_retrieve_expands_roltypen(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    roltype = await f.create_roltype(database, zaaktype)

    body = await get(client, superuser, f"zaaktypen/{zaaktype.uuid}", "roltypen")

    assert urls(body["_expand"]["roltypen"]) == [f.url(roltype)]
    assert body["_expand"]["roltypen"][0]["omschrijvingGeneriek"] == "initiator"


async def test_statustype_retrieve_expands_zaaktype(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    statustype = await f.create_statustype(database, zaaktype)

    body = await get(client, superuser, f"statustypen/{statustype.uuid}", "zaaktype")

    assert body["_expand"]["zaaktype"]["url"] == f.url(zaaktype)
    assert body["_expand"]["zaaktype"]["statustypen"] == [f.url(statustype)]


async def test_retrieve_etag_covers_the_expansion_and_head_stays_plain(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    item = f"{API}/statustypen/{(await f.create_statustype(database, zaaktype)).uuid}"

    plain = await client.get(item, headers=superuser)
    expanded = await client.get(item, params={"expand": "zaaktype"}, headers=superuser)
    head = await client.head(item, params={"expand": "zaaktype"}, headers=superuser)

    assert "_expand" not in plain.json()
    assert expanded.headers["ETag"] != plain.headers["ETag"]
    assert head.headers["ETag"] == plain.headers["ETag"]
    again = await client.get(
        item,
        params={"expand": "zaaktype"},
        headers={**superuser, "If-None-Match": expanded.headers["ETag"]},
    )
    assert again.status_code == 304


async def test_statustypen_list_expands_a_dotted_path(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await published_zaaktype(database, catalogus)
    await f.create_statustype(database, zaaktype)

    [result] = (await get(client, superuser, "statustypen", "zaaktype.catalogus"))["results"]

    expanded_zaaktype = result["_expand"]["zaaktype"]
    assert expanded_zaaktype["url"] == f.url(zaaktype)
    assert expanded_zaaktype["_expand"]["catalogus"]["url"] == f.url(catalogus)
    assert "_expand" not in expanded_zaaktype["_expand"]["catalogus"]


async def test_roltypen_list_expands_zaaktype_and_catalogus(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await published_zaaktype(database, catalogus)
    await f.create_roltype(database, zaaktype)

    [result] = (await get(client, superuser, "roltypen", "zaaktype,catalogus"))["results"]

    assert result["_expand"]["zaaktype"]["url"] == f.url(zaaktype)
    assert result["_expand"]["catalogus"]["url"] == f.url(catalogus)


async def test_resultaattype_retrieve_expands_zaaktype(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    resultaattype = await create_resultaattype(database, zaaktype)

    body = await get(client, superuser, f"resultaattypen/{resultaattype.uuid}", "zaaktype")

    assert body["_expand"]["zaaktype"]["url"] == f.url(zaaktype)
    assert body["_expand"]["zaaktype"]["resultaattypen"] == [f.url(resultaattype)]


async def test_eigenschappen_list_expands_statustype(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    statustype = await f.create_statustype(database, zaaktype)
    await create_eigenschap(database, zaaktype, statustype)

    [result] = (await get(client, superuser, "eigenschappen", "statustype"))["results"]

    assert result["_expand"]["statustype"]["url"] == f.url(statustype)


async def test_zaakobjecttypen_list_expands_zaaktype(client, superuser, database):
    zaaktype = await published_zaaktype(database, await f.create_catalogus(database))
    await create_zaakobjecttype(database, zaaktype)

    [result] = (await get(client, superuser, "zaakobjecttypen", "zaaktype"))["results"]

    assert result["_expand"]["zaaktype"]["url"] == f.url(zaaktype)


async def test_zaaktype_informatieobjecttypen_expand_informatieobjecttype(
    client, superuser, database
):
    catalogus = await f.create_catalogus(database)
    zaaktype = await published_zaaktype(database, catalogus)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    ztiot = await create_ztiot(database, zaaktype, iot)

    [listed] = (
        await get(client, superuser, "zaaktype-informatieobjecttypen", "informatieobjecttype")
    )["results"]
    retrieved = await get(
        client, superuser, f"zaaktype-informatieobjecttypen/{ztiot.uuid}", "statustype"
    )

    assert listed["_expand"]["informatieobjecttype"]["url"] == f.url(iot)
    assert retrieved["statustype"] is None
    assert retrieved["_expand"] == {"statustype": {}}  # an empty reference: the EmptyObject


async def test_informatieobjecttypen_list_expands_catalogus(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus, concept=False)

    [result] = (await get(client, superuser, "informatieobjecttypen", "catalogus"))["results"]

    assert result["_expand"]["catalogus"]["url"] == f.url(catalogus)


async def test_besluittypen_list_expands_informatieobjecttypen(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    await f.create_besluittype(
        database, catalogus, concept=False, informatieobjecttype_omschrijvingen=[iot.omschrijving]
    )

    [result] = (await get(client, superuser, "besluittypen", "informatieobjecttypen"))["results"]

    assert urls(result["_expand"]["informatieobjecttypen"]) == [f.url(iot)]


async def test_catalogussen_list_and_retrieve_expand_zaaktypen(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await published_zaaktype(database, catalogus)

    [listed] = (await get(client, superuser, "catalogussen", "zaaktypen"))["results"]
    retrieved = await get(client, superuser, f"catalogussen/{catalogus.uuid}", "zaaktypen")

    assert urls(listed["_expand"]["zaaktypen"]) == [f.url(zaaktype)]
    assert retrieved["_expand"] == listed["_expand"]


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)


@pytest.mark.parametrize(
    ("collection", "expand"),
    [("statustypen", "zaaktype.catalogus"), ("zaaktypen", "statustypen,catalogus")],
)
async def test_expansion_costs_the_same_queries_for_2_and_8_objects(
    client, superuser, database, collection, expand
):
    async def add(start: int, stop: int) -> None:
        for i in range(start, stop):  # every object in a catalogus and zaaktype of its own
            catalogus = await f.create_catalogus(database, domein=f"D{i}")
            zaaktype = await f.create_zaaktype(
                database, catalogus, identificatie=f"ZT-{i}", concept=False
            )
            await f.create_statustype(database, zaaktype)

    async def statements() -> int:
        await get(client, superuser, collection, expand)  # warm up whatever is cached
        with counting(database) as executed:
            body = await get(client, superuser, collection, expand)
        assert body["results"]
        assert all(r["_expand"] and all(r["_expand"].values()) for r in body["results"])
        return len(executed)

    await add(0, 2)
    with_two = await statements()
    await add(2, 8)
    with_eight = await statements()

    assert (await get(client, superuser, collection, expand))["count"] == 8
    assert with_eight == with_two


@pytest.mark.parametrize(
    "path", ["statustypen", f"statustypen/{uuid.uuid4()}", "zaaktypen", "catalogussen"]
)
async def test_unknown_expand_path_is_the_engines_404(client, superuser, path):
    resp = await client.get(f"{API}/{path}", params={"expand": "onbekend"}, headers=superuser)

    assert resp.status_code == 404
    assert resp.json()["code"] == "expand-onbekend-attribuut"


async def test_bad_expand_fails_before_the_query(client, superuser):
    resp = await client.get(
        f"{API}/zaaktypen",
        params={"expand": "catalogus.onbekend", "page": "99"},  # also a page that is not there
        headers=superuser,
    )

    assert resp.status_code == 404
    assert resp.json()["code"] == "expand-onbekend-attribuut"


async def test_expand_outside_the_apis_is_400(client, superuser):
    resp = await client.get(
        f"{API}/resultaattypen", params={"expand": "selectielijstklasse"}, headers=superuser
    )

    assert resp.status_code == 400
    assert [p["code"] for p in resp.json()["invalidParams"]] == ["expand-buiten-bereik"]
