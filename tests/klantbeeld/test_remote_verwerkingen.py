"""The klantbeeld with its processing log in a remote Verwerkingenlogging API: a second, real
MijnZaken in its own process with its own database (tests/klantbeeld/remote_server.py), whose
write and read APIs speak the standard. "Wie heeft mijn gegevens ingezien" shows the entries
there (and those of this installation's registers); every view posts its entry there before
it answers, and a remote that cannot store it (down, slow, refusing) gets a 503 and nothing
is shown; the citizen sees no one else's entries and no confidential ones, and no BSN reaches
a log line."""

from __future__ import annotations

import json
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from mijnzaken.klantbeeld.remote_verwerkingen import RemoteVerwerkingen
from mijnzaken.verwerkingen import service as verwerkingen
from tests.conftest import make_token
from tests.kcc.conftest import inzien, login, rol
from tests.kcc.test_documenten import INHOUD, _dossier, _pad
from tests.kcc.test_zoeken import zoek
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    CLIENT_ID,
    SECRET,
    JsonHandler,
    Remote,
    client_of,
    closed_port,
    running_remote,
    serving,
)
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login, portal_settings

API = "/klantbeeld/api/v1"
VRL = "/verwerkingen/api/v1"
STORING = "Door een storing kunnen we deze pagina nu niet tonen."


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(CLIENT_ID, SECRET)}"}


def _post(remote: Remote, bsn: str, actie: str, **over: Any) -> None:
    """An entry written to the remote log by another system, through its write API."""
    body = {
        "actieNaam": actie,
        "handelingNaam": "Medewerker Burgerzaken",
        "verwerkingNaam": "Behandelen aanvraag paspoort",
        "vertrouwelijkheid": "normaal",
        "systeem": "Burgerzakensysteem",
        "tijdstip": "2026-03-02T10:00:00Z",
        "verwerkteObjecten": [{"objecttype": "persoon", "soortObjectId": "BSN", "objectId": bsn}],
        **over,
    }
    created = httpx.post(f"{remote.url}{VRL}/verwerkingsacties", json=body, headers=_headers())
    assert created.status_code == 201, created.text


def _remote_entries(remote: Remote, bsn: str = kf.BSN_A) -> list[dict[str, Any]]:
    """The subject's entries in the remote log, read back through its write API (which
    shows `systeem` and `gebruiker`, as the read API does not)."""
    query = {"objecttype": "persoon", "soortObjectId": "BSN", "objectId": bsn}
    found = httpx.get(f"{remote.url}{VRL}/verwerkingsacties", params=query, headers=_headers())
    assert found.status_code == 200, found.text
    results: list[dict[str, Any]] = found.json()["results"]
    return results


async def _nothing(_database: Database) -> None:
    return None


@pytest.fixture(scope="module")
def remote() -> Iterator[Remote]:
    with running_remote(_nothing) as server:
        _post(server, kf.BSN_A, "Paspoortaanvraag raadplegen")
        _post(server, kf.BSN_A, "Vertrouwelijk onderzoek", vertrouwelijkheid="vertrouwelijk")
        _post(server, kf.BSN_B, "Gegevens van de buurman raadplegen")
        yield server


def _settings(
    settings: Settings, issuer: str, api: str, secret: str = SECRET, **over: Any
) -> Settings:
    """The portal and the KCC, the processing log at `api` with our client's credentials
    (`secret`: one the remote does not know)."""
    service_ = RemoteService(api_root=api, client_id=CLIENT_ID, secret=secret)
    values: dict[str, Any] = {
        "klantbeeld_verwerkingen_api_url": api,
        "remote_services": [*settings.remote_services, service_],
        "outbound_timeout": 3.0,
        "kcc_oidc_issuer": issuer,
        "kcc_oidc_client_id": "kcc",
        "kcc_oidc_client_secret": "kcc-geheim",
        **over,
    }
    return portal_settings(settings, issuer, **values)


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, remote: Remote) -> Any:
    return create_app(_settings(settings, oidc_provider.issuer, f"{remote.url}{VRL}"), database)


@pytest.fixture
async def zaak(database: Database) -> Any:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    return await kf.zaak(database, zt, omschrijving="Dakkapel aan de achterkant")


def _bearer(provider: Provider, bsn: str = kf.BSN_A) -> dict[str, str]:
    provider.set_user("burger-vrl", {"bsn": bsn, "acr": "substantieel"})
    return {"Authorization": f"Bearer {provider.access_token('burger-vrl')}"}


def _settled(remote: Remote) -> int:
    """The number of requests in the remote's access log once the lines of earlier calls
    (written just after each answer) have all arrived."""
    seen = -1
    while seen != len(remote.requests):
        seen = len(remote.requests)
        time.sleep(0.3)
    return seen


def _main(page: httpx.Response) -> str:
    return page.text[page.text.find("<main") :]


# --- reading: who looked ---------------------------------------------------------------------


async def test_inzage_page_shows_the_entries_of_the_remote_log(
    client: httpx.AsyncClient, database: Any, remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # an entry a register of this installation wrote here is shown beside the remote ones
    async with database.transaction() as session:
        verwerkingen.log(
            session,
            activiteit="zaak raadplegen",
            betrokkenen=[verwerkingen.Betrokkene("BSN", kf.BSN_A)],
            systeem="Zaaksysteem",
            actor_weergave="Zaken API",
        )
    await demo_login(client, 0)  # BSN_A
    mark = len(remote.requests)
    page = await client.get("/mijn/inzage")
    assert page.status_code == 200
    text = _main(page)
    assert "Paspoortaanvraag raadplegen" in text, text[:3000]  # only in the remote log
    assert "Medewerker Burgerzaken" in text
    assert "Behandelen aanvraag paspoort" in text
    assert "zaak raadplegen" in text  # this installation's own entry
    assert "Vertrouwelijk onderzoek" not in text  # confidential: our client may, she may not
    assert "Gegevens van de buurman" not in text  # another citizen's entry
    # one call to read (one page), one to post this page's own entry
    assert remote.since(mark, wait=2) == [
        f"GET {VRL}/verwerkte-objecten",
        f"POST {VRL}/verwerkingsacties",
    ]
    logboek.geen_nummer_gelogd(caplog)  # before the test's own calls below, which name the BSN
    # the page's own entry went to the remote log, not to ours
    assert "verwerkingen inzien" in {e["actieNaam"] for e in _remote_entries(remote)}
    assert [e.actie_naam for e in await logboek.acties(database)] == ["zaak raadplegen"]


class _Careless(JsonHandler):
    """A Verwerkingenlogging API that ignores the subject filter: whoever is asked for, it
    answers the neighbour's entry (and a company's with the same number); it stores any
    entry."""

    def do_GET(self) -> None:  # noqa: N802
        def _object(soort: str, actie: str) -> dict[str, Any]:
            return {
                "url": "http://careless.invalid/verwerkte-objecten/1",
                "verwerktObjectId": "5f089abb-7ed1-4714-92d4-1850453eda5d",
                "objecttype": "persoon",
                "soortObjectId": soort,
                "objectId": kf.BSN_B,
                "verwerkingsactie": {
                    "url": "http://careless.invalid/verwerkingsacties/1",
                    "actieId": "7a22eb38-bca6-463f-9955-54ab040287cb",
                    "actieNaam": actie,
                    "vertrouwelijkheid": "normaal",
                    "tijdstip": "2026-03-02T10:00:00Z",
                    "tijdstipRegistratie": "2026-03-02T10:00:01Z",
                },
            }

        found = [
            _object("BSN", "Gegevens van de buurman raadplegen"),
            _object("KVK", "Bedrijf met hetzelfde nummer"),
        ]
        self.answer(200, json.dumps({"count": len(found), "next": None, "results": found}).encode())

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.answer(201, b"{}")


@pytest.fixture
def careless() -> Iterator[str]:
    with serving(_Careless) as origin:
        yield origin


async def test_a_remote_log_that_ignores_the_subject_filter_shows_no_one_elses_entries(
    settings: Settings, database: Any, oidc_provider: Provider, careless: str
) -> None:
    app = create_app(_settings(settings, oidc_provider.issuer, f"{careless}{VRL}"), database)
    async with client_of(app, database) as client:
        await demo_login(client, 1)  # BSN_B: the neighbour's entries are hers
        eigen = await client.get("/mijn/inzage")
        client.cookies.clear()
        await demo_login(client, 0)  # BSN_A
        page = await client.get("/mijn/inzage")
        body = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    assert "Gegevens van de buurman raadplegen" in _main(eigen)
    assert "Bedrijf met hetzelfde nummer" not in _main(eigen)  # a KVK number is not a BSN
    assert page.status_code == 200
    assert "Gegevens van de buurman" not in _main(page)
    assert body["verwerkingen"] == {"beschikbaar": True, "melding": "", "items": []}


# --- writing: every view's entry -------------------------------------------------------------


def _newest(view: dict[str, Any], activiteit: str) -> dict[str, Any]:
    """The newest item of the view's processing log for `activiteit`, without its moment."""
    item = next(i for i in view["verwerkingen"]["items"] if i["activiteit"] == activiteit)
    return {k: v for k, v in item.items() if k != "moment"}


async def test_a_view_posts_its_entry_to_the_remote_which_reads_as_a_local_one(
    settings: Settings, database: Any, oidc_provider: Provider, remote: Remote, zaak: Any
) -> None:
    configured = _settings(settings, oidc_provider.issuer, f"{remote.url}{VRL}")
    async with client_of(create_app(configured, database), database) as client:
        first = await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))
        assert first.status_code == 200
        # its entry is in the remote log as soon as the view has answered
        [entry] = [e for e in _remote_entries(remote) if e["actieNaam"] == "klantbeeld inzien"]
        again = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    assert entry["systeem"] == "MijnGemeente"
    assert entry["handelingNaam"] == "U zelf"
    assert entry["verwerkingNaam"] == "inzage door de betrokkene"
    [subject] = entry["verwerkteObjecten"]
    assert (subject["soortObjectId"], subject["objectId"]) == ("BSN", kf.BSN_A)
    soorten = {g["soortGegeven"] for g in subject["verwerkteSoortenGegevens"]}
    assert {f"zaak:{zaak.uuid}", "sectie:lopende_zaken", "sectie:verwerkingen"} <= soorten
    assert [e.actie_naam for e in await logboek.acties(database)] == []  # written there, not here
    remote_item = _newest(again, "klantbeeld inzien")
    # the same views with this installation's own log show the entry the same way
    local = create_app(portal_settings(settings, oidc_provider.issuer), database)
    async with client_of(local, database) as client:
        await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))
        lokaal = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    assert remote_item == _newest(lokaal, "klantbeeld inzien")
    assert remote_item == {
        "wie": "U zelf",
        "activiteit": "klantbeeld inzien",
        "doel": "inzage door de betrokkene",
        "namens": "",
    }


async def test_a_representatives_entry_and_a_large_view_keep_their_content_there(
    settings: Settings, remote: Remote
) -> None:
    api = f"{remote.url}{VRL}"
    configured = _settings(settings, "http://idp.invalid", api)
    logboek = RemoteVerwerkingen.from_settings(configured)
    assert logboek is not None
    # more than one object takes; the 201 that echoes them is larger than 64 KiB
    getoond = tuple(f"document:{uuid.uuid4()}" for _ in range(1150))
    made = verwerkingen.entry(
        activiteit="machtiging gebruikt",
        betrokkenen=[verwerkingen.Betrokkene("BSN", kf.BSN_C, soorten_gegevens=getoond)],
        systeem="MijnGemeente",
        gebruiker="bsn-vertegenwoordiger",
        actor_weergave="Uw gemachtigde",
        namens=service.NAMENS_BETROKKENE,
        grondslag="machtiging door de betrokkene",
        verwerking_naam="Klantbeeld",
    )
    assert made is not None
    await logboek.schrijf(*made)
    [entry] = _remote_entries(remote, kf.BSN_C)
    objecten = entry["verwerkteObjecten"]
    assert [len(o["verwerkteSoortenGegevens"]) for o in objecten] == [100] * 11 + [50]
    assert {o["objectId"] for o in objecten} == {kf.BSN_C}
    assert [g["soortGegeven"] for o in objecten for g in o["verwerkteSoortenGegevens"]] == list(
        getoond
    )
    [shown] = await logboek.ingezien("BSN", kf.BSN_C)  # one entry, however many objects
    assert (shown.wie, shown.activiteit, shown.doel, shown.vertegenwoordigd) == (
        "Uw gemachtigde",
        "machtiging gebruikt",
        "machtiging door de betrokkene",
        True,
    )


# --- a remote log that cannot store the entry: nothing is shown --------------------------------


async def _nothing_shown(
    app: Any, database: Any, provider: Provider, zaak: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Every view of the portal, the JSON API and the KCC answers 503 without the data, and
    no entry is written here instead."""
    caplog.set_level(logging.DEBUG)
    async with client_of(app, database) as client:
        await demo_login(client, 0)
        for path in ("/mijn/", f"/mijn/zaken/{zaak.uuid}", "/mijn/gegevens", "/mijn/inzage"):
            page = await client.get(path)
            assert page.status_code == 503, path
            assert STORING in page.text
            assert "Dakkapel" not in page.text
        for path in ("/klantbeeld", f"/zaken/{zaak.uuid}"):
            answer = await client.get(f"{API}{path}", headers=_bearer(provider))
            assert answer.status_code == 503, path
            assert answer.json()["code"] == "verwerkingenlog_onbeschikbaar"
            assert "Dakkapel" not in answer.text
        await rol(database, "kcc", [], alle=True)
        await login(client, provider, "mw-kcc", {"roles": ["kcc"]})
        view = await inzien(client, kf.BSN_A)
        assert view.status_code == 503
        assert "Dakkapel" not in view.text
    assert [e.actie_naam for e in await logboek.acties(database)] == []
    logboek.geen_nummer_gelogd(caplog)


async def test_a_remote_log_that_is_down_answers_503_and_shows_nothing(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    zaak: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    configured = _settings(settings, oidc_provider.issuer, f"{closed_port()}{VRL}")
    await _nothing_shown(create_app(configured, database), database, oidc_provider, zaak, caplog)


async def test_a_remote_log_that_does_not_answer_in_time_answers_503(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    zaak: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # the limit holds for the KCC's login at the test's identity provider too: not too short
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        api = f"http://127.0.0.1:{silent.getsockname()[1]}{VRL}"
        configured = _settings(settings, oidc_provider.issuer, api, outbound_timeout=1.0)
        app = create_app(configured, database)
        await _nothing_shown(app, database, oidc_provider, zaak, caplog)


async def test_a_remote_log_that_refuses_the_entry_answers_503(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,
    zaak: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = f"{remote.url}{VRL}"
    configured = _settings(settings, oidc_provider.issuer, api, secret="niet-het-geheim")
    await _nothing_shown(create_app(configured, database), database, oidc_provider, zaak, caplog)
    # a URL configured without credentials is refused before any call
    zonder = configured.model_copy(update={"remote_services": settings.remote_services})
    mark = _settled(remote)
    async with client_of(create_app(zonder, database), database) as client:
        answer = await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))
    assert answer.status_code == 503
    assert remote.since(mark, wait=0) == []


async def test_a_kcc_name_search_and_download_post_their_entries_to_the_remote(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,
    client: httpx.AsyncClient,
    superuser: dict[str, str],
) -> None:
    """The KCC's own entries (a search by name, a download) go where every view's go."""
    dossier = await _dossier(database, client, superuser)  # the role "kcc" may download
    zaak, besluit = dossier["zaak"], dossier["docs"]["besluit"]
    await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await rol(database, "klanten", [{"component": "kic", "scopes": ["klantinteracties.lezen"]}])
    configured = _settings(settings, oidc_provider.issuer, f"{remote.url}{VRL}")
    async with client_of(create_app(configured, database), database) as kcc:
        await login(
            kcc, oidc_provider, "mw-kcc", {"name": "Karin de Vries", "roles": ["kcc", "klanten"]}
        )
        found = await zoek(kcc, "Jansen")
        assert found.status_code == 200
        assert "Suzanne Jansen" in found.text
        assert (await inzien(kcc, kf.BSN_A)).status_code == 200
        download = await kcc.get(_pad(zaak, besluit))
        assert download.status_code == 200
        assert download.content == INHOUD
    acties = [e["actieNaam"] for e in _remote_entries(remote)]
    assert "klanten zoeken op naam" in acties
    assert "document downloaden" in acties
    assert [e.actie_naam for e in await logboek.acties(database)] == []  # written there, not here
