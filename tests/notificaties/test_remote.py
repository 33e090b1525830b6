"""With MIJNZAKEN_NOTIFICATIES_API_URL naming a remote Notificaties API, our registers' outbox
messages go there, with a ZGW JWT, after registering our kanalen there; just as durably."""

from __future__ import annotations

import jwt
import pytest
from sqlalchemy import select

from mijnzaken.notificaties.dispatcher import Dispatcher
from mijnzaken.notificaties.kanalen import OWN_KANALEN
from mijnzaken.notificaties.models import Delivery
from tests.catalogi import factories as cf
from tests.zaken import factories as zf

SECRET = "geheim-van-de-router-op-afstand"


@pytest.fixture
async def remote(receiver, nrc_settings, database):
    receiver.replies[("GET", "/api/v1/kanaal")] = (200, b"[]")
    receiver.replies[("POST", "/api/v1/kanaal")] = (201, b"{}")
    receiver.replies[("POST", "/api/v1/notificaties")] = (200, b"{}")
    settings = nrc_settings.model_copy(
        update={
            "notificaties_api_url": f"{receiver.url}/api/v1/",
            "notificaties_client_id": "mijnzaken-zrc",
            "notificaties_secret": SECRET,
        }
    )
    dispatcher = Dispatcher(settings, database)
    yield dispatcher
    await dispatcher.close()


async def _create_zaak(client, register, database) -> dict:
    zaaktype = await zf.published_zaaktype(database)
    admin = await register("admin", "admin-geheim", alle=True)
    created = await client.post(
        "/zaken/api/v1/zaken",
        json={
            "zaaktype": cf.url(zaaktype),
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2025-06-01",
        },
        headers={**admin, "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"},
    )
    assert created.status_code == 201, created.text
    body: dict = created.json()
    return body


async def test_outbox_messages_go_to_the_remote_router_with_a_zgw_jwt(
    client, register, database, receiver, remote
):
    zaak = await _create_zaak(client, register, database)
    assert await remote.step() == 1

    registered = [
        r.json()["naam"]
        for r in receiver.received
        if r.path == "/api/v1/kanaal" and r.method == "POST"
    ]
    assert registered == [k.naam for k in OWN_KANALEN]
    [sent] = [r for r in receiver.received if r.path == "/api/v1/notificaties"]
    assert sent.json()["resourceUrl"] == zaak["url"]
    scheme, token = sent.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["client_id"] == "mijnzaken-zrc"
    assert "iat" in claims
    async with database.transaction() as session:
        delivery = (await session.execute(select(Delivery))).scalar_one()
    assert (delivery.abonnement_id, delivery.state) == (None, "done")


async def test_remote_router_down_is_retried_like_any_subscriber(
    client, register, database, receiver, remote, clock
):
    receiver.replies[("POST", "/api/v1/notificaties")] = (503, b"{}")
    await _create_zaak(client, register, database)
    await remote.step()
    async with database.transaction() as session:
        delivery = (await session.execute(select(Delivery))).scalar_one()
    assert (delivery.state, delivery.last_status) == ("pending", 503)

    receiver.replies[("POST", "/api/v1/notificaties")] = (200, b"{}")
    clock.advance(3600)
    await remote.step()
    async with database.transaction() as session:
        delivery = (await session.execute(select(Delivery))).scalar_one()
    assert delivery.state == "done"
