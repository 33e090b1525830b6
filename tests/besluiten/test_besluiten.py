"""Black-box tests of /besluiten: operations, filters, rights, notifications, audit trail and
the rules brc-001, brc-002, brc-006, brc-007 and brc-009."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import select, text

from mijnzaken.besluiten import models as m
from mijnzaken.besluiten import repository
from mijnzaken.core import clock
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.zaken.models import ZaakBesluit
from tests.besluiten import factories as f
from tests.catalogi import factories as cf
from tests.documenten import factories as df
from tests.zaken import factories as zf


async def _outbox(database):
    async with database.transaction() as session:
        return [o.payload for o in (await session.execute(select(OutboxMessage))).scalars()]


async def _zaakbesluiten(database):
    async with database.transaction() as session:
        rows = (await session.execute(select(ZaakBesluit))).scalars().all()
        return [(r.zaak_id, r.besluit) for r in rows]


async def test_create_read_update_partial_update_and_delete(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    resp = await client.post(
        f.API,
        json=f.body(besluittype, toelichting="Verleend", vervalreden="tijdelijk"),
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["besluittype"] == cf.url(besluittype)
    assert created["zaak"] == ""
    assert created["vervalredenWeergave"] == "Besluit met tijdelijke werking"
    assert created["identificatie"].startswith(f"BESLUIT-{clock.today().year}-")

    got = await client.get(created["url"], headers=superuser)
    assert got.status_code == 200
    assert got.json() == created
    assert got.headers["etag"]

    changed = {**f.body(besluittype), "identificatie": created["identificatie"]}
    changed["bestuursorgaan"] = "College van B&W"
    resp = await client.put(created["url"], json=changed, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["bestuursorgaan"] == "College van B&W"
    assert "vervalreden" not in resp.json()  # PUT replaces: no vervalreden given

    resp = await client.patch(created["url"], json={"vervaldatum": "2025-01-01"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["vervaldatum"] == "2025-01-01"
    assert resp.json()["bestuursorgaan"] == "College van B&W"

    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404


async def test_list_filters_and_pagination(client, superuser, database):
    one = await f.published_besluittype(database)
    two = await f.published_besluittype(database, omschrijving="Subsidiebesluit")
    zaak = await f.zaak_allowing(database, one)
    first = await f.create_besluit(database, one, zaak, identificatie="B-1")
    second = await f.create_besluit(
        database, two, identificatie="B-2", verantwoordelijke_organisatie=f.OTHER_RSIN
    )

    async def urls(**params):
        resp = await client.get(f.API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [b["url"] for b in resp.json()["results"]]

    assert await urls() == [f.url(first), f.url(second)]
    assert await urls(identificatie="B-2") == [f.url(second)]
    assert await urls(verantwoordelijkeOrganisatie=f.RSIN) == [f.url(first)]
    assert await urls(besluittype=cf.url(two)) == [f.url(second)]
    assert await urls(zaak=zf.url(zaak)) == [f.url(first)]
    assert await urls(zaak="https://elders.nl/zaken/api/v1/zaken/1") == []
    assert await urls(besluittype="https://elders.nl/catalogi/api/v1/besluittypen/1") == []
    resp = await client.get(f.API, params={"onbekend": "x"}, headers=superuser)
    assert resp.status_code == 400
    assert (await client.get(f.API, params={"page": 2}, headers=superuser)).status_code == 404


async def test_list_is_paginated(client, superuser, database, settings):
    besluittype = await f.published_besluittype(database)
    for n in range(settings.page_size + 1):
        await f.create_besluit(database, besluittype, identificatie=f"B-{n}")
    page = (await client.get(f.API, headers=superuser)).json()
    assert page["count"] == settings.page_size + 1
    assert len(page["results"]) == settings.page_size
    assert page["next"] == f"{f.API}?page=2"
    last = (await client.get(page["next"], headers=superuser)).json()
    assert len(last["results"]) == 1
    assert last["previous"] == f.API


async def test_expand_besluittype_and_zaak(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype)
    besluit = await f.create_besluit(database, besluittype, zaak)
    without = await f.create_besluit(database, besluittype)
    resp = await client.get(f.API, params={"expand": "besluittype,zaak"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    by_url = {b["url"]: b for b in resp.json()["results"]}
    expanded = by_url[f.url(besluit)]["_expand"]
    assert expanded["besluittype"]["url"] == cf.url(besluittype)
    assert expanded["zaak"]["url"] == zf.url(zaak)
    assert "zaak" not in by_url[f.url(without)]["_expand"]
    resp = await client.get(f.url(besluit), params={"expand": "zaak"}, headers=superuser)
    assert resp.json()["_expand"]["zaak"]["identificatie"] == zaak.identificatie
    resp = await client.get(f.url(besluit), params={"expand": "onbekend"}, headers=superuser)
    assert resp.status_code == 404


async def test_rights_per_besluittype(client, register, database):
    mine = await f.published_besluittype(database)
    other = await f.published_besluittype(database, omschrijving="Ander besluit")
    visible = await f.create_besluit(database, mine)
    hidden = await f.create_besluit(database, other)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.brc_autorisatie(mine, "besluiten.lezen")]
    )
    page = (await client.get(f.API, headers=reader)).json()
    assert [b["url"] for b in page["results"]] == [f.url(visible)]
    assert page["count"] == 1
    assert (await client.get(f.url(visible), headers=reader)).status_code == 200
    assert (await client.get(f.url(hidden), headers=reader)).status_code == 403
    # reading does not give writing
    resp = await client.post(f.API, json=f.body(mine), headers=reader)
    assert resp.status_code == 403
    assert (await client.delete(f.url(visible), headers=reader)).status_code == 403
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.brc_autorisatie(mine, "besluiten.aanmaken", "besluiten.lezen")],
    )
    assert (await client.post(f.API, json=f.body(mine), headers=writer)).status_code == 201
    assert (await client.post(f.API, json=f.body(other), headers=writer)).status_code == 403
    assert (await client.get(f.API)).status_code == 401


async def test_notifications_and_audit_trail(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    created = (await client.post(f.API, json=f.body(besluittype), headers=superuser)).json()
    await client.patch(
        created["url"],
        json={"toelichting": "Aangevuld"},
        headers={**superuser, "X-Audit-Toelichting": "correctie"},
    )
    kenmerken = {"verantwoordelijkeOrganisatie": f.RSIN, "besluittype": cf.url(besluittype)}
    messages = await _outbox(database)
    assert [(p["kanaal"], p["resource"], p["actie"]) for p in messages] == [
        ("besluiten", "besluit", "create"),
        ("besluiten", "besluit", "partial_update"),
    ]
    assert all(p["kenmerken"] == kenmerken for p in messages)
    assert all(p["hoofdObject"] == created["url"] for p in messages)

    trail = await client.get(f"{created['url']}/audittrail", headers=superuser)
    assert trail.status_code == 200, trail.text
    entries = trail.json()
    assert [(e["bron"], e["actie"]) for e in entries] == [
        ("brc", "create"),
        ("brc", "partial_update"),
    ]
    assert entries[1]["toelichting"] == "correctie"
    assert entries[1]["wijzigingen"]["oud"]["toelichting"] == ""
    assert entries[1]["wijzigingen"]["nieuw"]["toelichting"] == "Aangevuld"
    one = await client.get(f"{created['url']}/audittrail/{entries[0]['uuid']}", headers=superuser)
    assert one.json() == entries[0]
    missing = await client.get(f"{created['url']}/audittrail/{uuid.uuid4()}", headers=superuser)
    assert missing.status_code == 404


async def test_bad_input_is_a_400(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    cases = [
        ({"verantwoordelijkeOrganisatie": "123456789"}, "verantwoordelijkeOrganisatie"),
        ({"datum": "morgen"}, "datum"),
        ({"vervalreden": "vergeten"}, "vervalreden"),
        ({"zaak": "geen url"}, "zaak"),
        ({"datum": (clock.today() + dt.timedelta(days=1)).isoformat()}, "datum"),
        ({"besluittype": "https://elders.nl/catalogi/api/v1/besluittypen/1"}, "besluittype"),
    ]
    for change, name in cases:
        resp = await client.post(f.API, json=f.body(besluittype, **change), headers=superuser)
        assert resp.status_code == 400, (change, resp.text)
        assert name in [p["name"] for p in resp.json()["invalidParams"]], resp.text
    resp = await client.post(f.API, json={}, headers=superuser)
    assert {p["name"] for p in resp.json()["invalidParams"]} >= {
        "verantwoordelijkeOrganisatie",
        "besluittype",
        "datum",
        "ingangsdatum",
    }


async def test_brc_001_besluittype_must_exist_be_published_and_not_change(
    client, superuser, database
):
    concept = await cf.create_besluittype(database, await cf.create_catalogus(database))
    resp = await client.post(f.API, json=f.body(concept), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "not-published"
    gone = f.body(concept, besluittype=f"{cf.BASE}/besluittypen/{uuid.uuid4()}")
    resp = await client.post(f.API, json=gone, headers=superuser)
    assert resp.json()["invalidParams"][0]["code"] == "does_not_exist"

    besluittype = await f.published_besluittype(database)
    other = await f.published_besluittype(database, omschrijving="Ander besluit")
    besluit = await f.create_besluit(database, besluittype)
    resp = await client.patch(
        f.url(besluit), json={"besluittype": cf.url(other)}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"] == [
        {
            "name": "besluittype",
            "code": "wijzigen-niet-toegelaten",
            "reason": "Dit gegeven mag niet wijzigen.",
        }
    ]


async def test_brc_002_identificatie_unique_per_organisatie_and_generated(
    client, superuser, database
):
    besluittype = await f.published_besluittype(database)
    given = f.body(besluittype, identificatie="BESLUIT-1")
    assert (await client.post(f.API, json=given, headers=superuser)).status_code == 201
    resp = await client.post(f.API, json=given, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"
    elsewhere = {**given, "verantwoordelijkeOrganisatie": f.OTHER_RSIN}
    assert (await client.post(f.API, json=elsewhere, headers=superuser)).status_code == 201

    # generated numbers are unique and skip one a client took explicitly
    year = clock.today().year
    taken = f.body(besluittype, identificatie=f"BESLUIT-{year}-0000000001")
    assert (await client.post(f.API, json=taken, headers=superuser)).status_code == 201
    generated = [
        (await client.post(f.API, json=f.body(besluittype), headers=superuser)).json()
        for _ in range(2)
    ]
    assert [g["identificatie"] for g in generated] == [
        f"BESLUIT-{year}-0000000002",
        f"BESLUIT-{year}-0000000003",
    ]
    resp = await client.patch(
        generated[0]["url"],
        json={"identificatie": "ANDERS", "verantwoordelijkeOrganisatie": f.OTHER_RSIN},
        headers=superuser,
    )
    assert resp.status_code == 400
    assert {p["name"] for p in resp.json()["invalidParams"]} == {
        "identificatie",
        "verantwoordelijkeOrganisatie",
    }


async def test_brc_006_zaakbesluit_created_and_removed_with_the_besluit(
    client, superuser, database
):
    besluittype = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype)
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=superuser)
    assert resp.status_code == 201, resp.text
    besluit = resp.json()
    assert besluit["zaak"] == zf.url(zaak)
    assert await _zaakbesluiten(database) == [(zaak.id, besluit["url"])]
    # visible through the Zaken API as the Zaken spec defines it
    listed = await client.get(f"{zf.url(zaak)}/besluiten", headers=superuser)
    assert [z["besluit"] for z in listed.json()] == [besluit["url"]]
    messages = await _outbox(database)
    assert ("zaken", "zaakbesluit", "create") in [
        (p["kanaal"], p["resource"], p["actie"]) for p in messages
    ]

    assert (await client.delete(besluit["url"], headers=superuser)).status_code == 204
    assert await _zaakbesluiten(database) == []
    assert (await client.get(f"{zf.url(zaak)}/besluiten", headers=superuser)).json() == []
    assert ("zaken", "zaakbesluit", "destroy") in [
        (p["kanaal"], p["resource"], p["actie"]) for p in await _outbox(database)
    ]


async def test_brc_006_zaak_may_not_change(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype)
    other = await f.zaak_allowing(database, besluittype)
    besluit = (
        await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=superuser)
    ).json()
    for change in (zf.url(other), None, ""):
        resp = await client.patch(besluit["url"], json={"zaak": change}, headers=superuser)
        assert resp.status_code == 400, resp.text
        assert resp.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"
    unchanged = await client.patch(besluit["url"], json={"zaak": zf.url(zaak)}, headers=superuser)
    assert unchanged.status_code == 200
    assert await _zaakbesluiten(database) == [(zaak.id, besluit["url"])]


async def test_brc_006_zaak_of_no_configured_register_or_absent_is_refused(
    client, superuser, database
):
    # a zaak of a remote Zaken API is accepted only when that API is configured
    # (tests/besluiten/test_remote_zaak.py)
    besluittype = await f.published_besluittype(database)
    for zaak, code in (
        ("https://elders.nl/zaken/api/v1/zaken/1", "unknown-service"),
        (f"{zf.BASE}/catalogi/{uuid.uuid4()}", "no_match"),
        (f"{zf.BASE}/zaken/{uuid.uuid4()}", "does_not_exist"),
    ):
        resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
        assert resp.status_code == 400
        assert resp.json()["invalidParams"][0] == {
            "name": "zaak",
            "code": code,
            "reason": resp.json()["invalidParams"][0]["reason"],
        }
    assert await _zaakbesluiten(database) == []


async def test_brc_007_besluittype_must_belong_to_the_zaaktype(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    zaaktype = await zf.published_zaaktype(database, besluittype_omschrijvingen=["Iets anders"])
    zaak = await zf.create_zaak(database, zaaktype)
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"
    # the same omschrijving in another catalogus is another besluittype
    elsewhere = await f.published_besluittype(database)
    allowing = await f.zaak_allowing(database, besluittype)
    resp = await client.post(
        f.API, json=f.body(elsewhere, zaak=zf.url(allowing)), headers=superuser
    )
    assert resp.status_code == 400
    assert await _zaakbesluiten(database) == []


async def test_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    besluittype = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype, einddatum=dt.date(2024, 4, 1))
    zaaktype = await _zaaktype_of(database, zaak)
    brc = f.brc_autorisatie(
        besluittype, "besluiten.aanmaken", "besluiten.lezen", "besluiten.verwijderen"
    )
    plain = await register("gewoon", "geheim-gewoon", autorisaties=[brc])
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=plain)
    assert resp.status_code == 403
    assert await _zaakbesluiten(database) == []
    forced = await register(
        "geforceerd",
        "geheim-geforceerd",
        autorisaties=[brc, zf.zrc_autorisatie(zaaktype, "zaken.geforceerd-bijwerken")],
    )
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=forced)
    assert resp.status_code == 201, resp.text
    url = resp.json()["url"]
    assert (await client.delete(url, headers=plain)).status_code == 403
    assert (await client.delete(url, headers=forced)).status_code == 204


async def _zaaktype_of(database, zaak):
    from mijnzaken.catalogi import models as cm

    async with database.transaction() as session:
        return await session.get(cm.ZaakType, zaak.zaaktype_id)


async def test_brc_009_delete_removes_links_and_audit_trail(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    besluit = (await client.post(f.API, json=f.body(besluittype), headers=superuser)).json()
    [document] = await df.linkable_documents(client, superuser, database, besluittype=besluittype)
    link = await client.post(
        f.BIO_API,
        json={"besluit": besluit["url"], "informatieobject": document},
        headers=superuser,
    )
    assert link.status_code == 201, link.text
    assert (await client.delete(besluit["url"], headers=superuser)).status_code == 204
    async with database.transaction() as session:
        assert (await session.execute(select(m.Besluit))).scalars().all() == []
        assert (await session.execute(select(m.BesluitInformatieObject))).scalars().all() == []
        trail = (
            await session.execute(
                select(AuditTrail.actie).where(AuditTrail.hoofd_object == besluit["url"])
            )
        ).scalars()
        # the history went with it; what remains is the record of the deletion itself
        assert list(trail) == ["destroy"]
    assert (await client.get(link.json()["url"], headers=superuser)).status_code == 404


async def test_deleting_the_zaak_leaves_the_besluit_without_zaak(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype)
    besluit = (
        await client.post(f.API, json=f.body(besluittype, zaak=zf.url(zaak)), headers=superuser)
    ).json()
    resp = await client.delete(zf.url(zaak), headers={**superuser, "Accept-Crs": "EPSG:4326"})
    assert resp.status_code == 204, resp.text
    assert (await client.get(besluit["url"], headers=superuser)).json()["zaak"] == ""


async def test_list_with_expand_costs_a_fixed_number_of_statements(client, superuser, database):
    from tests.statements import warm_count

    besluittype = await f.published_besluittype(database)

    async def add(n):
        for _ in range(n):
            await f.create_besluit(
                database, besluittype, await f.zaak_allowing(database, besluittype)
            )

    async def send():
        return await client.get(f.API, params={"expand": "besluittype,zaak"}, headers=superuser)

    await add(2)
    few = await warm_count(database, send)
    await add(8)
    many = await warm_count(database, send)
    assert (await send()).json()["count"] == 10
    assert many == few


async def test_http_caching_with_etag(app, superuser, database):
    # gedrag.md (HTTP-Caching) asks for If-None-Match and 304, which the 1.1.0 document lists
    # for no operation; so this client is not the contract-checking one
    import httpx

    besluit = await f.create_besluit(database, await f.published_besluittype(database))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as plain:
        first = await plain.get(f.url(besluit), headers=superuser)
        etag = first.headers["etag"]
        same = await plain.get(f.url(besluit), headers={**superuser, "If-None-Match": etag})
        assert same.status_code == 304
        assert same.content == b""
        other = await plain.get(f.url(besluit), headers={**superuser, "If-None-Match": '"x"'})
        assert other.status_code == 200
        assert other.json() == first.json()
        await plain.patch(f.url(besluit), json={"toelichting": "Nieuw"}, headers=superuser)
        changed = await plain.get(f.url(besluit), headers={**superuser, "If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != etag


async def test_brc_002_generated_numbers_go_on_past_the_32_bit_limit(client, superuser, database):
    besluittype = await f.published_besluittype(database)
    first = await client.post(f.API, json=f.body(besluittype), headers=superuser)
    assert first.status_code == 201, first.text
    async with database.engine.begin() as conn:
        await conn.execute(text("UPDATE besluiten_besluitnummer_teller SET laatste = 2147483647"))
    beyond = await client.post(f.API, json=f.body(besluittype), headers=superuser)
    assert beyond.status_code == 201, beyond.text
    assert beyond.json()["identificatie"] == f"BESLUIT-{clock.today().year}-2147483648"


def _niet_uniek(response) -> bool:
    return response.status_code == 400 and [
        (p["name"], p["code"]) for p in response.json()["invalidParams"]
    ] == [("identificatie", "identificatie-niet-uniek")]


async def test_brc_002_a_duplicate_the_check_missed_is_still_a_400(
    client, superuser, database, monkeypatch
):
    # as when a concurrent request's besluit is not committed yet: the check sees nothing,
    # the unique index refuses the second
    besluittype = await f.published_besluittype(database)
    given = f.body(besluittype, identificatie="BESLUIT-GEMIST")
    assert (await client.post(f.API, json=given, headers=superuser)).status_code == 201

    async def never_taken(*_args, **_kwargs) -> bool:
        return False

    monkeypatch.setattr(repository, "identificatie_taken", never_taken)
    again = await client.post(f.API, json=given, headers=superuser)
    assert _niet_uniek(again), again.text


@pytest.mark.skipif(
    not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL"),
    reason="concurrent writers need PostgreSQL",
)
async def test_brc_002_one_identificatie_posted_at_once_gives_one_201_and_400s(
    client, superuser, database
):
    besluittype = await f.published_besluittype(database)
    # a few rounds: one of them at least has the requests pass the check together
    for attempt in range(5):
        given = f.body(besluittype, identificatie=f"BESLUIT-TEGELIJK-{attempt}")
        responses = await asyncio.gather(
            *(client.post(f.API, json=given, headers=superuser) for _ in range(4))
        )
        assert [r.status_code for r in responses].count(201) == 1, [r.text for r in responses]
        assert all(_niet_uniek(r) for r in responses if r.status_code != 201)
