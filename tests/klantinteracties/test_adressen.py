"""Black-box tests of /digitaleadressen, /rekeningnummers, /vertegenwoordigingen,
/categorieen and /categorie-relaties."""

from __future__ import annotations

import pytest

from mijnzaken.klantinteracties import models as m
from tests.klantinteracties import factories as f

ADRESSEN = f"{f.API}/digitaleadressen"


@pytest.mark.parametrize(
    ("soort", "adres"),
    [
        ("email", "geen-adres"),
        ("email", "jan@"),
        ("telefoonnummer", "12345"),
        ("telefoonnummer", "0800123456"),
        ("telefoonnummer", "0900123456"),
    ],
)
async def test_invalid_email_or_phone_number_is_400_and_not_stored(
    client, superuser, database, soort, adres
):
    resp = await client.post(
        ADRESSEN, json={"adres": adres, "soortDigitaalAdres": soort}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "adres"
    assert await f.rows(database, m.DigitaalAdres) == []


@pytest.mark.parametrize("adres", ["0612345678", "+31612345678", "0031612345678"])
async def test_phone_numbers_in_the_allowed_forms(client, superuser, adres):
    await f.create_adres(client, superuser, adres=adres, soortDigitaalAdres="telefoonnummer")


async def test_one_standaard_adres_per_partij_and_soort(client, superuser):
    partij = await f.create_partij(client, superuser)
    first = await f.create_adres(client, superuser, partij, isStandaardAdres=True)
    second = await f.create_adres(
        client, superuser, partij, adres="jan2@example.nl", isStandaardAdres=True
    )
    assert (await client.get(first["url"], headers=superuser)).json()["isStandaardAdres"] is False
    assert (await client.get(second["url"], headers=superuser)).json()["isStandaardAdres"] is True


async def test_a_changed_address_loses_its_verification(client, superuser):
    adres = await f.create_adres(client, superuser, verificatieDatum="2026-01-05")
    same = await client.patch(adres["url"], json={"omschrijving": "werk"}, headers=superuser)
    assert same.json()["verificatieDatum"] == "2026-01-05"
    changed = await client.patch(
        adres["url"], json={"adres": "nieuw@example.nl"}, headers=superuser
    )
    assert changed.status_code == 200
    assert changed.json()["verificatieDatum"] is None


async def test_filters_on_digitale_adressen(client, superuser):
    partij = await f.create_partij(client, superuser, partijIdentificatoren=[f.bsn_identificator()])
    wanted = await f.create_adres(
        client, superuser, partij, adres="Jan.de.Vries@Example.nl", verificatieDatum="2026-01-05"
    )
    await f.create_adres(client, superuser, adres="ander@example.nl")
    for params in (
        {"adres__icontains": "de.vries"},
        {"isGeverifieerd": "true"},
        {"verificatieDatum__gte": "2026-01-01"},
        {"verstrektDoorPartij__uuid": partij["uuid"]},
        {"verstrektDoorPartij__url": partij["url"]},
        {"verstrektDoorPartij__partijIdentificator__objectId": f.BSN},
        {"verstrektDoorPartij__soortPartij": "persoon"},
    ):
        listed = (await client.get(ADRESSEN, params=params, headers=superuser)).json()
        assert [a["url"] for a in listed["results"]] == [wanted["url"]], params


async def test_rekeningnummer_iban_check_digits(client, superuser, database):
    bad = await client.post(
        f"{f.API}/rekeningnummers", json={"iban": "NL91ABNA0417164301"}, headers=superuser
    )
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "iban"
    good = await f.post(
        client, superuser, "rekeningnummers", {"iban": "nl91abna0417164300", "bic": "ABNANL2A"}
    )
    assert good["iban"] == "NL91ABNA0417164300"
    listed = await client.get(
        f"{f.API}/rekeningnummers", params={"iban": "NL91ABNA0417164300"}, headers=superuser
    )
    assert listed.json()["count"] == 1
    assert len(await f.rows(database, m.Rekeningnummer)) == 1


async def test_vertegenwoordiging_not_of_itself_and_once(client, superuser):
    a = await f.create_partij(client, superuser)
    b = await f.post(client, superuser, "partijen", f.organisatie())
    body = {
        "vertegenwoordigendePartij": {"uuid": a["uuid"]},
        "vertegenwoordigdePartij": {"uuid": b["uuid"]},
    }
    created = await f.post(client, superuser, "vertegenwoordigingen", body)
    assert created["vertegenwoordigdePartij"]["url"] == b["url"]
    again = await client.post(f"{f.API}/vertegenwoordigingen", json=body, headers=superuser)
    assert again.status_code == 400
    itself = await client.post(
        f"{f.API}/vertegenwoordigingen",
        json={**body, "vertegenwoordigdePartij": {"uuid": a["uuid"]}},
        headers=superuser,
    )
    assert itself.status_code == 400
    assert (await client.get(a["url"], headers=superuser)).json()["vertegenwoordigden"] == [
        {"uuid": b["uuid"], "url": b["url"]}
    ]
    listed = await client.get(
        f"{f.API}/partijen", params={"vertegenwoordigdePartij__uuid": b["uuid"]}, headers=superuser
    )
    assert [p["url"] for p in listed.json()["results"]] == [a["url"]]


async def test_categorie_relatie_starts_today_and_shows_on_the_partij(client, superuser):
    partij = await f.create_partij(client, superuser)
    categorie = await f.post(client, superuser, "categorieen", {"naam": "Ondernemer"})
    relatie = await f.post(
        client,
        superuser,
        "categorie-relaties",
        {"partij": {"uuid": partij["uuid"]}, "categorie": {"uuid": categorie["uuid"]}},
    )
    assert relatie["beginDatum"] is not None
    assert relatie["categorie"]["naam"] == "Ondernemer"
    shown = (await client.get(partij["url"], headers=superuser)).json()["categorieRelaties"]
    assert shown[0]["categorieNaam"] == "Ondernemer"
    listed = await client.get(
        f"{f.API}/partijen",
        params={"categorierelatie__categorie__naam": "Ondernemer"},
        headers=superuser,
    )
    assert listed.json()["count"] == 1
    bad = await client.patch(relatie["url"], json={"eindDatum": "2000-01-01"}, headers=superuser)
    assert bad.status_code == 400


async def test_unknown_reference_is_400_naming_the_field(client, superuser):
    resp = await client.post(
        ADRESSEN,
        json={
            "adres": "jan@example.nl",
            "soortDigitaalAdres": "email",
            "verstrektDoorPartij": {"uuid": "6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"},
        },
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "verstrektDoorPartij.uuid",
        "code": "does_not_exist",
        "reason": "Partij object bestaat niet.",
    }
