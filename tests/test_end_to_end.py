"""The whole Catalogi flow as a client that knows only the spec would do it, with a client
registered through the operator CLI."""

from __future__ import annotations

import asyncio

from typer.testing import CliRunner

from mijnzaken.cli import app as cli
from tests.conftest import make_token

API = "/catalogi/api/v1"


async def run_cli(monkeypatch, database_url: str, *args: str) -> str:
    """Run the operator CLI as a separate program would (its own event loop, in a thread)."""
    from mijnzaken.core import settings as settings_module

    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(CliRunner().invoke, cli, list(args))
    finally:
        settings_module.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


async def test_catalogue_built_published_and_read_back(client, monkeypatch, database_url):
    await run_cli(
        monkeypatch,
        database_url,
        "applicatie",
        "create",
        "--client-id",
        "beheer",
        "--secret",
        "een-lang-genoeg-geheim-van-32-bytes!",
        "--alle-autorisaties",
    )
    h = {"Authorization": "Bearer " + make_token("beheer", "een-lang-genoeg-geheim-van-32-bytes!")}

    catalogus = await client.post(
        f"{API}/catalogussen",
        headers=h,
        json={"domein": "GEM", "rsin": "002220647", "contactpersoonBeheerNaam": "Team ZGW"},
    )
    assert catalogus.status_code == 201, catalogus.text
    cat_url = catalogus.json()["url"]

    iot = await client.post(
        f"{API}/informatieobjecttypen",
        headers=h,
        json={
            "catalogus": cat_url,
            "omschrijving": "Aanvraag",
            "vertrouwelijkheidaanduiding": "openbaar",
            "beginGeldigheid": "2024-01-01",
            "informatieobjectcategorie": "Aanvraag",
        },
    )
    assert iot.status_code in (200, 201), iot.text
    assert (
        await client.post(iot.json()["url"] + "/publish", headers=h, json={})
    ).status_code == 200

    zaaktype = await client.post(
        f"{API}/zaaktypen",
        headers=h,
        json={
            "catalogus": cat_url,
            "identificatie": "PARKEER",
            "omschrijving": "Parkeervergunning",
            "vertrouwelijkheidaanduiding": "openbaar",
            "doel": "Vergunning",
            "aanleiding": "Aanvraag",
            "indicatieInternOfExtern": "extern",
            "handelingInitiator": "aanvragen",
            "onderwerp": "Parkeren",
            "handelingBehandelaar": "behandelen",
            "doorlooptijd": "P8W",
            "opschortingEnAanhoudingMogelijk": False,
            "verlengingMogelijk": False,
            "publicatieIndicatie": False,
            "productenOfDiensten": [],
            "referentieproces": {"naam": "Vergunning"},
            "verantwoordelijke": "Parkeren",
            "beginGeldigheid": "2024-01-01",
            "versiedatum": "2024-01-01",
            "besluittypen": [],
            "gerelateerdeZaaktypen": [],
        },
    )
    assert zaaktype.status_code == 201, zaaktype.text
    zt = zaaktype.json()["url"]

    for volgnummer, omschrijving in ((1, "Ontvangen"), (2, "Afgehandeld")):
        r = await client.post(
            f"{API}/statustypen",
            headers=h,
            json={"zaaktype": zt, "omschrijving": omschrijving, "volgnummer": volgnummer},
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        f"{API}/roltypen",
        headers=h,
        json={"zaaktype": zt, "omschrijving": "Aanvrager", "omschrijvingGeneriek": "initiator"},
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{API}/resultaattypen",
        headers=h,
        json={
            "zaaktype": zt,
            "omschrijving": "Verleend",
            "resultaattypeomschrijving": "https://selectielijst.example.nl/api/v1/resultaattypeomschrijvingen/1",
            "selectielijstklasse": "https://selectielijst.example.nl/api/v1/resultaten/1",
            "archiefnominatie": "vernietigen",
            "archiefactietermijn": "P5Y",
        },
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{API}/eigenschappen",
        headers=h,
        json={
            "zaaktype": zt,
            "naam": "kenteken",
            "definitie": "Kenteken van de auto",
            "specificatie": {"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
        },
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{API}/zaaktype-informatieobjecttypen",
        headers=h,
        json={
            "zaaktype": zt,
            "informatieobjecttype": "Aanvraag",
            "volgnummer": 1,
            "richting": "inkomend",
        },
    )
    assert r.status_code == 201, r.text

    published = await client.post(f"{zt}/publish", headers=h, json={})
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["concept"] is False
    assert len(body["statustypen"]) == 2
    assert body["informatieobjecttypen"] == [iot.json()["url"]]
    for url in [
        *body["statustypen"],
        *body["roltypen"],
        *body["resultaattypen"],
        *body["eigenschappen"],
        body["catalogus"],
    ]:
        assert (await client.get(url, headers=h)).status_code == 200, url
    listed = await client.get(f"{API}/statustypen", headers=h, params={"zaaktype": zt})
    assert [s["isEindstatus"] for s in listed.json()["results"]] == [False, True]


async def test_cli_client_gets_exactly_its_scopes(client, monkeypatch, database_url, superuser):
    secret = "nog-een-lang-genoeg-geheim-van-32-bytes"
    await run_cli(
        monkeypatch,
        database_url,
        "applicatie",
        "create",
        "--client-id",
        "lezer",
        "--secret",
        secret,
        "--label",
        "Lezer",
    )
    h = {"Authorization": "Bearer " + make_token("lezer", secret)}
    assert (await client.get(f"{API}/catalogussen", headers=h)).status_code == 403

    applicatie = await client.get(
        "/autorisaties/api/v1/applicaties/consumer", params={"clientId": "lezer"}, headers=superuser
    )
    assert applicatie.status_code == 200
    patched = await client.patch(
        applicatie.json()["url"],
        headers=superuser,
        json={"autorisaties": [{"component": "ztc", "scopes": ["catalogi.lezen"]}]},
    )
    assert patched.status_code == 200, patched.text

    assert (await client.get(f"{API}/catalogussen", headers=h)).status_code == 200
    write = await client.post(
        f"{API}/catalogussen",
        headers=h,
        json={"domein": "X", "rsin": "002220647", "contactpersoonBeheerNaam": "x"},
    )
    assert write.status_code == 403
    assert (await client.get("/autorisaties/api/v1/applicaties", headers=h)).status_code == 403

    # rotating only the secret keeps the rights and invalidates the old tokens
    await run_cli(
        monkeypatch,
        database_url,
        "applicatie",
        "secret",
        "--client-id",
        "lezer",
        "--secret",
        secret + "-nieuw",
    )
    assert (await client.get(f"{API}/catalogussen", headers=h)).status_code == 401
    h2 = {"Authorization": "Bearer " + make_token("lezer", secret + "-nieuw")}
    assert (await client.get(f"{API}/catalogussen", headers=h2)).status_code == 200
