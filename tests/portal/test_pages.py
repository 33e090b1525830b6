"""MijnGemeente pages through the demo login: what a citizen sees, what they never see, and
the session, CSRF and header rules every page follows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.portal.models import Sessie
from mijnzaken.verwerkingen import schrijver
from mijnzaken.verwerkingen.models import Verwerkingsactie
from tests.klantbeeld import factories as kf
from tests.portal.conftest import csrf_of, demo_login, portal_settings


async def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_pages_need_a_login(client: Any) -> None:
    for path in ("/mijn/", "/mijn/gegevens", "/mijn/inzage", f"/mijn/zaken/{uuid.uuid4()}"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/mijn/inloggen"


async def test_login_page_offers_digid_and_demo_citizens_in_demo_mode(client: Any) -> None:
    page = await client.get("/mijn/inloggen")
    assert page.status_code == 200
    assert "Inloggen met DigiD of eHerkenning" in page.text
    assert "Suzanne Jansen" in page.text
    assert kf.BSN_A not in page.text


async def test_demo_login_does_not_exist_without_demo_mode(
    settings: Settings, database: Any, oidc_provider: Any
) -> None:
    app = create_app(portal_settings(settings, oidc_provider.issuer, demo=False), database)
    async with await _client(app) as client:
        page = await client.get("/mijn/inloggen")
        assert "Testinwoner" not in page.text
        response = await client.post(
            "/mijn/inloggen/demo", data={"csrf_token": csrf_of(page), "burger": "0"}
        )
        assert response.status_code == 404
        assert (await client.get("/mijn/")).status_code == 303


async def test_overview_shows_running_requests_with_current_status(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    await kf.zaak(database, zt, stappen=2, omschrijving="Vergunning voor de auto")
    await kf.zaak(database, zt, stappen=3, afgehandeld=True, omschrijving="Oude vergunning")
    await demo_login(client)
    page = await client.get("/mijn/")
    assert page.status_code == 200
    assert "Mijn overzicht" in page.text
    running, closed = page.text.split("Afgeronde aanvragen")
    assert "Vergunning voor de auto" in running
    assert "In behandeling" in running
    assert "Oude vergunning" in closed
    assert "Toegekend" in closed
    assert "Er zijn geen contactmomenten." in page.text
    assert "Afspraken zijn nog niet beschikbaar" in page.text


async def test_zaak_page_shows_status_timeline_with_statustexts(client: Any, database: Any) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, stappen=2, identificatie="ZAAK-2024-0000000042")
    await demo_login(client)
    page = await client.get(f"/mijn/zaken/{zaak.uuid}")
    assert page.status_code == 200
    assert "ZAAK-2024-0000000042" in page.text
    assert "Een medewerker beoordeelt uw aanvraag." in page.text
    assert 'aria-current="step"' in page.text
    assert "(nog niet bereikt)" in page.text
    assert "Er zijn geen documenten bij deze aanvraag." in page.text


async def test_citizen_never_sees_another_citizens_zaak_not_even_by_its_url(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database)
    theirs = await kf.zaak(database, zt, bsn=kf.BSN_B, omschrijving="Zaak van een ander")
    await demo_login(client, burger=0)
    overview = await client.get("/mijn/")
    assert "Zaak van een ander" not in overview.text
    by_url = await client.get(f"/mijn/zaken/{theirs.uuid}")
    unknown = await client.get(f"/mijn/zaken/{uuid.uuid4()}")
    assert by_url.status_code == unknown.status_code == 404
    assert "Pagina niet gevonden" in by_url.text
    assert by_url.text == unknown.text


@pytest.mark.parametrize(
    ("zaaktype", "zaak", "rol"),
    [
        ({"indicatie_intern_of_extern": "intern"}, {}, "initiator"),
        ({}, {"vertrouwelijkheidaanduiding": "vertrouwelijk"}, "initiator"),
        ({}, {"vertrouwelijkheidaanduiding": "intern"}, "initiator"),
        ({}, {}, "behandelaar"),
        ({}, {}, "adviseur"),
    ],
    ids=["intern-zaaktype", "vertrouwelijk", "intern", "behandelaar-rol", "adviseur-rol"],
)
async def test_citizen_rules_hide_what_is_not_for_citizens(
    client: Any, database: Any, zaaktype: dict[str, Any], zaak: dict[str, Any], rol: str
) -> None:
    zt = await kf.zaaktype(database, **zaaktype)
    hidden = await kf.zaak(database, zt, rol=rol, omschrijving="Niet voor de inwoner", **zaak)
    await demo_login(client)
    assert "Niet voor de inwoner" not in (await client.get("/mijn/")).text
    assert (await client.get(f"/mijn/zaken/{hidden.uuid}")).status_code == 404


@pytest.mark.parametrize("rol", ["initiator", "belanghebbende", "mede_initiator"])
async def test_citizen_sees_zaken_in_each_of_the_default_roles(
    client: Any, database: Any, rol: str
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, rol=rol, omschrijving=f"Zaak als {rol}")
    await kf.zaak(
        database,
        zt,
        rol=rol,
        omschrijving="Beperkt openbaar",
        vertrouwelijkheidaanduiding="beperkt_openbaar",
    )
    await demo_login(client)
    page = (await client.get("/mijn/")).text
    assert f"Zaak als {rol}" in page
    assert "Beperkt openbaar" in page


async def test_citizen_rules_are_configurable(
    settings: Settings, database: Any, oidc_provider: Any
) -> None:
    zt = await kf.zaaktype(database, indicatie_intern_of_extern="intern")
    await kf.zaak(
        database,
        zt,
        omschrijving="Vertrouwelijke zaak",
        vertrouwelijkheidaanduiding="vertrouwelijk",
    )
    app = create_app(
        portal_settings(
            settings,
            oidc_provider.issuer,
            klantbeeld_max_vertrouwelijkheid="vertrouwelijk",
            klantbeeld_zaaktype_extern=False,
        ),
        database,
    )
    async with await _client(app) as client:
        await demo_login(client)
        assert "Vertrouwelijke zaak" in (await client.get("/mijn/")).text


async def test_mijn_gegevens_shows_the_login_and_offers_to_add_contact_data(client: Any) -> None:
    await demo_login(client)
    page = await client.get("/mijn/gegevens")
    assert page.status_code == 200
    assert "Burgerservicenummer" in page.text
    assert kf.BSN_A in page.text
    assert "Wij hebben nog geen e-mailadres of telefoonnummer van u." in page.text
    assert "E-mailadres of telefoonnummer toevoegen" in page.text
    assert "Standaard (alle berichten)" in page.text


async def test_processing_log_page_shows_the_views_of_the_citizens_data(client: Any) -> None:
    await demo_login(client)
    first = await client.get("/mijn/inzage")
    assert first.status_code == 200
    assert "Wie heeft mijn gegevens ingezien" in first.text
    assert "Er zijn nog geen inzages vastgelegd." in first.text
    assert (await client.get("/mijn/")).status_code == 200
    page = await client.get("/mijn/inzage")
    # the overview and the first visit of this page are there, as the citizen's own views
    assert "klantbeeld inzien" in page.text
    assert "verwerkingen inzien" in page.text
    assert "U zelf" in page.text
    assert "Er zijn nog geen inzages vastgelegd." not in page.text
    assert kf.BSN_A not in page.text


async def test_a_page_view_is_logged_by_the_writer_before_the_page_arrives(
    client: Any, database: Any
) -> None:
    await demo_login(client)
    async with schrijver.running(database) as writer:
        before = writer.entries
        page = await client.get("/mijn/")
        assert page.status_code == 200
        assert writer.entries == before + 1
    async with database.transaction() as session:
        [entry] = (await session.execute(select(Verwerkingsactie))).scalars()
    assert (entry.actie_naam, entry.systeem) == ("klantbeeld inzien", "MijnGemeente")


async def test_a_page_whose_log_entry_cannot_be_stored_is_not_shown(
    client: Any, database: Any
) -> None:
    zaak = await kf.zaak(database, await kf.zaaktype(database), omschrijving="Dakkapel")
    await demo_login(client)
    assert "Dakkapel" in (await client.get(f"/mijn/zaken/{zaak.uuid}")).text
    async with database.engine.begin() as conn:
        await conn.execute(
            text("ALTER TABLE verwerkingen_verwerktobject RENAME TO verwerktobject_weg")
        )
    try:
        page = await client.get(f"/mijn/zaken/{zaak.uuid}")
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(
                text("ALTER TABLE verwerktobject_weg RENAME TO verwerkingen_verwerktobject")
            )
    assert page.status_code == 503
    assert "Door een storing kunnen we deze pagina nu niet tonen." in page.text
    assert "Dakkapel" not in page.text
    assert kf.BSN_A not in page.text


async def test_processing_log_page_does_not_show_another_citizens_entries(
    client: Any, database: Any
) -> None:
    from mijnzaken.verwerkingen import service as verwerkingen

    async with database.transaction() as session:
        verwerkingen.log(
            session,
            activiteit="dossier van een ander ingezien",
            betrokkenen=[verwerkingen.Betrokkene("BSN", kf.BSN_B)],
            systeem="zaaksysteem",
        )
    await demo_login(client)
    page = await client.get("/mijn/inzage")
    assert "dossier van een ander ingezien" not in page.text


async def test_logout_ends_the_session(client: Any) -> None:
    await demo_login(client)
    overview = await client.get("/mijn/")
    response = await client.post("/mijn/uitloggen", data={"csrf_token": csrf_of(overview)})
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn/uitgelogd"
    assert (await client.get("/mijn/uitgelogd")).status_code == 200
    assert (await client.get("/mijn/")).status_code == 303


async def test_logout_without_csrf_token_is_refused(client: Any) -> None:
    await demo_login(client)
    for data in ({}, {"csrf_token": "forged"}):
        response = await client.post("/mijn/uitloggen", data=data)
        assert response.status_code == 400
    assert (await client.get("/mijn/")).status_code == 200


async def test_login_forms_without_csrf_token_are_refused(client: Any) -> None:
    await client.get("/mijn/inloggen")
    assert (await client.post("/mijn/inloggen/demo", data={"burger": "0"})).status_code == 400
    assert (await client.post("/mijn/inloggen/oidc", data={})).status_code == 400
    assert (await client.get("/mijn/")).status_code == 303


async def test_session_ends_after_15_idle_minutes(client: Any, database: Any) -> None:
    await demo_login(client)
    assert (await client.get("/mijn/")).status_code == 200
    async with database.transaction() as session:
        await session.execute(
            update(Sessie).values(laatst_actief=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
        )
    response = await client.get("/mijn/")
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn/inloggen?verlopen=1"
    assert "automatisch uitgelogd" in (await client.get("/mijn/inloggen?verlopen=1")).text


async def test_session_stays_alive_while_used(client: Any, database: Any) -> None:
    await demo_login(client)
    async with database.transaction() as session:
        await session.execute(
            update(Sessie).values(laatst_actief=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=14))
        )
    assert (await client.get("/mijn/")).status_code == 200
    async with database.transaction() as session:
        moment = (await session.execute(select(Sessie.laatst_actief))).scalar_one()
    assert dt.datetime.now(dt.UTC) - moment < dt.timedelta(minutes=1)


async def test_every_page_carries_the_security_headers(client: Any, database: Any) -> None:
    await demo_login(client)
    for path in ("/mijn/inloggen", "/mijn/", "/mijn/gegevens", "/mijn/inzage", "/mijn/nergens"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp, path
        assert "default-src 'none'" in csp
        assert "script-src" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


async def test_cookies_are_secure_httponly_and_samesite(
    settings: Settings, database: Any, oidc_provider: Any
) -> None:
    app = create_app(
        portal_settings(settings, oidc_provider.issuer, portal_secure_cookies=True), database
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as client:
        page = await client.get("/mijn/inloggen")
        csrf_cookie = page.headers["set-cookie"]
        response = await client.post(
            "/mijn/inloggen/demo", data={"csrf_token": csrf_of(page), "burger": "0"}
        )
        session_cookie = response.headers["set-cookie"]
        assert response.headers["strict-transport-security"].startswith("max-age=")
    for cookie in (csrf_cookie, session_cookie):
        assert cookie.startswith("__Host-")
        lowered = cookie.lower()
        assert "; secure" in lowered
        assert "; httponly" in lowered
        assert "samesite=lax" in lowered
        assert "path=/" in lowered
    assert kf.BSN_A not in session_cookie


async def test_no_bsn_in_any_url_the_portal_sends_the_browser_to(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt)
    login = await demo_login(client)
    assert kf.BSN_A not in login.headers["location"]
    for path in ("/mijn/", "/mijn/inzage"):
        page = await client.get(path)
        for href in httpx.Response(200, text=page.text).text.split('href="')[1:]:
            assert kf.BSN_A not in href.split('"')[0]


async def test_text_from_the_registers_is_escaped_in_the_pages(client: Any, database: Any) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, omschrijving='<img src=x onerror="alert(1)">')
    await demo_login(client)
    for path in ("/mijn/", f"/mijn/zaken/{zaak.uuid}"):
        page = (await client.get(path)).text
        assert "<img src=x" not in page
        assert "&lt;img src=x" in page
