"""MijnGemeente in a real browser: headless Chromium (Debian's), driven by Playwright, with
JavaScript switched off as a citizen may have it, through login at the OpenID provider,
overview, zaak detail with a document download, another citizen's zaak, Mijn gegevens, the
processing log and logout.
Every page of the portal passes axe-core's WCAG 2.1 A and AA rules without a violation."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.verwerkingen import service as verwerkingen
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.oidc_provider import Provider
from tests.portal.conftest import portal_settings

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and AXE.exists()),
    reason="needs Debian's chromium and axe-core (make installs it with npm ci)",
)


@pytest.fixture
async def server(settings: Settings, oidc_provider: Provider) -> AsyncIterator[str]:
    """The whole app served by uvicorn on a free port, in a thread with its own loop and
    its own database engine."""
    app = create_app(portal_settings(settings, oidc_provider.issuer, demo=False))
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


async def _axe(checker: Any, page: Any) -> None:
    """Zero WCAG 2.1 A/AA violations on `page` as the citizen sees it now.

    The journey runs without JavaScript, and axe-core is JavaScript: the page as rendered is
    replayed at its own URL in `checker`, a tab with JavaScript on, where its stylesheets load
    from the server as usual and axe runs."""
    html, url = await page.content(), page.url

    async def replay(route: Any) -> None:
        await route.fulfill(body=html, content_type="text/html; charset=utf-8")

    await checker.route(url, replay)
    try:
        await checker.goto(url)
        await checker.evaluate(AXE.read_text())
        result = await checker.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
    finally:
        await checker.unroute(url, replay)
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"]
    ]
    assert violations == [], f"{page.url}: {violations}"


async def test_citizen_journey_without_javascript_and_every_page_accessible(
    server: str, database: Any, oidc_provider: Provider, superuser: dict[str, str]
) -> None:
    from playwright.async_api import async_playwright

    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    mine = await kf.zaak(database, zt, stappen=2, omschrijving="Vergunning voor de auto")
    iot = await kf.documenttype(database, zt)
    inhoud = b"%PDF-1.4 " + bytes(range(256)) * 40
    async with httpx.AsyncClient(base_url=server) as api:
        await kf.document(api, superuser, iot, mine, inhoud=inhoud, basis=server)
        await kf.document(
            api, superuser, iot, mine, titel="Concept", status="in_bewerking", basis=server
        )
    await kf.zaak(database, zt, stappen=3, afgehandeld=True, omschrijving="Oude vergunning")
    theirs = await kf.zaak(database, zt, bsn=kf.BSN_B, omschrijving="Zaak van de buren")
    oidc_provider.set_user("browser-a", {"bsn": kf.BSN_A, "acr": "substantieel"})
    async with database.transaction() as session:  # enough earlier entries for two pages
        for i in range(60):
            verwerkingen.log(
                session,
                activiteit=f"Raadpleging {i:02d}",
                betrokkenen=[verwerkingen.Betrokkene("BSN", kf.BSN_A)],
                systeem="Zaaksysteem",
                tijdstip=dt.datetime(2026, 1, 5, tzinfo=dt.UTC) + dt.timedelta(hours=i),
            )

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = await browser.new_context(java_script_enabled=False, locale="nl-NL")
            page = await context.new_page()
            checker = await (await browser.new_context(locale="nl-NL")).new_page()
            await checker.set_content('<html><body><img src="x.png"></body></html>')
            await checker.evaluate(AXE.read_text())
            broken = await checker.evaluate("() => axe.run(document)")
            assert {v["id"] for v in broken["violations"]} >= {"image-alt", "html-has-lang"}

            await page.goto(f"{server}/mijn/")
            assert page.url == f"{server}/mijn/inloggen"
            await _axe(checker, page)

            await page.get_by_role("button", name="Inloggen met DigiD of eHerkenning").click()
            assert page.url.startswith(oidc_provider.issuer)
            await page.fill("input[name=sub]", "browser-a")
            await page.get_by_role("button", name="Authorize").click()
            await page.wait_for_url(f"{server}/mijn/")
            await page.get_by_role("heading", name="Mijn overzicht").wait_for()
            assert await page.get_by_text("Vergunning voor de auto").is_visible()
            assert await page.get_by_text("Zaak van de buren").count() == 0
            await _axe(checker, page)

            await page.get_by_role("link", name="Vergunning voor de auto").click()
            await page.wait_for_url(f"{server}/mijn/zaken/{mine.uuid}")
            assert await page.get_by_text("Een medewerker beoordeelt uw aanvraag.").is_visible()
            assert await page.get_by_text("Concept").count() == 0
            await _axe(checker, page)
            async with page.expect_download() as started:
                await page.get_by_role("link", name="Besluit op uw aanvraag").click()
            download = await started.value
            assert download.suggested_filename == "besluit.pdf"
            assert Path(await download.path()).read_bytes() == inhoud

            response = await page.goto(f"{server}/mijn/zaken/{theirs.uuid}")
            assert response is not None
            assert response.status == 404
            assert await page.get_by_role("heading", name="Pagina niet gevonden").is_visible()
            await _axe(checker, page)

            await page.get_by_role("link", name="Mijn gegevens", exact=True).click()
            await page.get_by_role("heading", name="Mijn gegevens", level=1).wait_for()
            assert await page.get_by_text("substantieel").is_visible()
            await _axe(checker, page)

            await page.get_by_role("link", name="Wie heeft mijn gegevens ingezien").click()
            await page.get_by_role("heading", name="Wie heeft mijn gegevens ingezien").wait_for()
            assert await page.get_by_text("document downloaden").count() == 1
            assert await page.get_by_text("Pagina 1 van 2").count() >= 1
            await _axe(checker, page)
            await page.get_by_role("link", name="Volgende pagina").click()
            await page.wait_for_url(f"{server}/mijn/inzage?pagina=2")
            assert await page.get_by_text("Raadpleging 00").count() == 1
            await _axe(checker, page)

            await page.get_by_role("button", name="Uitloggen").click()
            assert page.url.startswith(f"{oidc_provider.issuer}/oauth2/end_session")
            await page.get_by_role("button", name="End session").click()
            await page.wait_for_url(f"{server}/mijn/uitgelogd")
            await page.get_by_role("heading", name="U bent uitgelogd").wait_for()
            await _axe(checker, page)

            await page.goto(f"{server}/mijn/")
            assert page.url == f"{server}/mijn/inloggen"
        finally:
            await browser.close()


async def test_confirming_a_new_email_and_choosing_it_without_javascript_accessible(
    server: str, database: Any, oidc_provider: Provider
) -> None:
    from playwright.async_api import async_playwright

    from mijnzaken.berichten import service as berichten

    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    zaak = await kf.zaak(database, zt, stappen=2, omschrijving="Vergunning voor de auto")
    partij = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await kl.klantcontact(
        database, "Gebeld over de vergunning", partij=partij, zaak=zaak, basis=server
    )
    oidc_provider.set_user("browser-g", {"bsn": kf.BSN_A, "acr": "substantieel"})

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            context = await browser.new_context(java_script_enabled=False, locale="nl-NL")
            page = await context.new_page()
            checker = await (await browser.new_context(locale="nl-NL")).new_page()
            await page.goto(f"{server}/mijn/inloggen")
            await page.get_by_role("button", name="Inloggen met DigiD of eHerkenning").click()
            await page.fill("input[name=sub]", "browser-g")
            await page.get_by_role("button", name="Authorize").click()
            await page.wait_for_url(f"{server}/mijn/")
            assert await page.get_by_text("Gebeld over de vergunning").is_visible()

            await page.get_by_role("link", name="Vergunning voor de auto").click()
            await page.wait_for_url(f"{server}/mijn/zaken/{zaak.uuid}")
            assert await page.get_by_text("Gebeld over de vergunning").is_visible()

            await page.get_by_role("link", name="Mijn gegevens", exact=True).click()
            await page.get_by_role("heading", name="Mijn gegevens", level=1).wait_for()
            assert await page.get_by_text("Suzanne Jansen").is_visible()
            await page.get_by_label("E-mailadres of telefoonnummer").fill("geen-adres")
            await page.get_by_role("button", name="Toevoegen en code sturen").click()
            await page.get_by_role("alert").wait_for()
            assert "Vul een geldig e-mailadres in" in await page.get_by_role("alert").inner_text()
            await _axe(checker, page)

            await page.get_by_label("E-mailadres of telefoonnummer").fill("suzanne@example.nl")
            await page.get_by_role("button", name="Toevoegen en code sturen").click()
            await page.get_by_role("heading", name="Bevestig uw e-mailadres").wait_for()
            await _axe(checker, page)
            async with database.transaction() as session:
                [bericht] = await berichten.lijst(session)
            code = next(w.strip(".") for w in bericht.tekst.split() if w.strip(".").isdigit())
            await page.get_by_label("Code").fill("000000" if code != "000000" else "111111")
            await page.get_by_role("button", name="Bevestigen").click()
            await page.get_by_role("alert").wait_for()
            assert "De code klopt niet" in await page.get_by_role("alert").inner_text()
            await _axe(checker, page)
            await page.get_by_label("Code").fill(code)
            await page.get_by_role("button", name="Bevestigen").click()
            await page.get_by_role("status").wait_for()
            assert "is bevestigd" in await page.get_by_role("status").inner_text()

            keuze = page.get_by_label("Parkeervergunning bewoners")
            await keuze.select_option(label="Per e-mail naar suzanne@example.nl")
            await page.get_by_role("button", name="Opslaan voor Parkeervergunning bewoners").click()
            await page.get_by_role("status").wait_for()
            assert "Uw voorkeur is opgeslagen." in await page.get_by_role("status").inner_text()
            assert await page.get_by_text("Nu: Per e-mail naar suzanne@example.nl").is_visible()
            await _axe(checker, page)

            await page.get_by_role("link", name="Wijzig suzanne@example.nl").click()
            await page.get_by_role("heading", name="Wijzig uw e-mailadres").wait_for()
            await page.get_by_label("Nieuw e-mailadres").fill("suzanne@")
            await page.get_by_role("button", name="Opslaan en code sturen").click()
            await page.get_by_role("alert").wait_for()
            assert "Vul een geldig e-mailadres in" in await page.get_by_role("alert").inner_text()
            await _axe(checker, page)
        finally:
            await browser.close()
