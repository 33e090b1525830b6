"""A name search in the KCC when the customer register is a remote Klantinteracties API (a
second, real MijnZaken: tests/klantbeeld/remote_server.py, with the data and fixtures of
tests/klantbeeld/test_remote_klanten.py). The standard's /partijen has no name filter, so the
search asks /betrokkenen by contactnaamAchternaam and organisatienaam and reads the partijen
they were; a result opens the view as a BSN look-up would. A remote that is down is a notice,
not a 500."""

from __future__ import annotations

from typing import Any

import httpx

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.verwerkingen import schrijver
from tests.kcc.conftest import DOEL, login, rol
from tests.kcc.test_zoeken import KIC, keuzes, kies, zoek
from tests.klantbeeld import factories as kf
from tests.klantbeeld import logboek
from tests.klantbeeld.remote_server import Remote, closed_port
from tests.klantbeeld.test_remote_klanten import (  # the remote and its data
    ADRES_A,
    BSN_GEHEIM,
    _settings,
    app,  # noqa: F401
    remote,  # noqa: F401
)
from tests.oidc_provider import Provider

KIC_API = "/klantinteracties/api/v1"


async def test_a_name_search_reads_the_remote_register_and_a_result_opens_the_view(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,  # noqa: F811
    caplog: Any,
) -> None:
    await rol(database, "kcc", [KIC])
    await login(client, oidc_provider, "mw-remote-naam", {"roles": ["kcc"]})
    mark = len(remote.requests)
    page = await zoek(client, "jansen")  # typed in lower case: the exact filter gets a capital
    assert page.status_code == 200, page.text
    assert set(keuzes(page)) == {"Suzanne Jansen"}
    assert f"BSN {kf.BSN_A}" in page.text
    calls = [c.split("?")[0] for c in remote.since(mark, wait=2)]
    assert f"GET {KIC_API}/betrokkenen" in calls
    assert [c for c in calls if c.startswith(f"GET {KIC_API}/partijen/")]
    [entry] = await logboek.acties(database, kf.BSN_A)
    assert (entry.actie_naam, entry.grondslag) == ("klanten zoeken op naam", DOEL)
    assert await logboek.acties(database, kf.BSN_B) == []

    # a first and last name: the last word finds the candidates, every word must match
    assert set(keuzes(await zoek(client, "Piet Buurman"))) == {"Piet Buurman"}
    assert keuzes(await zoek(client, "Suzanne Buurman")) == {}

    page = await zoek(client, "Jansen")
    view = await kies(client, page, keuzes(page)["Suzanne Jansen"])
    assert view.status_code == 200
    assert "Klantbeeld van Suzanne Jansen" in view.text
    assert ADRES_A in view.text
    logboek.geen_nummer_gelogd(caplog)


async def test_a_remote_register_that_is_down_makes_the_search_a_notice(
    settings: Settings, database: Any, oidc_provider: Provider
) -> None:
    configured = _settings(settings, oidc_provider.issuer, f"{closed_port()}{KIC_API}")
    await rol(database, "kcc", [KIC])
    async with (
        schrijver.running(database),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(configured, database)),
            base_url="http://testserver",
        ) as client,
    ):
        await login(client, oidc_provider, "mw-remote-weg", {"roles": ["kcc"]})
        page = await zoek(client, "Jansen")
    assert page.status_code == 200
    assert klantbeeld.KLANTREGISTER_ONBEREIKBAAR in page.text
    assert await logboek.acties(database, kf.BSN_A) == []


async def test_a_remote_partij_whose_data_are_secret_is_marked_and_shown_without_number(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,  # noqa: F811
) -> None:
    await rol(database, "kcc", [KIC])
    await login(client, oidc_provider, "mw-remote-geheim", {"roles": ["kcc"]})
    page = await zoek(client, "ölçer")  # lower case: the exact filter gets the capital Ö
    assert page.status_code == 200, page.text
    assert {n.strip() for n in keuzes(page)} == {"Émile Ölçer"}
    assert "Geheimhouding" in page.text
    assert "Afgeschermd" in page.text
    assert BSN_GEHEIM not in page.text
    assert "emile@geheim.example" not in page.text
    [entry] = await logboek.acties(database, BSN_GEHEIM)
    assert entry.actie_naam == "klanten zoeken op naam"
