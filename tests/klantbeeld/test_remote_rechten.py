"""Viewers with their own rights (an employee of the KCC, an application with a ZGW JWT) and
the zaken of a remote Zaken API: a second, real MijnZaken in its own process
(tests/klantbeeld/remote_server.py). Their autorisaties name the remote zaaktypen by URL; the
same access rule that filters local zaken (zrc-006: the zaaktype in the autorisaties, the
vertrouwelijkheidaanduiding up to its maximum) decides which remote zaken they see, and each
view's processing-log entry names the remote zaken it showed."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from tests.catalogi import factories as cf
from tests.kcc.conftest import DOEL, inzien, kcc_settings, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    Remote,
    client_of,
    closed_port,
    remote_settings,
    running_remote,
)
from tests.oidc_provider import Provider

API = "/klantbeeld/api/v1"
ZOEK = {"bsn": kf.BSN_A}
# what the remote register holds, by omschrijving: uuids of zaken and of zaaktypen
ZAKEN: dict[str, str] = {}
ZAAKTYPEN: dict[str, str] = {}
# the subject's zaken of the Parkeervergunning zaaktype, by vertrouwelijkheidaanduiding
VERGUNNING = ("Dakkapel", "Schutting", "Vertrouwelijk dossier", "Geheim dossier")
ANDERE = ("Bijstand aanvraag", "Interne zaak")
NIET_VAN_DE_KLANT = ("Als behandelaar", "Van de buurman")


async def _fill(database: Database) -> None:
    vergunning = await kf.zaaktype(
        database, omschrijving="Parkeervergunning", identificatie="PARKEERVERGUNNING"
    )
    bijstand = await kf.zaaktype(database, omschrijving="Bijzondere bijstand")
    intern = await kf.zaaktype(
        database, omschrijving="Interne toets", indicatie_intern_of_extern="intern"
    )
    ZAAKTYPEN.update(
        {
            "vergunning": str(vergunning.uuid),
            "bijstand": str(bijstand.uuid),
            "intern": str(intern.uuid),
        }
    )
    zaken = {
        "Dakkapel": await kf.zaak(database, vergunning, stappen=2, omschrijving="Dakkapel"),
        "Schutting": await kf.zaak(
            database, vergunning, stappen=3, afgehandeld=True, omschrijving="Schutting"
        ),
        "Vertrouwelijk dossier": await kf.zaak(
            database,
            vergunning,
            omschrijving="Vertrouwelijk dossier",
            vertrouwelijkheidaanduiding="vertrouwelijk",
        ),
        "Geheim dossier": await kf.zaak(
            database,
            vergunning,
            omschrijving="Geheim dossier",
            vertrouwelijkheidaanduiding="geheim",
        ),
        "Bijstand aanvraag": await kf.zaak(database, bijstand, omschrijving="Bijstand aanvraag"),
        "Interne zaak": await kf.zaak(database, intern, omschrijving="Interne zaak"),
        "Als behandelaar": await kf.zaak(
            database, vergunning, rol="behandelaar", omschrijving="Als behandelaar"
        ),
        "Van de buurman": await kf.zaak(
            database, vergunning, bsn=kf.BSN_B, omschrijving="Van de buurman"
        ),
    }
    ZAKEN.update({name: str(z.uuid) for name, z in zaken.items()})


@pytest.fixture(scope="module")
def remote() -> Iterator[Remote]:
    with running_remote(_fill) as server:
        yield server


def _settings(settings: Settings, issuer: str, zaken_api: str) -> Settings:
    return remote_settings(kcc_settings(settings, issuer), zaken_api=zaken_api)


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, remote: Remote) -> Any:
    return create_app(
        _settings(settings, oidc_provider.issuer, f"{remote.url}/zaken/api/v1"), database
    )


def _zaaktype(remote: Remote, naam: str) -> str:
    """The URL the remote register names its zaaktype by (and an autorisatie names it by)."""
    return f"{remote.url}/catalogi/api/v1/zaaktypen/{ZAAKTYPEN[naam]}"


def _zaken(remote: Remote, naam: str, maximum: str = "vertrouwelijk") -> dict[str, Any]:
    return {
        "component": "zrc",
        "scopes": ["zaken.lezen"],
        "zaaktype": _zaaktype(remote, naam),
        "max_vertrouwelijkheidaanduiding": maximum,
    }


def _shown(text: str) -> set[str]:
    """Which of the remote register's zaken a page names."""
    return {naam for naam in ZAKEN if naam in text}


def _uuids(body: dict[str, Any]) -> set[str]:
    """Which of the remote register's zaken a JSON view lists."""
    names = {uuid: naam for naam, uuid in ZAKEN.items()}
    items = body["lopendeZaken"]["items"] + body["afgerondeZaken"]["items"]
    return {names[z["uuid"]] for z in items}


def _zaken_getoond(shown: set[str]) -> set[str]:
    names = {f"zaak:{uuid}": naam for naam, uuid in ZAKEN.items()}
    return {names[item] for item in shown if item.startswith("zaak:")}


# --- an employee of the KCC ----------------------------------------------------------------


async def test_zrc_006_an_employee_whose_role_names_the_remote_zaaktype_sees_its_zaken(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    await rol(database, "vergunningen", [_zaken(remote, "vergunning"), _zaken(remote, "intern")])
    await login(client, oidc_provider, "mw-vergunningen", {"roles": ["vergunningen"]})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    # an intern zaaktype is shown when the role names it (no citizen rule for employees)
    assert _shown(page.text) == {"Dakkapel", "Schutting", "Vertrouwelijk dossier", "Interne zaak"}
    assert "In behandeling" in page.text  # the current status the list call brought along
    assert "niet beschikbaar" not in page.text.split("Documenten")[0]
    detail = await client.get(f"/kcc/zaken/{ZAKEN['Dakkapel']}")
    assert detail.status_code == 200
    for tekst in ("Dakkapel", "Ontvangen", "In behandeling", "Afgehandeld", DOEL):
        assert tekst in detail.text
    for hidden in ("Geheim dossier", "Bijstand aanvraag", *NIET_VAN_DE_KLANT):
        response = await client.get(f"/kcc/zaken/{ZAKEN[hidden]}")
        assert response.status_code == 404, hidden
        assert hidden not in response.text


async def test_zrc_006_an_employee_whose_roles_do_not_name_the_remote_zaaktype_sees_none_of_it(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    eigen = await kf.zaaktype(database, omschrijving="Eigen zaaktype")  # of our own catalogue
    await rol(database, "sociaal", [_zaken(remote, "bijstand")])
    await rol(database, "lokaal", [{**_zaken(remote, "vergunning"), "zaaktype": cf.url(eigen)}])
    await login(client, oidc_provider, "mw-sociaal", {"roles": ["sociaal"]})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    assert _shown(page.text) == {"Bijstand aanvraag"}
    response = await client.get(f"/kcc/zaken/{ZAKEN['Dakkapel']}")
    assert response.status_code == 404
    await login(client, oidc_provider, "mw-lokaal", {"roles": ["lokaal"]})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    assert _shown(page.text) == set()
    assert "Er zijn geen lopende zaken die u mag inzien." in page.text
    assert service.KLANT_ZAKEN_NIET_BESCHIKBAAR not in page.text


async def test_zrc_006_a_remote_zaak_above_the_roles_vertrouwelijkheid_is_hidden(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    await rol(database, "balie", [_zaken(remote, "vergunning", "zaakvertrouwelijk")])
    await rol(database, "toezicht", [_zaken(remote, "vergunning", "geheim")])
    await login(client, oidc_provider, "mw-balie", {"roles": ["balie"]})
    page = await inzien(client, kf.BSN_A)
    assert _shown(page.text) == {"Dakkapel", "Schutting"}
    for hidden in ("Vertrouwelijk dossier", "Geheim dossier"):
        assert (await client.get(f"/kcc/zaken/{ZAKEN[hidden]}")).status_code == 404
    # two roles: the union, per zaaktype the higher maximum
    await login(client, oidc_provider, "mw-beide", {"roles": ["balie", "toezicht"]})
    page = await inzien(client, kf.BSN_A)
    assert _shown(page.text) == set(VERGUNNING)
    assert (await client.get(f"/kcc/zaken/{ZAKEN['Geheim dossier']}")).status_code == 200


async def test_the_processing_log_names_the_remote_zaken_an_employee_was_shown(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    await rol(database, "balie", [_zaken(remote, "vergunning", "zaakvertrouwelijk")])
    await login(client, oidc_provider, "mw-log", {"roles": ["balie"]})
    assert (await inzien(client, kf.BSN_A)).status_code == 200
    assert (await client.get(f"/kcc/zaken/{ZAKEN['Dakkapel']}")).status_code == 200
    [(zaak, zaak_getoond), (view, view_getoond)] = await logboek.entries(database)
    assert view.actie_naam == "klantbeeld inzien"
    assert view.systeem == "MijnZaken KCC"
    assert view.gebruiker == "mw-log"
    assert view.grondslag == DOEL
    assert _zaken_getoond(view_getoond) == {"Dakkapel", "Schutting"}
    assert {"sectie:lopende_zaken", "sectie:afgeronde_zaken"} <= view_getoond
    assert zaak.actie_naam == "zaak inzien"
    assert _zaken_getoond(zaak_getoond) == {"Dakkapel"}


# --- an application with a ZGW JWT ---------------------------------------------------------


async def test_zrc_006_an_application_sees_the_remote_zaken_its_autorisaties_name(
    client: httpx.AsyncClient, database: Any, register: Any, remote: Remote
) -> None:
    headers = await register(
        "kanaal", "kanaal-geheim", autorisaties=[_zaken(remote, "vergunning", "zaakvertrouwelijk")]
    )
    response = await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["lopendeZaken"]["beschikbaar"] is True
    assert _uuids(body) == {"Dakkapel", "Schutting"}
    assert [z["uuid"] for z in body["afgerondeZaken"]["items"]] == [ZAKEN["Schutting"]]
    detail = await client.post(f"{API}/zaken/{ZAKEN['Dakkapel']}/_zoek", json=ZOEK, headers=headers)
    assert detail.status_code == 200
    assert [(s["omschrijving"], s["huidig"]) for s in detail.json()["tijdlijn"]] == [
        ("Ontvangen", False),
        ("In behandeling", True),
        ("Afgehandeld", False),
    ]
    for hidden in ("Vertrouwelijk dossier", "Bijstand aanvraag", "Interne zaak"):
        found = await client.post(f"{API}/zaken/{ZAKEN[hidden]}/_zoek", json=ZOEK, headers=headers)
        assert found.status_code == 404, hidden
        assert found.json()["code"] == "not_found"
    # each view logged, naming the application and the remote zaken it was shown
    [(zaak, zaak_getoond), (view, view_getoond)] = await logboek.entries(database)
    assert (view.actie_naam, zaak.actie_naam) == ("klantbeeld inzien", "zaak inzien")
    assert view.systeem == "client:kanaal"
    assert _zaken_getoond(view_getoond) == {"Dakkapel", "Schutting"}
    assert _zaken_getoond(zaak_getoond) == {"Dakkapel"}


async def test_zrc_006_an_application_without_the_remote_zaaktype_sees_none_of_its_zaken(
    client: httpx.AsyncClient, database: Any, register: Any, remote: Remote
) -> None:
    eigen = await kf.zaaktype(database, omschrijving="Eigen zaaktype")
    headers = await register(
        "lokaal",
        "lokaal-geheim",
        autorisaties=[{**_zaken(remote, "vergunning"), "zaaktype": cf.url(eigen)}],
    )
    body = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=headers)).json()
    assert body["lopendeZaken"] == {"beschikbaar": True, "melding": "", "items": []}
    assert body["afgerondeZaken"]["items"] == []
    found = await client.post(f"{API}/zaken/{ZAKEN['Dakkapel']}/_zoek", json=ZOEK, headers=headers)
    assert found.status_code == 404
    [(_, getoond)] = await logboek.entries(database)
    assert _zaken_getoond(getoond) == set()


async def test_zrc_006_an_application_with_all_autorisaties_sees_every_remote_zaak_of_the_subject(
    client: httpx.AsyncClient, register: Any
) -> None:
    headers = await register("alles", "alles-geheim", alle=True)
    body = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=headers)).json()
    # every zaaktype and level; only the subject's own rollen of the configured kinds
    assert _uuids(body) == {*VERGUNNING, *ANDERE}


# --- a remote register that is down --------------------------------------------------------


async def test_a_remote_that_is_down_is_said_to_employees_and_applications_without_a_500(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    register: Any,
    remote: Remote,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(
        _settings(settings, oidc_provider.issuer, f"{closed_port()}/zaken/api/v1"), database
    )
    await rol(database, "vergunningen", [_zaken(remote, "vergunning")])
    headers = await register("kanaal", "kanaal-geheim", autorisaties=[_zaken(remote, "vergunning")])
    async with client_of(app, database) as client:
        await login(client, oidc_provider, "mw-storing", {"roles": ["vergunningen"]})
        page = await inzien(client, kf.BSN_A)
        assert page.status_code == 200
        assert page.text.count(service.KLANT_ZAKEN_NIET_BESCHIKBAAR) == 3  # zaken, products
        assert "Klantbeeld" in page.text  # the rest of the view is there
        zaak = await client.get(f"/kcc/zaken/{ZAKEN['Dakkapel']}")
        assert zaak.status_code == 503
        assert service.KLANT_ZAKEN_NIET_BESCHIKBAAR in zaak.text
        body = (await client.post(f"{API}/klantbeeld/_zoek", json=ZOEK, headers=headers)).json()
        for name in ("lopendeZaken", "afgerondeZaken", "producten"):
            assert body[name] == {
                "beschikbaar": False,
                "melding": service.KLANT_ZAKEN_NIET_BESCHIKBAAR,
                "items": [],
            }
        detail = await client.post(
            f"{API}/zaken/{ZAKEN['Dakkapel']}/_zoek", json=ZOEK, headers=headers
        )
        assert detail.status_code == 503
        assert detail.json()["code"] == "service_unavailable"
        assert detail.json()["detail"] == service.KLANT_ZAKEN_NIET_BESCHIKBAAR
    # the look-ups are logged as what they showed: no zaken, no zaken sections
    entries = await logboek.entries(database)
    assert [e.actie_naam for e, _ in entries] == ["klantbeeld inzien", "klantbeeld inzien"]
    for _, getoond in entries:
        assert _zaken_getoond(getoond) == set()
        assert "sectie:lopende_zaken" not in getoond
    logboek.geen_nummer_gelogd(caplog)
