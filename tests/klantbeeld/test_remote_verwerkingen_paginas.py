"""A remote processing log with more entries about the citizen than the klantbeeld reads (20
pages): instead of "unavailable", "Wie heeft mijn gegevens ingezien" shows the newest ones,
in pages, and says that older ones are left out. The stand-in serves its 25 pages oldest
first (the standard fixes no order), so the newest must be found by narrowing the period
(beginDatum), not by reading the first pages."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from tests.klantbeeld import factories as kf
from tests.klantbeeld.remote_server import JsonHandler, serving
from tests.klantbeeld.test_remote_verwerkingen import API, VRL, _bearer, _main, _settings
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login

PER_PAGE = 100
AANTAL = 25 * PER_PAGE  # entries about the citizen: 25 pages
EERSTE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # four a day, from midnight


def _naam(i: int) -> str:
    return f"Raadpleging {i:04d}"


def _object(i: int) -> dict[str, Any]:
    return {
        "url": f"http://groot.invalid/verwerkte-objecten/{i}",
        "verwerktObjectId": f"00000000-0000-4000-8000-{i:012d}",
        "objecttype": "persoon",
        "soortObjectId": "BSN",
        "objectId": kf.BSN_A,
        "verwerkingsactie": {
            "url": f"http://groot.invalid/verwerkingsacties/{i}",
            "actieId": f"00000000-0000-4000-9000-{i:012d}",
            "actieNaam": _naam(i),
            "handelingNaam": "Medewerker Burgerzaken",
            "verwerkingNaam": "Behandelen aanvraag",
            "vertrouwelijkheid": "normaal",
            "tijdstip": (EERSTE + dt.timedelta(hours=6 * i)).isoformat(),
            "tijdstipRegistratie": (EERSTE + dt.timedelta(hours=6 * i)).isoformat(),
        },
    }


OBJECTEN = [_object(i) for i in range(AANTAL)]


class _Groot(JsonHandler):
    """A Verwerkingenlogging API with AANTAL entries about BSN_A, oldest first, PER_PAGE a
    page, filtered on the subject and the period as the standard says; it stores any entry."""

    gets: list[str] = []  # noqa: RUF012 (shared by the handler's instances)
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802
        with self.lock:
            self.gets.append(self.path)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        begin = dt.date.fromisoformat(query["beginDatum"])
        eind = dt.date.fromisoformat(query["eindDatum"])
        page = int(query.get("page", "1"))
        found = [
            o
            for o in OBJECTEN
            if o["objectId"] == query["objectId"]
            and o["soortObjectId"] == query["soortObjectId"]
            and begin <= dt.datetime.fromisoformat(o["verwerkingsactie"]["tijdstip"]).date() <= eind
        ]
        start = (page - 1) * PER_PAGE
        more = start + PER_PAGE < len(found)
        base = f"http://{self.headers['Host']}{url.path}"
        body = {
            "count": len(found),
            "next": f"{base}?{urlencode({**query, 'page': page + 1})}" if more else None,
            "previous": None,
            "results": found[start : start + PER_PAGE],
        }
        self.answer(200, json.dumps(body).encode())

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.answer(201, b"{}")


@pytest.fixture
def groot() -> Iterator[str]:
    _Groot.gets.clear()
    with serving(_Groot) as origin:
        yield origin


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider, groot: str) -> Any:
    return create_app(_settings(settings, oidc_provider.issuer, f"{groot}{VRL}"), database)


async def test_a_citizen_with_many_entries_sees_the_newest_in_pages(
    client: httpx.AsyncClient, database: Any
) -> None:
    await demo_login(client, 0)  # BSN_A
    eerste = await client.get("/mijn/inzage")
    assert eerste.status_code == 200
    text = _main(eerste)
    assert service.VERWERKINGEN_NIET_BESCHIKBAAR not in text
    assert service.VERWERKINGEN_NIEUWSTE in text
    # four a day: the newest 2,000 are all of those from the 125th day on
    nieuwste = AANTAL - 2000
    assert "Pagina 1 van 40" in text
    assert _naam(AANTAL - 1) in text
    assert _naam(AANTAL - 50) in text
    assert _naam(AANTAL - 51) not in text
    assert 'rel="next" href="/mijn/inzage?pagina=2"' in text
    assert 'rel="prev"' not in text
    # never more than the 20 pages of the narrowed period, plus one call per halving
    assert len(_Groot.gets) < 20 + 20
    assert all("page=21" not in g for g in _Groot.gets)

    tweede = _main(await client.get("/mijn/inzage?pagina=2"))
    assert _naam(AANTAL - 51) in tweede
    assert 'rel="prev" href="/mijn/inzage?pagina=1"' in tweede

    laatste = await client.get("/mijn/inzage?pagina=40")
    assert laatste.status_code == 200
    assert _naam(nieuwste) in _main(laatste)
    assert _naam(nieuwste - 1) not in _main(laatste)
    assert 'rel="next"' not in _main(laatste)
    for pagina in ("41", "0", "-1", "twee", "１"):
        assert (await client.get(f"/mijn/inzage?pagina={pagina}")).status_code == 404, pagina


async def test_the_overview_and_the_api_show_the_newest_entries_of_a_large_remote_log(
    client: httpx.AsyncClient, oidc_provider: Provider
) -> None:
    await demo_login(client, 0)
    overzicht = await client.get("/mijn/")
    assert overzicht.status_code == 200
    assert service.VERWERKINGEN_NIET_BESCHIKBAAR not in overzicht.text
    view = (await client.get(f"{API}/klantbeeld", headers=_bearer(oidc_provider))).json()
    log = view["verwerkingen"]
    assert log["beschikbaar"] is True
    assert log["melding"] == service.VERWERKINGEN_NIEUWSTE
    assert len(log["items"]) == service.MAX_VERWERKINGEN
    assert [i["activiteit"] for i in log["items"][:2]] == [_naam(AANTAL - 1), _naam(AANTAL - 2)]
