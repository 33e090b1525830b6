"""A remote processing log that is slow: a view reads the log and posts its entry there, and
once one of the two has waited out the timeout the other does not wait again in the same
request. The answer is the same clear "unavailable" one (503, nothing shown), in about one
timeout rather than two."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.kcc.conftest import inzien, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import JsonHandler, client_of, serving
from tests.klantbeeld.test_remote_verwerkingen import API, STORING, VRL, _bearer, _settings
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login

TIMEOUT = 2.0  # the bound below leaves one timeout for the rest of a request on a busy machine
SLAAP = 3 * TIMEOUT  # longer than both waits together: waiting twice takes at least 2 * TIMEOUT


class _Traag(JsonHandler):
    """A Verwerkingenlogging API that answers nothing in time; it counts what it is asked."""

    calls: list[str] = []  # noqa: RUF012 (shared by the handler's instances, per test)
    lock = threading.Lock()

    def _traag(self) -> None:
        with self.lock:
            self.calls.append(f"{self.command} {self.path.split('?')[0]}")
        time.sleep(SLAAP)
        try:
            self.answer(200, b'{"count": 0, "next": null, "previous": null, "results": []}')
        except OSError:
            return  # the client gave up long ago

    def do_GET(self) -> None:  # noqa: N802
        self._traag()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._traag()


@pytest.fixture
def traag() -> Iterator[str]:
    _Traag.calls.clear()
    with serving(_Traag) as origin:
        yield origin


async def _timed(client: httpx.AsyncClient, path: str, **kwargs: Any) -> tuple[Any, float]:
    mark = len(_Traag.calls)
    started = time.monotonic()
    answer = await client.get(path, **kwargs)
    elapsed = time.monotonic() - started
    assert len(_Traag.calls) - mark == 1, _Traag.calls[mark:]  # one wait, one call
    return answer, elapsed


async def test_a_slow_remote_log_is_waited_for_once_per_request(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    traag: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    await kf.zaak(database, zt, omschrijving="Dakkapel aan de achterkant")
    configured = _settings(
        settings, oidc_provider.issuer, f"{traag}{VRL}", outbound_timeout=TIMEOUT
    )
    async with client_of(create_app(configured, database), database) as client:
        await demo_login(client, 0)
        for path in ("/mijn/", "/mijn/inzage"):  # the overview and the log page
            page, elapsed = await _timed(client, path)
            assert page.status_code == 503, path
            assert STORING in page.text
            assert "Dakkapel" not in page.text
            assert elapsed < 2 * TIMEOUT, (path, elapsed)
        answer, elapsed = await _timed(client, f"{API}/klantbeeld", headers=_bearer(oidc_provider))
        assert answer.status_code == 503
        assert answer.json()["code"] == "verwerkingenlog_onbeschikbaar"
        assert elapsed < 2 * TIMEOUT, elapsed
    assert any("did not answer in time earlier" in r.getMessage() for r in caplog.records)
    logboek.geen_nummer_gelogd(caplog)


async def test_a_slow_remote_log_makes_the_kcc_view_wait_once(
    settings: Settings, database: Any, oidc_provider: Provider, traag: str
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    await kf.zaak(database, zt, omschrijving="Dakkapel aan de achterkant")
    await rol(database, "kcc", [], alle=True)
    configured = _settings(
        settings, oidc_provider.issuer, f"{traag}{VRL}", outbound_timeout=TIMEOUT
    )
    async with client_of(create_app(configured, database), database) as client:
        await login(client, oidc_provider, "mw-traag", {"roles": ["kcc"]})
        mark = len(_Traag.calls)
        started = time.monotonic()
        view = await inzien(client, kf.BSN_A)
        elapsed = time.monotonic() - started
    assert view.status_code == 503
    assert "Dakkapel" not in view.text
    assert len(_Traag.calls) - mark == 1
    assert elapsed < 2 * TIMEOUT, elapsed
