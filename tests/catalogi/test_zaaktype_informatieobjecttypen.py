"""The /zaaktype-informatieobjecttypen resource: CRUD, filters, references, ztc-010."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from tests.catalogi import factories as f

API = "/catalogi/api/v1/zaaktype-informatieobjecttypen"
MISSING = "00000000-0000-4000-8000-000000000000"


async def create_ztiot(
    database: Database, zaaktype: m.ZaakType, **over: Any
) -> m.ZaakTypeInformatieObjectType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "informatieobjecttype_omschrijving": "Aanvraagformulier",
        "volgnummer": 1,
        "richting": "inkomend",
    }
    fields.update(over)
    return await f._store(database, m.ZaakTypeInformatieObjectType(**fields))


def params(response: httpx.Response) -> dict[str, str]:
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


@pytest.fixture
async def catalogus(database: Database) -> m.Catalogus:
    return await f.create_catalogus(database)


@pytest.fixture
async def zaaktype(database: Database, catalogus: m.Catalogus) -> m.ZaakType:
    return await f.create_zaaktype(database, catalogus)


@pytest.fixture
async def iot(database: Database, catalogus: m.Catalogus) -> m.InformatieObjectType:
    return await f.create_informatieobjecttype(database, catalogus, concept=False)


def body_for(zt: m.ZaakType, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "zaaktype": f.url(zt),
        "informatieobjecttype": "Aanvraagformulier",
        "volgnummer": 1,
        "richting": "inkomend",
    }
    body.update(over)
    return body


async def test_create_resolves_the_omschrijving_to_the_published_url(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    statustype = await f.create_statustype(database, zaaktype)
    response = await client.post(
        API, json=body_for(zaaktype, statustype=f.url(statustype)), headers=superuser
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert body["informatieobjecttype"] == f.url(iot)
    assert body["zaaktype"] == f.url(zaaktype)
    assert body["zaaktypeIdentificatie"] == "ZT-1"
    assert body["statustype"] == f.url(statustype)
    assert body["catalogus"].startswith("http://testserver/catalogi/api/v1/catalogussen/")
    assert body["volgnummer"] == 1
    assert body["richting"] == "inkomend"


async def test_create_accepts_the_url_of_an_informatieobjecttype(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    response = await client.post(
        API, json=body_for(zaaktype, informatieobjecttype=f.url(iot)), headers=superuser
    )
    assert response.status_code == 201, response.text
    assert response.json()["informatieobjecttype"] == f.url(iot)


async def test_create_with_unknown_informatieobjecttype_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await client.post(
        API, json=body_for(zaaktype, informatieobjecttype="Bestaat niet"), headers=superuser
    )
    assert response.status_code == 400
    assert params(response) == {"informatieobjecttype": "does_not_exist"}


async def test_create_with_informatieobjecttype_of_another_catalogus_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database, zaaktype: m.ZaakType
) -> None:
    other = await f.create_catalogus(database, domein="ANDER")
    foreign = await f.create_informatieobjecttype(database, other)
    response = await client.post(
        API, json=body_for(zaaktype, informatieobjecttype=f.url(foreign)), headers=superuser
    )
    assert response.status_code == 400
    assert params(response) == {"informatieobjecttype": "relations-incorrect-catalogus"}


async def test_create_with_foreign_zaaktype_is_400_no_match(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(zaaktype, zaaktype="https://elders.example.nl/catalogi/api/v1/zaaktypen/1")
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"zaaktype": "no_match"}


async def test_create_with_unknown_zaaktype_is_400_does_not_exist(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(zaaktype, zaaktype=f"{f.BASE}/zaaktypen/{MISSING}")
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"zaaktype": "does_not_exist"}


async def test_statustype_of_another_zaaktype_is_400(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    catalogus: m.Catalogus,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    other = await f.create_zaaktype(database, catalogus, identificatie="ZT-2")
    statustype = await f.create_statustype(database, other)
    response = await client.post(
        API, json=body_for(zaaktype, statustype=f.url(statustype)), headers=superuser
    )
    assert response.status_code == 400
    assert params(response) == {"statustype": "relations-incorrect-zaaktype"}


async def test_volgnummer_is_unique_per_zaaktype(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    await create_ztiot(database, zaaktype)
    response = await client.post(API, json=body_for(zaaktype), headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"volgnummer": "unique"}
    second = await client.post(API, json=body_for(zaaktype, volgnummer=2), headers=superuser)
    assert second.status_code == 201


async def test_create_with_bad_input_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await client.post(
        API, json=body_for(zaaktype, volgnummer=1000, richting="omhoog"), headers=superuser
    )
    assert response.status_code == 400
    assert params(response) == {"volgnummer": "max_value", "richting": "invalid_choice"}


async def test_create_without_token_is_401(client: httpx.AsyncClient, zaaktype: m.ZaakType) -> None:
    assert (await client.post(API, json=body_for(zaaktype))).status_code == 401


async def test_create_with_read_scope_is_403(
    client: httpx.AsyncClient, register: Callable[..., Any], zaaktype: m.ZaakType
) -> None:
    headers = await register(
        "lezer", "lezer-secret", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    assert (await client.post(API, json=body_for(zaaktype), headers=headers)).status_code == 403


async def test_retrieve_head_and_etag(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    link = await create_ztiot(database, zaaktype)
    response = await client.get(f"{API}/{link.uuid}", headers=superuser)
    assert response.status_code == 200
    assert response.json()["informatieobjecttype"] == f.url(iot)
    etag = response.headers["ETag"]
    cached = await client.get(f"{API}/{link.uuid}", headers={**superuser, "If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(f"{API}/{link.uuid}", headers=superuser)
    assert head.headers["ETag"] == etag
    assert head.content == b""


async def test_retrieve_unknown_is_404(
    client: httpx.AsyncClient, superuser: dict[str, str]
) -> None:
    assert (await client.get(f"{API}/{MISSING}", headers=superuser)).status_code == 404


async def test_retrieve_without_token_is_401(
    client: httpx.AsyncClient, database: Database, zaaktype: m.ZaakType
) -> None:
    link = await create_ztiot(database, zaaktype)
    assert (await client.get(f"{API}/{link.uuid}")).status_code == 401


async def test_list_filters(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    catalogus: m.Catalogus,
    iot: m.InformatieObjectType,
) -> None:
    published = await f.create_zaaktype(database, catalogus, concept=False)
    concept = await f.create_zaaktype(database, catalogus, identificatie="ZT-2")
    await create_ztiot(database, published, richting="inkomend")
    await create_ztiot(
        database,
        published,
        volgnummer=2,
        richting="uitgaand",
        informatieobjecttype_omschrijving="Brief",
    )
    await create_ztiot(database, concept)

    default = (await client.get(API, headers=superuser)).json()
    assert default["count"] == 2  # definitief by default
    alles = (await client.get(API, params={"status": "alles"}, headers=superuser)).json()
    assert alles["count"] == 3
    concept_only = await client.get(API, params={"status": "concept"}, headers=superuser)
    assert concept_only.json()["results"][0]["zaaktype"] == f.url(concept)
    by_richting = await client.get(API, params={"richting": "uitgaand"}, headers=superuser)
    assert [r["volgnummer"] for r in by_richting.json()["results"]] == [2]
    by_zaaktype = await client.get(
        API, params={"zaaktype": f.url(concept), "status": "alles"}, headers=superuser
    )
    assert by_zaaktype.json()["count"] == 1
    by_name = await client.get(
        API, params={"informatieobjecttype": "Aanvraagformulier"}, headers=superuser
    )
    assert by_name.json()["count"] == 1
    by_url = await client.get(
        API, params={"informatieobjecttype": f.url(iot), "status": "alles"}, headers=superuser
    )
    assert by_url.json()["count"] == 2


async def test_list_with_bad_filters_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str]
) -> None:
    bad = await client.get(API, params={"richting": "omhoog"}, headers=superuser)
    assert bad.status_code == 400
    assert params(bad) == {"richting": "invalid_choice"}
    assert (await client.get(API, params={"x": "1"}, headers=superuser)).status_code == 400
    assert (
        await client.get(API, params={"zaaktype": "geen url"}, headers=superuser)
    ).status_code == 400


async def test_list_without_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get(API)).status_code == 401


async def test_put_replaces_it(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    link = await create_ztiot(database, zaaktype)
    response = await client.put(
        f"{API}/{link.uuid}",
        json=body_for(zaaktype, volgnummer=3, richting="intern"),
        headers=superuser,
    )
    assert response.status_code == 200, response.text
    assert response.json()["volgnummer"] == 3
    assert response.json()["richting"] == "intern"


async def test_put_keeping_its_own_volgnummer_is_allowed(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    link = await create_ztiot(database, zaaktype)
    response = await client.put(f"{API}/{link.uuid}", json=body_for(zaaktype), headers=superuser)
    assert response.status_code == 200, response.text


async def test_patch_to_a_taken_volgnummer_is_400(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    await create_ztiot(database, zaaktype)
    second = await create_ztiot(database, zaaktype, volgnummer=2)
    response = await client.patch(f"{API}/{second.uuid}", json={"volgnummer": 1}, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"volgnummer": "unique"}


async def test_patch_changes_only_the_given_field(
    client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    zaaktype: m.ZaakType,
    iot: m.InformatieObjectType,
) -> None:
    link = await create_ztiot(database, zaaktype)
    response = await client.patch(
        f"{API}/{link.uuid}", json={"richting": "uitgaand"}, headers=superuser
    )
    assert response.status_code == 200, response.text
    assert response.json()["richting"] == "uitgaand"
    assert response.json()["informatieobjecttype"] == f.url(iot)


async def test_patch_without_token_is_401(
    client: httpx.AsyncClient, database: Database, zaaktype: m.ZaakType
) -> None:
    link = await create_ztiot(database, zaaktype)
    assert (await client.patch(f"{API}/{link.uuid}", json={})).status_code == 401


async def test_delete_removes_it(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database, zaaktype: m.ZaakType
) -> None:
    link = await create_ztiot(database, zaaktype)
    assert (await client.delete(f"{API}/{link.uuid}", headers=superuser)).status_code == 204
    assert (await client.get(f"{API}/{link.uuid}", headers=superuser)).status_code == 404


async def test_delete_with_read_scope_is_403(
    client: httpx.AsyncClient,
    register: Callable[..., Any],
    database: Database,
    zaaktype: m.ZaakType,
) -> None:
    link = await create_ztiot(database, zaaktype)
    headers = await register(
        "lezer", "lezer-secret", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    assert (await client.delete(f"{API}/{link.uuid}", headers=headers)).status_code == 403


async def test_ztc_010_published_zaaktype_only_correctie_and_no_delete(
    client: httpx.AsyncClient,
    register: Callable[..., Any],
    superuser: dict[str, str],
    database: Database,
    catalogus: m.Catalogus,
    iot: m.InformatieObjectType,
) -> None:
    zaaktype = await f.create_zaaktype(database, catalogus, concept=False)
    schrijver = await register(
        "schrijver",
        "schrijver-secret",
        autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen", "catalogi.schrijven"]}],
    )
    refused = await client.post(API, json=body_for(zaaktype), headers=schrijver)
    assert refused.status_code == 400
    assert params(refused) == {"nonFieldErrors": "non-concept-zaaktype"}
    correctie = await client.post(API, json=body_for(zaaktype), headers=superuser)
    assert correctie.status_code == 201
    url = correctie.json()["url"]
    patched = await client.patch(url, json={"richting": "intern"}, headers=schrijver)
    assert patched.status_code == 400
    deleted = await client.delete(url, headers=superuser)
    assert deleted.status_code == 409
    assert deleted.json()["code"] == "non-concept-zaaktype"
