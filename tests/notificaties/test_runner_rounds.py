"""The running dispatcher's rounds: outcomes recorded, the outbox routed and jobs claimed in
one transaction; mixed outcomes of one round recorded each as they were; jobs claimed ahead of the
flight handed back unattempted on shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import orjson
import pytest
from sqlalchemy import Text, delete, event, select

from mijnzaken.core import clock, outbox
from mijnzaken.core.jobs import INTERRUPTED, Outcome
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.notificaties import service
from mijnzaken.notificaties.dispatcher import Dispatcher
from mijnzaken.notificaties.models import Abonnement, Delivery, DeliveryAttempt, Notificatie
from tests.notificaties.conftest import Receiver
from tests.notificaties.factories import (
    ZAAKTYPE_A,
    ZAAKTYPE_B,
    consumer,
    message,
    publish,
    publisher,
    subscribe,
)
from tests.statements import recording

pytestmark = pytest.mark.usefixtures("kanalen")


async def _rows(database: Any, model: Any) -> list[Any]:
    async with database.transaction() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def _run_until(dispatcher: Dispatcher, done: Any, stop: asyncio.Event) -> asyncio.Task[None]:
    task = asyncio.create_task(dispatcher.runner.run(stop))
    for _ in range(200):
        if await done():
            break
        await asyncio.sleep(0.05)
    assert await done()
    return task


async def test_one_round_in_which_some_deliveries_fail_records_each_as_it_went(
    client, register, receiver, dispatcher, database
):
    down = Receiver()
    await down.start()
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/ok")
    await subscribe(client, con, f"{receiver.url}/fails")
    await subscribe(client, con, f"{down.url}/down")
    await down.stop()  # connections refused from now on
    receiver.replies[("POST", "/fails")] = (500, b"{}")
    callbacks = {a.id: a.callback_url.rsplit("/", 1)[1] for a in await _rows(database, Abonnement)}
    pub = await publisher(register)
    for n in range(3):
        assert (await publish(client, pub, message(n))).status_code == 200

    async def all_attempted() -> bool:
        return all(d.attempts == 1 for d in await _rows(database, Delivery))

    stop = asyncio.Event()
    task = await _run_until(dispatcher, all_attempted, stop)
    stop.set()
    await asyncio.wait_for(task, timeout=10)

    deliveries = await _rows(database, Delivery)
    assert len(deliveries) == 9
    by_callback: dict[str, list[Delivery]] = {}
    for d in deliveries:
        by_callback.setdefault(callbacks[d.abonnement_id], []).append(d)
    now = clock.now()
    for d in by_callback["ok"]:
        assert (d.state, d.last_status, d.last_error, d.claim_token) == ("done", 204, "", None)
    for d in by_callback["fails"]:
        assert (d.state, d.last_status, d.last_error) == ("pending", 500, "HTTP 500")
        assert d.claim_token is None
        assert d.available_at > now
    for d in by_callback["down"]:
        assert (d.state, d.last_status, d.claim_token) == ("pending", None, None)
        assert d.last_error.startswith("unreachable")
        assert d.available_at > now
    attempts = await _rows(database, DeliveryAttempt)
    assert sorted(a.delivery_id for a in attempts) == [d.id for d in deliveries]
    outcome = {a.delivery_id: (a.status, a.error.split(":")[0]) for a in attempts}
    for d in deliveries:
        expected = {"ok": (204, ""), "fails": (500, "HTTP 500"), "down": (None, "unreachable")}
        assert outcome[d.id] == expected[callbacks[d.abonnement_id]]
    assert len(receiver.messages("/ok")) == 3
    assert len(receiver.messages("/fails")) == 3


async def test_a_round_records_outcomes_and_claims_new_jobs_with_one_commit(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message(1))
    runner = dispatcher.runner
    first, items, _more = await runner._cycle([], 10)
    assert len(first) == 1
    outcomes = [await dispatcher.handler.perform(j, items[j.id]) for j in first]
    await publish(client, pub, message(2))  # waiting to be claimed

    commits: list[object] = []

    def committed(conn: object) -> None:
        commits.append(conn)

    engine = database.engine.sync_engine
    event.listen(engine, "commit", committed)
    try:
        second, _items, _more = await runner._cycle(outcomes, 10, feed=True)
    finally:
        event.remove(engine, "commit", committed)

    assert len(commits) == 1
    [done, claimed] = await _rows(database, Delivery)
    assert (done.state, done.attempts, done.claim_token) == ("done", 1, None)
    assert [j.id for j in second] == [claimed.id]
    assert claimed.claim_token == second[0].token


async def test_jobs_claimed_ahead_of_the_flight_go_back_unattempted_on_shutdown(
    client, register, receiver, nrc_settings, database
):
    settings = nrc_settings.model_copy(update={"delivery_concurrency": 1})
    dispatcher = Dispatcher(settings, database)
    dispatcher.runner.grace = 0.2
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    receiver.hang = True
    pub = await publisher(register)
    for n in range(3):
        await publish(client, pub, message(n))

    async def one_arrived() -> bool:
        return bool(receiver.messages())

    stop = asyncio.Event()
    try:
        task = await _run_until(dispatcher, one_arrived, stop)
        claimed = [d for d in await _rows(database, Delivery) if d.claim_token]
        assert len(claimed) == 2  # one in flight, one claimed and ready behind it
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    finally:
        await dispatcher.close()

    deliveries = await _rows(database, Delivery)
    assert [(d.state, d.claim_token) for d in deliveries] == [("pending", None)] * 3
    interrupted = [d for d in deliveries if d.attempts]
    assert [(d.attempts, d.last_error) for d in interrupted] == [(1, INTERRUPTED)]
    assert all(d.last_error == "" for d in deliveries if not d.attempts)
    assert all(d.available_at <= clock.now() + dt.timedelta(seconds=1) for d in deliveries)
    assert len(await _rows(database, DeliveryAttempt)) == 1  # only the one that was started


async def test_a_late_result_of_a_lost_lease_is_on_record_but_leaves_the_new_claim_alone(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message())
    queue = dispatcher.handler.queue
    async with database.transaction() as session:
        [lost] = await queue.claim(session, 10)
    clock.advance(queue.policy.lease + 1)  # the first worker took too long
    async with database.transaction() as session:
        [taken_over] = await queue.claim(session, 10)
    assert taken_over.token != lost.token

    late = Outcome(lost, ok=True, attempted_at=clock.now(), status=204)
    async with database.transaction() as session:
        assert await queue.record(session, [late]) == {}
    [delivery] = await _rows(database, Delivery)
    assert (delivery.state, delivery.attempts, delivery.claim_token) == (
        "pending",
        0,
        taken_over.token,
    )
    assert len(await _rows(database, DeliveryAttempt)) == 1  # the attempt did happen

    current = Outcome(taken_over, ok=True, attempted_at=clock.now(), status=204)
    async with database.transaction() as session:
        await queue.record(session, [current])
    [delivery] = await _rows(database, Delivery)
    assert (delivery.state, delivery.attempts, delivery.claim_token) == ("done", 1, None)
    assert len(await _rows(database, DeliveryAttempt)) == 2


async def test_a_batch_of_outcomes_is_recorded_as_each_went_in_one_statement_on_postgresql(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    for n in range(6):
        await publish(client, pub, message(n))
    queue = dispatcher.handler.queue
    async with database.transaction() as session:
        [late] = await queue.claim(session, 1)
    clock.advance(queue.policy.lease + 1)  # `late` took too long: another worker takes it over
    async with database.transaction() as session:
        claimed = await queue.claim(session, 10)
        [taken_over] = [j for j in claimed if j.id == late.id]
        ok, accepted, failing, removed, parked = [j for j in claimed if j.id != late.id]
        await session.execute(delete(Delivery).where(Delivery.id == removed.id))
    parked = dataclasses.replace(parked, park_after=clock.now())  # past its horizon
    at = clock.now()
    outcomes = [
        Outcome(ok, ok=True, attempted_at=at, status=204, latency_ms=3),
        Outcome(accepted, ok=True, attempted_at=at, status=202, latency_ms=4),
        Outcome(failing, ok=False, attempted_at=at, status=500, error="HTTP 500", latency_ms=5),
        Outcome(late, ok=True, attempted_at=at, status=204, latency_ms=6),
        Outcome(removed, ok=True, attempted_at=at, status=204, latency_ms=7),
        Outcome(parked, ok=False, attempted_at=at, error="timeout: te laat", latency_ms=8),
    ]

    with recording(database.engine.sync_engine) as statements:
        async with database.transaction() as session:
            retry_at = await queue.record(session, outcomes)

    if database.engine.dialect.name == "postgresql":
        assert len(statements) == 1  # states and attempts together (were five here)
    by_id = {d.id: d for d in await _rows(database, Delivery)}
    assert removed.id not in by_id
    assert (by_id[ok.id].state, by_id[ok.id].last_status, by_id[ok.id].attempts) == ("done", 204, 1)
    assert (by_id[accepted.id].state, by_id[accepted.id].last_status) == ("done", 202)
    assert by_id[ok.id].claim_token is by_id[accepted.id].claim_token is None
    assert by_id[ok.id].finished_at is not None
    again = by_id[failing.id]
    assert (again.state, again.attempts, again.last_status, again.last_error) == (
        "pending",
        1,
        500,
        "HTTP 500",
    )
    assert (again.claim_token, again.finished_at) == (None, None)
    assert set(retry_at) == {failing.id}
    assert again.available_at == retry_at[failing.id] > at
    assert (by_id[parked.id].state, by_id[parked.id].last_error) == ("parked", "timeout: te laat")
    # the late result leaves the new claim alone
    assert (by_id[late.id].state, by_id[late.id].attempts) == ("pending", 0)
    assert by_id[late.id].claim_token == taken_over.token
    # an attempt for every job that still exists (the late one's too), in the jobs' id order
    # (the order their rows are locked in)
    attempts = await _rows(database, DeliveryAttempt)
    assert [(a.delivery_id, a.status, a.error, a.latency_ms) for a in attempts] == sorted(
        [
            (ok.id, 204, "", 3),
            (accepted.id, 202, "", 4),
            (failing.id, 500, "HTTP 500", 5),
            (late.id, 204, "", 6),
            (parked.id, None, "timeout: te laat", 8),
        ]
    )


async def test_routing_writes_notificaties_with_their_deliveries_in_one_statement_on_postgresql(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/a")
    only_a = [{"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_A}}]
    await subscribe(client, con, f"{receiver.url}/b", kanalen=only_a)
    callbacks = {a.id: a.callback_url.rsplit("/", 1)[1] for a in await _rows(database, Abonnement)}
    messages = [message(1), message(2, zaaktype=ZAAKTYPE_B), message(3)]

    with recording(database.engine.sync_engine) as statements:
        async with database.transaction() as session:
            routed = await service.route(
                session,
                dispatcher.handler.queue,
                [(m, "bron", clock.now()) for m in messages],
                wake=False,
            )

    if database.engine.dialect.name == "postgresql":
        # the abonnementen, then the notificaties with their deliveries (were three)
        assert len(statements) == 2
    notificaties = {n.id: n for n in await _rows(database, Notificatie)}
    deliveries = await _rows(database, Delivery)
    sent = [
        (notificaties[d.notificatie_id].payload["resourceUrl"], callbacks[d.abonnement_id])
        for d in deliveries
    ]
    urls = [m["resourceUrl"] for m in messages]
    assert sent == [(urls[0], "a"), (urls[0], "b"), (urls[1], "a"), (urls[2], "a"), (urls[2], "b")]
    assert [r.delivery_id for r in routed] == [d.id for d in deliveries]
    assert [r.notificatie_uuid for r in routed] == [
        notificaties[d.notificatie_id].uuid for d in deliveries
    ]
    assert all((d.state, d.attempts, d.claim_token) == ("pending", 0, None) for d in deliveries)
    assert {n.source for n in notificaties.values()} == {"bron"}
    # stored as the ORM stores JSON: the text a delivery that is read back sends
    async with database.transaction() as session:
        stored = (
            await session.execute(select(Notificatie.payload.cast(Text)).order_by(Notificatie.id))
        ).scalars()
        assert list(stored) == [orjson.dumps(m).decode() for m in messages]


async def test_the_outbox_is_taken_with_its_abonnementen_in_one_statement_on_postgresql(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/a")
    only_a = [{"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_A}}]
    await subscribe(client, con, f"{receiver.url}/b", kanalen=only_a)
    await subscribe(client, con, f"{receiver.url}/c", kanalen=[{"naam": "documenten"}])
    callbacks = {a.id: a.callback_url.rsplit("/", 1)[1] for a in await _rows(database, Abonnement)}
    messages = [message(1), message(2, zaaktype=ZAAKTYPE_B), message(3)]
    async with database.transaction() as session:
        for m in messages:
            outbox.notify(
                session,
                kanaal=m["kanaal"],
                hoofd_object=m["hoofdObject"],
                resource=m["resource"],
                resource_url=m["resourceUrl"],
                actie=m["actie"],
                kenmerken=m["kenmerken"],
            )

    with recording(database.engine.sync_engine) as statements:
        async with database.transaction() as session:
            count, routed = await service.route_outbox(
                session, dispatcher.handler.queue, 10, remote=False
            )

    assert count == 3
    if database.engine.dialect.name == "postgresql":
        # the outbox rows with the abonnementen on their kanalen, then the notificaties with
        # their deliveries (were four)
        assert len(statements) == 2
    assert await _rows(database, OutboxMessage) == []
    notificaties = {n.id: n for n in await _rows(database, Notificatie)}
    deliveries = await _rows(database, Delivery)
    sent = [
        (notificaties[d.notificatie_id].payload["resourceUrl"], callbacks[d.abonnement_id])
        for d in deliveries
    ]
    urls = [m["resourceUrl"] for m in messages]
    assert sent == [(urls[0], "a"), (urls[0], "b"), (urls[1], "a"), (urls[2], "a"), (urls[2], "b")]
    assert [r.abonnement for r in routed] == [
        (f"{receiver.url}/{callbacks[d.abonnement_id]}", "Bearer abonnee-token", False)
        for d in deliveries
    ]
