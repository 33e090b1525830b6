"""The extension component `kic` in the Autorisaties register, and the one hook through which
reads of personal data reach the processing log."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mijnzaken.klantinteracties.services import verwerking
from tests.conftest import BASE
from tests.klantinteracties import factories as f


@pytest.fixture
async def plain_client(app) -> AsyncIterator[httpx.AsyncClient]:
    """Without the contract hook: an Applicatie with `kic` lies outside the standard's enum."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


async def test_autorisaties_api_accepts_component_kic_and_grants_its_scopes(
    plain_client, superuser
):
    resp = await plain_client.post(
        "/autorisaties/api/v1/applicaties",
        json={
            "clientIds": ["kiss"],
            "label": "KISS",
            "autorisaties": [f.kic("klantinteracties.lezen")],
        },
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    autorisatie = resp.json()["autorisaties"][0]
    assert autorisatie["component"] == "kic"
    assert autorisatie["componentWeergave"] == "Klantinteracties API"


async def test_reads_of_personal_data_are_reported_once_per_page_and_writes_are_not(
    client, superuser
):
    seen: list[tuple[str, int, str]] = []

    async def subscriber(ctx, resource, bodies):
        seen.append((resource, len(bodies), ctx.auth.client_id))

    verwerking.on_read(subscriber)
    try:
        partij = await f.create_partij(client, superuser)
        assert seen == []
        await client.get(partij["url"], headers=superuser)
        await client.get(f"{f.API}/partijen", headers=superuser)
    finally:
        verwerking._subscribers.remove(subscriber)
    assert seen == [("partij", 1, "superuser"), ("partij", 1, "superuser")]
