"""Black-box tests of /zaken: the standard operations, the Zaak rules (zrc-001 … zrc-015),
zaaknummer_reserveren and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import event, func, select

from mijnzaken.core import clock
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.zaken import factories as f

API = "/zaken/api/v1/zaken"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
RSIN = "002220647"
OTHER_RSIN = "517439943"
BSN = "111222333"


def h(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, **CRS}


def body(zaaktype: Any, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "bronorganisatie": RSIN,
        "zaaktype": cf.url(zaaktype),
        "verantwoordelijkeOrganisatie": RSIN,
        "startdatum": "2024-03-01",
        "omschrijving": "Parkeervergunning aanvragen",
    }
    data.update(over)
    return data


async def create(client, headers, zaaktype, **over) -> dict[str, Any]:
    resp = await client.post(API, json=body(zaaktype, **over), headers=h(headers))
    assert resp.status_code == 201, resp.text
    return resp.json()


async def add_rol(database, zaak: m.Zaak, roltype: Any, **over: Any) -> m.Rol:
    fields: dict[str, Any] = {
        "zaak_id": zaak.id,
        "roltype_id": roltype.id,
        "betrokkene_type": "natuurlijk_persoon",
        "registratiedatum": clock.now(),
        "roltoelichting": "aanvrager",
        "inp_bsn": BSN,
    }
    fields.update(over)
    async with database.transaction() as session:
        rol = m.Rol(**fields)
        session.add(rol)
        await session.flush()
    return rol


# --- the standard operations ----------------------------------------------------------------


async def test_create_retrieve_and_list(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    resp = await client.post(API, json=body(zaaktype), headers=h(superuser))
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert resp.headers["content-crs"] == "EPSG:4326"
    assert created["zaaktype"] == cf.url(zaaktype)
    assert created["einddatum"] is None
    assert created["status"] is None
    assert created["rollen"] == []
    assert created["registratiedatum"] == clock.today().isoformat()
    retrieved = await client.get(created["url"], headers=h(superuser))
    assert retrieved.json() == created
    assert retrieved.headers["content-crs"] == "EPSG:4326"
    listed = await client.get(API, headers=h(superuser))
    assert [z["url"] for z in listed.json()["results"]] == [created["url"]]


async def test_accept_crs_is_required(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    assert (await client.get(API, headers=superuser)).status_code == 412
    wrong = {**superuser, "Accept-Crs": "EPSG:28992"}
    assert (await client.get(API, headers=wrong)).status_code == 406
    no_content_crs = {**superuser, "Accept-Crs": "EPSG:4326"}
    resp = await client.post(API, json=body(zaaktype), headers=no_content_crs)
    assert resp.status_code == 412


async def test_head_and_if_none_match(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype)
    head = await client.head(created["url"], headers=h(superuser))
    assert head.status_code == 200
    assert head.content == b""
    again = await client.get(
        created["url"], headers={**h(superuser), "If-None-Match": head.headers["etag"]}
    )
    assert again.status_code == 304


async def test_update_and_partial_update(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype)
    put = await client.put(
        created["url"],
        json=body(zaaktype, omschrijving="Nieuw", identificatie=created["identificatie"]),
        headers=h(superuser),
    )
    assert put.status_code == 200, put.text
    assert put.json()["omschrijving"] == "Nieuw"
    patch = await client.patch(
        created["url"],
        json={"toelichting": "Aangevuld", "verlenging": {"duur": "P5D", "reden": "Drukte"}},
        headers=h(superuser),
    )
    assert patch.status_code == 200, patch.text
    assert patch.json()["toelichting"] == "Aangevuld"
    assert patch.json()["omschrijving"] == "Nieuw"
    assert patch.json()["verlenging"] == {"duur": "P5D", "reden": "Drukte"}
    assert patch.json()["identificatie"] == created["identificatie"]


async def test_einddatum_is_read_only(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype, einddatum="2024-05-01")
    assert created["einddatum"] is None
    patch = await client.patch(
        created["url"], json={"einddatum": "2024-05-01"}, headers=h(superuser)
    )
    assert patch.json()["einddatum"] is None


async def test_changes_are_audited_and_notified(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype)
    await client.patch(created["url"], json={"toelichting": "x"}, headers=h(superuser))
    async with database.transaction() as session:
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    payloads = [o.payload for o in outbox]
    assert [p["actie"] for p in payloads] == ["create", "partial_update"]
    assert all(p["kanaal"] == "zaken" and p["hoofdObject"] == created["url"] for p in payloads)
    assert payloads[0]["kenmerken"] == {
        "bronorganisatie": RSIN,
        "zaaktype": cf.url(zaaktype),
        "vertrouwelijkheidaanduiding": "openbaar",
    }
    trail = await client.get(f"{created['url']}/audittrail", headers=superuser)
    assert trail.status_code == 200
    entries = trail.json()
    assert [e["actie"] for e in entries] == ["create", "partial_update"]
    assert entries[1]["wijzigingen"]["nieuw"]["toelichting"] == "x"
    one = await client.get(f"{created['url']}/audittrail/{entries[0]['uuid']}", headers=superuser)
    assert one.json() == entries[0]


async def test_audittrail_needs_its_scope_and_the_zaaktype(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    admin = await register("admin", "geheim-admin", alle=True)
    created = await create(client, admin, zaaktype)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    assert (await client.get(f"{created['url']}/audittrail", headers=reader)).status_code == 403
    auditor = await register(
        "auditor",
        "geheim-auditor",
        autorisaties=[f.zrc_autorisatie(zaaktype, "audittrails.lezen")],
    )
    assert (await client.get(f"{created['url']}/audittrail", headers=auditor)).status_code == 200
    missing = f"{created['url']}/audittrail/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    assert (await client.get(missing, headers=auditor)).status_code == 404


async def test_zrc_023_destroy_removes_deelzaken_and_related_objects(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    hoofd = await create(client, superuser, zaaktype)
    deel = await create(client, superuser, zaaktype, hoofdzaak=hoofd["url"])
    async with database.transaction() as session:
        hoofd_zaak = (
            await session.execute(select(m.Zaak).where(m.Zaak.uuid == _uuid(hoofd)))
        ).scalar_one()
    await add_rol(database, hoofd_zaak, roltype)
    resp = await client.delete(hoofd["url"], headers=h(superuser))
    assert resp.status_code == 204
    for url in (hoofd["url"], deel["url"]):
        assert (await client.get(url, headers=h(superuser))).status_code == 404
    async with database.transaction() as session:
        rollen = (await session.execute(select(func.count()).select_from(m.Rol))).scalar_one()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
        trail = (await session.execute(select(AuditTrail))).scalars().all()
    assert rollen == 0
    destroyed = {o.payload["resourceUrl"] for o in outbox if o.payload["actie"] == "destroy"}
    assert destroyed == {hoofd["url"], deel["url"]}
    # zrc-023: the history goes with the zaak; only the record of its removal stays
    assert [(t.actie, t.hoofd_object) for t in trail] == [("destroy", hoofd["url"])]


def _uuid(zaak: dict[str, Any]) -> Any:
    import uuid

    return uuid.UUID(zaak["uuid"])


async def test_destroy_needs_zaken_verwijderen(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    admin = await register("admin", "geheim-admin", alle=True)
    created = await create(client, admin, zaaktype)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.delete(created["url"], headers=h(writer))).status_code == 403


# --- rules ------------------------------------------------------------------------------------


async def test_zrc_001_zaaktype_must_exist(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    unknown = cf.url(zaaktype).rsplit("/", 1)[0] + "/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    resp = await client.post(
        API, json={**body(zaaktype), "zaaktype": unknown}, headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaaktype"
    foreign = "https://elders.example.nl/catalogi/api/v1/zaaktypen/1"
    resp = await client.post(
        API, json={**body(zaaktype), "zaaktype": foreign}, headers=h(superuser)
    )
    assert resp.json()["invalidParams"][0]["code"] == "no_match"


async def test_zrc_001_zaaktype_must_be_published(client, superuser, database):
    concept = await cf.create_zaaktype(database)
    resp = await client.post(API, json=body(concept), headers=h(superuser))
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "zaaktype",
        "code": "not-published",
        "reason": "Het zaaktype is nog niet gepubliceerd.",
    }


async def test_zrc_001_zaaktype_must_be_valid_on_startdatum(client, superuser, database):
    zaaktype = await f.published_zaaktype(database, einde_geldigheid=dt.date(2024, 12, 31))
    resp = await client.post(
        API, json=body(zaaktype, startdatum="2025-01-02"), headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-niet-geldig"


async def test_zaaktype_cannot_change(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-2")
    created = await create(client, superuser, zaaktype)
    resp = await client.patch(
        created["url"], json={"zaaktype": cf.url(other)}, headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"


async def test_zrc_002_identificatie_is_generated_unique(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    first = await create(client, superuser, zaaktype)
    second = await create(client, superuser, zaaktype)
    year = clock.today().year
    assert first["identificatie"] == f"ZAAK-{year}-0000000001"
    assert second["identificatie"] == f"ZAAK-{year}-0000000002"
    other_org = await create(client, superuser, zaaktype, bronorganisatie=OTHER_RSIN)
    assert other_org["identificatie"] == f"ZAAK-{year}-0000000001"


async def test_zrc_002_duplicate_identificatie_is_400(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    await create(client, superuser, zaaktype, identificatie="Z-1")
    resp = await client.post(API, json=body(zaaktype, identificatie="Z-1"), headers=h(superuser))
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "identificatie"
    assert resp.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"
    # the same identificatie in another bronorganisatie is fine
    await create(client, superuser, zaaktype, identificatie="Z-1", bronorganisatie=OTHER_RSIN)
    # and a zaak may be given it by an update only while it is free
    other = await create(client, superuser, zaaktype, identificatie="Z-2")
    resp = await client.patch(other["url"], json={"identificatie": "Z-1"}, headers=h(superuser))
    assert resp.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"


async def test_zrc_002_reserved_zaaknummer_is_used_once(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    reserved = await client.post(
        "/zaken/api/v1/zaaknummer_reserveren",
        json={"bronorganisatie": RSIN, "aantal": 2},
        headers=superuser,
    )
    assert reserved.status_code == 201, reserved.text
    numbers = [r["zaaknummer"] for r in reserved.json()]
    year = clock.today().year
    assert numbers == [f"ZAAK-{year}-0000000001", f"ZAAK-{year}-0000000002"]
    generated = await create(client, superuser, zaaktype)
    assert generated["identificatie"] == f"ZAAK-{year}-0000000003"
    using = await create(client, superuser, zaaktype, identificatie=numbers[0])
    assert using["identificatie"] == numbers[0]


async def test_zaaknummer_reserveren_single_is_one_object(app, superuser):
    # The operation's description returns one object for aantal 1; its 201 schema says an
    # array (an erratum of the spec), so this exchange is not run through the contract check.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
        resp = await raw.post(
            "/zaken/api/v1/zaaknummer_reserveren",
            json={"bronorganisatie": RSIN},
            headers=superuser,
        )
    assert resp.status_code == 201
    assert resp.json() == {"zaaknummer": f"ZAAK-{clock.today().year}-0000000001"}


async def test_zaaknummer_reserveren_validates(client, superuser, register, database):
    resp = await client.post(
        "/zaken/api/v1/zaaknummer_reserveren",
        json={"bronorganisatie": "123456789", "aantal": 2},
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "bronorganisatie"
    zaaktype = await f.published_zaaktype(database)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    resp = await client.post(
        "/zaken/api/v1/zaaknummer_reserveren",
        json={"bronorganisatie": RSIN, "aantal": 2},
        headers=reader,
    )
    assert resp.status_code == 403


async def test_zrc_006_list_and_retrieve_only_authorised(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    admin = await register("admin", "geheim-admin", alle=True)
    visible = await create(client, admin, mine)
    await create(client, admin, mine, vertrouwelijkheidaanduiding="geheim")
    hidden = await create(client, admin, other)
    reader = await register(
        "lezer",
        "geheim-lezer",
        autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen", maximum="intern")],
    )
    listed = (await client.get(API, headers=h(reader))).json()
    assert listed["count"] == 1
    assert [z["url"] for z in listed["results"]] == [visible["url"]]
    zoek = await client.post(f"{API}/_zoek", json={}, headers=h(reader))
    assert [z["url"] for z in zoek.json()["results"]] == [visible["url"]]
    assert (await client.get(hidden["url"], headers=h(reader))).status_code == 403


async def test_zrc_006_create_needs_aanmaken_within_maximum(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    creator = await register(
        "maker",
        "geheim-maker",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.aanmaken")],
    )
    await create(client, creator, zaaktype)
    resp = await client.post(
        API, json=body(zaaktype, vertrouwelijkheidaanduiding="geheim"), headers=h(creator)
    )
    assert resp.status_code == 403
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    assert (await client.post(API, json=body(zaaktype), headers=h(reader))).status_code == 403


async def test_zrc_006_update_cannot_raise_beyond_maximum(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    admin = await register("admin", "geheim-admin", alle=True)
    created = await create(client, admin, zaaktype)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    resp = await client.patch(
        created["url"], json={"vertrouwelijkheidaanduiding": "geheim"}, headers=h(writer)
    )
    assert resp.status_code == 403
    ok = await client.patch(created["url"], json={"toelichting": "ja"}, headers=h(writer))
    assert ok.status_code == 200


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, einddatum=dt.date(2024, 4, 1))
    url = f.url(zaak)
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    resp = await client.patch(url, json={"toelichting": "x"}, headers=h(writer))
    assert resp.status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    resp = await client.patch(url, json={"toelichting": "x"}, headers=h(forced))
    assert resp.status_code == 200, resp.text
    assert resp.json()["einddatum"] == "2024-04-01"


async def test_zrc_009_vertrouwelijkheid_defaults_to_zaaktype(client, superuser, database):
    zaaktype = await f.published_zaaktype(database, vertrouwelijkheidaanduiding="intern")
    created = await create(client, superuser, zaaktype)
    assert created["vertrouwelijkheidaanduiding"] == "intern"
    explicit = await create(client, superuser, zaaktype, vertrouwelijkheidaanduiding="geheim")
    assert explicit["vertrouwelijkheidaanduiding"] == "geheim"


async def test_zrc_010_communicatiekanaal_must_be_a_url(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    resp = await client.post(
        API, json=body(zaaktype, communicatiekanaal="telefoon"), headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "communicatiekanaal"
    kanaal = "https://referentielijsten.example.nl/api/v1/communicatiekanalen/1"
    assert (await create(client, superuser, zaaktype, communicatiekanaal=kanaal))[
        "communicatiekanaal"
    ] == kanaal


async def test_zrc_011_relevante_andere_zaken_must_exist(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other = await create(client, superuser, zaaktype)
    missing = f"http://testserver{API}/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    relaties = [
        {"url": other["url"], "aardRelatie": "vervolg"},
        {"url": missing, "aardRelatie": "bijdrage"},
    ]
    resp = await client.post(
        API, json=body(zaaktype, relevanteAndereZaken=relaties), headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "relevanteAndereZaken.1"
    created = await create(client, superuser, zaaktype, relevanteAndereZaken=relaties[:1])
    assert created["relevanteAndereZaken"] == relaties[:1]


async def test_zrc_013_hoofdzaak_one_level_only(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    hoofd = await create(client, superuser, zaaktype)
    deel = await create(client, superuser, zaaktype, hoofdzaak=hoofd["url"])
    assert deel["hoofdzaak"] == hoofd["url"]
    again = (await client.get(hoofd["url"], headers=h(superuser))).json()
    assert again["deelzaken"] == [deel["url"]]
    resp = await client.post(API, json=body(zaaktype, hoofdzaak=deel["url"]), headers=h(superuser))
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "deelzaak-als-hoofdzaak"
    other = await create(client, superuser, zaaktype)
    resp = await client.patch(hoofd["url"], json={"hoofdzaak": other["url"]}, headers=h(superuser))
    assert resp.json()["invalidParams"][0]["code"] == "deelzaak-als-hoofdzaak"


async def test_zrc_013_zaak_is_not_its_own_hoofdzaak(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype)
    resp = await client.patch(
        created["url"], json={"hoofdzaak": created["url"]}, headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "self-forbidden"


async def test_zrc_014_nvt_forbids_laatste_betaaldatum(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    resp = await client.post(
        API,
        json=body(zaaktype, betalingsindicatie="nvt", laatsteBetaaldatum="2024-03-02T10:00:00Z"),
        headers=h(superuser),
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "laatsteBetaaldatum"
    paid = await create(
        client,
        superuser,
        zaaktype,
        betalingsindicatie="geheel",
        laatsteBetaaldatum="2024-03-02T10:00:00Z",
    )
    assert paid["laatsteBetaaldatum"] == "2024-03-02T10:00:00Z"
    assert paid["betalingsindicatieWeergave"].startswith("De met de zaak gemoeide kosten")
    resp = await client.patch(paid["url"], json={"betalingsindicatie": "nvt"}, headers=h(superuser))
    assert resp.status_code == 200, resp.text
    assert resp.json()["laatsteBetaaldatum"] is None


async def test_zrc_015_producten_of_diensten_of_the_zaaktype(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    product = "https://producten.example.nl/parkeervergunning"
    created = await create(client, superuser, zaaktype, productenOfDiensten=[product])
    assert created["productenOfDiensten"] == [product]
    resp = await client.post(
        API,
        json=body(zaaktype, productenOfDiensten=["https://producten.example.nl/anders"]),
        headers=h(superuser),
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "productenOfDiensten.0"


async def test_rsin_fields_are_checked(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    for name in ("bronorganisatie", "verantwoordelijkeOrganisatie", "opdrachtgevendeOrganisatie"):
        resp = await client.post(
            API, json=body(zaaktype, **{name: "123456789"}), headers=h(superuser)
        )
        assert resp.status_code == 400, name
        assert resp.json()["invalidParams"][0]["name"] == name


async def test_zrc_022_archiefstatus_needs_nominatie_and_datum(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    resp = await client.post(
        API, json=body(zaaktype, archiefstatus="gearchiveerd"), headers=h(superuser)
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "archiefnominatie"


# --- filters ------------------------------------------------------------------------------------


async def test_filters(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-2")
    a = await create(client, superuser, zaaktype, identificatie="A", startdatum="2024-03-01")
    b = await create(
        client,
        superuser,
        other,
        identificatie="B",
        startdatum="2024-04-01",
        bronorganisatie=OTHER_RSIN,
        vertrouwelijkheidaanduiding="geheim",
        archiefnominatie="vernietigen",
        archiefactiedatum="2030-01-01",
    )

    async def found(params: Any) -> list[str]:
        resp = await client.get(API, params=params, headers=h(superuser))
        assert resp.status_code == 200, resp.text
        return [z["identificatie"] for z in resp.json()["results"]]

    assert await found({"identificatie": "A"}) == ["A"]
    assert await found({"bronorganisatie": OTHER_RSIN}) == ["B"]
    assert await found({"bronorganisatie__in": f"{RSIN},{OTHER_RSIN}"}) == ["A", "B"]
    assert await found([("bronorganisatie__in", RSIN)]) == ["A"]
    assert await found({"zaaktype": cf.url(other)}) == ["B"]
    assert await found({"zaaktype": "https://elders.example.nl/zaaktypen/1"}) == []
    assert await found({"startdatum__gt": "2024-03-01"}) == ["B"]
    assert await found({"startdatum__lte": "2024-03-01"}) == ["A"]
    assert await found({"startdatum": "2024-04-01"}) == ["B"]
    assert await found({"archiefactiedatum__isnull": "true"}) == ["A"]
    assert await found({"archiefnominatie": "vernietigen"}) == ["B"]
    assert await found({"archiefnominatie__in": "vernietigen,blijvend_bewaren"}) == ["B"]
    assert await found({"archiefstatus": "nog_te_archiveren"}) == ["A", "B"]
    assert await found({"einddatum__isnull": "true"}) == ["A", "B"]
    assert await found({"maximaleVertrouwelijkheidaanduiding": "intern"}) == ["A"]
    assert await found({"ordering": "-startdatum"}) == ["B", "A"]
    assert await found({"ordering": "identificatie"}) == ["A", "B"]
    assert a["url"] != b["url"]


async def test_bad_filters_are_400(client, superuser):
    for params, name in (
        ({"startdatum__gt": "gisteren"}, "startdatum__gt"),
        ({"ordering": "omschrijving"}, "ordering"),
        ({"archiefnominatie": "weggooien"}, "archiefnominatie"),
        ({"zaaktype": "geen url"}, "zaaktype"),
        ({"onbekend": "1"}, "nonFieldErrors"),
    ):
        resp = await client.get(API, params=params, headers=h(superuser))
        assert resp.status_code == 400, params
        assert resp.json()["invalidParams"][0]["name"] == name


async def test_rol_filters(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    behandelaar = await cf.create_roltype(
        database, zaaktype, omschrijving="Behandelaar", omschrijving_generiek="behandelaar"
    )
    initiator = await cf.create_roltype(database, zaaktype)
    mine = await f.create_zaak(database, zaaktype, identificatie="MIJN")
    theirs = await f.create_zaak(database, zaaktype, identificatie="HUN")
    await add_rol(database, mine, initiator)
    await add_rol(database, mine, initiator, inp_bsn=None, betrokkene="https://brp.example.nl/1")
    await add_rol(
        database,
        theirs,
        behandelaar,
        betrokkene_type="medewerker",
        inp_bsn=None,
        medewerker_identificatie="mw-1",
    )

    async def found(params: dict[str, str]) -> list[str]:
        resp = await client.get(API, params=params, headers=h(superuser))
        assert resp.status_code == 200, resp.text
        return [z["identificatie"] for z in resp.json()["results"]]

    prefix = "rol__betrokkeneIdentificatie__"
    assert await found({f"{prefix}natuurlijkPersoon__inpBsn": BSN}) == ["MIJN"]
    assert await found({f"{prefix}natuurlijkPersoon__inpBsn": "999999990"}) == []
    assert await found({f"{prefix}medewerker__identificatie": "mw-1"}) == ["HUN"]
    assert await found({"rol__betrokkeneType": "medewerker"}) == ["HUN"]
    assert await found({"rol__betrokkene": "https://brp.example.nl/1"}) == ["MIJN"]
    assert await found({"rol__omschrijvingGeneriek": "behandelaar"}) == ["HUN"]
    assert await found({"rol__omschrijvingGeneriek": "adviseur"}) == []
    # the same rol must match all rol filters
    both = {f"{prefix}natuurlijkPersoon__inpBsn": BSN, "rol__betrokkeneType": "medewerker"}
    assert await found(both) == []


async def test_bsn_free_errors(client, superuser):
    bsn = "1112223334445"
    resp = await client.get(
        API,
        params={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn},
        headers=h(superuser),
    )
    assert resp.status_code == 400
    assert bsn not in resp.text
    resp = await client.post(
        f"{API}/_zoek",
        json={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn},
        headers=h(superuser),
    )
    assert resp.status_code == 400
    assert bsn not in resp.text


async def test_zoek(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-2")
    a = await create(client, superuser, zaaktype, identificatie="A")
    b = await create(client, superuser, other, identificatie="B")
    await create(client, superuser, zaaktype, identificatie="C")

    async def zoek(data: dict[str, Any]) -> list[str]:
        resp = await client.post(f"{API}/_zoek", json=data, headers=h(superuser))
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-crs"] == "EPSG:4326"
        return [z["identificatie"] for z in resp.json()["results"]]

    assert await zoek({"uuid__in": [a["uuid"], b["uuid"]]}) == ["A", "B"]
    assert await zoek({"zaaktype__in": [cf.url(other)]}) == ["B"]
    assert await zoek({"identificatie": "C", "expand": "zaaktype"}) == ["C"]
    assert await zoek({"ordering": "-identificatie"}) == ["C", "B", "A"]


def square(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


UTRECHT = square(5.0, 52.0, 5.2, 52.2)


async def test_zoek_on_zaakgeometrie_within(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-2")
    point = {"type": "Point", "coordinates": [5.1, 52.1]}
    await create(client, superuser, zaaktype, identificatie="PUNT", zaakgeometrie=point)
    # inside the area's bounding box, outside the (triangular) area itself
    await create(
        client,
        superuser,
        zaaktype,
        identificatie="HOEK",
        zaakgeometrie={"type": "Point", "coordinates": [5.19, 52.19]},
    )
    await create(
        client,
        superuser,
        zaaktype,
        identificatie="BLOK",
        zaakgeometrie=square(5.05, 52.05, 5.1, 52.1),
    )
    await create(
        client,
        superuser,
        zaaktype,
        identificatie="GROOT",
        zaakgeometrie=square(4.9, 52.0, 5.1, 52.1),
    )
    await create(client, superuser, other, identificatie="ANDER", zaakgeometrie=point)
    await create(client, superuser, zaaktype, identificatie="ZONDER")
    await create(
        client,
        superuser,
        zaaktype,
        identificatie="RAND",
        zaakgeometrie={"type": "Point", "coordinates": [5.0, 52.0]},
    )

    async def zoek(data: dict[str, Any]) -> list[str]:
        resp = await client.post(f"{API}/_zoek", json=data, headers=h(superuser))
        assert resp.status_code == 200, resp.text
        return sorted(z["identificatie"] for z in resp.json()["results"])

    assert await zoek({"zaakgeometrie": {"within": UTRECHT}}) == [
        "ANDER",
        "BLOK",
        "HOEK",
        "PUNT",
    ]
    # x + y below 57.3: the corner of HOEK lies outside, RAND on the boundary is not within
    triangle = {
        "type": "Polygon",
        "coordinates": [[[5.0, 52.0], [5.3, 52.0], [5.0, 52.3], [5.0, 52.0]]],
    }
    assert await zoek({"zaakgeometrie": {"within": triangle}}) == ["ANDER", "BLOK", "PUNT"]
    assert await zoek({"zaakgeometrie": {"within": triangle}, "identificatie": "PUNT"}) == ["PUNT"]
    assert await zoek({"zaakgeometrie": {"within": UTRECHT}, "zaaktype__in": [cf.url(other)]}) == [
        "ANDER"
    ]
    assert await zoek({"zaakgeometrie": {"within": square(0, 0, 1, 1)}}) == []
    # a changed geometry is searched at its new place
    resp = await client.post(f"{API}/_zoek", json={"identificatie": "ZONDER"}, headers=h(superuser))
    url = resp.json()["results"][0]["url"]
    resp = await client.patch(url, json={"zaakgeometrie": point}, headers=h(superuser))
    assert resp.status_code == 200, resp.text
    assert "ZONDER" in await zoek({"zaakgeometrie": {"within": UTRECHT}})
    resp = await client.patch(url, json={"zaakgeometrie": None}, headers=h(superuser))
    assert resp.status_code == 200, resp.text
    assert "ZONDER" not in await zoek({"zaakgeometrie": {"within": UTRECHT}})


async def test_zoek_on_zaakgeometrie_respects_rights(client, database, superuser, register):
    zaaktype = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-2")
    point = {"type": "Point", "coordinates": [5.1, 52.1]}
    await create(client, superuser, zaaktype, identificatie="MAG", zaakgeometrie=point)
    await create(client, superuser, other, identificatie="MAG-NIET", zaakgeometrie=point)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    resp = await client.post(
        f"{API}/_zoek", json={"zaakgeometrie": {"within": UTRECHT}}, headers=h(reader)
    )
    assert resp.status_code == 200, resp.text
    assert [z["identificatie"] for z in resp.json()["results"]] == ["MAG"]
    assert resp.json()["count"] == 1


@pytest.mark.parametrize(
    "search",
    [
        {"within": {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.1, 52.1]]]}},
        {"within": {"type": "Point", "coordinates": []}},
        {"within": {"type": "Hexagon", "coordinates": [1, 2]}},
        {"within": "Utrecht"},
        {"binnen": UTRECHT},
        {"within": UTRECHT, "intersects": UTRECHT},
    ],
)
async def test_zoek_on_zaakgeometrie_bad_area(client, superuser, database, search):
    resp = await client.post(f"{API}/_zoek", json={"zaakgeometrie": search}, headers=h(superuser))
    assert resp.status_code == 400, resp.text
    assert resp.json()["invalidParams"][0]["name"].startswith("zaakgeometrie")


async def test_zaakgeometrie_that_is_no_geometry_is_refused(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    bad = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.1, 52.1]]]}
    resp = await client.post(API, json=body(zaaktype, zaakgeometrie=bad), headers=h(superuser))
    assert resp.status_code == 400, resp.text
    assert resp.json()["invalidParams"][0]["name"] == "zaakgeometrie"
    assert "coördinaten" in resp.json()["invalidParams"][0]["reason"]


async def test_expand_is_accepted(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    created = await create(client, superuser, zaaktype)
    resp = await client.get(created["url"], params={"expand": "zaaktype"}, headers=h(superuser))
    assert resp.status_code == 200
    resp = await client.get(API, params={"expand": "zaaktype"}, headers=h(superuser))
    assert resp.status_code == 200


# --- performance ----------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [3, 30])
async def test_citizen_query_costs_constant_queries(client, superuser, database, aantal):
    zaaktype = await f.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    for i in range(aantal):
        zaak = await f.create_zaak(database, zaaktype, identificatie=f"Z-{i}")
        await add_rol(database, zaak, roltype)
        await add_rol(database, zaak, roltype, inp_bsn="999999990")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    params = {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN}
    await client.get(API, params=params, headers=h(superuser))  # warm up caches
    statements.clear()
    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        resp = await client.get(API, params=params, headers=h(superuser))
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    assert resp.json()["count"] == aantal
    assert all(len(z["rollen"]) == 2 for z in resp.json()["results"])
    # the page (not full, so no count query) + the relations of the page in one UNION ALL
    # (status, resultaat, deelzaken, rollen, eigenschappen, zaakinformatieobjecten,
    # zaakobjecten, and the BSNs of the rollen for the processing log): the same for 3 and
    # for 30 zaken
    zaak_queries = [s for s in statements if "zaken_" in s]
    assert len(zaak_queries) == 2, zaak_queries
    assert any("inp_bsn" in s for s in statements)


async def _detail_statements(client, database, headers, zaak) -> list[str]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    assert (await client.get(f.url(zaak), headers=h(headers))).status_code == 200  # warm up
    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        resp = await client.get(f.url(zaak), headers=h(headers))
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    assert resp.status_code == 200, resp.text
    return statements


async def test_a_zaak_detail_costs_two_statements_with_or_without_rights_per_zaaktype(
    client, superuser, register, database
):
    zaaktype = await f.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    zaak = await f.create_zaak(database, zaaktype)
    await add_rol(database, zaak, roltype, inp_bsn="999999990")
    lezer = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    # authentication (which also reads the catalogue version that rights per zaaktype are
    # resolved under), and the zaak with its relations and the BSNs for the processing log;
    # the log's entry is written by its writer, on connections of its own (ADR 0013)
    for headers in (superuser, lezer):
        statements = [
            s
            for s in await _detail_statements(client, database, headers, zaak)
            if "verwerkingen_" not in s
        ]
        assert len(statements) == 2, statements
        assert "catalogi_versie" in statements[0]


async def test_a_zaak_detail_shows_every_relation_as_the_list_does(client, superuser, database):
    """The detail reads a zaak and its relations in one statement, the list in a query per
    page: both give the same bytes, each list in the same order."""
    zaaktype = await f.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    statustype = await cf.create_statustype(database, zaaktype, volgnummer=3)
    resultaattype = await cf.create_resultaattype(database, zaaktype)
    eigenschap = await cf.create_eigenschap(database, zaaktype)
    hoofdzaak = await f.create_zaak(database, zaaktype, identificatie="HOOFD")
    zaak = await f.create_zaak(database, zaaktype, identificatie="DEEL", hoofdzaak_id=hoofdzaak.id)
    for i in range(2):
        await f.create_zaak(database, zaaktype, identificatie=f"SUB-{i}", hoofdzaak_id=zaak.id)
    for i in range(2):
        await f.create_status(
            database,
            zaak,
            statustype,
            datum_status_gezet=dt.datetime(2024, 3, 2 + i, tzinfo=dt.UTC),
        )
    await f.create_resultaat(database, zaak, resultaattype)
    await add_rol(database, zaak, roltype, inp_bsn="999999990")
    await add_rol(database, zaak, roltype)
    await add_rol(database, zaak, roltype, inp_bsn="999990019")
    async with database.transaction() as session:
        for i in range(2):
            session.add(
                m.ZaakEigenschap(zaak_id=zaak.id, eigenschap_id=eigenschap.id, waarde=f"{i}")
            )
            session.add(
                m.ZaakInformatieObject(
                    zaak_id=zaak.id,
                    informatieobject=f"https://documenten.example.nl/enkelvoudiginformatieobjecten/{i}",
                    registratiedatum=dt.datetime(2024, 3, 3, tzinfo=dt.UTC),
                )
            )
            session.add(
                m.ZaakObject(
                    zaak_id=zaak.id, object=f"https://objecten.example.nl/{i}", object_type="adres"
                )
            )
    detail = await client.get(f.url(zaak), headers=h(superuser))
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert body["hoofdzaak"] == f.url(hoofdzaak)
    assert body["status"] is not None
    assert body["resultaat"] is not None
    for name, count in [
        ("deelzaken", 2),
        ("rollen", 3),
        ("eigenschappen", 2),
        ("zaakinformatieobjecten", 2),
        ("zaakobjecten", 2),
    ]:
        assert len(body[name]) == count, name
    listed = await client.get(API, params={"identificatie": "DEEL"}, headers=h(superuser))
    [item] = listed.json()["results"]
    assert orjson.dumps(item) == detail.content


async def test_zrc_012_gegevensgroepen_null_or_validated_object(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    # null is the same as leaving the group out
    zaak = await create(client, superuser, zaaktype, verlenging=None, opschorting=None)
    assert zaak["verlenging"] is None
    # a given group is validated as a whole: a verlenging needs its reden and a valid duur
    bad = await client.patch(
        zaak["url"], json={"verlenging": {"duur": "geen-duur"}}, headers=h(superuser)
    )
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} >= {"verlenging.reden"}
    good = await client.patch(
        zaak["url"],
        json={"verlenging": {"reden": "Advies nodig", "duur": "P14D"}},
        headers=h(superuser),
    )
    assert good.status_code == 200, good.text
    assert good.json()["verlenging"] == {"reden": "Advies nodig", "duur": "P14D"}
    # the provider always answers the nested structure of the group
    fetched = (await client.get(zaak["url"], headers=h(superuser))).json()
    assert fetched["verlenging"] == {"reden": "Advies nodig", "duur": "P14D"}
