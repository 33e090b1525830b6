"""The employee viewer: login at the identity provider with roles, the rights of the roles
(a union, nothing without a role), the look-up by BSN for a stated purpose, the view within
the rights, and exactly one processing-log entry per look-up that the citizen can read."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.portal.models import Sessie
from mijnzaken.verwerkingen.models import VerwerktObject
from tests.documenten import factories as df
from tests.kcc.conftest import DOEL, csrf_of, inzien, kcc_settings, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.oidc_provider import Provider
from tests.statements import run_counted
from tests.zaken import factories as zf

MEDEWERKER = {"name": "Karin de Vries", "roles": ["kcc"]}


def _zaken(zt: Any, maximum: str = "vertrouwelijk") -> dict[str, Any]:
    return zf.zrc_autorisatie(zt, "zaken.lezen", maximum=maximum)


async def test_pages_need_a_login(client: httpx.AsyncClient) -> None:
    for path in ("/kcc/", f"/kcc/zaken/{uuid.uuid4()}"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/kcc/inloggen"
    page = await client.get("/kcc/inloggen")
    assert page.status_code == 200
    assert "Inloggen met uw gemeenteaccount" in page.text
    assert "testmedewerker" not in page.text  # no demo login without demo mode
    demo = await client.post("/kcc/inloggen/demo", data={"csrf_token": csrf_of(page)})
    assert demo.status_code == 404


async def test_login_at_the_identity_provider_with_a_roles_claim(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [_zaken(zt)])
    back = await login(client, oidc_provider, "mw-login", MEDEWERKER)
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/kcc/"
    page = await client.get("/kcc/")
    assert page.status_code == 200
    assert "Klant opzoeken" in page.text
    assert "Karin de Vries" in page.text
    assert "Uw rol: kcc." in page.text
    # the same headers as the portal: no scripts, no framing, no caching
    assert "script-src" not in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"


async def test_the_roles_claim_path_is_a_setting(
    settings: Settings, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "behandelaar", [_zaken(zt)])
    app = create_app(
        kcc_settings(
            settings,
            oidc_provider.issuer,
            kcc_oidc_rollen_claim="realm_access.roles",
            kcc_oidc_gebruiker_claim="preferred_username",
        ),
        database,
    )
    claims = {"preferred_username": "jdijk", "realm_access": {"roles": ["behandelaar"]}}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await login(client, oidc_provider, "mw-claim", claims)
        assert (await inzien(client, kf.BSN_A)).status_code == 200
    [entry] = await logboek.acties(database)
    assert entry.gebruiker == "jdijk"
    assert "behandelaar" in entry.actor_weergave


async def test_no_role_or_an_unknown_role_gives_the_403_page(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt)
    await rol(database, "kcc", [_zaken(zt)])
    await login(client, oidc_provider, "mw-geen", {"name": "Zonder Rol"})
    page = await client.get("/kcc/")
    assert page.status_code == 403
    assert "Geen toegang" in page.text
    assert "Uitloggen" in page.text
    out = await client.post("/kcc/uitloggen", data={"csrf_token": csrf_of(page)})
    assert out.status_code == 303
    await login(client, oidc_provider, "mw-onbekend", {"roles": ["stagiair"]})
    page = await client.get("/kcc/")
    assert page.status_code == 403
    looked = await client.post(
        "/kcc/inzien", data={"csrf_token": csrf_of(page), "bsn": kf.BSN_A, "doel": DOEL}
    )
    assert looked.status_code == 403
    assert await logboek.acties(database) == []


async def test_rights_are_the_union_of_the_roles_and_nothing_else_is_shown(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    vergunning = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    bijstand = await kf.zaaktype(database, omschrijving="Bijzondere bijstand")
    melding = await kf.zaaktype(database, omschrijving="Melding openbare ruimte")
    await kf.zaak(database, vergunning, omschrijving="Vergunning auto", stappen=2)
    await kf.zaak(database, bijstand, omschrijving="Bijstand aanvraag")
    await kf.zaak(database, melding, omschrijving="Losse stoeptegel")
    await kf.zaak(
        database,
        vergunning,
        omschrijving="Geheim dossier",
        vertrouwelijkheidaanduiding="geheim",
    )
    # an intern zaaktype: a citizen never sees it, an employee whose role allows it does
    intern = await kf.zaaktype(
        database, omschrijving="Interne toets", indicatie_intern_of_extern="intern"
    )
    await kf.zaak(database, intern, omschrijving="Interne zaak")
    brief = await kf.documenttype(database, vergunning, omschrijving="Besluitbrief")
    notitie = await kf.documenttype(database, vergunning, omschrijving="Interne notitie")
    zaak = await kf.zaak(database, vergunning, omschrijving="Met documenten")
    await kf.document(client, superuser, brief, zaak, titel="Besluit parkeervergunning")
    await kf.document(client, superuser, notitie, zaak, titel="Notitie behandelaar")
    await kf.document(
        client, superuser, brief, zaak, titel="Concept besluit", status="in_bewerking"
    )
    await rol(
        database,
        "vergunningen",
        [
            _zaken(vergunning),
            _zaken(intern),
            df.drc_autorisatie(brief, "documenten.lezen", maximum="vertrouwelijk"),
        ],
    )
    await rol(database, "sociaal", [_zaken(bijstand)])

    await login(client, oidc_provider, "mw-een", {"roles": ["vergunningen"]})
    een = await inzien(client, kf.BSN_A)
    assert een.status_code == 200
    assert "Vergunning auto" in een.text
    assert "Interne zaak" in een.text
    assert "Bijstand aanvraag" not in een.text
    assert "Losse stoeptegel" not in een.text
    assert "Geheim dossier" not in een.text  # above the role's maximum
    assert "Besluit parkeervergunning" in een.text
    assert "Concept besluit" in een.text  # the role's rights decide, not the citizen rules
    assert "Notitie behandelaar" not in een.text  # an informatieobjecttype outside the role

    await login(client, oidc_provider, "mw-beide", {"roles": ["vergunningen", "sociaal"]})
    beide = await inzien(client, kf.BSN_A)
    assert "Vergunning auto" in beide.text
    assert "Bijstand aanvraag" in beide.text
    assert "Losse stoeptegel" not in beide.text
    assert "Geheim dossier" not in beide.text
    assert "Uw rollen: vergunningen, sociaal." in beide.text


async def test_a_zaak_outside_the_roles_is_not_shown_by_its_url_either(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    vergunning = await kf.zaaktype(database)
    bijstand = await kf.zaaktype(database, omschrijving="Bijzondere bijstand")
    toegestaan = await kf.zaak(database, vergunning, stappen=2, omschrijving="Mag wel")
    verboden = await kf.zaak(database, bijstand, omschrijving="Mag niet")
    te_geheim = await kf.zaak(
        database, vergunning, omschrijving="Te geheim", vertrouwelijkheidaanduiding="geheim"
    )
    van_ander = await kf.zaak(database, vergunning, bsn=kf.BSN_B, omschrijving="Van een ander")
    await rol(database, "kcc", [_zaken(vergunning)])
    await login(client, oidc_provider, "mw-url", MEDEWERKER)
    # before any look-up there is no citizen to show a zaak of
    early = await client.get(f"/kcc/zaken/{toegestaan.uuid}")
    assert early.status_code == 303
    assert (await inzien(client, kf.BSN_A)).status_code == 200
    page = await client.get(f"/kcc/zaken/{toegestaan.uuid}")
    assert page.status_code == 200
    assert "Mag wel" in page.text
    assert "In behandeling" in page.text
    assert DOEL in page.text
    for hidden in (verboden, te_geheim, van_ander):
        response = await client.get(f"/kcc/zaken/{hidden.uuid}")
        assert response.status_code == 404
        assert hidden.omschrijving not in response.text
    assert (await client.get("/kcc/zaken/geen-uuid")).status_code == 404
    # one entry per page that showed data: the look-up and the one zaak shown
    entries = await logboek.acties(database)
    assert sorted(e.actie_naam for e in entries) == ["klantbeeld inzien", "zaak inzien"]
    assert all(e.grondslag == DOEL for e in entries)


async def test_a_purpose_from_the_list_is_required_before_anything_is_shown(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, omschrijving="Vergunning auto")
    await rol(database, "kcc", [_zaken(zt)])
    await login(client, oidc_provider, "mw-doel", MEDEWERKER)
    page = await client.get("/kcc/")
    for doel in ("Beantwoorden klantvraag", "Behandelen aanvraag"):
        assert f">{doel}</option>" in page.text
    for doel in (None, "", "Nieuwsgierigheid"):
        response = await inzien(client, kf.BSN_A, doel)
        assert response.status_code == 400
        assert "Kies het doel van deze inzage." in response.text
        assert "Vergunning auto" not in response.text
    assert await logboek.acties(database) == []


async def test_the_purposes_are_a_setting(
    settings: Settings, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [_zaken(zt)])
    app = create_app(
        kcc_settings(settings, oidc_provider.issuer, kcc_doelen="Bezwaar behandelen; Klacht"),
        database,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await login(client, oidc_provider, "mw-doelen", MEDEWERKER)
        assert (await inzien(client, kf.BSN_A, DOEL)).status_code == 400
        assert (await inzien(client, kf.BSN_A, "Klacht")).status_code == 200
    [entry] = await logboek.acties(database)
    assert entry.grondslag == "Klacht"


@pytest.mark.parametrize(
    ("bsn", "melding"),
    [
        ("", "Vul het burgerservicenummer (BSN) in."),
        ("12345", "Een burgerservicenummer bestaat uit 9 cijfers."),
        ("99999365a", "Een burgerservicenummer bestaat uit 9 cijfers."),
        ("999993654", "Dit is geen geldig burgerservicenummer: controleer de cijfers."),
    ],
)
async def test_a_wrong_bsn_gets_a_clear_dutch_error_without_the_number(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, bsn: str, melding: str
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [_zaken(zt)])
    await login(client, oidc_provider, "mw-bsn", MEDEWERKER)
    response = await inzien(client, bsn)
    assert response.status_code == 400
    assert melding in response.text
    if bsn:
        assert bsn not in response.text
    assert 'aria-invalid="true"' in response.text


async def test_the_bsn_never_appears_in_a_url_or_a_log_line(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    caplog: pytest.LogCaptureFixture,
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt)
    await rol(database, "kcc", [_zaken(zt)])
    caplog.set_level(logging.DEBUG)
    urls: list[str] = []

    async def record(response: httpx.Response) -> None:
        urls.append(str(response.request.url))
        urls.append(response.headers.get("location", ""))

    client.event_hooks["response"].append(record)
    await login(client, oidc_provider, "mw-privacy", MEDEWERKER)
    await inzien(client, kf.BSN_A)
    await client.get(f"/kcc/zaken/{zaak.uuid}")
    await inzien(client, "999993654")  # a wrong one: its error page
    await client.get(f"/kcc/zaken/{uuid.uuid4()}")
    assert urls
    assert not [u for u in urls if kf.BSN_A in u or "999993654" in u]
    logboek.geen_nummer_gelogd(caplog, (kf.BSN_A, "999993654"))


async def test_one_log_entry_per_look_up_naming_employee_roles_and_purpose(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt)
    partij = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await kl.adres(database, partij, "suzanne@example.nl")
    await kl.klantcontact(database, "Vraag over de vergunning", partij=partij, zaak=zaak)
    await rol(
        database,
        "kcc",
        [_zaken(zt), {"component": "kic", "scopes": ["klantinteracties.lezen"]}],
    )
    await rol(database, "balie", [_zaken(zt, "openbaar")])
    await login(client, oidc_provider, "mw-log", {"name": "Karin", "roles": ["kcc", "balie"]})
    page = await inzien(client, kf.BSN_A)
    assert page.status_code == 200
    assert "suzanne@example.nl" in page.text
    assert "Vraag over de vergunning" in page.text
    [entry] = await logboek.acties(database)
    assert entry.actie_naam == "klantbeeld inzien"
    assert entry.gebruiker == "mw-log"
    assert entry.systeem == "MijnZaken KCC"
    assert entry.grondslag == DOEL
    assert entry.actor_weergave == "Medewerker van de gemeente (rollen: kcc, balie)"
    async with database.transaction() as session:
        [obj] = (
            await session.execute(
                select(VerwerktObject).where(VerwerktObject.actie_versie_id == entry.id)
            )
        ).scalars()
    assert obj.object_id == kf.BSN_A
    shown = {g["soortGegeven"] for g in obj.soorten_gegevens}
    assert f"zaak:{zaak.uuid}" in shown
    assert {"sectie:gegevens", "sectie:contactmomenten"} <= shown
    # a second look-up is a second entry; a page without data (the form) is none
    await client.get("/kcc/")
    await inzien(client, kf.BSN_A, "Behandelen aanvraag")
    assert len(await logboek.acties(database)) == 2
    assert await logboek.acties(database, kf.BSN_B) == []


async def test_the_citizen_sees_the_employee_look_up_on_their_processing_log_page(
    settings: Settings, database: Any, oidc_provider: Provider
) -> None:
    from tests.portal.conftest import demo_login

    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt)
    await rol(database, "klantcontactcentrum", [_zaken(zt)])
    app = create_app(kcc_settings(settings, oidc_provider.issuer, demo=True), database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        login_page = await client.get("/kcc/inloggen")
        assert "Inloggen als testmedewerker" in login_page.text
        demo = await client.post("/kcc/inloggen/demo", data={"csrf_token": csrf_of(login_page)})
        assert demo.status_code == 303
        assert (await inzien(client, kf.BSN_A)).status_code == 200
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as citizen:
        await demo_login(citizen)
        page = await citizen.get("/mijn/inzage")
    assert "Medewerker van de gemeente (rol: klantcontactcentrum)" in page.text
    assert "klantbeeld inzien" in page.text
    assert DOEL in page.text
    assert "demo-medewerker" not in page.text  # the employee's user id stays in the log


async def test_forms_need_the_session_csrf_token_and_logout_ends_the_session(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [_zaken(zt)])
    await login(client, oidc_provider, "mw-csrf", MEDEWERKER)
    forged = await client.post(
        "/kcc/inzien", data={"csrf_token": "fout", "bsn": kf.BSN_A, "doel": DOEL}
    )
    assert forged.status_code == 400
    assert await logboek.acties(database) == []
    page = await client.get("/kcc/")
    out = await client.post("/kcc/uitloggen", data={"csrf_token": csrf_of(page)})
    assert out.status_code == 303
    assert out.headers["location"].startswith(f"{oidc_provider.issuer}/oauth2/end_session")
    assert (await client.get("/kcc/")).status_code == 303


async def test_a_citizen_session_cookie_is_no_employee_login(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, settings: Settings
) -> None:
    from tests.portal.conftest import demo_login

    app = create_app(kcc_settings(settings, oidc_provider.issuer, demo=True), database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as browser:
        await demo_login(browser)
        token = browser.cookies.get("mijngemeente")
        assert token
        browser.cookies.set("mijnzaken-kcc", token)
        response = await browser.get("/kcc/")
    assert response.status_code == 303
    assert response.headers["location"] == "/kcc/inloggen"


async def test_the_demo_employee_sees_a_demo_citizens_zaken(
    settings: Settings, database: Any
) -> None:
    from mijnzaken.demo import BURGERS, load

    demo = settings.model_copy(update={"demo": True, "portal_secure_cookies": False})
    await load(demo, database)
    app = create_app(demo, database)
    # the demo data names its types at the address `make run` serves on
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000"
    ) as client:
        page = await client.get("/kcc/inloggen")
        await client.post("/kcc/inloggen/demo", data={"csrf_token": csrf_of(page)})
        view = await inzien(client, BURGERS[0][0])
    assert view.status_code == 200
    assert view.text.count('href="/kcc/zaken/') >= 2
    assert "Uw rol: klantcontactcentrum." in view.text
    kcc = [e for e in await logboek.acties(database, BURGERS[0][0]) if e.systeem == "MijnZaken KCC"]
    assert [e.gebruiker for e in kcc] == ["demo-medewerker"]


async def test_the_session_ends_after_15_idle_minutes(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [_zaken(zt)])
    await login(client, oidc_provider, "mw-idle", MEDEWERKER)
    assert (await client.get("/kcc/")).status_code == 200
    async with database.transaction() as session:
        await session.execute(
            update(Sessie).values(laatst_actief=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
        )
    response = await client.get("/kcc/")
    assert response.status_code == 303
    assert response.headers["location"] == "/kcc/inloggen?verlopen=1"
    assert "automatisch uitgelogd" in (await client.get("/kcc/inloggen?verlopen=1")).text


async def test_a_look_up_costs_the_same_statements_for_one_zaak_or_twenty(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    types = [await kf.zaaktype(database) for _ in range(3)]
    iot = await kf.documenttype(database, types[0])
    await rol(
        database,
        "kcc",
        [_zaken(zt) for zt in types]
        + [
            df.drc_autorisatie(iot, "documenten.lezen", maximum="vertrouwelijk"),
            {"component": "kic", "scopes": ["klantinteracties.lezen"]},
        ],
    )
    await login(client, oidc_provider, "mw-n1", MEDEWERKER)

    async def counted() -> int:
        page = await client.get("/kcc/")
        data = {"csrf_token": csrf_of(page), "bsn": kf.BSN_A, "doel": DOEL}
        executed, response = await run_counted(
            database, lambda: client.post("/kcc/inzien", data=data)
        )
        assert response.status_code == 200
        return len(executed)

    first = await kf.zaak(database, types[0], stappen=2)
    await kf.document(client, superuser, iot, first)
    one = await counted()
    for n in range(19):
        zaak = await kf.zaak(database, types[n % 3], stappen=1 + n % 3)
        if n % 3 == 0:
            await kf.document(client, superuser, iot, zaak)
    twenty = await counted()
    assert twenty == one, (one, twenty)


async def test_a_role_client_id_never_authenticates_an_api_call(
    client: httpx.AsyncClient, database: Any
) -> None:
    from mijnzaken.autorisaties import service as autorisaties
    from mijnzaken.autorisaties.models import JWTSecret
    from tests.conftest import make_token

    await rol(database, "kcc", [], alle=True)
    async with database.transaction() as session:
        with pytest.raises(ValueError, match="employee roles"):
            await autorisaties.set_secret(session, "kcc-rol:kcc", "een-geheim-van-32-tekens-lang!!")
    async with database.transaction() as session:  # one written past the service anyway
        session.add(JWTSecret(client_id="kcc-rol:kcc", secret="geheim"))
    token = make_token("kcc-rol:kcc", "geheim")
    response = await client.get(
        "/catalogi/api/v1/zaaktypen", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


async def test_a_remote_zaken_api_configured_without_its_secret_is_unavailable_not_a_500(
    settings: Settings, database: Any, oidc_provider: Provider, caplog: pytest.LogCaptureFixture
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, omschrijving="Lokale zaak")
    await rol(database, "kcc", [_zaken(zt)])
    app = create_app(
        kcc_settings(
            settings,
            oidc_provider.issuer,
            klantbeeld_zaken_api_url="http://127.0.0.1:9/zaken/api/v1",
            klantbeeld_zaken_secret="",
        ),
        database,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await login(client, oidc_provider, "mw-remote", MEDEWERKER)
        view = await inzien(client, kf.BSN_A)
        assert view.status_code == 200
        assert klantbeeld.KLANT_ZAKEN_NIET_BESCHIKBAAR in view.text
        assert "Lokale zaak" not in view.text  # the zaken come from the remote register
        page = await client.get(f"/kcc/zaken/{zaak.uuid}")
        assert page.status_code == 503
        assert "Deze zaak is nu niet beschikbaar" in page.text
    assert any("ZAKEN_SECRET is not set" in r.getMessage() for r in caplog.records)


async def test_a_login_that_does_not_check_out_is_refused(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, settings: Settings
) -> None:
    oidc_provider.set_user("mw-state", MEDEWERKER)
    page = await client.get("/kcc/inloggen")
    start = await client.post("/kcc/inloggen/oidc", data={"csrf_token": csrf_of(page)})
    back = httpx.URL(oidc_provider.authorize(start.headers["location"], "mw-state"))
    forged = back.copy_merge_params({"state": "een-ander"})
    response = await client.get(forged.raw_path.decode())
    assert response.status_code == 303
    assert response.headers["location"] == "/kcc/inloggen?fout=1"
    assert (await client.get("/kcc/")).status_code == 303
    # the user id is read where the settings say; a login without it is no employee
    app = create_app(
        kcc_settings(settings, oidc_provider.issuer, kcc_oidc_gebruiker_claim="medewerkernummer"),
        database,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as other:
        refused = await login(other, oidc_provider, "mw-zonder-nummer", MEDEWERKER)
        assert refused.headers["location"] == "/kcc/inloggen?fout=1"
        assert "Inloggen is niet gelukt" in (await other.get("/kcc/inloggen?fout=1")).text
