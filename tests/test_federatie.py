"""Credentials for remote ZGW APIs (core/services.py, MIJNZAKEN_REMOTE_SERVICES)."""

from __future__ import annotations

import jwt
import pytest

from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings

SERVICES = (
    '[{"api_root": "https://zgw.example.nl/", "client_id": "breed", "secret": "s1"},'
    ' {"api_root": "https://zgw.example.nl/documenten/api/v1", "client_id": "drc",'
    ' "secret": "s2"}]'
)


@pytest.fixture
def remote_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("MIJNZAKEN_REMOTE_SERVICES", SERVICES)
    return Settings()


def test_the_longest_api_root_that_prefixes_the_url_wins(remote_settings: Settings) -> None:
    settings = remote_settings
    doc = "https://zgw.example.nl/documenten/api/v1/enkelvoudiginformatieobjecten/1"
    assert [s.client_id for s in settings.remote_services] == ["breed", "drc"]
    assert service_for(settings, doc).client_id == "drc"  # type: ignore[union-attr]
    other = "https://zgw.example.nl/catalogi/api/v1/informatieobjecttypen/1"
    assert service_for(settings, other).client_id == "breed"  # type: ignore[union-attr]
    # whole path segments only, and another host is no match
    lookalike = "https://zgw.example.nl/documenten/api/v10/enkelvoudiginformatieobjecten/1"
    assert service_for(settings, lookalike).client_id == "breed"  # type: ignore[union-attr]
    assert service_for(settings, "https://zgw.example.nl.evil.nl/documenten/api/v1/x") is None


def test_the_jwt_is_signed_with_the_services_secret(remote_settings: Settings) -> None:
    settings = remote_settings
    service = service_for(settings, "https://zgw.example.nl/documenten/api/v1/x")
    token = auth_headers(service)["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, "s2", algorithms=["HS256"])
    assert claims["client_id"] == "drc"
    assert "Authorization" not in auth_headers(None)


def test_a_malformed_setting_stops_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIJNZAKEN_REMOTE_SERVICES", '[{"api_root": "https://x.nl"}]')
    with pytest.raises(ValueError, match="client_id"):
        Settings()


def test_an_api_with_a_static_token_gets_it_instead_of_a_jwt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Open Klant 2 authenticates with a token made in its admin, not with a ZGW JWT
    monkeypatch.setenv(
        "MIJNZAKEN_REMOTE_SERVICES",
        '[{"api_root": "https://klanten.example.nl/klantinteracties/api/v1", "token": "t0k"}]',
    )
    settings = Settings()
    service = service_for(settings, "https://klanten.example.nl/klantinteracties/api/v1/partijen")
    assert service is not None
    assert auth_headers(service)["Authorization"] == "Token t0k"
    assert "t0k" not in repr(service)
