"""The employee viewer in a real browser: headless Chromium (Debian's), driven by
Playwright, with JavaScript switched off, through login at the identity provider, a look-up
without and with a purpose, the customer view, a zaak, a zaak outside the roles and logout.
Every page passes axe-core's WCAG 2.1 A and AA rules without a violation."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.kcc.conftest import DOEL, kcc_settings, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.oidc_provider import Provider
from tests.portal.test_browser import AXE, CHROMIUM, FLAGS, _axe
from tests.zaken import factories as zf

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and AXE.exists()),
    reason="needs Debian's chromium and axe-core (make installs it with npm ci)",
)


@pytest.fixture
async def server(settings: Settings, oidc_provider: Provider) -> AsyncIterator[str]:
    """The whole app served by uvicorn on a free port, in a thread with its own loop."""
    app = create_app(kcc_settings(settings, oidc_provider.issuer))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await asyncio.to_thread(thread.join, 10)


def _at(server: str, autorisatie: dict[str, Any]) -> dict[str, Any]:
    """An autorisatie naming its zaaktype at the server's address."""
    zaaktype = str(autorisatie["zaaktype"])
    return {**autorisatie, "zaaktype": server + zaaktype.removeprefix(kl.BASE)}


async def test_employee_journey_without_javascript_and_every_page_accessible(
    server: str, database: Any, oidc_provider: Provider
) -> None:
    from playwright.async_api import async_playwright

    vergunning = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    bijstand = await kf.zaaktype(database, omschrijving="Bijzondere bijstand")
    zaak = await kf.zaak(database, vergunning, stappen=2, omschrijving="Vergunning voor de auto")
    verboden = await kf.zaak(database, bijstand, omschrijving="Aanvraag bijstand")
    partij = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await kl.klantcontact(
        database, "Gebeld over de vergunning", partij=partij, zaak=zaak, basis=server
    )
    await rol(
        database,
        "kcc",
        [
            _at(server, zf.zrc_autorisatie(vergunning, "zaken.lezen", maximum="vertrouwelijk")),
            {"component": "kic", "scopes": ["klantinteracties.lezen"]},
        ],
    )
    oidc_provider.set_user("browser-kcc", {"name": "Karin de Vries", "roles": ["kcc"]})

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = await browser.new_context(java_script_enabled=False, locale="nl-NL")
            page = await context.new_page()
            checker = await (await browser.new_context(locale="nl-NL")).new_page()

            await page.goto(f"{server}/kcc/")
            assert page.url == f"{server}/kcc/inloggen"
            await _axe(checker, page)

            await page.get_by_role("button", name="Inloggen met uw gemeenteaccount").click()
            assert page.url.startswith(oidc_provider.issuer)
            await page.fill("input[name=sub]", "browser-kcc")
            await page.get_by_role("button", name="Authorize").click()
            await page.wait_for_url(f"{server}/kcc/")
            await page.get_by_role("heading", name="Klant opzoeken").wait_for()
            assert await page.get_by_text("Ingelogd als Karin de Vries").is_visible()
            await _axe(checker, page)

            # no purpose chosen: the form comes back with the errors, nothing shown
            await page.get_by_label("Burgerservicenummer (BSN)").fill(kf.BSN_A)
            await page.get_by_role("button", name="Gegevens inzien").click()
            await page.get_by_text("Kies het doel van deze inzage.").first.wait_for()
            assert await page.get_by_text("Vergunning voor de auto").count() == 0
            await _axe(checker, page)

            await page.get_by_label("Burgerservicenummer (BSN)").fill(kf.BSN_A)
            await page.get_by_label("Doel van de inzage").select_option(label=DOEL)
            await page.get_by_role("button", name="Gegevens inzien").click()
            await page.get_by_role("heading", name="Klantbeeld van Suzanne Jansen").wait_for()
            assert kf.BSN_A not in page.url
            assert await page.get_by_text("Gebeld over de vergunning").count() == 1
            assert await page.get_by_text("Aanvraag bijstand").count() == 0
            await _axe(checker, page)

            await page.get_by_role("link", name="Vergunning voor de auto").click()
            await page.wait_for_url(f"{server}/kcc/zaken/{zaak.uuid}")
            assert await page.get_by_text("In behandeling").count() >= 1
            await _axe(checker, page)

            response = await page.goto(f"{server}/kcc/zaken/{verboden.uuid}")
            assert response is not None
            assert response.status == 404
            await page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
            await _axe(checker, page)

            await page.get_by_role("button", name="Uitloggen").click()
            assert page.url.startswith(f"{oidc_provider.issuer}/oauth2/end_session")
            await page.get_by_role("button", name="End session").click()
            await page.wait_for_url(f"{server}/kcc/uitgelogd")
            await page.get_by_role("heading", name="U bent uitgelogd").wait_for()
            await _axe(checker, page)

            await page.goto(f"{server}/kcc/")
            assert page.url == f"{server}/kcc/inloggen"
        finally:
            await browser.close()


async def test_the_no_access_page_is_accessible(
    server: str, database: Any, oidc_provider: Provider
) -> None:
    from playwright.async_api import async_playwright

    oidc_provider.set_user("browser-geen", {"name": "Zonder Rol"})
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = await (await browser.new_context(java_script_enabled=False)).new_page()
            checker = await (await browser.new_context(locale="nl-NL")).new_page()
            await page.goto(f"{server}/kcc/inloggen")
            await page.get_by_role("button", name="Inloggen met uw gemeenteaccount").click()
            await page.fill("input[name=sub]", "browser-geen")
            await page.get_by_role("button", name="Authorize").click()
            await page.get_by_role("heading", name="Geen toegang").wait_for()
            await _axe(checker, page)
        finally:
            await browser.close()


async def test_search_by_kvk_and_by_name_and_a_download_without_javascript_all_accessible(
    server: str,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    import httpx
    from playwright.async_api import async_playwright

    from tests.documenten import factories as df

    vergunning = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    brief = await kf.documenttype(database, vergunning, omschrijving="Besluitbrief")
    zaak = await kf.zaak(database, vergunning, stappen=2, omschrijving="Vergunning voor de auto")
    async with httpx.AsyncClient(base_url=server) as api:
        await kf.document(api, superuser, brief, zaak, inhoud=b"%PDF-1.4 besluit", basis=server)
    await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await kl.persoon(database, kf.BSN_B, "Piet", "Jansen", geheim=True)  # data kept secret
    await kl.organisatie(database, kf.KVK, "Jansen Bouw B.V.")
    documenten = df.drc_autorisatie(brief, "documenten.lezen", maximum="vertrouwelijk")
    documenten["informatieobjecttype"] = server + str(
        documenten["informatieobjecttype"]
    ).removeprefix(kl.BASE)
    await rol(
        database,
        "kcc",
        [
            _at(server, zf.zrc_autorisatie(vergunning, "zaken.lezen", maximum="vertrouwelijk")),
            documenten,
            {"component": "kic", "scopes": ["klantinteracties.lezen"]},
        ],
    )
    oidc_provider.set_user("browser-zoeken", {"name": "Karin de Vries", "roles": ["kcc"]})

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = await browser.new_context(
                java_script_enabled=False, locale="nl-NL", accept_downloads=True
            )
            page = await context.new_page()
            checker = await (await browser.new_context(locale="nl-NL")).new_page()
            await page.goto(f"{server}/kcc/inloggen")
            await page.get_by_role("button", name="Inloggen met uw gemeenteaccount").click()
            await page.fill("input[name=sub]", "browser-zoeken")
            await page.get_by_role("button", name="Authorize").click()
            await page.wait_for_url(f"{server}/kcc/")

            # by KvK-nummer: a wrong number, then the business's view
            await page.get_by_role("link", name="Zoeken op KvK-nummer").click()
            await page.get_by_role("heading", name="Zoeken op KvK-nummer").wait_for()
            await _axe(checker, page)
            await page.get_by_label("KvK-nummer").fill("1234")
            await page.get_by_label("Doel van de inzage").select_option(label=DOEL)
            await page.get_by_role("button", name="Gegevens inzien").click()
            await page.get_by_text("Een KvK-nummer bestaat uit 8 cijfers.").first.wait_for()
            await _axe(checker, page)
            await page.get_by_label("KvK-nummer").fill(kf.KVK)
            await page.get_by_role("button", name="Gegevens inzien").click()
            await page.get_by_role("heading", name="Klantbeeld van Jansen Bouw B.V.").wait_for()
            assert kf.KVK not in page.url
            await _axe(checker, page)

            # by name: too short, nothing found, then a list to choose from
            await page.get_by_role("link", name="Andere klant opzoeken").click()
            await page.get_by_role("link", name="Zoeken op naam").click()
            await page.get_by_label("Naam", exact=True).fill("J")
            await page.get_by_role("button", name="Zoeken").click()
            await page.get_by_text("Vul ten minste 2 tekens van de naam in.").first.wait_for()
            await _axe(checker, page)
            await page.get_by_label("Naam", exact=True).fill("Pietersen")
            await page.get_by_label("Doel van de inzage").select_option(label=DOEL)
            await page.get_by_role("button", name="Zoeken").click()
            await page.get_by_text("Er is geen persoon of organisatie").wait_for()
            await _axe(checker, page)
            await page.get_by_role("link", name="Opnieuw zoeken op naam").click()
            await page.get_by_label("Naam", exact=True).fill("Jansen")
            await page.get_by_label("Doel van de inzage").select_option(label=DOEL)
            await page.get_by_role("button", name="Zoeken").click()
            await page.get_by_role("table", name="Gevonden personen en organisaties").wait_for()
            assert await page.get_by_role("row").count() == 4
            assert await page.get_by_text("Geheimhouding", exact=True).count() == 1
            assert await page.get_by_text(kf.BSN_B).count() == 0
            await _axe(checker, page)  # with the secrecy notice and mark
            await page.get_by_role("button", name="Gegevens inzien van Suzanne Jansen").click()
            await page.get_by_role("heading", name="Klantbeeld van Suzanne Jansen").wait_for()
            assert kf.BSN_A not in page.url

            # the zaak page's document downloads
            await page.get_by_role("link", name="Vergunning voor de auto").click()
            await page.wait_for_url(f"{server}/kcc/zaken/{zaak.uuid}")
            await _axe(checker, page)
            async with page.expect_download() as started:
                await page.get_by_role("link", name="Besluit op uw aanvraag").click()
            download = await started.value
            assert download.suggested_filename == "besluit.pdf"
            assert Path(await download.path()).read_bytes() == b"%PDF-1.4 besluit"

            # the view of a customer whose data are secret warns the employee
            await page.goto(f"{server}/kcc/?op=naam")
            await page.get_by_label("Naam", exact=True).fill("Piet")
            await page.get_by_label("Doel van de inzage").select_option(label=DOEL)
            await page.get_by_role("button", name="Zoeken").click()
            await page.get_by_role("button", name="Gegevens inzien van Piet Jansen").click()
            await page.get_by_role("heading", name="Klantbeeld van Piet Jansen").wait_for()
            assert await page.get_by_text("De gegevens van deze klant zijn geheim.").count() == 1
            await _axe(checker, page)
        finally:
            await browser.close()
