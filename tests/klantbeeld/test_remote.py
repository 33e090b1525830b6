"""The klantbeeld reading zaken from a remote Zaken API: a second, real MijnZaken in its own
process with its own database (tests/klantbeeld/remote_server.py). The portal pages and the
JSON API show exactly the remote zaken the citizen may see, with a fixed number of calls, and
say the zaken are unavailable when the remote is down or answers garbage."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.outbound import MAX_BYTES
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    JsonHandler,
    Remote,
    closed_port,
    remote_settings,
    running_remote,
    serving,
)
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login, portal_settings

API = "/klantbeeld/api/v1"
PAGE_SIZE = 5
MANY = 12  # zaken of BSN_C: three pages of PAGE_SIZE


@dataclass
class Data:
    """What the remote register holds, by omschrijving."""

    uuids: dict[str, str]


DATA = Data({})


async def _fill(database: Database) -> None:
    extern = await kf.zaaktype(
        database, omschrijving="Parkeervergunning", identificatie="PARKEERVERGUNNING"
    )
    melding = await kf.zaaktype(database, omschrijving="Melding", identificatie="MELDING")
    intern = await kf.zaaktype(database, omschrijving="Interne controle")
    intern_ = await _set(database, intern, indicatie_intern_of_extern="intern")
    zaken = {
        "Dakkapel": await kf.zaak(database, extern, stappen=2, omschrijving="Dakkapel"),
        "Schutting": await kf.zaak(
            database, extern, stappen=3, afgehandeld=True, omschrijving="Schutting"
        ),
        "Intern": await kf.zaak(database, intern_, omschrijving="Intern"),
        "Geheim": await kf.zaak(
            database, extern, omschrijving="Geheim", vertrouwelijkheidaanduiding="vertrouwelijk"
        ),
        "Behandelaar": await kf.zaak(
            database, extern, rol="behandelaar", omschrijving="Behandelaar"
        ),
        "Buurman": await kf.zaak(database, extern, bsn=kf.BSN_B, omschrijving="Buurman"),
        "Melding": await kf.zaak(database, melding, omschrijving="Losse stoeptegel"),
        "Bedrijf": await kf.zaak(
            database, extern, bsn=None, kvk=kf.KVK, omschrijving="Terrasvergunning"
        ),
    }
    for n in range(MANY):
        zaken[f"Veel {n}"] = await kf.zaak(database, extern, bsn=kf.BSN_C, omschrijving=f"Veel {n}")
    DATA.uuids.update({name: str(z.uuid) for name, z in zaken.items()})


async def _set(database: Database, obj: Any, **values: Any) -> Any:
    async with database.transaction() as session:
        stored = await session.get(type(obj), obj.id)
        assert stored is not None
        for key, value in values.items():
            setattr(stored, key, value)
    for key, value in values.items():
        setattr(obj, key, value)
    return obj


@pytest.fixture(scope="module")
def remote() -> Iterator[Remote]:
    with running_remote(_fill, page_size=str(PAGE_SIZE)) as server:
        yield server


def _settings(settings: Settings, issuer: str, zaken_api: str) -> Settings:
    return remote_settings(portal_settings(settings, issuer), zaken_api=zaken_api)


@pytest.fixture
def zaken_api(remote: Remote) -> str:
    return f"{remote.url}/zaken/api/v1"


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, zaken_api: str) -> Any:
    return create_app(_settings(settings, oidc_provider.issuer, zaken_api), database)


def _bearer(provider: Provider, bsn: str) -> dict[str, str]:
    sub = f"burger-{'ac'[bsn == kf.BSN_C]}"  # a subject name that is not the BSN
    provider.set_user(sub, {"bsn": bsn, "acr": "substantieel"})
    return {"Authorization": f"Bearer {provider.access_token(sub)}"}


# The database driver's DEBUG lines hold the local session's parameters; they are about our
# own database, not about the outbound calls this checks.


# --- the overview --------------------------------------------------------------------------


async def test_overview_shows_exactly_the_remote_zaken_the_citizen_may_see(
    client: Any, remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await demo_login(client, 0)  # BSN_A
    mark = len(remote.requests)
    page = await client.get("/mijn/")
    assert page.status_code == 200
    assert "Dakkapel" in page.text, page.text[page.text.find("<main") :][:3000]
    assert "In behandeling" in page.text  # its current status, from the statustype
    assert "Schutting" in page.text
    assert "Toegekend" in page.text  # the resultaat of the closed one
    assert "Losse stoeptegel" in page.text
    for hidden in ("Intern", "Geheim", "Behandelaar", "Buurman", "Veel 0", "Terrasvergunning"):
        assert hidden not in page.text
    assert "niet beschikbaar" not in page.text.split("Recente contactmomenten")[0]
    calls = remote.since(mark, wait=1)
    assert len(calls) == 1, calls
    # the remote's access log names the path only: its query (with the BSN) is never logged
    assert calls == ["GET /zaken/api/v1/zaken"]
    logboek.geen_nummer_gelogd(caplog, (kf.BSN_A, kf.BSN_C))


async def test_the_number_of_calls_is_one_per_page_not_one_per_zaak(
    client: Any, oidc_provider: Provider, remote: Remote
) -> None:
    headers = _bearer(oidc_provider, kf.BSN_C)
    mark = len(remote.requests)
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    names = {z["omschrijving"] for z in body["lopendeZaken"]["items"]}
    assert names == {f"Veel {n}" for n in range(MANY)}
    calls = remote.since(mark, wait=3)
    pages = -(-MANY // PAGE_SIZE)
    assert len(calls) == pages, calls
    assert all(c == "GET /zaken/api/v1/zaken" for c in calls)


async def test_json_view_reads_the_remote_register(
    client: Any, oidc_provider: Provider, remote: Remote
) -> None:
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider, kf.BSN_A))).json()
    lopend = {z["uuid"]: z for z in body["lopendeZaken"]["items"]}
    assert set(lopend) == {DATA.uuids["Melding"], DATA.uuids["Dakkapel"]}
    running = lopend[DATA.uuids["Dakkapel"]]
    assert running["zaaktype"] == "Parkeervergunning"
    assert running["status"]["statustekst"] == "Een medewerker beoordeelt uw aanvraag."
    assert running["status"]["huidig"] is True
    [closed] = body["afgerondeZaken"]["items"]
    assert closed["uuid"] == DATA.uuids["Schutting"]
    assert closed["resultaat"] == "Toegekend"
    assert body["producten"]["beschikbaar"] is True
    assert {p["zaak"] for p in body["producten"]["items"]} == {
        DATA.uuids["Dakkapel"],
        DATA.uuids["Schutting"],
        DATA.uuids["Melding"],
    }


async def test_a_representative_sees_the_remote_zaken_the_mandate_covers(
    client: Any, oidc_provider: Provider
) -> None:
    claims = {
        "bsn": kf.BSN_B,
        "vertegenwoordigde": {"bsn": kf.BSN_A},
        "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
    }
    oidc_provider.set_user("gemachtigde", claims)
    headers = {"Authorization": f"Bearer {oidc_provider.access_token('gemachtigde')}"}
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    assert body["kijker"]["namensAnder"] is True
    shown = body["lopendeZaken"]["items"] + body["afgerondeZaken"]["items"]
    assert {z["uuid"] for z in shown} == {DATA.uuids["Dakkapel"], DATA.uuids["Schutting"]}
    response = await client.get(f"{API}/zaken/{DATA.uuids['Melding']}", headers=headers)
    assert response.status_code == 404


async def test_a_business_sees_its_remote_zaken_by_kvk_nummer(
    client: Any, oidc_provider: Provider
) -> None:
    oidc_provider.set_user("bedrijf", {"kvk": kf.KVK})
    headers = {"Authorization": f"Bearer {oidc_provider.access_token('bedrijf')}"}
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    assert [z["uuid"] for z in body["lopendeZaken"]["items"]] == [DATA.uuids["Bedrijf"]]


# --- the zaak detail -----------------------------------------------------------------------


async def test_zaak_page_shows_the_remote_timeline_with_few_calls(
    client: Any, remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await demo_login(client, 0)
    mark = len(remote.requests)
    page = await client.get(f"/mijn/zaken/{DATA.uuids['Dakkapel']}")
    assert page.status_code == 200
    for tekst in ("We hebben uw aanvraag ontvangen.", "Een medewerker beoordeelt uw aanvraag."):
        assert tekst in page.text
    assert "Afgehandeld" in page.text  # the step still to come, from the Catalogi API
    calls = remote.since(mark, wait=4)
    assert [c.split("?")[0] for c in calls] == [
        "GET /zaken/api/v1/zaken",
        "GET /zaken/api/v1/statussen",
        "GET /catalogi/api/v1/statustypen",
        "GET /zaken/api/v1/zaakinformatieobjecten",  # its documents: none here
    ]
    # the statustypen are cached: a second zaak of the same zaaktype needs no Catalogi call
    mark = len(remote.requests)
    page = await client.get(f"/mijn/zaken/{DATA.uuids['Schutting']}")
    assert page.status_code == 200
    assert "Uw aanvraag is afgehandeld." in page.text
    calls = remote.since(mark, wait=3)
    assert [c.split("?")[0] for c in calls] == [
        "GET /zaken/api/v1/zaken",
        "GET /zaken/api/v1/statussen",
        "GET /zaken/api/v1/zaakinformatieobjecten",
    ]
    logboek.geen_nummer_gelogd(caplog, (kf.BSN_A, kf.BSN_C))


@pytest.mark.parametrize("hidden", ["Intern", "Geheim", "Behandelaar", "Buurman"])
async def test_a_zaak_the_citizen_may_not_see_is_not_found_by_its_url(
    client: Any, oidc_provider: Provider, hidden: str
) -> None:
    await demo_login(client, 0)
    page = await client.get(f"/mijn/zaken/{DATA.uuids[hidden]}")
    assert page.status_code == 404
    response = await client.get(
        f"{API}/zaken/{DATA.uuids[hidden]}", headers=_bearer(oidc_provider, kf.BSN_A)
    )
    assert response.status_code == 404


async def test_json_zaak_detail_has_the_remote_tijdlijn(
    client: Any, oidc_provider: Provider
) -> None:
    response = await client.get(
        f"{API}/zaken/{DATA.uuids['Dakkapel']}", headers=_bearer(oidc_provider, kf.BSN_A)
    )
    assert response.status_code == 200
    body = response.json()
    assert [(s["omschrijving"], s["bereikt"], s["huidig"]) for s in body["tijdlijn"]] == [
        ("Ontvangen", True, False),
        ("In behandeling", True, True),
        ("Afgehandeld", False, False),
    ]
    assert [s["omschrijving"] for s in body["zaak"]["statushistorie"]] == [
        "Ontvangen",
        "In behandeling",
    ]


# --- a remote that is down or answers garbage ----------------------------------------------


class _Garbage(JsonHandler):
    """Answers every GET the way `mode` says: 500, invalid JSON, a body over the size limit,
    a page whose `next` points at another host, or a list without expand."""

    mode = "500"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        mode = type(self).mode
        status, body = 200, b""
        if mode == "500":
            status, body = 500, b'{"detail": "kapot"}'
        elif mode == "json":
            body = b"{niet: json"
        elif mode == "groot":
            body = b'{"results": ["' + b"x" * (MAX_BYTES + 10) + b'"]}'
        elif mode == "elders":
            body = json.dumps({"next": "http://198.51.100.7/zaken?page=2", "results": []}).encode()
        elif mode == "zonder_expand":
            zaak = {"url": "http://x/zaken/1", "uuid": DATA.uuids["Dakkapel"], "identificatie": "Z"}
            body = json.dumps({"next": None, "results": [zaak]}).encode()
        self.answer(status, body)


@pytest.fixture(scope="module")
def garbage() -> Iterator[str]:
    with serving(_Garbage) as origin:
        yield origin


async def _unavailable(
    settings: Settings, database: Any, provider: Provider, zaken_api: str
) -> None:
    """The overview and the JSON view say the zaken are unavailable, the rest works, the zaak
    page and the JSON zaak say so too; nothing is a 500."""
    app = create_app(_settings(settings, provider.issuer, zaken_api), database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await demo_login(client, 0)
        page = await client.get("/mijn/")
        assert page.status_code == 200
        assert page.text.count(service.ZAKEN_NIET_BESCHIKBAAR.split(":")[0]) == 2
        assert "Mijn overzicht" in page.text
        zaak = await client.get(f"/mijn/zaken/{DATA.uuids['Dakkapel']}")
        assert zaak.status_code == 503
        assert "Uw zaken zijn nu niet beschikbaar" in zaak.text
        headers = _bearer(provider, kf.BSN_A)
        body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
        for name in ("lopendeZaken", "afgerondeZaken", "producten"):
            assert body[name]["beschikbaar"] is False
            assert body[name]["melding"] == service.ZAKEN_NIET_BESCHIKBAAR
        assert body["gegevens"]["beschikbaar"] is True  # the rest of the view works
        detail = await client.get(f"{API}/zaken/{DATA.uuids['Dakkapel']}", headers=headers)
        assert detail.status_code == 503
        assert detail.json()["code"] == "service_unavailable"


async def test_a_stopped_remote_gives_the_unavailable_section(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await _unavailable(settings, database, oidc_provider, f"{closed_port()}/zaken/api/v1")
    assert any("remote zaken" in r.getMessage() for r in caplog.records)
    logboek.geen_nummer_gelogd(caplog, (kf.BSN_A, kf.BSN_C))


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("500", "failed: bad-url"),
        ("json", "failed: unreachable"),
        ("groot", "failed: too-large"),
        ("elders", "refused a URL outside the configured APIs"),
        ("zonder_expand", "without the expected fields"),
    ],
)
async def test_a_remote_answering_garbage_gives_the_unavailable_section(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    garbage: str,
    mode: str,
    why: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    _Garbage.mode = mode
    await _unavailable(settings, database, oidc_provider, f"{garbage}/zaken/api/v1")
    logged = [r.getMessage() for r in caplog.records if r.name == "mijnzaken.klantbeeld.remote"]
    assert any(why in line for line in logged), logged
    logboek.geen_nummer_gelogd(caplog, (kf.BSN_A, kf.BSN_C))


async def test_contact_moments_about_a_remote_zaak_are_linked_to_it(
    client: Any, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    dakkapel = SimpleNamespace(uuid=DATA.uuids["Dakkapel"])
    await kl.klantcontact(
        database, "Vraag over de dakkapel", partij=partij, zaak=dakkapel, basis=remote.url
    )
    headers = _bearer(oidc_provider, kf.BSN_A)
    body = (await client.get(f"{API}/klantbeeld", headers=headers)).json()
    [contact] = body["contactmomenten"]["items"]
    assert contact["zaak"] == DATA.uuids["Dakkapel"]
    detail = (await client.get(f"{API}/zaken/{DATA.uuids['Dakkapel']}", headers=headers)).json()
    assert [c["onderwerp"] for c in detail["contactmomenten"]["items"]] == [
        "Vraag over de dakkapel"
    ]
    other = (await client.get(f"{API}/zaken/{DATA.uuids['Schutting']}", headers=headers)).json()
    assert other["contactmomenten"]["items"] == []
