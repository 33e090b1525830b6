"""The documents of zaken from a remote Zaken API: the zaak page lists those the citizen may
see (the links from the remote Zaken API, the documents from the configured Documenten API
they point to, within the same rules as our own documents), a download streams exactly those
through the portal, and a Documenten API that is down leaves the zaak page standing.

The remote is a second, real MijnZaken in its own process (tests/klantbeeld/remote_server.py);
a broken Documenten API is a real HTTP server that answers garbage, or a closed port."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import delete, select

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from mijnzaken.zaken import models as zm
from tests.documenten import factories as df
from tests.klantbeeld import factories as kf
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import (
    JsonHandler,
    Remote,
    closed_port,
    document,
    identificaties,
    remote_settings,
    running_remote,
    serving,
)
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login, oidc_login, portal_settings

API = "/klantbeeld/api/v1"
DOCUMENTEN = "/documenten/api/v1"
INHOUD = bytes(range(256)) * 1200  # 300 kB: more than one chunk on the way


@dataclass
class Data:
    """What the remote register holds: zaken and documents by name, the broken APIs."""

    zaken: dict[str, str] = field(default_factory=dict)  # name -> uuid
    documenten: dict[str, str] = field(default_factory=dict)  # name -> uuid
    iot: str = ""  # uuid of the informatieobjecttype of the parkeervergunning
    kapot: str = ""  # the origin of the Documenten API that answers garbage
    dicht: str = ""  # the origin of one that is not listening


DATA = Data()


class _Garbage(JsonHandler):
    """A Documenten API that is broken the way `mode` says: a 500, invalid JSON, or JSON that
    is no document."""

    mode = "500"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        status, body = 200, b""
        if type(self).mode == "500":
            status, body = 500, b'{"detail": "kapot"}'
        elif type(self).mode == "json":
            body = b"{niet: json"
        else:
            body = b'{"titel": "Geen document"}'
        self.answer(status, body)


@pytest.fixture(scope="module")
def garbage() -> Iterator[str]:
    with serving(_Garbage) as origin:
        yield origin


def _link(zaak: zm.Zaak, url: str) -> zm.ZaakInformatieObject:
    """A link the remote's API would refuse (a document it cannot reach), made in its tables."""
    return zm.ZaakInformatieObject(
        zaak_id=zaak.id, informatieobject=url, titel="Elders", registratiedatum=clock.now()
    )


def _filler(kapot: str, dicht: str) -> Callable[[Database], Any]:
    async def fill(database: Database) -> None:
        parkeren = await kf.zaaktype(
            database, omschrijving="Parkeervergunning", identificatie="PARKEERVERGUNNING"
        )
        iot = await kf.documenttype(database, parkeren)
        melding = await kf.zaaktype(database, omschrijving="Melding", identificatie="MELDING")
        zaken = {
            "Dakkapel": await kf.zaak(database, parkeren, stappen=2, omschrijving="Dakkapel"),
            "Buurman": await kf.zaak(database, parkeren, bsn=kf.BSN_B, omschrijving="Buurman"),
            "Kapot": await kf.zaak(database, melding, omschrijving="Losse stoeptegel"),
            "Dicht": await kf.zaak(database, melding, omschrijving="Kapotte lantaarn"),
        }
        await identificaties(database)
        elders = f"https://documenten.elders.nl/api/v1/enkelvoudiginformatieobjecten/{uuid.uuid4()}"
        DATA.documenten["onbereikbaar"] = str(uuid.uuid4())
        eio = f"{DOCUMENTEN}/enkelvoudiginformatieobjecten/{DATA.documenten['onbereikbaar']}"
        async with database.transaction() as session:
            session.add_all(
                [
                    _link(zaken["Dakkapel"], elders),  # an API nobody configured
                    _link(zaken["Kapot"], f"{kapot}{eio}"),
                    _link(zaken["Dicht"], f"{dicht}{eio}"),
                ]
            )
        DATA.zaken.update({name: str(z.uuid) for name, z in zaken.items()})
        DATA.iot = str(iot.uuid)

    return fill


def _document(remote: Remote, zaak: str, inhoud: bytes | None = INHOUD, **over: Any) -> str:
    fields = {
        "titel": "Besluit op uw aanvraag",
        "bestandsnaam": "besluit.pdf",
        "formaat": "application/pdf",
        "status": "definitief",
    }
    return document(remote, DATA.zaken[zaak], DATA.iot, inhoud, **(fields | over))


@pytest.fixture(scope="module")
def remote(garbage: str) -> Iterator[Remote]:
    DATA.kapot, DATA.dicht = garbage, closed_port()
    with running_remote(_filler(DATA.kapot, DATA.dicht)) as server:
        DATA.documenten.update(
            besluit=_document(server, "Dakkapel"),
            concept=_document(server, "Dakkapel", titel="Concept advies", status="in_bewerking"),
            geheim=_document(
                server, "Dakkapel", titel="Intern memo", vertrouwelijkheidaanduiding="vertrouwelijk"
            ),
            leeg=_document(server, "Dakkapel", inhoud=None, titel="Nog te uploaden"),
            buurman=_document(server, "Buurman", titel="Besluit van de buurman"),
        )
        yield server


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, remote: Remote) -> Any:
    configured = remote_settings(
        portal_settings(settings, oidc_provider.issuer),
        zaken_api=f"{remote.url}/zaken/api/v1",
        documenten_apis=[f"{o}{DOCUMENTEN}" for o in (remote.url, DATA.kapot, DATA.dicht)],
    )
    return create_app(configured, database)


def _pad(zaak: str, document: str) -> str:
    return f"/mijn/zaken/{DATA.zaken[zaak]}/documenten/{document}"


# --- the zaak page -------------------------------------------------------------------------


async def test_zaak_page_lists_the_remote_documents_the_citizen_may_see(
    client: Any, remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await demo_login(client, 0)
    mark = len(remote.requests)
    page = await client.get(f"/mijn/zaken/{DATA.zaken['Dakkapel']}")
    assert page.status_code == 200
    assert "Besluit op uw aanvraag" in page.text
    assert "besluit.pdf, application/pdf, 307,2 kB, gemaakt op 1 maart 2024" in page.text
    # the portal's own URL: the zaak and the document by uuid, no remote URL, no BSN
    assert f'href="{_pad("Dakkapel", DATA.documenten["besluit"])}" download' in page.text
    assert "Nog te uploaden (het bestand is nog niet beschikbaar)" in page.text
    for hidden in ("Concept advies", "Intern memo", "Elders", "Besluit van de buurman"):
        assert hidden not in page.text
    assert remote.url.split("//")[1] not in page.text
    assert "elders.nl" not in page.text
    assert kf.BSN_A not in page.text
    calls = remote.since(mark, wait=8)
    assert [c.split("?")[0] for c in calls[:4]] == [
        "GET /zaken/api/v1/zaken",
        "GET /zaken/api/v1/statussen",
        "GET /catalogi/api/v1/statustypen",
        "GET /zaken/api/v1/zaakinformatieobjecten",
    ]
    # one GET per document under the configured Documenten API (the rules need its status)
    on_dakkapel = ("besluit", "concept", "geheim", "leeg")
    assert sorted(calls[4:]) == sorted(
        f"GET {df.EIO}/{DATA.documenten[name]}" for name in on_dakkapel
    )
    logboek.geen_nummer_gelogd(caplog)


async def test_overview_reads_no_documents_of_remote_zaken(client: Any, remote: Remote) -> None:
    await demo_login(client, 0)
    mark = len(remote.requests)
    page = await client.get("/mijn/")
    assert page.status_code == 200
    assert "Dakkapel" in page.text
    assert service.DOCUMENTEN_REMOTE in page.text
    assert "Besluit op uw aanvraag" not in page.text
    assert remote.since(mark, wait=1) == ["GET /zaken/api/v1/zaken"]


# --- downloads -----------------------------------------------------------------------------


async def test_download_streams_the_remote_content_and_is_logged(
    client: Any, remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await demo_login(client, 0)
    mark = len(remote.requests)
    response = await client.get(_pad("Dakkapel", DATA.documenten["besluit"]))
    assert response.status_code == 200
    assert response.content == INHOUD
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(INHOUD))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith('attachment; filename="besluit.pdf"')
    calls = remote.since(mark, wait=4)
    assert [c.split("?")[0] for c in calls] == [
        "GET /zaken/api/v1/zaken",
        "GET /zaken/api/v1/zaakinformatieobjecten",
        f"GET {df.EIO}/{DATA.documenten['besluit']}",  # only the one asked for
        f"GET {df.EIO}/{DATA.documenten['besluit']}/download",
    ]
    inzage = (await client.get("/mijn/inzage")).text
    assert inzage.count("document downloaden") == 1
    logboek.geen_nummer_gelogd(caplog)


async def test_no_other_remote_document_can_be_downloaded_not_even_by_typing_its_url(
    client: Any,
) -> None:
    await demo_login(client, 0)
    unknown = await client.get(_pad("Dakkapel", str(uuid.uuid4())))
    assert unknown.status_code == 404
    refused = [
        _pad("Dakkapel", DATA.documenten["concept"]),  # a concept of the citizen's own zaak
        _pad("Dakkapel", DATA.documenten["geheim"]),  # too confidential
        _pad("Dakkapel", DATA.documenten["leeg"]),  # no content
        _pad("Dakkapel", DATA.documenten["buurman"]),  # another citizen's, under the own zaak
        _pad("Buurman", DATA.documenten["buurman"]),  # another citizen's zaak and document
        _pad("Buurman", DATA.documenten["besluit"]),  # the own document under their zaak
    ]
    for path in refused:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.text == unknown.text, path
    assert (await client.get(_pad("Dakkapel", DATA.documenten["besluit"]))).status_code == 200
    assert (await client.get("/mijn/inzage")).text.count("document downloaden") == 1


async def test_a_representative_downloads_the_remote_documents_the_mandate_covers(
    client: Any, oidc_provider: Provider
) -> None:
    claims = {
        "bsn": kf.BSN_B,
        "vertegenwoordigde": {"bsn": kf.BSN_A},
        "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
    }
    await oidc_login(client, oidc_provider, "gemachtigde-documenten", claims)
    page = await client.get(f"/mijn/zaken/{DATA.zaken['Dakkapel']}")
    assert "Besluit op uw aanvraag" in page.text
    response = await client.get(_pad("Dakkapel", DATA.documenten["besluit"]))
    assert response.status_code == 200
    assert response.content == INHOUD
    # the representative's own zaak is not the subject's
    assert (await client.get(_pad("Buurman", DATA.documenten["buurman"]))).status_code == 404


async def test_json_zaak_lists_remote_documents_and_serves_their_content(
    client: Any, oidc_provider: Provider
) -> None:
    oidc_provider.set_user("burger-a", {"bsn": kf.BSN_A, "acr": "substantieel"})
    headers = {"Authorization": f"Bearer {oidc_provider.access_token('burger-a')}"}
    detail = await client.get(f"{API}/zaken/{DATA.zaken['Dakkapel']}", headers=headers)
    assert detail.status_code == 200
    documenten = detail.json()["documenten"]
    assert documenten["beschikbaar"] is True
    by_uuid = {d["uuid"]: d for d in documenten["items"]}
    assert set(by_uuid) == {DATA.documenten["besluit"], DATA.documenten["leeg"]}
    besluit = by_uuid[DATA.documenten["besluit"]]
    assert besluit["zaak"] == DATA.zaken["Dakkapel"]
    assert by_uuid[DATA.documenten["leeg"]]["inhoud"] is None
    inhoud = besluit["inhoud"].removeprefix("http://testserver")
    assert inhoud == f"{API}/zaken/{DATA.zaken['Dakkapel']}/documenten/{besluit['uuid']}/inhoud"
    response = await client.get(inhoud, headers=headers)
    assert response.status_code == 200
    assert response.content == INHOUD
    assert response.headers["cache-control"] == "no-store"


async def test_a_remote_zaak_may_link_a_document_of_our_own_register(
    client: Any, superuser: dict[str, str], database: Any, remote: Remote
) -> None:
    zt = await kf.zaaktype(database)
    iot = await kf.documenttype(database, zt)
    eigen = await df.create_eio(
        client, superuser, iot, titel="Hier opgeslagen", status="definitief", inhoud=b"eigen"
    )
    concept = await df.create_eio(client, superuser, iot, titel="Hier, concept", inhoud=b"c")
    remote_db = Database(remote.database_url)
    ours = [eigen["url"], concept["url"]]
    try:
        async with remote_db.transaction() as session:
            zaak = await session.scalar(
                select(zm.Zaak).where(zm.Zaak.uuid == uuid.UUID(DATA.zaken["Dakkapel"]))
            )
            assert zaak is not None
            session.add_all([_link(zaak, url) for url in ours])
        await demo_login(client, 0)
        page = await client.get(f"/mijn/zaken/{DATA.zaken['Dakkapel']}")
        assert "Hier opgeslagen" in page.text
        assert "Hier, concept" not in page.text
        response = await client.get(_pad("Dakkapel", eigen["url"].rsplit("/", 1)[1]))
        assert response.status_code == 200
        assert response.content == b"eigen"
        refused = await client.get(_pad("Dakkapel", concept["url"].rsplit("/", 1)[1]))
        assert refused.status_code == 404
    finally:
        async with remote_db.transaction() as session:
            zio = zm.ZaakInformatieObject
            await session.execute(delete(zio).where(zio.informatieobject.in_(ours)))
        await remote_db.dispose()


# --- a Documenten API that is down ---------------------------------------------------------


@pytest.mark.parametrize(
    ("zaak", "mode"), [("Kapot", "500"), ("Kapot", "json"), ("Kapot", "geen"), ("Dicht", "")]
)
async def test_a_documenten_api_that_is_down_leaves_the_zaak_page_standing(
    client: Any, zaak: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _Garbage.mode = mode
    await demo_login(client, 0)
    page = await client.get(f"/mijn/zaken/{DATA.zaken[zaak]}")
    assert page.status_code == 200
    assert ("Losse stoeptegel" if zaak == "Kapot" else "Kapotte lantaarn") in page.text
    assert "Ontvangen" in page.text  # the timeline is there
    assert service.DOCUMENTEN_NIET_BESCHIKBAAR in page.text
    # its download URL says the document cannot be fetched now: a 503, not a 500
    download = await client.get(_pad(zaak, DATA.documenten["onbereikbaar"]))
    assert download.status_code == 503
    assert service.DOCUMENT_NIET_BESCHIKBAAR in download.text
    logboek.geen_nummer_gelogd(caplog)


async def test_json_download_from_a_documenten_api_that_is_down_is_a_503_fout(
    client: Any, oidc_provider: Provider
) -> None:
    _Garbage.mode = "500"
    oidc_provider.set_user("burger-a", {"bsn": kf.BSN_A, "acr": "substantieel"})
    headers = {"Authorization": f"Bearer {oidc_provider.access_token('burger-a')}"}
    zaak = f"{API}/zaken/{DATA.zaken['Kapot']}"
    detail = (await client.get(zaak, headers=headers)).json()
    assert detail["documenten"] == {
        "beschikbaar": False,
        "melding": service.DOCUMENTEN_NIET_BESCHIKBAAR,
        "items": [],
    }
    response = await client.get(
        f"{zaak}/documenten/{DATA.documenten['onbereikbaar']}/inhoud", headers=headers
    )
    assert response.status_code == 503
    fout = response.json()
    assert fout["code"] == "service_unavailable"
    assert fout["title"] == "Het documentenregister is nu niet beschikbaar."
    assert fout["detail"] == service.DOCUMENT_NIET_BESCHIKBAAR
