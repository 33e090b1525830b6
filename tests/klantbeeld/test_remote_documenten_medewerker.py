"""Employees of the KCC and the documents of zaken from a remote Zaken API: an employee sees a
remote document by the same rule as one of our own, the rights of their roles per
informatieobjecttype (named by the URL the remote Documenten API gives it) up to its
vertrouwelijkheidaanduiding; the citizen rules do not apply to them. Each zaak page's
processing-log entry names the documents it showed.

The remote is a second, real MijnZaken in its own process (tests/klantbeeld/remote_server.py);
a Documenten API that answers a document without `informatieobjecttype` is a real HTTP server
beside it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.zaken import models as zm
from tests.documenten import factories as df
from tests.kcc.conftest import DOEL, inzien, kcc_settings, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    JsonHandler,
    Remote,
    document,
    remote_settings,
    running_remote,
    serving,
)
from tests.oidc_provider import Provider
from tests.portal.conftest import oidc_login

DOCUMENTEN = "/documenten/api/v1"
ZONDER_TYPE = "Document zonder type"


@dataclass
class Data:
    """What the remote register holds, by name: zaken, documents, informatieobjecttypen."""

    zaken: dict[str, str] = field(default_factory=dict)  # name -> uuid
    documenten: dict[str, str] = field(default_factory=dict)  # name -> uuid
    typen: dict[str, str] = field(default_factory=dict)  # name -> uuid
    zaaktype: str = ""  # uuid of the Parkeervergunning
    zonder_type: str = ""  # the origin of the Documenten API that names no type


DATA = Data()


class _ZonderType(JsonHandler):
    """A Documenten API whose document names no informatieobjecttype the way `mode` says:
    the field left out, null, or empty."""

    mode = "weg"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        url = f"{DATA.zonder_type}{self.path}"
        body: dict[str, Any] = {
            "url": url,
            "identificatie": "DOC-ZONDER-TYPE",
            "titel": ZONDER_TYPE,
            "bestandsnaam": "zonder-type.pdf",
            "formaat": "application/pdf",
            "bestandsomvang": 5,
            "creatiedatum": "2024-03-01",
            "status": "definitief",
            "vertrouwelijkheidaanduiding": "openbaar",
            "versie": 1,
            "inhoud": f"{url}/download?versie=1",
        }
        if type(self).mode == "null":
            body["informatieobjecttype"] = None
        elif type(self).mode == "leeg":
            body["informatieobjecttype"] = ""
        self.answer(200, orjson.dumps(body))


@pytest.fixture(scope="module")
def zonder_type() -> Iterator[str]:
    with serving(_ZonderType) as origin:
        yield origin


def _filler(zonder_type: str) -> Callable[[Database], Any]:
    async def fill(database: Database) -> None:
        parkeren = await kf.zaaktype(
            database, omschrijving="Parkeervergunning", identificatie="PARKEERVERGUNNING"
        )
        brief = await kf.documenttype(database, parkeren, omschrijving="Besluitbrief")
        notitie = await kf.documenttype(database, parkeren, omschrijving="Interne notitie")
        zaken = {
            "Dakkapel": await kf.zaak(database, parkeren, stappen=2, omschrijving="Dakkapel"),
            "Schutting": await kf.zaak(database, parkeren, omschrijving="Schutting"),
        }
        DATA.documenten["zonder type"] = str(uuid.uuid4())
        eio = f"{DOCUMENTEN}/enkelvoudiginformatieobjecten/{DATA.documenten['zonder type']}"
        async with database.transaction() as session:
            # a link the remote's API would refuse (it cannot read that document): its tables
            session.add(
                zm.ZaakInformatieObject(
                    zaak_id=zaken["Schutting"].id,
                    informatieobject=f"{zonder_type}{eio}",
                    titel="Zonder type",
                    registratiedatum=clock.now(),
                )
            )
        DATA.zaken.update({name: str(z.uuid) for name, z in zaken.items()})
        DATA.typen.update(brief=str(brief.uuid), notitie=str(notitie.uuid))
        DATA.zaaktype = str(parkeren.uuid)

    return fill


def _type(remote: Remote, naam: str) -> str:
    """The URL the remote register names its informatieobjecttype by (and a role names it by)."""
    return f"{remote.url}/catalogi/api/v1/informatieobjecttypen/{DATA.typen[naam]}"


def _zaaktype(remote: Remote) -> str:
    """The URL the remote register names the zaaktype of its zaken by."""
    return f"{remote.url}/catalogi/api/v1/zaaktypen/{DATA.zaaktype}"


def _document(remote: Remote, zaak: str, type_: str, **over: Any) -> str:
    fields = {"bestandsnaam": "besluit.pdf", "formaat": "application/pdf", "status": "definitief"}
    return document(remote, DATA.zaken[zaak], DATA.typen[type_], b"inhoud", **(fields | over))


@pytest.fixture(scope="module")
def remote(zonder_type: str) -> Iterator[Remote]:
    DATA.zonder_type = zonder_type
    with running_remote(_filler(zonder_type)) as server:
        DATA.documenten.update(
            besluit=_document(server, "Dakkapel", "brief", titel="Besluit op de aanvraag"),
            concept=_document(
                server, "Dakkapel", "brief", titel="Concept besluit", status="in_bewerking"
            ),
            memo=_document(
                server,
                "Dakkapel",
                "brief",
                titel="Vertrouwelijke brief",
                vertrouwelijkheidaanduiding="vertrouwelijk",
            ),
            notitie=_document(server, "Dakkapel", "notitie", titel="Notitie behandelaar"),
            schutting=_document(server, "Schutting", "brief", titel="Besluit schutting"),
        )
        yield server


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, remote: Remote) -> Any:
    employees = kcc_settings(
        settings,
        oidc_provider.issuer,
        oidc_issuer=oidc_provider.issuer,  # the portal too, for a citizen's own view
        oidc_client_id="mijngemeente",
        oidc_client_secret="mijngemeente-geheim",
    )
    configured = remote_settings(
        employees,
        zaken_api=f"{remote.url}/zaken/api/v1",
        documenten_apis=[f"{o}{DOCUMENTEN}" for o in (remote.url, DATA.zonder_type)],
    )
    return create_app(configured, database)


def _zaken(remote: Remote, maximum: str = "vertrouwelijk") -> dict[str, Any]:
    return {
        "component": "zrc",
        "scopes": ["zaken.lezen"],
        "zaaktype": _zaaktype(remote),
        "max_vertrouwelijkheidaanduiding": maximum,
    }


def _documenten(type_: str, maximum: str = "zaakvertrouwelijk") -> dict[str, Any]:
    return {
        "component": "drc",
        "scopes": ["documenten.lezen"],
        "informatieobjecttype": type_,
        "max_vertrouwelijkheidaanduiding": maximum,
    }


TITELS = {
    "besluit": "Besluit op de aanvraag",
    "concept": "Concept besluit",
    "memo": "Vertrouwelijke brief",
    "notitie": "Notitie behandelaar",
    "schutting": "Besluit schutting",
    "zonder type": ZONDER_TYPE,
}


def _shown(text: str) -> set[str]:
    """Which of the remote's documents a page names."""
    return {naam for naam, titel in TITELS.items() if titel in text}


async def _zaak_page(client: httpx.AsyncClient, zaak: str = "Dakkapel") -> httpx.Response:
    page = await client.get(f"/kcc/zaken/{DATA.zaken[zaak]}")
    assert page.status_code == 200, page.text
    return page


async def _as(
    client: httpx.AsyncClient, provider: Provider, sub: str, rollen: list[str]
) -> httpx.Response:
    """Log in as an employee with `rollen` and look up the subject (for the purpose DOEL)."""
    await login(client, provider, sub, {"roles": rollen})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200, page.text
    return page


# --- what an employee sees -----------------------------------------------------------------


async def test_an_employee_whose_role_names_the_remote_informatieobjecttype_sees_its_documents(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    await rol(database, "vergunningen", [_zaken(remote), _documenten(_type(remote, "brief"))])
    await _as(client, oidc_provider, "mw-vergunningen", ["vergunningen"])
    page = await _zaak_page(client)
    # a concept too: the role's rights decide, not the citizen rules; the notitie is of
    # another informatieobjecttype, the vertrouwelijke brief above the role's maximum
    assert _shown(page.text) == {"besluit", "concept"}
    assert "Besluit op de aanvraag</a> (besluit.pdf, 6 bytes)" in page.text
    assert remote.url.split("//")[1] not in page.text
    assert kf.BSN_A not in page.text


async def test_a_role_without_the_remote_informatieobjecttype_sees_no_remote_document(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    # a type of our own catalogue with the same omschrijving is another type: the URL counts
    parkeren = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    eigen = await kf.documenttype(database, parkeren, omschrijving="Besluitbrief")
    await rol(database, "zaken", [_zaken(remote)])
    await rol(database, "notities", [_zaken(remote), _documenten(_type(remote, "notitie"))])
    await rol(database, "lokaal", [_zaken(remote), df.drc_autorisatie(eigen, "documenten.lezen")])
    for rol_, zichtbaar in (("zaken", set()), ("notities", {"notitie"}), ("lokaal", set())):
        await _as(client, oidc_provider, f"mw-{rol_}", [rol_])
        page = await _zaak_page(client)
        assert _shown(page.text) == zichtbaar, rol_
        if not zichtbaar:
            assert "Er zijn geen documenten die u mag inzien." in page.text
    # a role that may read no informatieobjecttype at all has no document read for it
    await _as(client, oidc_provider, "mw-zaken-2", ["zaken"])
    mark = len(remote.requests)
    await _zaak_page(client)
    calls = remote.since(mark, wait=4)  # three calls come: the wait lets a fourth show up
    assert "GET /zaken/api/v1/zaakinformatieobjecten" in [c.split("?")[0] for c in calls]
    assert not [c for c in calls if df.EIO in c]


async def test_a_remote_document_above_the_roles_vertrouwelijkheid_is_hidden(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    brief = _type(remote, "brief")
    await rol(database, "balie", [_zaken(remote), _documenten(brief, "openbaar")])
    await rol(database, "toezicht", [_zaken(remote), _documenten(brief, "vertrouwelijk")])
    await _as(client, oidc_provider, "mw-balie", ["balie"])
    assert _shown((await _zaak_page(client)).text) == {"besluit", "concept"}
    await _as(client, oidc_provider, "mw-toezicht", ["toezicht"])
    assert _shown((await _zaak_page(client)).text) == {"besluit", "concept", "memo"}
    # two roles: the union, per informatieobjecttype the higher maximum
    await _as(client, oidc_provider, "mw-beide", ["balie", "toezicht"])
    assert _shown((await _zaak_page(client)).text) == {"besluit", "concept", "memo"}


async def test_a_zaak_outside_the_role_shows_none_of_its_remote_documents(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    # the documents' type alone is not enough: the zaak must be within the roles too
    await rol(database, "alleen-documenten", [_documenten(_type(remote, "brief"))])
    page = await _as(client, oidc_provider, "mw-alleen-documenten", ["alleen-documenten"])
    assert _shown(page.text) == set()
    response = await client.get(f"/kcc/zaken/{DATA.zaken['Dakkapel']}")
    assert response.status_code == 404
    assert _shown(response.text) == set()


async def test_the_kcc_serves_a_remote_document_only_at_its_own_download_url(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, remote: Remote
) -> None:
    # the download itself, allowed and denied: tests/kcc/test_documenten_remote.py
    await rol(database, "alles", [], alle=True)
    await _as(client, oidc_provider, "mw-alles", ["alles"])
    mark = len(remote.requests)
    page = await _zaak_page(client)
    assert "besluit" in _shown(page.text)
    besluit = DATA.documenten["besluit"]
    zaak = DATA.zaken["Dakkapel"]
    assert f'href="/kcc/zaken/{zaak}/documenten/{besluit}" download' in page.text
    for path in (
        f"/kcc/zaken/{zaak}/documenten/{besluit}/inhoud",
        f"/kcc/documenten/{besluit}",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Pagina niet gevonden" in response.text, path
    # the citizen's download URL does not take an employee's session
    portal = await client.get(f"/mijn/zaken/{zaak}/documenten/{besluit}")
    assert portal.status_code == 303
    assert portal.headers["location"].startswith("/mijn/inloggen")
    # none of these read the document at the remote: the two zaak pages did, once each
    await _zaak_page(client)
    calls = remote.since(mark, wait=15)  # the second page finds the statustypen cached
    assert [c for c in calls if besluit in c] == [f"GET {df.EIO}/{besluit}"] * 2


# --- a remote document without an informatieobjecttype ---------------------------------------


@pytest.mark.parametrize("mode", ["weg", "null", "leeg"])
async def test_a_remote_document_without_informatieobjecttype_is_hidden_from_employees(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,
    mode: str,
) -> None:
    _ZonderType.mode = mode
    await rol(database, "vergunningen", [_zaken(remote), _documenten(_type(remote, "brief"))])
    await rol(database, "alles", [], alle=True)
    for rol_ in ("vergunningen", "alles"):
        await _as(client, oidc_provider, f"mw-{rol_}-{mode}", [rol_])
        page = await _zaak_page(client, "Schutting")
        # the zaak's other document is there: only the one without a type is left out
        assert _shown(page.text) == {"schutting"}, rol_
        assert "niet getoond worden" not in page.text
    # a citizen's rules do not read the type: the citizen sees it
    client.cookies.clear()
    await oidc_login(client, oidc_provider, f"burger-{mode}", {"bsn": kf.BSN_A})
    eigen = await client.get(f"/mijn/zaken/{DATA.zaken['Schutting']}")
    assert eigen.status_code == 200
    assert _shown(eigen.text) == {"schutting", "zonder type"}


# --- the processing log --------------------------------------------------------------------


async def test_the_processing_log_names_the_remote_documents_an_employee_was_shown(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await rol(database, "balie", [_zaken(remote), _documenten(_type(remote, "brief"))])
    await _as(client, oidc_provider, "mw-log", ["balie"])
    await _zaak_page(client)
    [(zaak, getoond), (view, _)] = await logboek.entries(database)
    assert view.actie_naam == "klantbeeld inzien"
    assert zaak.actie_naam == "zaak inzien"
    assert (zaak.systeem, zaak.gebruiker, zaak.grondslag) == ("MijnZaken KCC", "mw-log", DOEL)
    assert zaak.actor_weergave == "Medewerker van de gemeente (rol: balie)"
    documenten = {item.removeprefix("document:") for item in getoond if "document:" in item}
    names = {v: k for k, v in DATA.documenten.items()}
    assert {names[d] for d in documenten} == {"besluit", "concept"}
    assert {f"zaak:{DATA.zaken['Dakkapel']}", "sectie:documenten"} <= getoond
    logboek.geen_nummer_gelogd(caplog)
