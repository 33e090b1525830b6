"""The klantbeeld reading the customer register from a remote Klantinteracties API: a second,
real MijnZaken in its own process with its own database (tests/klantbeeld/remote_server.py),
whose Klantinteracties API speaks the standard. The zaken stay in our own register. The
citizen's overview, "Mijn gegevens", the JSON API, an employee of the KCC and an application
see the subject's partij, addresses and contact moments from there, with two calls whatever
their number; nothing is changed there; a remote that is down or answers someone else's data
shows nothing wrong and no 500, and no BSN reaches a log line."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service, wijzigen
from tests.kcc.conftest import inzien, kcc_settings, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    JsonHandler,
    Remote,
    client_of,
    closed_port,
    remote_settings,
    running_remote,
    serving,
)
from tests.oidc_provider import Provider
from tests.portal.conftest import csrf_of, demo_login, portal_settings
from tests.zaken import factories as zf

API = "/klantbeeld/api/v1"
KIC = "/klantinteracties/api/v1"
ZOEK = {"bsn": kf.BSN_A}
ANDER_RECHT = {"component": "nrc", "scopes": ["notificaties.consumeren"]}  # not the register's
# the local zaak the remote contact moments are about (a fixed uuid: the remote is filled once)
DAKKAPEL = uuid.UUID("7d1f5a3e-2b8c-4c1e-9a57-3f0e6d2b9c41")
SCHUTTING = uuid.UUID("0b6c2e9a-41d7-4f3b-8e25-9a1c7d4e6f20")
ADRES_A = "suzanne@example.nl"
BSN_GEHEIM = "100042429"  # a person whose data are secret
ADRESSEN: dict[str, str] = {}  # the remote's digital address uuids, by value
CALLS = ["GET /klantinteracties/api/v1/partijen", "GET /klantinteracties/api/v1/klantcontacten"]


async def _fill(database: Database) -> None:
    suzanne = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    mail = await kl.adres(database, suzanne, ADRES_A)
    phone = await kl.adres(
        database, suzanne, "0612345678", soort="telefoonnummer", geverifieerd=False
    )
    ADRESSEN.update({ADRES_A: str(mail.uuid), "0612345678": str(phone.uuid)})
    await kl.voorkeur(database, suzanne, "post")  # the extension: not read from a remote
    dakkapel = SimpleNamespace(uuid=DAKKAPEL)
    await kl.klantcontact(
        database, "Vraag over de dakkapel", partij=suzanne, zaak=dakkapel, dag=5, met_naam=True
    )
    await kl.klantcontact(database, "Gebeld over het afval", partij=suzanne, kanaal="email", dag=3)
    await kl.klantcontact(
        database, "Vertrouwelijk gesprek", partij=suzanne, vertrouwelijk=True, dag=4
    )
    buurman = await kl.persoon(database, kf.BSN_B, "Piet", "Buurman")
    await kl.adres(database, buurman, "piet@example.nl")
    await kl.klantcontact(
        database, "Buurman belde over de dakkapel", partij=buurman, zaak=dakkapel, met_naam=True
    )
    # data kept secret (indicatieGeheimhouding), a name beyond ASCII
    geheim = await kl.persoon(database, BSN_GEHEIM, "Émile", "Ölçer", geheim=True)
    await kl.adres(database, geheim, "emile@geheim.example")
    await kl.klantcontact(database, "Vraag over de pas", partij=geheim, met_naam=True)


@pytest.fixture(scope="module")
def remote() -> Iterator[Remote]:
    with running_remote(_fill) as server:
        yield server


def _settings(settings: Settings, issuer: str, api: str) -> Settings:
    """The portal and the KCC, the customer register at `api` with our client's credentials."""
    both = portal_settings(kcc_settings(settings, issuer), issuer)
    return remote_settings(both, klantinteracties_api=api)


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, remote: Remote) -> Any:
    return create_app(_settings(settings, oidc_provider.issuer, f"{remote.url}{KIC}"), database)


@pytest.fixture
async def zaken(database: Database) -> dict[str, Any]:
    """The subject's zaken in our own register: the dakkapel the contact is about, and one
    without contact moments."""
    zt = await kf.zaaktype(
        database, omschrijving="Parkeervergunning", identificatie="PARKEERVERGUNNING"
    )
    return {
        "zaaktype": zt,
        "Dakkapel": await kf.zaak(database, zt, stappen=2, uuid=DAKKAPEL, omschrijving="Dakkapel"),
        "Schutting": await kf.zaak(database, zt, uuid=SCHUTTING, omschrijving="Schutting"),
    }


def _bearer(provider: Provider, bsn: str = kf.BSN_A) -> dict[str, str]:
    provider.set_user("burger-kic", {"bsn": bsn, "acr": "substantieel"})
    return {"Authorization": f"Bearer {provider.access_token('burger-kic')}"}


def _main(page: httpx.Response) -> str:
    return page.text[page.text.find("<main") :]


# --- the citizen ---------------------------------------------------------------------------


@pytest.mark.usefixtures("zaken")
async def test_portal_overview_shows_the_remote_contact_moments_with_two_calls(
    client: httpx.AsyncClient,
    database: Any,
    remote: Remote,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await demo_login(client, 0)  # BSN_A
    mark = len(remote.requests)
    page = await client.get("/mijn/")
    assert page.status_code == 200
    text = _main(page)
    assert "Vraag over de dakkapel" in text, text[:3000]
    assert "Gebeld over het afval" in text
    assert "Vertrouwelijk gesprek" not in text  # confidential: never shown
    assert "Buurman belde" not in text  # someone else's contact about the same zaak
    assert "Dakkapel" in text  # the zaken still come from our own register
    calls = remote.since(mark, wait=2)
    # the access log of the remote names the paths only: the BSN is in their query strings
    assert calls == CALLS
    [(entry, getoond)] = await logboek.entries(database)
    assert entry.actie_naam == "klantbeeld inzien"
    assert {"sectie:gegevens", "sectie:contactmomenten"} <= getoond
    assert "sectie:voorkeuren" not in getoond  # the remote has none: not shown
    logboek.geen_nummer_gelogd(caplog)


@pytest.mark.usefixtures("zaken")
async def test_mijn_gegevens_shows_the_remote_partij_and_offers_no_change(
    client: httpx.AsyncClient, database: Any, remote: Remote
) -> None:
    await demo_login(client, 0)
    page = await client.get("/mijn/gegevens")
    assert page.status_code == 200
    text = _main(page)
    assert "Suzanne Jansen" in text
    assert ADRES_A in text
    assert "0612345678" in text
    assert "piet@example.nl" not in text
    assert wijzigen.KLANTREGISTER_ELDERS in text
    assert service.VOORKEUREN_REMOTE in text
    assert 'action="/mijn/gegevens/adressen"' not in text  # no forms to change anything
    assert "/wijzigen" not in text
    assert "/mijn/gegevens/voorkeuren" not in text
    [(entry, getoond)] = await logboek.entries(database)
    assert (entry.actie_naam, getoond) == ("gegevens inzien", {"sectie:gegevens"})


@pytest.mark.usefixtures("zaken")
async def test_a_change_posted_anyway_is_refused_with_a_notice_and_nothing_is_sent(
    client: httpx.AsyncClient, remote: Remote
) -> None:
    await demo_login(client, 0)
    csrf = csrf_of(await client.get("/mijn/"))
    mark = len(remote.requests)
    added = await client.post(
        "/mijn/gegevens/adressen",
        data={"csrf_token": csrf, "soort": "email", "adres": "nieuw@example.nl"},
    )
    assert added.status_code == 400
    assert wijzigen.KLANTREGISTER_ELDERS in added.text
    voorkeur = await client.post(
        "/mijn/gegevens/voorkeuren", data={"csrf_token": csrf, "onderwerp": "", "kanaal": "post"}
    )
    assert voorkeur.status_code == 400
    assert wijzigen.KLANTREGISTER_ELDERS in voorkeur.text
    ident = ADRESSEN["0612345678"]
    for path in (
        f"/mijn/gegevens/adressen/{ident}/bevestigen",
        f"/mijn/gegevens/adressen/{ident}/wijzigen",
    ):
        assert (await client.get(path)).status_code == 404
    changed = await client.post(
        f"/mijn/gegevens/adressen/{ident}/wijzigen", data={"csrf_token": csrf, "adres": "x@y.nl"}
    )
    assert changed.status_code == 404
    calls = remote.since(mark, wait=4)
    assert all(call.startswith("GET ") for call in calls), calls
    page = await client.get("/mijn/gegevens")
    assert "nieuw@example.nl" not in page.text


@pytest.mark.usefixtures("zaken")
async def test_json_view_and_zaak_read_the_remote_register(
    client: httpx.AsyncClient, oidc_provider: Provider, remote: Remote
) -> None:
    headers = _bearer(oidc_provider)
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    [persoon] = body["gegevens"]["items"]
    assert persoon["naam"] == "Suzanne Jansen"
    assert {(c["adres"], c["geverifieerd"]) for c in persoon["contactgegevens"]} == {
        (ADRES_A, True),
        ("0612345678", False),
    }
    assert [(c["onderwerp"], c["kanaal"], c["zaak"]) for c in body["contactmomenten"]["items"]] == [
        ("Vraag over de dakkapel", "telefoon", str(DAKKAPEL)),
        ("Gebeld over het afval", "e-mail", None),
    ]
    assert body["voorkeuren"] == {
        "beschikbaar": False,
        "melding": service.VOORKEUREN_REMOTE,
        "items": [],
    }
    mark = len(remote.requests)
    detail = (await client.get(f"{API}/zaken/{DAKKAPEL}", headers=headers)).json()
    assert [c["onderwerp"] for c in detail["contactmomenten"]["items"]] == [
        "Vraag over de dakkapel"
    ]
    assert remote.since(mark, wait=2) == CALLS
    other = (await client.get(f"{API}/zaken/{SCHUTTING}", headers=headers)).json()
    assert other["contactmomenten"] == {"beschikbaar": True, "melding": "", "items": []}


@pytest.mark.usefixtures("zaken")
async def test_a_representative_sees_only_the_remote_contact_moments_about_covered_zaken(
    client: httpx.AsyncClient, oidc_provider: Provider, remote: Remote
) -> None:
    claims = {
        "bsn": kf.BSN_B,
        "vertegenwoordigde": {"bsn": kf.BSN_A},
        "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
    }
    oidc_provider.set_user("gemachtigde-kic", claims)
    headers = {"Authorization": f"Bearer {oidc_provider.access_token('gemachtigde-kic')}"}
    mark = len(remote.requests)
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    assert body["gegevens"]["melding"] == service.GEEN_MACHTIGING
    assert [c["onderwerp"] for c in body["contactmomenten"]["items"]] == ["Vraag over de dakkapel"]
    assert remote.since(mark, wait=2) == CALLS


async def test_a_subject_the_remote_does_not_know_has_an_empty_section_and_one_call(
    client: httpx.AsyncClient, oidc_provider: Provider, remote: Remote
) -> None:
    mark = len(remote.requests)
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider, kf.BSN_C))).json()
    assert body["gegevens"] == {"beschikbaar": True, "melding": "", "items": []}
    assert body["contactmomenten"] == {"beschikbaar": True, "melding": "", "items": []}
    assert remote.since(mark, wait=1) == CALLS[:1]


# --- viewers with their own rights ---------------------------------------------------------


@pytest.mark.usefixtures("zaken")
async def test_an_employee_sees_the_remote_customer_data_with_the_klantinteracties_right(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    kic = {"component": "kic", "scopes": ["klantinteracties.lezen"]}
    await rol(database, "kcc", [kic])
    await login(client, oidc_provider, "mw-kcc", {"roles": ["kcc"]})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    text = _main(page)
    assert "Klantbeeld van Suzanne Jansen" in text
    assert ADRES_A in text
    assert "Vraag over de dakkapel" in text
    assert "Vertrouwelijk gesprek" not in text
    [(entry, getoond)] = await logboek.entries(database)
    assert entry.actie_naam == "klantbeeld inzien"
    assert {"sectie:gegevens", "sectie:contactmomenten"} <= getoond
    # a role without the right reads nothing from the customer register, and asks nothing
    await rol(database, "zonder", [ANDER_RECHT])
    await login(client, oidc_provider, "mw-zonder", {"roles": ["zonder"]})
    mark = len(remote.requests)
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    assert "Suzanne Jansen" not in page.text
    assert "Vraag over de dakkapel" not in page.text
    assert remote.since(mark, wait=0) == []


async def test_an_application_reads_the_remote_register_only_with_its_read_right(
    client: httpx.AsyncClient, register: Any, remote: Remote, zaken: dict[str, Any]
) -> None:
    lezen = zf.zrc_autorisatie(zaken["zaaktype"], "zaken.lezen")
    without = await register("zonder-kic", "zonder-geheim", autorisaties=[lezen])
    mark = len(remote.requests)
    body = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=without)).json()
    for name in ("gegevens", "voorkeuren", "contactmomenten"):
        assert body[name]["melding"] == service.GEEN_KLANTREGISTER, name
    assert remote.since(mark, wait=0) == []
    kic = {"component": "kic", "scopes": ["klantinteracties.lezen"]}
    with_right = await register("met-kic", "met-geheim", autorisaties=[lezen, kic])
    body = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=with_right)).json()
    assert body["gegevens"]["items"][0]["naam"] == "Suzanne Jansen"
    assert [c["onderwerp"] for c in body["contactmomenten"]["items"]] == [
        "Vraag over de dakkapel",
        "Gebeld over het afval",
    ]


# --- a remote that is down or answers someone else's data --------------------------------


async def test_a_remote_that_is_down_makes_its_sections_unavailable_not_the_page(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    register: Any,
    zaken: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(_settings(settings, oidc_provider.issuer, f"{closed_port()}{KIC}"), database)
    kic = {"component": "kic", "scopes": ["klantinteracties.lezen"]}
    lezen = zf.zrc_autorisatie(zaken["zaaktype"], "zaken.lezen")
    headers = await register("kanaal", "kanaal-geheim", autorisaties=[lezen, kic])
    async with client_of(app, database) as client:
        await demo_login(client, 0)
        page = await client.get("/mijn/")
        assert page.status_code == 200
        assert service.KLANTGEGEVENS_NIET_BESCHIKBAAR in page.text
        assert "Dakkapel" in page.text  # the rest of the page works
        gegevens = await client.get("/mijn/gegevens")
        assert gegevens.status_code == 200
        assert service.KLANTGEGEVENS_NIET_BESCHIKBAAR in gegevens.text
        zaak = await client.get(f"/mijn/zaken/{DAKKAPEL}")
        assert zaak.status_code == 200
        assert service.KLANTGEGEVENS_NIET_BESCHIKBAAR in zaak.text
        body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
        for name in ("gegevens", "contactmomenten"):
            assert body[name] == {
                "beschikbaar": False,
                "melding": service.KLANTGEGEVENS_NIET_BESCHIKBAAR,
                "items": [],
            }
        assert {z["omschrijving"] for z in body["lopendeZaken"]["items"]} == {
            "Dakkapel",
            "Schutting",
        }
        other = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=headers)).json()
        assert other["contactmomenten"]["melding"] == service.KLANT_KLANTGEGEVENS_NIET_BESCHIKBAAR
    # what was not shown is not logged as shown
    for _, getoond in await logboek.entries(database):
        assert "sectie:gegevens" not in getoond
        assert "sectie:contactmomenten" not in getoond
    assert any(r.name == "mijnzaken.klantbeeld.remote_klanten" for r in caplog.records)
    logboek.geen_nummer_gelogd(caplog)


def _partij(ident: str, bsn: str, voornaam: str, achternaam: str) -> dict[str, Any]:
    return {
        "uuid": ident,
        "soortPartij": "persoon",
        "partijIdentificatoren": [
            {"partijIdentificator": {"codeSoortObjectId": "bsn", "objectId": bsn}}
        ],
        "partijIdentificatie": {"contactnaam": {"voornaam": voornaam, "achternaam": achternaam}},
        "_expand": {"digitaleAdressen": []},
    }


class _Careless(JsonHandler):
    """A Klantinteracties API that ignores every filter: it answers the neighbour's partij
    with the subject's, and the neighbour's contact moment, whoever is asked for."""

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        buurman = _partij("5f0a3c1e-7b2d-4e8f-9a61-2c4d8e0f1a37", kf.BSN_B, "Piet", "Buurman")
        eigen = _partij("3c9e1a5b-6d2f-4b8e-a7c0-1e3f5a7c9d14", kf.BSN_A, "Suzanne", "Jansen")
        contact = {
            "uuid": "8a2e4c6f-1d3b-4a5e-8f70-9b1c3d5e7f92",
            "kanaal": "telefoon",
            "onderwerp": "Buurman belde",
            "vertrouwelijk": False,
            "plaatsgevondenOp": "2026-03-02T10:00:00Z",
            "_expand": {
                "gingOverOnderwerpobjecten": [],
                "hadBetrokkenen": [{"wasPartij": {"uuid": buurman["uuid"]}}],
            },
        }
        found = [buurman, eigen] if self.path.startswith(f"{KIC}/partijen") else [contact]
        self.answer(200, json.dumps({"count": len(found), "next": None, "results": found}).encode())


@pytest.fixture(scope="module")
def careless() -> Iterator[str]:
    with serving(_Careless) as origin:
        yield origin


async def test_a_remote_that_ignores_the_filters_shows_no_one_elses_data(
    settings: Settings, database: Any, oidc_provider: Provider, careless: str
) -> None:
    app = create_app(_settings(settings, oidc_provider.issuer, f"{careless}{KIC}"), database)
    async with client_of(app, database) as client:
        body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    assert [p["naam"] for p in body["gegevens"]["items"]] == ["Suzanne Jansen"]
    assert body["contactmomenten"] == {"beschikbaar": True, "melding": "", "items": []}


async def test_a_remote_without_credentials_is_unavailable(
    settings: Settings, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    configured = _settings(settings, oidc_provider.issuer, f"{remote.url}{KIC}")
    configured = configured.model_copy(update={"remote_services": settings.remote_services})
    mark = len(remote.requests)
    async with client_of(create_app(configured, database), database) as client:
        body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    assert body["gegevens"]["melding"] == service.KLANTGEGEVENS_NIET_BESCHIKBAAR
    assert remote.since(mark, wait=0) == []
