"""The /resultaattypen resource: CRUD, filters, names as URLs, ztc-002 to ztc-008, ztc-010."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from mijnzaken.app import create_app
from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from tests.catalogi import factories as f

API = "/catalogi/api/v1/resultaattypen"
OMSCHRIJVING_URL = "https://selectielijst.example.nl/api/v1/resultaattypeomschrijvingen/1"
KLASSE_URL = "https://selectielijst.example.nl/api/v1/resultaten/1"
PROCESTYPE = "https://selectielijst.example.nl/api/v1/procestypen/1"


async def create_resultaattype(
    database: Database, zaaktype: m.ZaakType, **over: Any
) -> m.ResultaatType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": "Verleend",
        "resultaattypeomschrijving": OMSCHRIJVING_URL,
        "selectielijstklasse": KLASSE_URL,
        "archiefnominatie": "vernietigen",
        "archiefactietermijn": "P10Y",
        "begin_geldigheid": zaaktype.begin_geldigheid,
    }
    fields.update(over)
    return await f._store(database, m.ResultaatType(**fields))


def body_for(zt: m.ZaakType, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "zaaktype": f.url(zt),
        "omschrijving": "Verleend",
        "resultaattypeomschrijving": OMSCHRIJVING_URL,
        "selectielijstklasse": KLASSE_URL,
        "archiefnominatie": "vernietigen",
        "archiefactietermijn": "P10Y",
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"},
    }
    body.update(over)
    return body


def params(response: httpx.Response) -> dict[str, str]:
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


@pytest.fixture
async def zaaktype(database: Database) -> m.ZaakType:
    return await f.create_zaaktype(database)


# --- create ---------------------------------------------------------------------------------


async def test_create_returns_the_resultaattype_with_location(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await client.post(API, json=body_for(zaaktype), headers=superuser)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert body["zaaktype"] == f.url(zaaktype)
    assert body["zaaktypeIdentificatie"] == "ZT-1"
    assert body["omschrijvingGeneriek"] == ""  # no selectielijst configured
    assert body["beginGeldigheid"] == "2024-01-01"  # taken from the zaaktype
    assert body["brondatumArchiefprocedure"] == {
        "afleidingswijze": "afgehandeld",
        "datumkenmerk": "",
        "einddatumBekend": False,
        "objecttype": "",
        "registratie": "",
        "procestermijn": None,
    }
    assert body["catalogus"].startswith("http://testserver/catalogi/api/v1/catalogussen/")


async def test_create_renders_besluittypen_by_name_as_published_urls(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    published = await f.create_besluittype(database, catalogus, concept=False)
    await f.create_besluittype(database, catalogus, concept=True)  # a concept: not rendered
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    response = await client.post(
        API,
        json=body_for(
            zaaktype, besluittypen=["Vergunningsbesluit"], informatieobjecttypen=[f.url(iot)]
        ),
        headers=superuser,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["besluittypen"] == [f.url(published)]
    assert body["besluittypeOmschrijving"] == ["Vergunningsbesluit"]
    assert body["informatieobjecttypen"] == [f.url(iot)]
    assert body["informatieobjecttypeOmschrijving"] == ["Aanvraagformulier"]


async def test_create_with_unknown_besluittype_name_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await client.post(
        API, json=body_for(zaaktype, besluittypen=["Bestaat niet"]), headers=superuser
    )
    assert response.status_code == 400
    assert params(response) == {"besluittypen": "does_not_exist"}


async def test_create_with_foreign_zaaktype_url_is_400_no_match(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(zaaktype, zaaktype="https://elders.example.nl/catalogi/api/v1/zaaktypen/1")
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"zaaktype": "no_match"}


async def test_create_with_unknown_zaaktype_is_400_does_not_exist(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(
        zaaktype,
        zaaktype="http://testserver/catalogi/api/v1/zaaktypen/00000000-0000-4000-8000-000000000000",
    )
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"zaaktype": "does_not_exist"}


async def test_create_with_missing_fields_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str]
) -> None:
    response = await client.post(API, json={"omschrijving": "x"}, headers=superuser)
    assert response.status_code == 400
    assert params(response)["zaaktype"] == "required"
    assert params(response)["selectielijstklasse"] == "required"


async def test_create_with_bad_duration_and_url_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(zaaktype, archiefactietermijn="tien jaar", resultaattypeomschrijving="x")
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert set(params(response)) == {"archiefactietermijn", "resultaattypeomschrijving"}


async def test_begin_geldigheid_must_match_the_zaaktype(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    body = body_for(zaaktype, beginGeldigheid="2030-01-01")
    response = await client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"beginGeldigheid": "invalid"}


async def test_create_without_token_is_401(client: httpx.AsyncClient, zaaktype: m.ZaakType) -> None:
    response = await client.post(API, json=body_for(zaaktype))
    assert response.status_code == 401


async def test_create_with_read_scope_only_is_403(
    client: httpx.AsyncClient, register: Callable[..., Any], zaaktype: m.ZaakType
) -> None:
    headers = await register(
        "lezer", "lezer-secret", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    response = await client.post(API, json=body_for(zaaktype), headers=headers)
    assert response.status_code == 403


# --- brondatumArchiefprocedure: ztc-004 to ztc-008 --------------------------------------------


async def _brondatum(
    client: httpx.AsyncClient, headers: dict[str, str], zaaktype: m.ZaakType, **brondatum: Any
) -> httpx.Response:
    return await client.post(
        API, json=body_for(zaaktype, brondatumArchiefprocedure=brondatum), headers=headers
    )


async def test_ztc_004_datumkenmerk_required_for_eigenschap(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await _brondatum(client, superuser, zaaktype, afleidingswijze="eigenschap")
    assert response.status_code == 400
    assert params(response) == {"brondatumArchiefprocedure.datumkenmerk": "required"}
    ok = await _brondatum(
        client, superuser, zaaktype, afleidingswijze="eigenschap", datumkenmerk="vervaldatum"
    )
    assert ok.status_code == 201, ok.text


async def test_ztc_004_datumkenmerk_forbidden_for_afgehandeld(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await _brondatum(
        client, superuser, zaaktype, afleidingswijze="afgehandeld", datumkenmerk="x"
    )
    assert response.status_code == 400
    assert params(response) == {"brondatumArchiefprocedure.datumkenmerk": "must-be-empty"}


async def test_ztc_005_einddatum_bekend_forbidden_for_termijn(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    response = await _brondatum(
        client,
        superuser,
        zaaktype,
        afleidingswijze="termijn",
        procestermijn="P5Y",
        einddatumBekend=True,
    )
    assert response.status_code == 400
    assert params(response) == {"brondatumArchiefprocedure.einddatumBekend": "must-be-empty"}


async def test_ztc_006_objecttype_required_for_zaakobject_and_forbidden_otherwise(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    missing = await _brondatum(
        client, superuser, zaaktype, afleidingswijze="zaakobject", datumkenmerk="d"
    )
    assert missing.status_code == 400
    assert params(missing) == {"brondatumArchiefprocedure.objecttype": "required"}
    extra = await _brondatum(
        client, superuser, zaaktype, afleidingswijze="hoofdzaak", objecttype="pand"
    )
    assert extra.status_code == 400
    assert params(extra) == {"brondatumArchiefprocedure.objecttype": "must-be-empty"}


async def test_ztc_007_registratie_required_for_ander_datumkenmerk_only(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    missing = await _brondatum(
        client,
        superuser,
        zaaktype,
        afleidingswijze="ander_datumkenmerk",
        datumkenmerk="d",
        objecttype="pand",
    )
    assert missing.status_code == 400
    assert params(missing) == {"brondatumArchiefprocedure.registratie": "required"}
    extra = await _brondatum(
        client,
        superuser,
        zaaktype,
        afleidingswijze="zaakobject",
        datumkenmerk="d",
        objecttype="pand",
        registratie="BAG",
    )
    assert extra.status_code == 400
    assert params(extra) == {"brondatumArchiefprocedure.registratie": "must-be-empty"}


async def test_ztc_008_procestermijn_required_for_termijn_only(
    client: httpx.AsyncClient, superuser: dict[str, str], zaaktype: m.ZaakType
) -> None:
    missing = await _brondatum(client, superuser, zaaktype, afleidingswijze="termijn")
    assert missing.status_code == 400
    assert params(missing) == {"brondatumArchiefprocedure.procestermijn": "required"}
    extra = await _brondatum(
        client, superuser, zaaktype, afleidingswijze="afgehandeld", procestermijn="P1Y"
    )
    assert extra.status_code == 400
    assert params(extra) == {"brondatumArchiefprocedure.procestermijn": "must-be-empty"}


# --- read -----------------------------------------------------------------------------------


async def test_retrieve_has_etag_and_304_on_match(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    zaaktype = await f.create_zaaktype(database)
    rt = await create_resultaattype(database, zaaktype)
    response = await client.get(f"{API}/{rt.uuid}", headers=superuser)
    assert response.status_code == 200
    assert response.json()["omschrijving"] == "Verleend"
    etag = response.headers["ETag"]
    again = await client.get(f"{API}/{rt.uuid}", headers={**superuser, "If-None-Match": etag})
    assert again.status_code == 304
    head = await client.head(f"{API}/{rt.uuid}", headers=superuser)
    assert head.status_code == 200
    assert head.headers["ETag"] == etag
    assert head.content == b""


async def test_retrieve_unknown_is_404(
    client: httpx.AsyncClient, superuser: dict[str, str]
) -> None:
    response = await client.get(f"{API}/00000000-0000-4000-8000-000000000000", headers=superuser)
    assert response.status_code == 404


async def test_retrieve_without_token_is_401(client: httpx.AsyncClient, database: Database) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    assert (await client.get(f"{API}/{rt.uuid}")).status_code == 401


async def test_retrieve_without_catalogi_scope_is_403(
    client: httpx.AsyncClient, register: Callable[..., Any], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    headers = await register(
        "ander",
        "ander-secret",
        autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}],
    )
    assert (await client.get(f"{API}/{rt.uuid}", headers=headers)).status_code == 403


async def test_list_shows_definitief_by_default_and_filters(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    catalogus = await f.create_catalogus(database)
    concept = await f.create_zaaktype(database, catalogus)
    published = await f.create_zaaktype(database, catalogus, identificatie="ZT-2", concept=False)
    await create_resultaattype(database, concept, omschrijving="Concept")
    await create_resultaattype(database, published, omschrijving="Definitief")

    default = (await client.get(API, headers=superuser)).json()
    assert [r["omschrijving"] for r in default["results"]] == ["Definitief"]
    alles = (await client.get(API, params={"status": "alles"}, headers=superuser)).json()
    assert alles["count"] == 2
    by_zaaktype = await client.get(
        API, params={"zaaktype": f.url(concept), "status": "alles"}, headers=superuser
    )
    assert [r["omschrijving"] for r in by_zaaktype.json()["results"]] == ["Concept"]
    by_identificatie = await client.get(
        API, params={"zaaktypeIdentificatie": "ZT-2"}, headers=superuser
    )
    assert by_identificatie.json()["count"] == 1
    old_name = await client.get(
        API, params={"zaaktype_identificatie": "ZT-1", "status": "alles"}, headers=superuser
    )
    assert [r["omschrijving"] for r in old_name.json()["results"]] == ["Concept"]
    foreign = await client.get(
        API, params={"zaaktype": "https://elders.example.nl/zaaktypen/1"}, headers=superuser
    )
    assert foreign.json()["count"] == 0


async def test_list_datum_geldigheid_filters_and_dates_the_urls(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 12, 31)
    )
    old = await f.create_besluittype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 6, 30)
    )
    new = await f.create_besluittype(
        database, catalogus, concept=False, begin_geldigheid=dt.date(2024, 7, 1)
    )
    await create_resultaattype(
        database, zaaktype, besluittype_omschrijvingen=["Vergunningsbesluit"]
    )

    march = await client.get(API, params={"datumGeldigheid": "2024-03-01"}, headers=superuser)
    assert march.json()["results"][0]["besluittypen"] == [f.url(old)]
    august = await client.get(API, params={"datum_geldigheid": "2024-08-01"}, headers=superuser)
    assert august.json()["results"][0]["besluittypen"] == [f.url(new)]
    later = await client.get(API, params={"datumGeldigheid": "2025-02-01"}, headers=superuser)
    assert later.json()["count"] == 0


async def test_list_with_bad_filters_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str]
) -> None:
    bad_status = await client.get(API, params={"status": "soms"}, headers=superuser)
    assert bad_status.status_code == 400
    assert params(bad_status) == {"status": "invalid_choice"}
    bad_date = await client.get(API, params={"datumGeldigheid": "gisteren"}, headers=superuser)
    assert bad_date.status_code == 400
    unknown = await client.get(API, params={"foo": "bar"}, headers=superuser)
    assert unknown.status_code == 400
    bad_expand = await client.get(API, params={"expand": "roltypen"}, headers=superuser)
    assert bad_expand.status_code == 404  # zrc-027: an unknown attribute to expand
    assert bad_expand.json()["code"] == "expand-onbekend-attribuut"
    bad_url = await client.get(API, params={"zaaktype": "geen url"}, headers=superuser)
    assert params(bad_url) == {"zaaktype": "invalid"}


async def test_list_without_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get(API)).status_code == 401


async def test_list_costs_a_constant_number_of_queries(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    catalogus = await f.create_catalogus(database)
    await f.create_besluittype(database, catalogus, concept=False)
    zaaktype = await f.create_zaaktype(database, catalogus, concept=False)
    names = {"besluittype_omschrijvingen": ["Vergunningsbesluit"]}
    await create_resultaattype(database, zaaktype, **names)

    async def count_queries() -> int:
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append(args[2])

        event.listen(database.engine.sync_engine, "before_cursor_execute", record)
        try:
            response = await client.get(API, headers=superuser)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return len(seen)

    one = await count_queries()
    for i in range(5):
        other = await f.create_zaaktype(database, catalogus, identificatie=f"X{i}", concept=False)
        await create_resultaattype(database, other, **names)
    assert await count_queries() == one


# --- update and delete ------------------------------------------------------------------------


async def test_put_replaces_the_resultaattype(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    zaaktype = await f.create_zaaktype(database)
    rt = await create_resultaattype(database, zaaktype)
    body = body_for(zaaktype, omschrijving="Geweigerd", toelichting="Nieuw")
    response = await client.put(f"{API}/{rt.uuid}", json=body, headers=superuser)
    assert response.status_code == 200, response.text
    stored = (await client.get(f"{API}/{rt.uuid}", headers=superuser)).json()
    assert stored["omschrijving"] == "Geweigerd"
    assert stored["toelichting"] == "Nieuw"


async def test_put_with_bad_body_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    response = await client.put(f"{API}/{rt.uuid}", json={"omschrijving": 5}, headers=superuser)
    assert response.status_code == 400


async def test_patch_changes_only_the_given_fields(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    await f.create_besluittype(database, catalogus)
    rt = await create_resultaattype(
        database, zaaktype, besluittype_omschrijvingen=["Vergunningsbesluit"]
    )
    response = await client.patch(
        f"{API}/{rt.uuid}", json={"toelichting": "Aangepast"}, headers=superuser
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["toelichting"] == "Aangepast"
    assert body["omschrijving"] == "Verleend"
    assert body["besluittypeOmschrijving"] == ["Vergunningsbesluit"]


async def test_patch_null_for_required_field_is_400(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    response = await client.patch(
        f"{API}/{rt.uuid}", json={"omschrijving": None}, headers=superuser
    )
    assert response.status_code == 400
    assert "omschrijving" in params(response)


async def test_patch_without_token_is_401(client: httpx.AsyncClient, database: Database) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    assert (await client.patch(f"{API}/{rt.uuid}", json={})).status_code == 401


async def test_delete_removes_it(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    assert (await client.delete(f"{API}/{rt.uuid}", headers=superuser)).status_code == 204
    assert (await client.get(f"{API}/{rt.uuid}", headers=superuser)).status_code == 404


async def test_delete_with_read_scope_is_403(
    client: httpx.AsyncClient, register: Callable[..., Any], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database))
    headers = await register(
        "lezer", "lezer-secret", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    assert (await client.delete(f"{API}/{rt.uuid}", headers=headers)).status_code == 403


# --- ztc-010 --------------------------------------------------------------------------------


@pytest.fixture
async def schrijver(register: Callable[..., Any]) -> dict[str, str]:
    scopes = ["catalogi.lezen", "catalogi.schrijven"]
    headers: dict[str, str] = await register(
        "schrijver", "schrijver-secret", autorisaties=[{"component": "ztc", "scopes": scopes}]
    )
    return headers


@pytest.fixture
async def corrector(register: Callable[..., Any]) -> dict[str, str]:
    scopes = ["catalogi.lezen", "catalogi.schrijven", "catalogi.geforceerd-schrijven"]
    headers: dict[str, str] = await register(
        "corrector", "corrector-secret", autorisaties=[{"component": "ztc", "scopes": scopes}]
    )
    return headers


async def test_ztc_010_no_create_under_published_zaaktype_except_correctie(
    client: httpx.AsyncClient,
    schrijver: dict[str, str],
    corrector: dict[str, str],
    database: Database,
) -> None:
    zaaktype = await f.create_zaaktype(database, concept=False)
    refused = await client.post(API, json=body_for(zaaktype), headers=schrijver)
    assert refused.status_code == 400
    assert params(refused) == {"nonFieldErrors": "non-concept-zaaktype"}
    correctie = await client.post(API, json=body_for(zaaktype), headers=corrector)
    assert correctie.status_code == 201, correctie.text


async def test_ztc_010_no_change_under_published_zaaktype_except_correctie(
    client: httpx.AsyncClient,
    schrijver: dict[str, str],
    corrector: dict[str, str],
    database: Database,
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database, concept=False))
    patch = {"toelichting": "correctie"}
    refused = await client.patch(f"{API}/{rt.uuid}", json=patch, headers=schrijver)
    assert refused.status_code == 400
    assert params(refused) == {"nonFieldErrors": "non-concept-zaaktype"}
    assert (
        await client.patch(f"{API}/{rt.uuid}", json=patch, headers=corrector)
    ).status_code == 200


async def test_ztc_010_never_delete_under_published_zaaktype(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    rt = await create_resultaattype(database, await f.create_zaaktype(database, concept=False))
    response = await client.delete(f"{API}/{rt.uuid}", headers=superuser)
    assert response.status_code == 409
    assert response.json()["code"] == "non-concept-zaaktype"


# --- ztc-002 and ztc-003 against a real selectielijst server on 127.0.0.1 ----------------------

SELECTIELIJST: dict[str, Any] = {
    "/api/v1/resultaattypeomschrijvingen/toegekend": {
        "url": "",
        "omschrijving": "Toegekend",
        "definitie": "",
        "opmerking": "",
    },
    "/api/v1/resultaten/vernietigen": {
        "procesType": "{base}/api/v1/procestypen/1",
        "nummer": 1,
        "naam": "Verleend",
        "waardering": "vernietigen",
        "procestermijn": "nihil",
        "bewaartermijn": "P5Y",
    },
    "/api/v1/resultaten/ander-proces": {
        "procesType": "{base}/api/v1/procestypen/2",
        "waardering": "blijvend_bewaren",
        "procestermijn": "",
        "bewaartermijn": None,
    },
}


@pytest.fixture(scope="module")
def selectielijst() -> Iterator[str]:
    base_holder: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = SELECTIELIJST.get(self.path)
            if data is None:
                self.send_response(404)
                self.end_headers()
                return
            raw = json.dumps(data).replace("{base}", base_holder[0]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *_args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base_holder.append(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base_holder[0]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
async def configured_client(
    settings: Settings, database: Database, selectielijst: str
) -> AsyncIterator[httpx.AsyncClient]:
    own = Settings(
        database_url=settings.database_url,
        selectielijst_api_url=f"{selectielijst}/api/v1/",
        outbound_allow_private=True,
        outbound_timeout=5,
    )
    transport = httpx.ASGITransport(app=create_app(own, database))
    async with httpx.AsyncClient(transport=transport, base_url=f.BASE.split("/catalogi")[0]) as c:
        yield c


async def _selectielijst_zaaktype(database: Database, selectielijst: str) -> m.ZaakType:
    return await f.create_zaaktype(
        database, selectielijst_procestype=f"{selectielijst}/api/v1/procestypen/1"
    )


async def test_ztc_002_omschrijving_generiek_and_defaults_from_the_selectielijst(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving=f"{selectielijst}/api/v1/resultaattypeomschrijvingen/toegekend",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/vernietigen",
    )
    del body["archiefnominatie"], body["archiefactietermijn"]
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["omschrijvingGeneriek"] == "Toegekend"
    assert created["archiefnominatie"] == "vernietigen"
    assert created["archiefactietermijn"] == "P5Y"


async def test_ztc_002_explicit_archiefnominatie_is_kept(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving=f"{selectielijst}/api/v1/resultaattypeomschrijvingen/toegekend",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/vernietigen",
        archiefnominatie="blijvend_bewaren",
        archiefactietermijn="P20Y",
    )
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 201, response.text
    assert response.json()["archiefnominatie"] == "blijvend_bewaren"
    assert response.json()["archiefactietermijn"] == "P20Y"


async def test_ztc_002_selectielijstklasse_of_another_procestype_is_400(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving=f"{selectielijst}/api/v1/resultaattypeomschrijvingen/toegekend",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/ander-proces",
    )
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"selectielijstklasse": "procestype-mismatch"}


async def test_ztc_002_unknown_resultaattypeomschrijving_is_400(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving=f"{selectielijst}/api/v1/resultaattypeomschrijvingen/nee",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/vernietigen",
    )
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"resultaattypeomschrijving": "bad-url"}


async def test_ztc_002_url_outside_the_selectielijst_is_400(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving="http://169.254.169.254/latest/meta-data/",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/vernietigen",
    )
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {"resultaattypeomschrijving": "invalid-resource"}


async def test_ztc_003_afleidingswijze_must_be_afgehandeld_for_procestermijn_nihil(
    configured_client: httpx.AsyncClient,
    superuser: dict[str, str],
    database: Database,
    selectielijst: str,
) -> None:
    zaaktype = await _selectielijst_zaaktype(database, selectielijst)
    body = body_for(
        zaaktype,
        resultaattypeomschrijving=f"{selectielijst}/api/v1/resultaattypeomschrijvingen/toegekend",
        selectielijstklasse=f"{selectielijst}/api/v1/resultaten/vernietigen",
        brondatumArchiefprocedure={"afleidingswijze": "hoofdzaak"},
    )
    response = await configured_client.post(API, json=body, headers=superuser)
    assert response.status_code == 400
    assert params(response) == {
        "brondatumArchiefprocedure.afleidingswijze": "invalid-afleidingswijze-for-procestermijn"
    }
