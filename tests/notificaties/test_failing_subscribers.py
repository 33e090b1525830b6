"""The failing subscribers of the operator's status: their latest error is the error of the most
recent attempt at one of their waiting deliveries."""

from __future__ import annotations

from typing import Any

import pytest

from mijnzaken.notificaties.dispatcher import Dispatcher
from tests.catalogi import factories as cf
from tests.notificaties.factories import (
    API,
    consumer,
    message,
    operator,
    publish,
    publisher,
    subscribe,
)
from tests.zaken import factories as zf

pytestmark = pytest.mark.usefixtures("kanalen")


async def _failing(client, register) -> list[dict[str, Any]]:
    beheer = await operator(register)
    resp = await client.get(f"{API}/beheer/status", headers=beheer)
    assert resp.status_code == 200, resp.text
    failing: list[dict[str, Any]] = resp.json()["falendeAbonnementen"]
    return failing


async def test_the_latest_error_is_that_of_the_most_recent_attempt(
    client, register, receiver, dispatcher, clock
):
    con = await consumer(register)
    abonnement = await subscribe(client, con, f"{receiver.url}/webhook")
    pub = await publisher(register)
    receiver.status = 503
    await publish(client, pub, message(1))
    assert await dispatcher.step() == 1
    # half a second on, the first delivery still waits out its backoff (1 to 2 s)
    clock.advance(0.5)
    receiver.status = 500
    await publish(client, pub, message(2))
    assert await dispatcher.step() == 1

    [failing] = await _failing(client, register)
    assert (failing["abonnement"], failing["wachtend"]) == (abonnement["url"], 2)
    # "HTTP 503" sorts after "HTTP 500", but was the earlier answer
    assert failing["laatsteFout"] == "HTTP 500"


async def test_each_subscriber_shows_its_own_latest_error(
    client, register, receiver, dispatcher, clock
):
    con = await consumer(register)
    eerste = await subscribe(client, con, f"{receiver.url}/eerste")
    receiver.replies[("POST", "/eerste")] = (503, b"{}")
    pub = await publisher(register)
    await publish(client, pub, message(1))
    assert await dispatcher.step() == 1
    clock.advance(0.5)
    tweede = await subscribe(client, con, f"{receiver.url}/tweede")
    receiver.replies[("POST", "/tweede")] = (500, b"{}")
    await publish(client, pub, message(2, zaaktype="http://example.nl/zaaktype/b"))
    # the second message goes to both; the first subscriber's first delivery is not due yet
    assert await dispatcher.step() == 2

    failing = await _failing(client, register)
    assert {f["abonnement"]: (f["wachtend"], f["laatsteFout"]) for f in failing} == {
        eerste["url"]: (2, "HTTP 503"),
        tweede["url"]: (1, "HTTP 500"),
    }


@pytest.fixture
async def remote_router(receiver, nrc_settings, database):
    """A dispatcher that sends our registers' messages to a remote Notificaties API."""
    receiver.replies[("GET", "/api/v1/kanaal")] = (200, b"[]")
    receiver.replies[("POST", "/api/v1/kanaal")] = (201, b"{}")
    settings = nrc_settings.model_copy(
        update={
            "notificaties_api_url": f"{receiver.url}/api/v1/",
            "notificaties_client_id": "mijnzaken-zrc",
            "notificaties_secret": "geheim-van-de-router-op-afstand",
        }
    )
    dispatcher = Dispatcher(settings, database)
    yield dispatcher
    await dispatcher.close()


async def test_the_remote_router_without_an_abonnement_shows_its_latest_error_too(
    client, register, receiver, remote_router, database, clock
):
    zaaktype = await zf.published_zaaktype(database)
    admin = await register("admin", "admin-geheim", alle=True)

    async def create_zaak() -> None:
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

    receiver.replies[("POST", "/api/v1/notificaties")] = (503, b"{}")
    await create_zaak()
    assert await remote_router.step() == 1
    clock.advance(0.5)
    receiver.replies[("POST", "/api/v1/notificaties")] = (500, b"{}")
    await create_zaak()
    assert await remote_router.step() == 1

    [failing] = await _failing(client, register)
    assert (failing["abonnement"], failing["callbackUrl"], failing["wachtend"]) == (
        None,
        "(Notificaties API op afstand)",
        2,
    )
    assert failing["laatsteFout"] == "HTTP 500"
