"""The employee viewer under test: plain-http cookies (the test client speaks http), the test
run's OpenID Connect provider as the municipality's identity provider for employees, and
roles whose rights are Applicaties in the Autorisaties register."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.autorisaties import service as autorisaties
from mijnzaken.core.settings import Settings
from mijnzaken.kcc.medewerker import ROL_CLIENT_ID
from tests.oidc_provider import Provider

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DOEL = "Beantwoorden klantvraag"


def kcc_settings(settings: Settings, issuer: str, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "demo": False,
        "portal_secure_cookies": False,
        "kcc_oidc_issuer": issuer,
        "kcc_oidc_client_id": "kcc",
        "kcc_oidc_client_secret": "kcc-geheim",
    }
    values.update(over)
    return settings.model_copy(update=values)


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider) -> Any:
    return create_app(kcc_settings(settings, oidc_provider.issuer), database)


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def rol(
    database: Any, naam: str, autorisaties_: list[dict[str, Any]], *, alle: bool = False
) -> None:
    """The role `naam`: an Applicatie (without a secret) with these autorisaties."""
    async with database.transaction() as session:
        await autorisaties.create(
            session,
            {
                "client_ids": [f"{ROL_CLIENT_ID}{naam}"],
                "label": f"KCC-rol {naam}",
                "heeft_alle_autorisaties": alle,
                "autorisaties": autorisaties_,
                "alleen_is_gereed_voor_publicatie": False,
            },
        )


async def login(
    client: httpx.AsyncClient, provider: Provider, sub: str, claims: dict[str, Any]
) -> httpx.Response:
    """Log in at the identity provider as `sub` with `claims` (in a fresh browser: no
    cookies of an earlier login); the answer of the callback."""
    client.cookies.clear()
    provider.set_user(sub, claims)
    page = await client.get("/kcc/inloggen")
    start = await client.post("/kcc/inloggen/oidc", data={"csrf_token": csrf_of(page)})
    assert start.status_code == 303, start.text
    assert start.headers["location"].startswith(provider.issuer)
    back = httpx.URL(provider.authorize(start.headers["location"], sub))
    return await client.get(back.raw_path.decode())


async def inzien(client: httpx.AsyncClient, bsn: str, doel: str | None = DOEL) -> httpx.Response:
    """Look up `bsn` for `doel` (None: no purpose chosen) from the look-up page."""
    page = await client.get("/kcc/")
    data = {"csrf_token": csrf_of(page), "bsn": bsn}
    if doel is not None:
        data["doel"] = doel
    return await client.post("/kcc/inzien", data=data)
