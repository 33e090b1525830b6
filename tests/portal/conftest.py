"""The portal under test: demo mode on, plain-http cookies (the test client speaks http),
and the test run's OpenID Connect provider as the DigiD/eHerkenning broker."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.oidc_provider import Provider

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def portal_settings(settings: Settings, issuer: str, **over: Any) -> Settings:
    values: dict[str, Any] = {
        "demo": True,
        "portal_secure_cookies": False,
        "oidc_issuer": issuer,
        "oidc_client_id": "mijngemeente",
        "oidc_client_secret": "mijngemeente-geheim",
    }
    values.update(over)
    return settings.model_copy(update=values)


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider) -> Any:
    return create_app(portal_settings(settings, oidc_provider.issuer), database)


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def demo_login(client: httpx.AsyncClient, burger: int = 0) -> httpx.Response:
    """Log in as demo citizen `burger` (0: 999993653, 1: 999990019, 2: 999991905)."""
    page = await client.get("/mijn/inloggen")
    response = await client.post(
        "/mijn/inloggen/demo", data={"csrf_token": csrf_of(page), "burger": str(burger)}
    )
    assert response.status_code == 303, response.text
    return response


async def oidc_login(
    client: httpx.AsyncClient, provider: Provider, sub: str, claims: dict[str, Any]
) -> httpx.Response:
    """Log in through the OpenID Connect provider as `sub` with `claims`; the answer of the
    portal's callback."""
    provider.set_user(sub, claims)
    page = await client.get("/mijn/inloggen")
    start = await client.post("/mijn/inloggen/oidc", data={"csrf_token": csrf_of(page)})
    assert start.status_code == 303, start.text
    assert start.headers["location"].startswith(provider.issuer)
    back = httpx.URL(provider.authorize(start.headers["location"], sub))
    return await client.get(back.raw_path.decode())
