"""Login through OpenID Connect against a real provider process: the BSN, KvK and
representation claims, the level of assurance, and the refusals."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.klantbeeld import factories as kf
from tests.oidc_provider import Provider
from tests.portal.conftest import csrf_of, oidc_login, portal_settings


async def test_digid_login_shows_the_citizens_zaken_and_records_the_level_of_assurance(
    client: Any, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, bsn=kf.BSN_C, omschrijving="Aanvraag van C")
    await kf.zaak(database, zt, bsn=kf.BSN_A, omschrijving="Aanvraag van A")
    back = await oidc_login(
        client, oidc_provider, "digid-c", {"bsn": kf.BSN_C, "acr": "urn:digid:substantieel"}
    )
    assert back.status_code == 303
    assert back.headers["location"] == "/mijn/"
    overview = (await client.get("/mijn/")).text
    assert "Aanvraag van C" in overview
    assert "Aanvraag van A" not in overview
    gegevens = (await client.get("/mijn/gegevens")).text
    assert "urn:digid:substantieel" in gegevens


async def test_login_replaces_the_session_of_the_login_attempt(
    client: Any, oidc_provider: Provider
) -> None:
    oidc_provider.set_user("digid-a", {"bsn": kf.BSN_A})
    page = await client.get("/mijn/inloggen")
    start = await client.post("/mijn/inloggen/oidc", data={"csrf_token": csrf_of(page)})
    attempt = start.cookies["mijngemeente"]
    back = httpx.URL(oidc_provider.authorize(start.headers["location"], "digid-a"))
    done = await client.get(back.raw_path.decode())
    assert done.cookies["mijngemeente"] != attempt


async def test_bsn_claim_path_is_configurable(
    settings: Settings, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, bsn=kf.BSN_B, omschrijving="Aanvraag van B")
    app = create_app(
        portal_settings(settings, oidc_provider.issuer, oidc_bsn_claim="digid.burgerservicenummer"),
        database,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        await oidc_login(
            client, oidc_provider, "nested-b", {"digid": {"burgerservicenummer": kf.BSN_B}}
        )
        assert "Aanvraag van B" in (await client.get("/mijn/")).text


async def test_representative_sees_exactly_what_the_mandate_covers(
    client: Any, database: Any, oidc_provider: Provider
) -> None:
    covered = await kf.zaaktype(database, identificatie="PARKEERVERGUNNING")
    other = await kf.zaaktype(database, identificatie="BIJZONDERE-BIJSTAND")
    in_mandate = await kf.zaak(database, covered, bsn=kf.BSN_A, omschrijving="Gedekt")
    outside = await kf.zaak(database, other, bsn=kf.BSN_A, omschrijving="Niet gedekt")
    await kf.zaak(database, covered, bsn=kf.BSN_B, omschrijving="Eigen zaak gemachtigde")
    await oidc_login(
        client,
        oidc_provider,
        "machtiging-b-voor-a",
        {
            "bsn": kf.BSN_B,
            "vertegenwoordigde": {"bsn": kf.BSN_A},
            "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
        },
    )
    overview = (await client.get("/mijn/")).text
    assert "U bekijkt deze gegevens namens iemand anders" in overview
    assert "Gedekt" in overview
    assert "Niet gedekt" not in overview
    assert "Eigen zaak gemachtigde" not in overview
    assert (await client.get(f"/mijn/zaken/{in_mandate.uuid}")).status_code == 200
    assert (await client.get(f"/mijn/zaken/{outside.uuid}")).status_code == 404


async def test_mandate_without_services_covers_nothing(
    client: Any, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, bsn=kf.BSN_A, omschrijving="Zaak van A")
    await oidc_login(
        client,
        oidc_provider,
        "lege-machtiging",
        {"bsn": kf.BSN_B, "vertegenwoordigde": {"bsn": kf.BSN_A}},
    )
    assert "Zaak van A" not in (await client.get("/mijn/")).text
    assert (await client.get(f"/mijn/zaken/{zaak.uuid}")).status_code == 404


async def test_eherkenning_login_shows_the_business_zaken(
    client: Any, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, bsn=None, kvk=kf.KVK, omschrijving="Uitbreiding bakkerij")
    await kf.zaak(database, zt, bsn=kf.BSN_A, omschrijving="Zaak van een inwoner")
    await oidc_login(client, oidc_provider, "eherkenning", {"kvk": kf.KVK, "acr": "eh3"})
    overview = (await client.get("/mijn/")).text
    assert "Uitbreiding bakkerij" in overview
    assert "Zaak van een inwoner" not in overview
    assert "KvK-nummer" in (await client.get("/mijn/gegevens")).text


async def test_callback_with_another_state_is_refused(client: Any, oidc_provider: Provider) -> None:
    oidc_provider.set_user("digid-a", {"bsn": kf.BSN_A})
    page = await client.get("/mijn/inloggen")
    start = await client.post("/mijn/inloggen/oidc", data={"csrf_token": csrf_of(page)})
    back = httpx.URL(oidc_provider.authorize(start.headers["location"], "digid-a"))
    forged = back.copy_set_param("state", "another-state")
    response = await client.get(forged.raw_path.decode())
    assert response.headers["location"] == "/mijn/inloggen?fout=1"
    assert (await client.get("/mijn/")).status_code == 303


async def test_callback_without_a_login_attempt_is_refused(client: Any) -> None:
    response = await client.get("/mijn/inloggen/terug?code=abc&state=def")
    assert response.headers["location"] == "/mijn/inloggen?fout=1"


@pytest.mark.parametrize(
    "claims",
    [
        {"naam": "Geen nummer"},
        {"bsn": "12345"},
        {"bsn": "123456789"},
        {"bsn": kf.BSN_A, "vertegenwoordigde": {"bsn": "geen-nummer-99"}},
    ],
    ids=["no-bsn-or-kvk", "malformed-bsn", "bsn-failing-the-eleven-test", "malformed-representee"],
)
async def test_login_without_a_usable_identity_is_refused_without_logging_it(
    client: Any, oidc_provider: Provider, caplog: Any, claims: dict[str, Any]
) -> None:
    with caplog.at_level(logging.INFO):
        back = await oidc_login(client, oidc_provider, "zonder-bsn", claims)
    assert back.headers["location"] == "/mijn/inloggen?fout=1"
    assert (await client.get("/mijn/")).status_code == 303
    page = await client.get("/mijn/inloggen?fout=1")
    assert "Inloggen is niet gelukt" in page.text
    for value in ("12345", "123456789", "geen-nummer-99", kf.BSN_A):
        assert value not in caplog.text


async def test_logout_also_ends_the_session_at_the_provider(
    client: Any, oidc_provider: Provider
) -> None:
    await oidc_login(client, oidc_provider, "digid-a", {"bsn": kf.BSN_A})
    overview = await client.get("/mijn/")
    response = await client.post("/mijn/uitloggen", data={"csrf_token": csrf_of(overview)})
    location = httpx.URL(response.headers["location"])
    assert str(location).startswith(f"{oidc_provider.issuer}/oauth2/end_session")
    assert location.params["post_logout_redirect_uri"] == "http://testserver/mijn/uitgelogd"
    assert (await client.get("/mijn/")).status_code == 303


async def test_representative_app_gets_the_mandated_view_as_json(
    client: Any, database: Any, oidc_provider: Provider
) -> None:
    covered = await kf.zaaktype(database, identificatie="PARKEERVERGUNNING")
    other = await kf.zaaktype(database, identificatie="MELDING")
    mine = await kf.zaak(database, covered, bsn=kf.BSN_A)
    await kf.zaak(database, other, bsn=kf.BSN_A)
    oidc_provider.set_user(
        "app-machtiging",
        {
            "bsn": kf.BSN_B,
            "vertegenwoordigde": {"bsn": kf.BSN_A},
            "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
        },
    )
    token = oidc_provider.access_token("app-machtiging")
    body = (
        await client.get(
            "/klantbeeld/api/v1/klantbeeld", headers={"Authorization": f"Bearer {token}"}
        )
    ).json()
    assert body["kijker"]["soort"] == "vertegenwoordiger"
    assert body["kijker"]["namensAnder"] is True
    assert [z["uuid"] for z in body["lopendeZaken"]["items"]] == [str(mine.uuid)]
