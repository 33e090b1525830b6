"""The failing subscribers of the operator's status: their latest error is the error of the most
recent attempt at one of their waiting deliveries."""

from __future__ import annotations

from typing import Any

import pytest

from tests.notificaties.factories import (
    API,
    consumer,
    message,
    operator,
    publish,
    publisher,
    subscribe,
)

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
