"""Durable delivery: a long outage (simulated clock), backoff with a cap, parking past the
horizon and an operator's retry, a worker killed mid-delivery (lease takeover), and a
graceful shutdown that releases what is in flight."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from mijnzaken.core.jobs import INTERRUPTED
from mijnzaken.notificaties.dispatcher import Dispatcher
from mijnzaken.notificaties.models import Delivery, DeliveryAttempt
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


async def _deliveries(database) -> list[Delivery]:
    async with database.transaction() as session:
        return list((await session.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def _attempts(database) -> int:
    async with database.transaction() as session:
        return int(
            (await session.execute(select(func.count()).select_from(DeliveryAttempt))).scalar_one()
        )


async def _drain(dispatcher: Dispatcher) -> None:
    while await dispatcher.step():
        pass


async def test_subscriber_down_for_two_days_receives_everything_after_it_comes_back(
    client, register, receiver, nrc_settings, database, clock
):
    # the probe after the outage must not time out on a busy machine: a timed-out probe
    # makes the backlog wait for its next (simulated) retry, which this test does not model
    dispatcher = Dispatcher(nrc_settings.model_copy(update={"outbound_timeout": 30.0}), database)
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await receiver.stop()  # down: connections refused

    sent = []
    for hour in range(0, 48, 2):  # two days: a notificatie and a round every two hours
        body = message(hour)
        sent.append(body["resourceUrl"])
        assert (await publish(client, pub, body)).status_code == 200
        await _drain(dispatcher)
        clock.advance(7200)
    assert receiver.messages() == []
    attempts_while_down = await _attempts(database)
    # the subscriber was unreachable: its waiting deliveries wait for the one being tried,
    # instead of each being tried on its own (24 deliveries, 24 rounds: about one attempt
    # per new delivery and one per round, not 24 × 24)
    assert attempts_while_down <= 24 + 24
    assert all(d.state == "pending" for d in await _deliveries(database))

    await receiver.start()  # back, on the same port
    clock.advance(3600)  # the longest backoff (the cap)
    rounds = 0
    while await dispatcher.step():
        rounds += 1
    # one probe gets through, then the whole backlog goes at once (not one per round)
    assert rounds <= 3
    assert sorted({m["resourceUrl"] for m in receiver.messages()}) == sorted(sent)
    assert {d.state for d in await _deliveries(database)} == {"done"}
    await dispatcher.close()


async def test_retries_back_off_exponentially_with_jitter_up_to_the_cap(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message())
    receiver.status = 500
    waits = []
    for _ in range(14):
        before = clock.now()
        await dispatcher.step()
        [delivery] = await _deliveries(database)
        waits.append((delivery.available_at - before).total_seconds())
        clock.advance(waits[-1])
    for n, wait in enumerate(waits, start=1):
        ceiling = min(3600.0, 2.0 * 2 ** (n - 1))
        assert ceiling / 2 <= wait <= ceiling, (n, wait)
    assert waits[-1] >= 1800  # capped at an hour, not growing without bound


async def test_past_the_horizon_a_delivery_is_parked_visible_and_retried_by_an_operator(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    abonnement = await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message())
    receiver.status = 503
    await dispatcher.step()
    clock.advance(3 * 24 * 3600 + 1)  # nrc_settings park after three days
    await dispatcher.step()
    [delivery] = await _deliveries(database)
    assert delivery.state == "parked"
    assert await dispatcher.step() == 0  # parked is not retried on its own

    beheer = await operator(register)
    status = (await client.get(f"{API}/beheer/status", headers=beheer)).json()
    assert status["geparkeerd"] == 1
    assert status["wachtend"] == 0
    parked = await client.get(
        f"{API}/beheer/afleveringen",
        params={"status": "geparkeerd", "abonnement": abonnement["url"]},
        headers=beheer,
    )
    assert parked.status_code == 200, parked.text
    [item] = parked.json()["results"]
    assert (item["status"], item["pogingen"], item["laatsteStatus"]) == ("geparkeerd", 2, 503)
    assert item["abonnement"] == abonnement["url"]

    receiver.status = 204
    again = await client.post(f"{API}/beheer/opnieuw", json={}, headers=beheer)
    assert again.json() == {"aantal": 1}
    await dispatcher.step()
    detail = (await client.get(item["url"], headers=beheer)).json()
    assert detail["status"] == "afgeleverd"
    assert [p["status"] for p in detail["pogingDetails"]] == [503, 503, 204]
    assert len(receiver.messages()) == 3  # each attempt reached the subscriber


async def test_operator_replays_delivered_notificaties_of_one_abonnement(
    client, register, receiver, dispatcher
):
    con = await consumer(register)
    abonnement = await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    for n in range(3):
        await publish(client, pub, message(n))
    await _drain(dispatcher)
    beheer = await operator(register)
    replay = await client.post(
        f"{API}/beheer/opnieuw",
        json={"status": "afgeleverd", "abonnement": abonnement["url"]},
        headers=beheer,
    )
    assert replay.json() == {"aantal": 3}
    await _drain(dispatcher)
    assert len(receiver.messages()) == 6


async def test_beheer_extension_needs_its_own_scope(client, register):
    con = await consumer(register)
    assert (await client.get(f"{API}/beheer/status", headers=con)).status_code == 403
    assert (await client.post(f"{API}/beheer/opnieuw", json={}, headers=con)).status_code == 403


async def test_worker_killed_mid_delivery_leaves_nothing_undelivered(
    client, register, receiver, dispatcher, database, clock, nrc_settings
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    receiver.hang = True  # the subscriber takes the request and does not answer
    pub = await publisher(register)
    await publish(client, pub, message())

    env = {
        **os.environ,
        "MIJNZAKEN_DATABASE_URL": nrc_settings.database_url,
        "MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE": "true",
        "MIJNZAKEN_OUTBOUND_TIMEOUT": "30",
        "MIJNZAKEN_DISPATCH_POLL_INTERVAL": "0.1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "mijnzaken.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(300):
            if receiver.messages():
                break
            await asyncio.sleep(0.1)
        assert receiver.messages(), "the worker never started the delivery"
        os.killpg(worker.pid, signal.SIGKILL)  # in the middle of the delivery
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    receiver.hang = False

    [claimed] = await _deliveries(database)
    assert claimed.state == "pending"
    assert claimed.claim_token is not None  # the dead worker's claim
    assert await dispatcher.step() == 0  # its lease still runs
    assert claimed.available_at > clock.now()  # the lease: three timeouts and half a minute
    clock.advance((claimed.available_at - clock.now()).total_seconds() + 1)
    assert await dispatcher.step() == 1  # taken over
    [delivered] = await _deliveries(database)
    assert delivered.state == "done"
    assert len(receiver.messages()) == 2  # at least once: the interrupted one, then this one


async def test_graceful_shutdown_releases_deliveries_in_flight(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    receiver.hang = True
    pub = await publisher(register)
    await publish(client, pub, message())
    dispatcher.runner.grace = 0.2
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.runner.run(stop))
    for _ in range(100):
        if receiver.messages():
            break
        await asyncio.sleep(0.05)
    assert receiver.messages()
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    [released] = await _deliveries(database)
    assert (released.state, released.claim_token, released.last_error) == (
        "pending",
        None,
        INTERRUPTED,
    )
    receiver.hang = False
    assert await dispatcher.step() == 1  # due at once, not after a lease
    assert (await _deliveries(database))[0].state == "done"
