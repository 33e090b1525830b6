"""Black-box tests of /besluittypen (Catalogi 1.3.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select

from mijnzaken.catalogi import models as m
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as f
from tests.catalogi.spec import conforms

API = "/catalogi/api/v1/besluittypen"


def payload(cat: Any, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "catalogus": f.url(cat),
        "omschrijving": "Omgevingsvergunning",
        "publicatieIndicatie": False,
        "reactietermijn": "P6W",
        "informatieobjecttypen": [],
        "beginGeldigheid": "2024-01-01",
    }
    body.update(over)
    return body


async def outbox(database: Any) -> list[dict[str, Any]]:
    async with database.transaction() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [r.payload for r in rows]


async def _client_with(register: Any, name: str, *scopes: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": "ztc", "scopes": list(scopes)}]
    )
    return headers


@pytest.fixture
async def reader(register: Any) -> dict[str, str]:
    return await _client_with(register, "reader", "catalogi.lezen")


@pytest.fixture
async def writer(register: Any) -> dict[str, str]:
    return await _client_with(register, "writer", "catalogi.lezen", "catalogi.schrijven")


@pytest.fixture
async def corrector(register: Any) -> dict[str, str]:
    return await _client_with(register, "corrector", "catalogi.geforceerd-schrijven")


# --- create ---


async def test_create_answers_201_with_a_concept(client, writer, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus, concept=False)
    body = payload(catalogus, informatieobjecttypen=["Aanvraagformulier"])
    resp = await client.post(API, json=body, headers=writer)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    conforms(created, "BesluitType")
    conforms(created, "BesluitTypePostResponse")
    assert resp.headers["location"] == created["url"]
    assert created["concept"] is True
    assert created["informatieobjecttypeOmschrijvingen"] == ["Aanvraagformulier"]
    assert len(created["informatieobjecttypen"]) == 1
    assert created["reactietermijn"] == "P6W"
    [message] = await outbox(database)
    assert (message["kanaal"], message["actie"]) == ("besluittypen", "create")
    assert message["kenmerken"] == {"catalogus": f.url(catalogus)}


async def test_create_without_token_is_401(client, database):
    catalogus = await f.create_catalogus(database)
    assert (await client.post(API, json=payload(catalogus))).status_code == 401


async def test_create_with_only_read_scope_is_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    assert (await client.post(API, json=payload(catalogus), headers=reader)).status_code == 403


@pytest.mark.parametrize(
    ("catalogus_url", "code"),
    [
        ("https://elders.example.nl/catalogi/api/v1/catalogussen/1", "no_match"),
        (
            "http://testserver/catalogi/api/v1/catalogussen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
            "does_not_exist",
        ),
    ],
)
async def test_create_catalogus_must_be_one_of_ours(client, writer, database, catalogus_url, code):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(API, json=payload(catalogus, catalogus=catalogus_url), headers=writer)
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("catalogus", code)


async def test_create_unknown_informatieobjecttype_name_is_400(client, writer, database):
    catalogus = await f.create_catalogus(database)
    body = payload(catalogus, informatieobjecttypen=["Bestaat niet"])
    resp = await client.post(API, json=body, headers=writer)
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("informatieobjecttypen", "does_not_exist")


@pytest.mark.parametrize("field", ["reactietermijn", "publicatietermijn"])
async def test_durations_must_be_iso_8601(client, writer, database, field):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(API, json=payload(catalogus, **{field: "zes weken"}), headers=writer)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == field


async def test_create_bad_input_is_400_naming_each_field(client, writer, database):
    catalogus = await f.create_catalogus(database)
    body = payload(catalogus, besluitcategorie="x" * 41, informatieobjecttypen="geen lijst")
    del body["publicatieIndicatie"]
    resp = await client.post(API, json=body, headers=writer)
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"besluitcategorie", "informatieobjecttypen", "publicatieIndicatie"}


async def test_einde_geldigheid_before_begin_is_400(client, writer, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(
        API, json=payload(catalogus, eindeGeldigheid="2023-01-01"), headers=writer
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "date-mismatch"


# --- list ---


async def _world(database: Any) -> dict[str, Any]:
    """A catalogus with a published IOT, besluittype, zaaktype and resultaattype naming it."""
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    besluittype = await f.create_besluittype(
        database, catalogus, concept=False, informatieobjecttype_omschrijvingen=[iot.omschrijving]
    )
    other = await f.create_besluittype(database, catalogus, omschrijving="Anders", concept=False)
    zaaktype = await f.create_zaaktype(
        database, catalogus, concept=False, besluittype_omschrijvingen=[besluittype.omschrijving]
    )
    resultaattype = m.ResultaatType(
        zaaktype_id=zaaktype.id,
        omschrijving="Verleend",
        resultaattypeomschrijving="https://selectielijst.example.nl/resultaattypeomschrijvingen/1",
        selectielijstklasse="https://selectielijst.example.nl/resultaten/1",
        besluittype_omschrijvingen=[besluittype.omschrijving],
    )
    async with database.transaction() as session:
        session.add(resultaattype)
    return {
        "catalogus": catalogus,
        "iot": iot,
        "besluittype": besluittype,
        "other": other,
        "zaaktype": zaaktype,
        "resultaattype": resultaattype,
    }


async def test_references_by_name_are_rendered_as_urls(client, reader, database):
    w = await _world(database)
    body = (await client.get(f.url(w["besluittype"]), headers=reader)).json()
    conforms(body, "BesluitType")
    assert body["informatieobjecttypen"] == [f.url(w["iot"])]
    assert body["informatieobjecttypeOmschrijvingen"] == [w["iot"].omschrijving]
    assert body["zaaktypen"] == [f.url(w["zaaktype"])]
    assert body["zaaktypeIdentificaties"] == [w["zaaktype"].identificatie]
    assert body["resultaattypen"] == [f.url(w["resultaattype"])]
    assert body["resultaattypenOmschrijving"] == ["Verleend"]


async def test_list_defaults_to_published_and_filters(client, reader, database):
    w = await _world(database)
    concept = await f.create_besluittype(database, w["catalogus"], omschrijving="Concept")

    async def urls(**params: str) -> list[str]:
        resp = await client.get(API, params=params, headers=reader)
        assert resp.status_code == 200, resp.text
        conforms(resp.json(), "PaginatedBesluitTypeList")
        return [r["url"] for r in resp.json()["results"]]

    published = [f.url(w["besluittype"]), f.url(w["other"])]
    assert await urls() == published
    assert await urls(status="concept") == [f.url(concept)]
    assert len(await urls(status="alles")) == 3
    assert await urls(omschrijving="Anders") == [f.url(w["other"])]
    assert await urls(catalogus=f.url(w["catalogus"])) == published
    assert await urls(zaaktypen=f.url(w["zaaktype"])) == [f.url(w["besluittype"])]
    assert await urls(informatieobjecttypen=f.url(w["iot"])) == [f.url(w["besluittype"])]
    assert await urls(datumGeldigheid="2023-01-01") == []
    unknown = "http://testserver/catalogi/api/v1/zaaktypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    assert await urls(zaaktypen=unknown) == []


@pytest.mark.parametrize(
    "params",
    [
        {"zaaktypen": "geen-url"},
        {"informatieobjecttypen": "Aanvraagformulier"},
        {"catalogus": "x"},
        {"onbekend": "1"},
        {"status": "ooit"},
    ],
)
async def test_list_bad_query_is_400(client, reader, params):
    resp = await client.get(API, params=params, headers=reader)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"]


async def test_list_without_token_401_and_without_scope_403(client, register):
    assert (await client.get(API)).status_code == 401
    other = await register(
        "ac", "ac-secret", autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}]
    )
    assert (await client.get(API, headers=other)).status_code == 403


async def test_list_uses_a_constant_number_of_queries(client, reader, database):
    await _world(database)
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("q")

    async def queries() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            resp = await client.get(API, params={"expand": "zaaktypen"}, headers=reader)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        assert resp.status_code == 200
        return len(statements)

    small = await queries()
    for i in range(4):
        w = await _world(database)
        await f.create_besluittype(database, w["catalogus"], omschrijving=f"B{i}", concept=False)
    assert await queries() == small


# --- retrieve / head ---


async def test_retrieve_etag_304_and_head(client, reader, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    resp = await client.get(f.url(besluittype), headers=reader)
    assert resp.status_code == 200
    etag = resp.headers["etag"]
    assert (
        await client.get(f.url(besluittype), headers={**reader, "If-None-Match": etag})
    ).status_code == 304
    head = await client.head(f.url(besluittype), headers=reader)
    assert (head.status_code, head.headers["etag"], head.content) == (200, etag, b"")


async def test_retrieve_unknown_404_without_token_401(client, reader):
    missing = f"{API}/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    assert (await client.get(missing, headers=reader)).status_code == 404
    assert (await client.get(missing)).status_code == 401


# --- update ---


async def test_put_concept_and_notify(client, writer, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    resp = await client.put(
        f.url(besluittype), json=payload(catalogus, toelichting="Nieuw"), headers=writer
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["toelichting"] == "Nieuw"
    [message] = await outbox(database)
    assert message["actie"] == "update"


async def test_put_with_only_read_scope_is_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    resp = await client.put(f.url(besluittype), json=payload(catalogus), headers=reader)
    assert resp.status_code == 403


async def test_patch_concept_keeps_the_names(client, writer, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus)
    besluittype = await f.create_besluittype(
        database, catalogus, informatieobjecttype_omschrijvingen=["Aanvraagformulier"]
    )
    resp = await client.patch(f.url(besluittype), json={"publicatietermijn": "P1Y"}, headers=writer)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["publicatietermijn"] == "P1Y"
    assert body["informatieobjecttypeOmschrijvingen"] == ["Aanvraagformulier"]
    [message] = await outbox(database)
    assert message["actie"] == "partial_update"


async def test_patch_bad_input_400_and_no_token_401(client, writer, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    bad = await client.patch(f.url(besluittype), json={"publicatieIndicatie": None}, headers=writer)
    assert bad.status_code == 400
    assert (await client.patch(f.url(besluittype), json={})).status_code == 401


async def test_ztc_009_published_may_not_be_put_or_patched(client, writer, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus, concept=False)
    put = await client.put(f.url(besluittype), json=payload(catalogus), headers=writer)
    assert put.status_code == 400
    assert put.json()["invalidParams"][0]["code"] == "non-concept-object"
    patch = await client.patch(f.url(besluittype), json={"toelichting": "x"}, headers=writer)
    assert patch.status_code == 400
    einde = await client.patch(
        f.url(besluittype), json={"eindeGeldigheid": "2025-01-01"}, headers=writer
    )
    assert einde.status_code == 200, einde.text


async def test_ztc_009_correctie_with_forced_scope(client, corrector, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus, concept=False)
    resp = await client.patch(
        f.url(besluittype), json={"toelichting": "Correctie"}, headers=corrector
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["toelichting"] == "Correctie"


async def test_ztc_009_published_may_not_be_deleted(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus, concept=False)
    resp = await client.delete(f.url(besluittype), headers=superuser)
    assert resp.status_code == 409
    assert resp.json()["code"] == "non-concept-object"


async def test_extending_einde_geldigheid_into_a_newer_version_is_400(client, writer, database):
    catalogus = await f.create_catalogus(database)
    old = await f.create_besluittype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 5, 31)
    )
    await f.create_besluittype(
        database, catalogus, concept=False, begin_geldigheid=dt.date(2024, 6, 1)
    )
    resp = await client.patch(f.url(old), json={"eindeGeldigheid": None}, headers=writer)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "overlap"


# --- destroy ---


async def test_destroy_concept_answers_200_as_the_spec_lists(client, writer, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    resp = await client.delete(f.url(besluittype), headers=writer)
    assert (resp.status_code, resp.json()) == (200, {})
    assert (await client.get(f.url(besluittype), headers=writer)).status_code == 404
    [message] = await outbox(database)
    assert (message["actie"], message["kanaal"]) == ("destroy", "besluittypen")


async def test_destroy_without_token_401_read_scope_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    assert (await client.delete(f.url(besluittype))).status_code == 401
    assert (await client.delete(f.url(besluittype), headers=reader)).status_code == 403


# --- publish ---


async def test_publish_makes_it_definitive_and_notifies(client, writer, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    resp = await client.post(f"{f.url(besluittype)}/publish", headers=writer)
    assert resp.status_code == 200, resp.text
    conforms(resp.json(), "BesluitType")
    assert resp.json()["concept"] is False
    [message] = await outbox(database)
    assert (message["actie"], message["kenmerken"]) == ("publish", {"catalogus": f.url(catalogus)})
    again = await client.post(f"{f.url(besluittype)}/publish", headers=writer)
    assert again.status_code == 200
    assert len(await outbox(database)) == 1


async def test_publish_overlapping_version_is_400(client, writer, database):
    catalogus = await f.create_catalogus(database)
    await f.create_besluittype(database, catalogus, concept=False)
    newer = await f.create_besluittype(database, catalogus, begin_geldigheid=dt.date(2025, 1, 1))
    resp = await client.post(f"{f.url(newer)}/publish", headers=writer)
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("beginGeldigheid", "overlap")


async def test_publish_without_token_401_read_scope_403_unknown_404(
    client, reader, writer, database
):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus)
    assert (await client.post(f"{f.url(besluittype)}/publish")).status_code == 401
    assert (await client.post(f"{f.url(besluittype)}/publish", headers=reader)).status_code == 403
    missing = f"{API}/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c/publish"
    assert (await client.post(missing, headers=writer)).status_code == 404
