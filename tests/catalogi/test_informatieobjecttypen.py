"""Black-box tests of /informatieobjecttypen (Catalogi 1.3.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select

from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as f
from tests.catalogi.spec import conforms

API = "/catalogi/api/v1/informatieobjecttypen"


def payload(cat: Any, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "catalogus": f.url(cat),
        "omschrijving": "Bouwtekening",
        "vertrouwelijkheidaanduiding": "openbaar",
        "beginGeldigheid": "2024-01-01",
        "informatieobjectcategorie": "Tekening",
        "trefwoord": ["bouw"],
    }
    body.update(over)
    return body


async def outbox(database: Any) -> list[dict[str, Any]]:
    async with database.transaction() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [r.payload for r in rows]


@pytest.fixture
async def reader(register: Any) -> dict[str, str]:
    headers: dict[str, str] = await register(
        "reader", "reader-secret", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    return headers


@pytest.fixture
async def writer(register: Any) -> dict[str, str]:
    scopes = ["catalogi.lezen", "catalogi.schrijven"]
    headers: dict[str, str] = await register(
        "writer", "writer-secret", autorisaties=[{"component": "ztc", "scopes": scopes}]
    )
    return headers


@pytest.fixture
async def corrector(register: Any) -> dict[str, str]:
    scopes = ["catalogi.lezen", "catalogi.geforceerd-schrijven"]
    headers: dict[str, str] = await register(
        "corrector", "corrector-secret", autorisaties=[{"component": "ztc", "scopes": scopes}]
    )
    return headers


# --- create ---


async def test_create_answers_200_with_a_concept_as_the_spec_lists(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(API, json=payload(catalogus), headers=superuser)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    conforms(body, "InformatieObjectType")
    assert body["concept"] is True
    assert body["catalogus"] == f.url(catalogus)
    assert body["trefwoord"] == ["bouw"]
    assert resp.headers["location"] == body["url"]
    assert body["omschrijvingGeneriek"]["informatieobjecttypeOmschrijvingGeneriek"] == ""
    again = await client.get(body["url"], headers=superuser)
    assert again.json() == body


async def test_create_queues_notification_with_catalogus_kenmerk(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    body = (await client.post(API, json=payload(catalogus), headers=superuser)).json()
    [message] = await outbox(database)
    assert message["kanaal"] == "informatieobjecttypen"
    assert message["actie"] == "create"
    assert message["resourceUrl"] == body["url"]
    assert message["kenmerken"] == {"catalogus": f.url(catalogus)}


async def test_create_stores_omschrijving_generiek(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    generiek = {
        "informatieobjecttypeOmschrijvingGeneriek": "Tekening",
        "definitieInformatieobjecttypeOmschrijvingGeneriek": "Een tekening",
        "herkomstInformatieobjecttypeOmschrijvingGeneriek": "VNG",
        "hierarchieInformatieobjecttypeOmschrijvingGeneriek": "1",
        "opmerkingInformatieobjecttypeOmschrijvingGeneriek": None,
    }
    resp = await client.post(
        API, json=payload(catalogus, omschrijvingGeneriek=generiek), headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["omschrijvingGeneriek"] == generiek


async def test_create_without_token_is_401(client, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(API, json=payload(catalogus))
    assert resp.status_code == 401


async def test_create_with_only_read_scope_is_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(API, json=payload(catalogus), headers=reader)
    assert resp.status_code == 403
    assert resp.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("catalogus_url", "code"),
    [
        ("niet-een-url", "invalid"),
        ("https://elders.example.nl/catalogi/api/v1/catalogussen/1", "no_match"),
        (
            "http://testserver/catalogi/api/v1/catalogussen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
            "does_not_exist",
        ),
    ],
)
async def test_create_catalogus_must_be_one_of_ours(
    client, superuser, database, catalogus_url, code
):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(
        API, json=payload(catalogus, catalogus=catalogus_url), headers=superuser
    )
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("catalogus", code)


async def test_create_bad_input_is_400_naming_each_field(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    body = payload(catalogus, vertrouwelijkheidaanduiding="heel_geheim", trefwoord=["x" * 31])
    del body["omschrijving"]
    resp = await client.post(API, json=body, headers=superuser)
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"omschrijving", "vertrouwelijkheidaanduiding", "trefwoord.0"}


async def test_create_not_json_is_400_not_500(client, superuser):
    resp = await client.post(
        API, content=b"{kapot", headers={**superuser, "Content-Type": "application/json"}
    )
    assert resp.status_code == 400


async def test_einde_geldigheid_before_begin_is_400(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(
        API, json=payload(catalogus, eindeGeldigheid="2023-12-31"), headers=superuser
    )
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("eindeGeldigheid", "date-mismatch")


# --- list ---


async def test_list_shows_only_published_by_default(client, reader, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus, omschrijving="Concept")
    published = await f.create_informatieobjecttype(
        database, catalogus, omschrijving="Definitief", concept=False
    )
    resp = await client.get(API, headers=reader)
    assert resp.status_code == 200
    body = resp.json()
    conforms(body, "PaginatedInformatieObjectTypeList")
    assert [r["url"] for r in body["results"]] == [f.url(published)]
    alles = await client.get(API, params={"status": "alles"}, headers=reader)
    assert alles.json()["count"] == 2
    concept = await client.get(API, params={"status": "concept"}, headers=reader)
    assert [r["omschrijving"] for r in concept.json()["results"]] == ["Concept"]


async def test_list_filters_catalogus_omschrijving_and_datum_geldigheid(client, reader, database):
    one = await f.create_catalogus(database)
    other = await f.create_catalogus(database, domein="ANDER")
    old = await f.create_informatieobjecttype(
        database, one, concept=False, einde_geldigheid=dt.date(2024, 6, 30)
    )
    new = await f.create_informatieobjecttype(
        database, one, concept=False, begin_geldigheid=dt.date(2024, 7, 1)
    )
    await f.create_informatieobjecttype(database, other, concept=False, omschrijving="Anders")

    async def urls(**params: str) -> list[str]:
        resp = await client.get(API, params=params, headers=reader)
        assert resp.status_code == 200, resp.text
        return [r["url"] for r in resp.json()["results"]]

    assert await urls(catalogus=f.url(one)) == [f.url(old), f.url(new)]
    assert await urls(omschrijving="Anders") != []
    assert await urls(catalogus=f.url(one), datumGeldigheid="2024-03-01") == [f.url(old)]
    assert await urls(catalogus=f.url(one), datumGeldigheid="2025-01-01") == [f.url(new)]
    foreign = "https://elders.example.nl/catalogi/api/v1/catalogussen/1"
    assert await urls(catalogus=foreign) == []


@pytest.mark.parametrize(
    "params",
    [
        {"onbekend": "1"},
        {"catalogus": "geen-url"},
        {"status": "misschien"},
        {"datumGeldigheid": "gisteren"},
    ],
)
async def test_list_bad_query_is_400(client, reader, params):
    resp = await client.get(API, params=params, headers=reader)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"]


async def test_list_accepts_expand(client, reader, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus, concept=False)
    resp = await client.get(API, params={"expand": "catalogus"}, headers=reader)
    assert resp.status_code == 200
    assert resp.json()["count"] == 1


async def test_list_without_token_is_401(client):
    assert (await client.get(API)).status_code == 401


async def test_list_without_read_scope_is_403(client, register):
    headers = await register(
        "other",
        "other-secret",
        autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}],
    )
    assert (await client.get(API, headers=headers)).status_code == 403


async def test_zaken_lezen_may_read_the_catalogue_ztc_014(client, register):
    headers = await register("zrc", "zrc-secret", alle=True)
    assert (await client.get(API, headers=headers)).status_code == 200


async def _related(database: Any) -> tuple[Any, Any, Any, Any]:
    """A published IOT used by a published zaaktype (via ztiot) and a published besluittype."""
    from mijnzaken.catalogi import models as m

    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    zaaktype = await f.create_zaaktype(database, catalogus, concept=False)
    async with database.transaction() as session:
        session.add(
            m.ZaakTypeInformatieObjectType(
                zaaktype_id=zaaktype.id,
                informatieobjecttype_omschrijving=iot.omschrijving,
                volgnummer=1,
                richting="inkomend",
            )
        )
    besluittype = await f.create_besluittype(
        database, catalogus, concept=False, informatieobjecttype_omschrijvingen=[iot.omschrijving]
    )
    return catalogus, iot, zaaktype, besluittype


async def test_zaaktypen_and_besluittypen_are_found_by_name(client, reader, database):
    _catalogus, iot, zaaktype, besluittype = await _related(database)
    body = (await client.get(f.url(iot), headers=reader)).json()
    conforms(body, "InformatieObjectType")
    assert body["zaaktypen"] == [f.url(zaaktype)]
    assert body["zaaktypeIdentificaties"] == [zaaktype.identificatie]
    assert body["besluittypen"] == [f.url(besluittype)]
    assert body["besluittypeOmschrijving"] == [besluittype.omschrijving]
    # on a day the zaaktype and besluittype were not valid yet, no URLs are rendered
    early = await client.get(
        API, params={"datumGeldigheid": "2023-01-01", "status": "alles"}, headers=reader
    )
    assert early.json()["results"] == []


async def test_list_uses_a_constant_number_of_queries(client, reader, database):
    await _related(database)
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("q")

    async def queries() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            resp = await client.get(API, headers=reader)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        assert resp.status_code == 200
        return len(statements)

    small = await queries()
    for i in range(5):
        other = await f.create_catalogus(database, domein=f"C{i}")
        await f.create_informatieobjecttype(database, other, omschrijving=f"T{i}", concept=False)
        await f.create_besluittype(
            database,
            other,
            omschrijving=f"B{i}",
            concept=False,
            informatieobjecttype_omschrijvingen=[f"T{i}"],
        )
    assert await queries() == small


# --- retrieve and head ---


async def test_retrieve_etag_304_and_head(client, reader, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.get(f.url(iot), headers=reader)
    assert resp.status_code == 200
    etag = resp.headers["etag"]
    cached = await client.get(f.url(iot), headers={**reader, "If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(f.url(iot), headers=reader)
    assert head.status_code == 200
    assert head.headers["etag"] == etag
    assert head.content == b""


async def test_retrieve_unknown_is_404_and_without_token_401(client, reader):
    missing = f"{API}/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    assert (await client.get(missing, headers=reader)).status_code == 404
    assert (await client.get(missing)).status_code == 401
    assert (await client.get(f"{API}/geen-uuid", headers=reader)).status_code in (400, 404)


# --- update ---


async def test_put_concept_replaces_it_and_notifies(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.put(
        f.url(iot), json=payload(catalogus, omschrijving="Nieuw"), headers=writer
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["omschrijving"] == "Nieuw"
    [message] = await outbox(database)
    assert (message["actie"], message["kanaal"]) == ("update", "informatieobjecttypen")


async def test_put_with_only_read_scope_is_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.put(f.url(iot), json=payload(catalogus), headers=reader)
    assert resp.status_code == 403


async def test_patch_concept_changes_one_field(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.patch(f.url(iot), json={"trefwoord": ["a", "b"]}, headers=writer)
    assert resp.status_code == 200, resp.text
    assert resp.json()["trefwoord"] == ["a", "b"]
    assert resp.json()["omschrijving"] == iot.omschrijving
    [message] = await outbox(database)
    assert message["actie"] == "partial_update"


async def test_patch_null_for_required_field_is_400_not_500(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.patch(f.url(iot), json={"omschrijving": None}, headers=writer)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "omschrijving"


async def test_patch_without_token_is_401(client, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    assert (await client.patch(f.url(iot), json={})).status_code == 401


async def test_ztc_009_published_may_not_be_put(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    resp = await client.put(f.url(iot), json=payload(catalogus), headers=writer)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "non-concept-object"


async def test_ztc_009_published_may_be_corrected_with_forced_scope(client, corrector, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    resp = await client.patch(f.url(iot), json={"trefwoord": ["extra"]}, headers=corrector)
    assert resp.status_code == 200, resp.text
    assert resp.json()["trefwoord"] == ["extra"]
    assert resp.json()["concept"] is False


async def test_ztc_009_published_patch_only_einde_geldigheid(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    other = await client.patch(f.url(iot), json={"omschrijving": "Anders"}, headers=writer)
    assert other.status_code == 400
    assert other.json()["invalidParams"][0]["code"] == "non-concept-object"
    einde = await client.patch(f.url(iot), json={"eindeGeldigheid": "2024-12-31"}, headers=writer)
    assert einde.status_code == 200, einde.text
    assert einde.json()["eindeGeldigheid"] == "2024-12-31"


async def test_ztc_009_published_may_not_be_deleted(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    resp = await client.delete(f.url(iot), headers=superuser)
    assert resp.status_code == 409
    assert resp.json()["code"] == "non-concept-object"
    assert (await client.get(f.url(iot), headers=superuser)).status_code == 200


# --- destroy ---


async def test_destroy_concept_answers_200_as_the_spec_lists(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.delete(f.url(iot), headers=writer)
    assert resp.status_code == 200
    assert resp.json() == {}
    assert (await client.get(f.url(iot), headers=writer)).status_code == 404
    [message] = await outbox(database)
    assert (message["actie"], message["kenmerken"]) == ("destroy", {"catalogus": f.url(catalogus)})


async def test_destroy_without_token_401_and_read_scope_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    assert (await client.delete(f.url(iot))).status_code == 401
    assert (await client.delete(f.url(iot), headers=reader)).status_code == 403


# --- publish ---


async def test_publish_makes_it_definitive_and_notifies(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    resp = await client.post(f"{f.url(iot)}/publish", headers=writer)
    assert resp.status_code == 200, resp.text
    conforms(resp.json(), "InformatieObjectType")
    assert resp.json()["concept"] is False
    [message] = await outbox(database)
    assert message["actie"] == "publish"


async def test_publish_twice_is_a_harmless_no_op(client, writer, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    resp = await client.post(f"{f.url(iot)}/publish", headers=writer)
    assert resp.status_code == 200
    assert resp.json()["concept"] is False
    assert await outbox(database) == []


async def test_publish_overlapping_version_is_400(client, writer, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus, concept=False)
    newer = await f.create_informatieobjecttype(
        database, catalogus, begin_geldigheid=dt.date(2024, 6, 1)
    )
    resp = await client.post(f"{f.url(newer)}/publish", headers=writer)
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("beginGeldigheid", "overlap")


async def test_publish_after_previous_version_ends_is_fine(client, writer, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 5, 31)
    )
    newer = await f.create_informatieobjecttype(
        database, catalogus, begin_geldigheid=dt.date(2024, 6, 1)
    )
    resp = await client.post(f"{f.url(newer)}/publish", headers=writer)
    assert resp.status_code == 200, resp.text


async def test_publish_unknown_404_without_token_401_read_scope_403(client, reader, database):
    catalogus = await f.create_catalogus(database)
    iot = await f.create_informatieobjecttype(database, catalogus)
    missing = f"{API}/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c/publish"
    assert (await client.post(missing, headers=reader)).status_code in (403, 404)
    assert (await client.post(f"{f.url(iot)}/publish")).status_code == 401
    assert (await client.post(f"{f.url(iot)}/publish", headers=reader)).status_code == 403
