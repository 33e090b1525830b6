"""Black-box tests of /zaaktypen (Catalogi 1.3.3) and the rules ztc-001, ztc-009, ztc-016."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from mijnzaken.catalogi import models as m
from mijnzaken.core import clock
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as f
from tests.catalogi.spec import conforms

ZAAKTYPEN = "/catalogi/api/v1/zaaktypen"
TODAY = clock.today()


def payload(cat: m.Catalogus, /, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "identificatie": "ZT-NIEUW",
        "omschrijving": "Evenementenvergunning",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Vergunning verlenen",
        "aanleiding": "Aanvraag",
        "indicatieInternOfExtern": "extern",
        "handelingInitiator": "aanvragen",
        "onderwerp": "Evenement",
        "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P8W",
        "opschortingEnAanhoudingMogelijk": False,
        "verlengingMogelijk": True,
        "verlengingstermijn": "P2W",
        "trefwoorden": ["evenement", "vergunning"],
        "publicatieIndicatie": False,
        "productenOfDiensten": ["https://producten.example.nl/evenement"],
        "referentieproces": {"naam": "Vergunningverlening"},
        "verantwoordelijke": "Team Vergunningen",
        "catalogus": f.url(cat),
        "besluittypen": ["Vergunningsbesluit"],
        "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2024-01-01",
    }
    body.update(over)
    return body


async def scoped(register: Any, client_id: str, *scopes: str, component: str = "ztc") -> Any:
    return await register(
        client_id,
        f"{client_id}-secret",
        autorisaties=[{"component": component, "scopes": list(scopes)}],
    )


async def outbox(database: Any) -> list[dict[str, Any]]:
    async with database.transaction() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [r.payload for r in rows]


def codes(resp: Any) -> set[tuple[str, str]]:
    return {(p["name"], p["code"]) for p in resp.json().get("invalidParams", [])}


@contextmanager
def count_queries(database: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", before)


# -- create -------------------------------------------------------------------------------


async def test_create_stores_a_concept_and_notifies(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(ZAAKTYPEN, json=payload(catalogus), headers=superuser)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert resp.headers["location"] == body["url"]
    assert body["concept"] is True
    assert body["catalogus"] == f.url(catalogus)
    assert body["besluittypeOmschrijving"] == ["Vergunningsbesluit"]
    assert body["besluittypen"] == []  # no published besluittype of that name yet
    assert body["versiedatum"] == "2024-01-01"
    conforms(body, "ZaakType")
    again = await client.get(body["url"], headers=superuser)
    assert again.json() == body
    [message] = await outbox(database)
    assert message["kanaal"] == "zaaktypen"
    assert message["resource"] == "zaaktype"
    assert message["actie"] == "create"
    assert message["resourceUrl"] == body["url"]
    assert message["kenmerken"] == {"catalogus": f.url(catalogus)}


async def test_create_without_required_fields_is_400(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    body = payload(catalogus)
    del body["identificatie"], body["doorlooptijd"]
    resp = await client.post(ZAAKTYPEN, json=body, headers=superuser)
    assert resp.status_code == 400
    assert {("identificatie", "required"), ("doorlooptijd", "required")} <= codes(resp)


async def test_create_catalogus_must_be_a_catalogus_of_this_api(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    elsewhere = payload(
        catalogus, catalogus="https://elders.example.nl/catalogi/api/v1/catalogussen/1"
    )
    resp = await client.post(ZAAKTYPEN, json=elsewhere, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("catalogus", "no_match")}
    missing = payload(
        catalogus,
        catalogus=f"{f.BASE}/catalogussen/00000000-0000-4000-8000-000000000000",
    )
    resp = await client.post(ZAAKTYPEN, json=missing, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("catalogus", "does_not_exist")}


async def test_ztc_001_selectielijst_procestype_must_be_a_url(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    bad = payload(catalogus, selectielijstProcestype="procestype 1")
    resp = await client.post(ZAAKTYPEN, json=bad, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("selectielijstProcestype", "invalid")}
    procestype = (
        "https://selectielijst.openzaak.nl/api/v1/procestypen/e1b73b12-b2f6-4c4e-8929-94f84dd2a57d"
    )
    good = payload(catalogus, selectielijstProcestype=procestype)
    resp = await client.post(ZAAKTYPEN, json=good, headers=superuser)
    assert resp.status_code == 201, resp.text
    assert resp.json()["selectielijstProcestype"] == procestype


@pytest.mark.parametrize("field", ["doorlooptijd", "servicenorm", "verlengingstermijn"])
@pytest.mark.parametrize("value", ["30 dagen", "P", "P99999999999D", "P" + "1" * 60 + "D"])
async def test_durations_must_be_iso_8601(client, superuser, database, field, value):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(
        ZAAKTYPEN, json=payload(catalogus, **{field: value}), headers=superuser
    )
    assert resp.status_code == 400
    assert field in {name for name, _code in codes(resp)}


async def test_verlengingstermijn_required_when_verlenging_mogelijk(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    resp = await client.post(
        ZAAKTYPEN, json=payload(catalogus, verlengingstermijn=None), headers=superuser
    )
    assert resp.status_code == 400
    assert codes(resp) == {("verlengingstermijn", "verlenging-mismatch")}


async def test_einde_geldigheid_may_not_precede_begin(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    body = payload(catalogus, beginGeldigheid="2024-05-01", eindeGeldigheid="2024-04-30")
    resp = await client.post(ZAAKTYPEN, json=body, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("eindeGeldigheid", "date-mismatch")}


async def test_create_overlapping_a_published_version_is_400(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    await f.create_zaaktype(database, catalogus, identificatie="ZT-NIEUW", concept=False)
    resp = await client.post(
        ZAAKTYPEN, json=payload(catalogus, beginGeldigheid="2025-01-01"), headers=superuser
    )
    assert resp.status_code == 400
    assert codes(resp) == {("beginGeldigheid", "overlap")}


async def test_create_accepts_besluittype_urls_of_older_clients(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    besluittype = await f.create_besluittype(database, catalogus, concept=False)
    body = payload(catalogus, besluittypen=[f.url(besluittype)])
    resp = await client.post(ZAAKTYPEN, json=body, headers=superuser)
    assert resp.status_code == 201, resp.text
    assert resp.json()["besluittypeOmschrijving"] == ["Vergunningsbesluit"]
    assert resp.json()["besluittypen"] == [f.url(besluittype)]


async def test_deelzaaktype_url_must_be_in_the_same_catalogus(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    other = await f.create_zaaktype(database)  # in another catalogus
    body = payload(catalogus, deelzaaktypen=[f.url(other)])
    resp = await client.post(ZAAKTYPEN, json=body, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("deelzaaktypen", "relations-incorrect-catalogus")}


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"identificatie": 5}', b'{"gerelateerdeZaaktypen": [1]}'],
)
async def test_malformed_create_bodies_are_400(client, superuser, content):
    headers = {**superuser, "Content-Type": "application/json"}
    resp = await client.post(ZAAKTYPEN, content=content, headers=headers)
    assert resp.status_code == 400


# -- list ---------------------------------------------------------------------------------


async def test_list_shows_only_definitief_by_default(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    concept = await f.create_zaaktype(database, catalogus, identificatie="C")
    definitief = await f.create_zaaktype(database, catalogus, identificatie="D", concept=False)

    async def listed(**params: str) -> list[str]:
        resp = await client.get(ZAAKTYPEN, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [z["url"] for z in resp.json()["results"]]

    assert await listed() == [f.url(definitief)]
    assert await listed(status="concept") == [f.url(concept)]
    assert await listed(status="alles") == [f.url(concept), f.url(definitief)]
    resp = await client.get(ZAAKTYPEN, headers=superuser)
    assert resp.json()["count"] == 1
    conforms(resp.json(), "PaginatedZaakTypeList")


async def test_list_filters(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    other = await f.create_catalogus(database, domein="ANDER")
    old = await f.create_zaaktype(
        database,
        catalogus,
        identificatie="A",
        concept=False,
        trefwoorden=["parkeren", "auto"],
        einde_geldigheid=dt.date(2024, 6, 30),
    )
    new = await f.create_zaaktype(
        database,
        catalogus,
        identificatie="A",
        concept=False,
        trefwoorden=["parkeren"],
        begin_geldigheid=dt.date(2024, 7, 1),
    )
    elsewhere = await f.create_zaaktype(database, other, identificatie="B", concept=False)

    async def listed(**params: str) -> list[str]:
        resp = await client.get(ZAAKTYPEN, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [z["url"] for z in resp.json()["results"]]

    assert await listed(catalogus=f.url(other)) == [f.url(elsewhere)]
    assert await listed(identificatie="A") == [f.url(old), f.url(new)]
    assert await listed(trefwoorden="parkeren") == [f.url(old), f.url(new)]
    assert await listed(trefwoorden="parkeren,auto") == [f.url(old)]
    assert await listed(trefwoorden="fiets") == []
    assert await listed(datumGeldigheid="2024-03-01", identificatie="A") == [f.url(old)]
    assert await listed(datumGeldigheid="2024-08-01", identificatie="A") == [f.url(new)]
    assert await listed(expand="catalogus,statustypen") == [
        f.url(old),
        f.url(new),
        f.url(elsewhere),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"onbekend": "1"},
        {"status": "gepubliceerd"},
        {"datumGeldigheid": "gisteren"},
        {"catalogus": "geen-url"},
        {"page": "een"},
    ],
)
async def test_list_bad_query_is_400(client, superuser, params):
    resp = await client.get(ZAAKTYPEN, params=params, headers=superuser)
    assert resp.status_code == 400, resp.text


async def test_list_page_out_of_range_is_404(client, superuser):
    resp = await client.get(ZAAKTYPEN, params={"page": 2}, headers=superuser)
    assert resp.status_code == 404


async def test_references_are_urls_of_published_versions_valid_on_the_date(
    client, superuser, database
):
    catalogus = await f.create_catalogus(database)
    bt_old = await f.create_besluittype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 6, 30)
    )
    bt_new = await f.create_besluittype(
        database, catalogus, concept=False, begin_geldigheid=dt.date(2024, 7, 1)
    )
    await f.create_besluittype(database, catalogus, begin_geldigheid=dt.date(2024, 7, 1))
    iot = await f.create_informatieobjecttype(database, catalogus, concept=False)
    deel = await f.create_zaaktype(
        database,
        catalogus,
        identificatie="DEEL",
        concept=False,
        begin_geldigheid=dt.date(2024, 1, 1),
    )
    zaaktype = await f.create_zaaktype(
        database,
        catalogus,
        concept=False,
        besluittype_omschrijvingen=["Vergunningsbesluit"],
        deelzaaktype_identificaties=["DEEL"],
        gerelateerde_zaaktypen=[{"zaaktype": "DEEL", "aardRelatie": "bijdrage", "toelichting": ""}],
    )
    async with database.transaction() as session:
        session.add(
            m.ZaakTypeInformatieObjectType(
                zaaktype_id=zaaktype.id,
                informatieobjecttype_omschrijving="Aanvraagformulier",
                volgnummer=1,
                richting="inkomend",
            )
        )

    resp = await client.get(f.url(zaaktype), headers=superuser)
    body = resp.json()
    assert body["besluittypen"] == [f.url(bt_new)]
    assert body["informatieobjecttypen"] == [f.url(iot)]
    assert body["informatieobjecttypeOmschrijving"] == ["Aanvraagformulier"]
    assert body["deelzaaktypen"] == [f.url(deel)]
    assert body["gerelateerdeZaaktypen"] == [
        {
            "zaaktype": f.url(deel),
            "zaaktypeIdentificatie": "DEEL",
            "aardRelatie": "bijdrage",
            "toelichting": "",
        }
    ]
    conforms(body, "ZaakType")
    resp = await client.get(
        ZAAKTYPEN,
        params={"identificatie": "ZT-1", "datumGeldigheid": "2024-03-01"},
        headers=superuser,
    )
    assert resp.json()["results"][0]["besluittypen"] == [f.url(bt_old)]


async def test_list_costs_the_same_number_of_queries_for_any_page(client, superuser, database):
    catalogus = await f.create_catalogus(database)

    async def add(n: int) -> None:
        for i in range(n):
            zaaktype = await f.create_zaaktype(
                database,
                catalogus,
                identificatie=f"ZT-{i}-{n}",
                concept=False,
                besluittype_omschrijvingen=[f"Besluit {i}"],
                deelzaaktype_identificaties=["X"],
            )
            await f.create_statustype(database, zaaktype)
            await f.create_roltype(database, zaaktype)

    await client.get(ZAAKTYPEN, headers=superuser)  # warm up authentication caches
    # both counted lists render their types: each follows a catalogue change, which empties
    # the rendered types kept per process (a warm list costs two statements:
    # test_cached_answers.py)
    await add(2)
    with count_queries(database) as small:
        assert (await client.get(ZAAKTYPEN, headers=superuser)).json()["count"] == 2
    await add(6)
    with count_queries(database) as large:
        assert (await client.get(ZAAKTYPEN, headers=superuser)).json()["count"] == 8
    assert len(large) == len(small)


# -- retrieve and headers -----------------------------------------------------------------


async def test_retrieve_etag_and_if_none_match(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.get(f.url(zaaktype), headers=superuser)
    assert resp.status_code == 200
    etag = resp.headers["etag"]
    assert resp.json()["identificatie"] == "ZT-1"
    cached = await client.get(f.url(zaaktype), headers={**superuser, "If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    other = await client.get(f.url(zaaktype), headers={**superuser, "If-None-Match": '"x"'})
    assert other.status_code == 200


async def test_head_gives_the_etag_without_a_body(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    get = await client.get(f.url(zaaktype), headers=superuser)
    head = await client.head(f.url(zaaktype), headers=superuser)
    assert head.status_code == 200
    assert head.headers["etag"] == get.headers["etag"]
    assert head.content == b""


async def test_retrieve_unknown_is_404_and_bad_input_is_not_500(client, superuser, database):
    resp = await client.get(f"{ZAAKTYPEN}/00000000-0000-4000-8000-000000000000", headers=superuser)
    assert resp.status_code == 404
    resp = await client.get(f"{ZAAKTYPEN}/geen-uuid", headers=superuser)
    assert resp.status_code in (400, 404)
    zaaktype = await f.create_zaaktype(database)
    resp = await client.get(f.url(zaaktype), params={"datumGeldigheid": "nooit"}, headers=superuser)
    assert resp.status_code == 400


# -- update -------------------------------------------------------------------------------


async def test_put_replaces_a_concept_and_notifies(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    body = payload(catalogus, omschrijving="Nieuw", deelzaaktypen=["ZT-DEEL"])
    resp = await client.put(f.url(zaaktype), json=body, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["omschrijving"] == "Nieuw"
    assert resp.json()["deelzaaktypeIdentificaties"] == ["ZT-DEEL"]
    conforms(resp.json(), "ZaakType")
    [message] = await outbox(database)
    assert (message["actie"], message["kenmerken"]) == ("update", {"catalogus": f.url(catalogus)})


async def test_put_requires_deelzaaktypen(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    resp = await client.put(f.url(zaaktype), json=payload(catalogus), headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("deelzaaktypen", "required")}


async def test_patch_changes_only_the_given_fields(client, superuser, database):
    zaaktype = await f.create_zaaktype(
        database, besluittype_omschrijvingen=["Vergunningsbesluit"], trefwoorden=["a"]
    )
    resp = await client.patch(f.url(zaaktype), json={"omschrijving": "Ander"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["omschrijving"] == "Ander"
    assert body["besluittypeOmschrijving"] == ["Vergunningsbesluit"]
    assert body["trefwoorden"] == ["a"]
    [message] = await outbox(database)
    assert message["actie"] == "partial_update"


async def test_patch_null_for_a_required_field_is_400(client, superuser, database):
    zaaktype = await f.create_zaaktype(database)
    resp = await client.patch(f.url(zaaktype), json={"doel": None}, headers=superuser)
    assert resp.status_code == 400
    resp = await client.patch(f.url(zaaktype), json={"verlengingMogelijk": True}, headers=superuser)
    assert codes(resp) == {("verlengingstermijn", "verlenging-mismatch")}


async def test_ztc_009_published_zaaktype_cannot_be_put_or_patched(client, register, database):
    writer = await scoped(register, "schrijver", "catalogi.lezen", "catalogi.schrijven")
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus, concept=False)
    body = payload(catalogus, identificatie="ZT-1", deelzaaktypen=[])
    resp = await client.put(f.url(zaaktype), json=body, headers=writer)
    assert resp.status_code == 400
    assert codes(resp) == {("nonFieldErrors", "non-concept-object")}
    resp = await client.patch(f.url(zaaktype), json={"omschrijving": "X"}, headers=writer)
    assert codes(resp) == {("nonFieldErrors", "non-concept-object")}
    resp = await client.patch(
        f.url(zaaktype),
        json={"omschrijving": "X", "eindeGeldigheid": "2030-01-01"},
        headers=writer,
    )
    assert resp.status_code == 400
    assert await outbox(database) == []


async def test_ztc_009_published_zaaktype_may_get_an_einde_geldigheid(client, register, database):
    writer = await scoped(register, "schrijver", "catalogi.schrijven")
    zaaktype = await f.create_zaaktype(database, concept=False)
    resp = await client.patch(
        f.url(zaaktype), json={"eindeGeldigheid": "2030-12-31"}, headers=writer
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["eindeGeldigheid"] == "2030-12-31"
    assert resp.json()["concept"] is False


async def test_ztc_009_correctie_with_geforceerd_schrijven(client, register, database):
    corrector = await scoped(register, "corrector", "catalogi.geforceerd-schrijven")
    zaaktype = await f.create_zaaktype(database, concept=False)
    resp = await client.patch(f.url(zaaktype), json={"trefwoorden": ["extra"]}, headers=corrector)
    assert resp.status_code == 200, resp.text
    assert resp.json()["trefwoorden"] == ["extra"]


async def test_ztc_009_published_zaaktype_cannot_be_deleted(client, superuser, database):
    zaaktype = await f.create_zaaktype(database, concept=False)
    resp = await client.delete(f.url(zaaktype), headers=superuser)
    assert resp.status_code == 409
    assert resp.json()["code"] == "non-concept-object"
    assert (await client.get(f.url(zaaktype), headers=superuser)).status_code == 200


# -- publish and ztc-016 ------------------------------------------------------------------


async def test_publish_makes_definitief_and_notifies(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    resp = await client.post(f"{f.url(zaaktype)}/publish", json={}, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["concept"] is False
    conforms(resp.json(), "ZaakType")
    [message] = await outbox(database)
    assert (message["actie"], message["kenmerken"]) == ("publish", {"catalogus": f.url(catalogus)})
    listed = await client.get(ZAAKTYPEN, headers=superuser)
    assert [z["url"] for z in listed.json()["results"]] == [f.url(zaaktype)]


async def test_publish_with_concept_besluittype_is_400(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    await f.create_besluittype(database, catalogus)  # concept only
    zaaktype = await f.create_zaaktype(
        database, catalogus, besluittype_omschrijvingen=["Vergunningsbesluit"]
    )
    resp = await client.post(f"{f.url(zaaktype)}/publish", headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("besluittypen", "concept-relation")}
    await f.create_besluittype(database, catalogus, concept=False)
    resp = await client.post(f"{f.url(zaaktype)}/publish", headers=superuser)
    assert resp.status_code == 200, resp.text


async def test_publish_with_concept_informatieobjecttype_is_400(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    await f.create_informatieobjecttype(database, catalogus)  # concept only
    zaaktype = await f.create_zaaktype(database, catalogus)
    async with database.transaction() as session:
        session.add(
            m.ZaakTypeInformatieObjectType(
                zaaktype_id=zaaktype.id,
                informatieobjecttype_omschrijving="Aanvraagformulier",
                volgnummer=1,
                richting="inkomend",
            )
        )
    resp = await client.post(f"{f.url(zaaktype)}/publish", headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("informatieobjecttypen", "concept-relation")}


async def test_ztc_016_publish_rejects_overlapping_validity(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    await f.create_zaaktype(database, catalogus, concept=False)  # from 2024-01-01, open-ended
    nieuw = await f.create_zaaktype(database, catalogus, begin_geldigheid=dt.date(2025, 1, 1))
    resp = await client.post(f"{f.url(nieuw)}/publish", headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("beginGeldigheid", "overlap")}
    assert (await client.get(f.url(nieuw), headers=superuser)).json()["concept"] is True
    # in another catalogus, or with another identificatie, there is no overlap
    elders = await f.create_zaaktype(database, begin_geldigheid=dt.date(2025, 1, 1))
    assert (await client.post(f"{f.url(elders)}/publish", headers=superuser)).status_code == 200


async def test_ztc_016_publish_after_ending_the_previous_version(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    oud = await f.create_zaaktype(database, catalogus, concept=False)
    nieuw = await f.create_zaaktype(database, catalogus, begin_geldigheid=dt.date(2025, 1, 1))
    resp = await client.patch(f.url(oud), json={"eindeGeldigheid": "2024-12-31"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    resp = await client.post(f"{f.url(nieuw)}/publish", headers=superuser)
    assert resp.status_code == 200, resp.text


async def test_ztc_016_einde_geldigheid_patch_may_not_create_overlap(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    oud = await f.create_zaaktype(
        database, catalogus, concept=False, einde_geldigheid=dt.date(2024, 12, 31)
    )
    await f.create_zaaktype(
        database, catalogus, concept=False, begin_geldigheid=dt.date(2025, 1, 1)
    )
    resp = await client.patch(f.url(oud), json={"eindeGeldigheid": "2025-06-30"}, headers=superuser)
    assert resp.status_code == 400
    assert codes(resp) == {("beginGeldigheid", "overlap")}
    resp = await client.patch(f.url(oud), json={"eindeGeldigheid": None}, headers=superuser)
    assert resp.status_code == 400


async def test_publish_unknown_is_404(client, superuser):
    resp = await client.post(
        f"{ZAAKTYPEN}/00000000-0000-4000-8000-000000000000/publish", headers=superuser
    )
    assert resp.status_code == 404


# -- destroy ------------------------------------------------------------------------------


async def test_destroy_concept_cascades_and_notifies(client, superuser, database):
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(database, catalogus)
    await f.create_statustype(database, zaaktype)
    await f.create_roltype(database, zaaktype)
    resp = await client.delete(f.url(zaaktype), headers=superuser)
    assert resp.status_code == 200, resp.text
    assert (await client.get(f.url(zaaktype), headers=superuser)).status_code == 404
    async with database.transaction() as session:
        for model in (m.StatusType, m.RolType):
            count = (await session.execute(select(func.count()).select_from(model))).scalar()
            assert count == 0
    [message] = await outbox(database)
    assert message["actie"] == "destroy"
    assert message["kenmerken"] == {"catalogus": f.url(catalogus)}


async def test_destroy_unknown_is_404(client, superuser):
    resp = await client.delete(
        f"{ZAAKTYPEN}/00000000-0000-4000-8000-000000000000", headers=superuser
    )
    assert resp.status_code == 404


# -- authorisation ------------------------------------------------------------------------


async def test_every_operation_needs_a_token(client, database):
    zaaktype = await f.create_zaaktype(database)
    item = f.url(zaaktype)
    for method, path in [
        ("GET", ZAAKTYPEN),
        ("POST", ZAAKTYPEN),
        ("GET", item),
        ("HEAD", item),
        ("PUT", item),
        ("PATCH", item),
        ("DELETE", item),
        ("POST", f"{item}/publish"),
    ]:
        resp = await client.request(
            method, path, json={} if method in ("POST", "PUT", "PATCH") else None
        )
        assert resp.status_code == 401, (method, path)


async def test_operations_need_their_scope(client, register, database):
    reader = await scoped(register, "lezer", "catalogi.lezen")
    zaaktype = await f.create_zaaktype(database)
    item = f.url(zaaktype)
    assert (await client.get(ZAAKTYPEN, headers=reader)).status_code == 200
    assert (await client.get(item, headers=reader)).status_code == 200
    for method, path in [
        ("POST", ZAAKTYPEN),
        ("PUT", item),
        ("PATCH", item),
        ("DELETE", item),
        ("POST", f"{item}/publish"),
    ]:
        resp = await client.request(method, path, json={}, headers=reader)
        assert resp.status_code == 403, (method, path)
    nobody = await scoped(register, "niemand", "notificaties.consumeren", component="nrc")
    assert (await client.get(ZAAKTYPEN, headers=nobody)).status_code == 403
    assert (await client.head(item, headers=nobody)).status_code == 403


async def test_ztc_014_zaken_lezen_may_read_zaaktypen(client, register, database):
    zaaktype = await f.create_zaaktype(database, concept=False)
    zrc = await register(
        "zaken",
        "zaken-secret",
        autorisaties=[
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": f.url(zaaktype),
                "max_vertrouwelijkheidaanduiding": "openbaar",
            }
        ],
    )
    resp = await client.get(ZAAKTYPEN, headers=zrc)
    assert resp.status_code == 200
    assert resp.json()["count"] == 1
