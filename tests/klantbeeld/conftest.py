"""The app configured for the test run's OpenID Connect provider."""

from __future__ import annotations

from typing import Any

import pytest

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.oidc_provider import Provider


@pytest.fixture
def app(settings: Settings, database: Any, oidc_provider: Provider) -> Any:
    configured = settings.model_copy(
        update={
            "oidc_issuer": oidc_provider.issuer,
            "oidc_client_id": "mijngemeente",
            "oidc_client_secret": "mijngemeente-geheim",
            "portal_secure_cookies": False,
        }
    )
    return create_app(configured, database)
