"""The extension: channel preferences per partij and topic, their consent history, and the
resolution `bepaal_kanaal` (zaaktype, else categorie, else default, else none)."""

from __future__ import annotations

import uuid

from mijnzaken.core.audit import AuditTrail
from mijnzaken.klantinteracties.services.voorkeur import GEEN_VOORKEUR, bepaal_kanaal
from tests.klantinteracties import factories as f

VOORKEUREN = f"{f.API}/kanaalvoorkeuren"
ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
ANDER_ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/7ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"


async def _verified_email(client, headers, partij):
    return await f.create_adres(client, headers, partij, verificatieDatum="2026-01-05")


async def _voorkeur(client, headers, partij, **over):
    body = {"partij": {"uuid": partij["uuid"]}, "onderwerpSoort": "standaard", "kanaal": "post"}
    body.update(over)
    return await client.post(VOORKEUREN, json=body, headers=headers)


async def test_resolution_per_topic_with_default_and_none(client, superuser, database):
    partij = await f.create_partij(client, superuser)
    email = await _verified_email(client, superuser, partij)
    categorie = await f.post(client, superuser, "categorieen", {"naam": "Belastingen"})
    ident = uuid.UUID(partij["uuid"])
    async with database.transaction() as session:
        assert await bepaal_kanaal(session, ident, zaaktype=ZAAKTYPE) == GEEN_VOORKEUR
    assert (await _voorkeur(client, superuser, partij, kanaal="berichtenbox")).status_code == 201
    zaaktype = await _voorkeur(
        client, superuser, partij, onderwerpSoort="zaaktype", onderwerp=ZAAKTYPE, kanaal="email"
    )
    assert zaaktype.status_code == 201, zaaktype.text
    assert zaaktype.json()["digitaalAdres"]["uuid"] == email["uuid"]
    geen = await _voorkeur(
        client,
        superuser,
        partij,
        onderwerpSoort="categorie",
        onderwerp=categorie["url"],
        kanaal="geen",
    )
    assert geen.status_code == 201, geen.text
    async with database.transaction() as session:
        by_zaaktype = await bepaal_kanaal(
            session, ident, zaaktype=ZAAKTYPE, categorie=categorie["url"]
        )
        by_categorie = await bepaal_kanaal(
            session, ident, zaaktype=ANDER_ZAAKTYPE, categorie=categorie["url"]
        )
        by_default = await bepaal_kanaal(session, ident, zaaktype=ANDER_ZAAKTYPE)
    assert (by_zaaktype.kanaal, by_zaaktype.adres, by_zaaktype.bron) == (
        "email",
        email["adres"],
        "zaaktype",
    )
    assert (by_categorie.kanaal, by_categorie.bron) == ("geen", "categorie")
    assert (by_default.kanaal, by_default.bron) == ("berichtenbox", "standaard")
    resp = await client.get(
        f"{VOORKEUREN}/_bepaal",
        params={"partij": partij["uuid"], "zaaktype": ANDER_ZAAKTYPE},
        headers=superuser,
    )
    assert resp.json()["kanaal"] == "berichtenbox"


async def test_email_preference_needs_a_verified_address(client, superuser):
    partij = await f.create_partij(client, superuser)
    await f.create_adres(client, superuser, partij)
    resp = await _voorkeur(client, superuser, partij, kanaal="email")
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "niet-geverifieerd"


async def test_preference_whose_address_changed_no_longer_decides(client, superuser, database):
    partij = await f.create_partij(client, superuser)
    email = await _verified_email(client, superuser, partij)
    assert (await _voorkeur(client, superuser, partij, kanaal="email")).status_code == 201
    await client.patch(email["url"], json={"adres": "nieuw@example.nl"}, headers=superuser)
    async with database.transaction() as session:
        keuze = await bepaal_kanaal(session, uuid.UUID(partij["uuid"]))
    assert keuze == GEEN_VOORKEUR


async def test_switching_from_email_to_post_drops_the_address(client, superuser):
    partij = await f.create_partij(client, superuser)
    await _verified_email(client, superuser, partij)
    created = (await _voorkeur(client, superuser, partij, kanaal="email")).json()
    assert created["digitaalAdres"] is not None
    resp = await client.patch(created["url"], json={"kanaal": "post"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["digitaalAdres"] is None


async def test_one_preference_per_topic(client, superuser):
    partij = await f.create_partij(client, superuser)
    assert (await _voorkeur(client, superuser, partij)).status_code == 201
    again = await _voorkeur(client, superuser, partij, kanaal="berichtenbox")
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["code"] == "unique"


async def test_consent_history_records_given_changed_and_withdrawn(client, superuser, database):
    partij = await f.create_partij(client, superuser)
    created = (await _voorkeur(client, superuser, partij, toelichting="Aan de balie")).json()
    changed = await client.patch(created["url"], json={"kanaal": "berichtenbox"}, headers=superuser)
    assert changed.status_code == 200, changed.text
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    historie = await client.get(
        f"{VOORKEUREN}/historie", params={"partij__uuid": partij["uuid"]}, headers=superuser
    )
    entries = historie.json()["results"]
    assert [(e["actie"], e["kanaal"]) for e in entries] == [
        ("gegeven", "post"),
        ("gewijzigd", "berichtenbox"),
        ("ingetrokken", ""),
    ]
    assert entries[0]["toelichting"] == "Aan de balie"
    assert entries[0]["applicatie"] == "superuser"
    trail = await f.rows(database, AuditTrail)
    assert [t.resource for t in trail if t.resource == "kanaalvoorkeur"] == ["kanaalvoorkeur"] * 3


async def test_preferences_need_their_own_scopes(client, register):
    headers = await register(
        "lezer", "lezer-secret", autorisaties=[f.kic("klantinteracties.lezen")]
    )
    assert (await client.get(VOORKEUREN, headers=headers)).status_code == 403


async def test_extension_has_its_own_openapi_document(client):
    resp = await client.get(f"{f.API}/schema/extensie/openapi.json")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["x-mijnzaken-extensie"] is True
    assert "/kanaalvoorkeuren" in doc["paths"]
    assert "/digitaleadressen/{uuid}/verificatie" in doc["paths"]
    standard = (await client.get(f"{f.API}/schema/openapi.json")).json()
    assert not any(p.startswith("/kanaalvoorkeuren") for p in standard["paths"])
