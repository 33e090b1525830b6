"""A KCC download from a remote Documenten API that cannot answer (the data and fixtures of
tests/klantbeeld/test_remote_documenten.py: a second, real MijnZaken as the Zaken API, and
Documenten APIs that answer garbage or do not listen): the page says the document cannot be
fetched now (503), never a 500, and nothing is logged as downloaded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import service
from mijnzaken.verwerkingen import service as verwerkingen
from tests.kcc.conftest import inzien, kcc_settings, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld.remote_server import CLIENT_ID, SECRET, Remote
from tests.klantbeeld.test_remote_documenten import (  # the remote and its data
    DATA,
    DOCUMENTEN,
    _Garbage,
    garbage,  # noqa: F401
    remote,  # noqa: F401
)
from tests.oidc_provider import Provider


@pytest.fixture
def app(
    settings: Settings,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,  # noqa: F811
) -> Any:
    documenten = [
        RemoteService(api_root=f"{origin}{DOCUMENTEN}", client_id=CLIENT_ID, secret=SECRET)
        for origin in (remote.url, DATA.kapot, DATA.dicht)
    ]
    configured = kcc_settings(
        settings,
        oidc_provider.issuer,
        klantbeeld_zaken_api_url=f"{remote.url}/zaken/api/v1",
        klantbeeld_zaken_client_id=CLIENT_ID,
        klantbeeld_zaken_secret=SECRET,
        outbound_timeout=3.0,
        remote_services=[*settings.remote_services, *documenten],
    )
    return create_app(configured, database)


@pytest.mark.parametrize(
    ("zaak", "mode"), [("Kapot", "500"), ("Kapot", "json"), ("Kapot", "geen"), ("Dicht", "")]
)
async def test_a_download_from_a_documenten_api_that_is_down_is_a_503_page(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, zaak: str, mode: str
) -> None:
    _Garbage.mode = mode
    await rol(database, "alles", [], alle=True)
    await login(client, oidc_provider, f"mw-storing-{zaak}", {"roles": ["alles"]})
    assert (await inzien(client, kf.BSN_A)).status_code == 200
    pad = f"/kcc/zaken/{DATA.zaken[zaak]}/documenten/{DATA.documenten['onbereikbaar']}"
    response = await client.get(pad)
    assert response.status_code == 503
    assert "Het document is nu niet beschikbaar" in response.text
    assert service.DOCUMENT_NIET_BESCHIKBAAR in response.text
    async with database.transaction() as session:
        found = await verwerkingen.voor_betrokkene(session, "BSN", kf.BSN_A)
    assert not [e for e in found if e.actie_naam == "document downloaden"]
