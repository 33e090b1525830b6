"""Deleting an abonnement whose deliveries wait, are in flight, or are locked by the delivery
runner: nothing of it is left behind, and a deadlock is tried again, then answered with 503."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from mijnzaken.core import clock as core_clock
from mijnzaken.core.jobs import Outcome
from mijnzaken.notificaties import repository, service
from mijnzaken.notificaties.delivery import delivery_queue
from mijnzaken.notificaties.models import (
    Abonnement,
    AbonnementKanaal,
    Delivery,
    DeliveryAttempt,
    Notificatie,
)
from tests.notificaties.factories import consumer, message, publish, publisher, subscribe

pytestmark = pytest.mark.usefixtures("kanalen")


async def _left(database) -> dict[str, int]:
    """How many rows the Notificaties tables hold."""
    async with database.transaction() as session:
        return {
            model.__tablename__: int(
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
            )
            for model in (Abonnement, AbonnementKanaal, Notificatie, Delivery, DeliveryAttempt)
        }


async def _waiting_with_attempts(client, register, receiver, dispatcher) -> tuple[Any, ...]:
    """A consumer's and a publisher's headers, and an abonnement with two waiting deliveries
    that failed once."""
    con = await consumer(register)
    abonnement = await subscribe(client, con, f"{receiver.url}/weg")
    pub = await publisher(register)
    receiver.replies[("POST", "/weg")] = (500, b"{}")
    for n in (1, 2):
        assert (await publish(client, pub, message(n))).status_code == 200
    assert await dispatcher.step() == 2
    return con, pub, abonnement


class _Deadlocks:
    """`repository.lock_waiting_deliveries` that locks, then fails as PostgreSQL fails the
    victim of a deadlock (SQLSTATE 40P01), the first `times` calls."""

    class Detected(Exception):
        sqlstate = service.DEADLOCK

    def __init__(self, times: int) -> None:
        self.times = times
        self.calls = 0
        self.real = repository.lock_waiting_deliveries

    async def __call__(self, session: Any, abonnement_id: int) -> None:
        self.calls += 1
        await self.real(session, abonnement_id)
        if self.calls <= self.times:
            raise DBAPIError("SELECT … FOR UPDATE", None, self.Detected("deadlock detected"))


async def test_deleting_an_abonnement_with_waiting_deliveries_leaves_nothing_of_it(
    client, register, receiver, dispatcher, database, clock
):
    con, pub, weg = await _waiting_with_attempts(client, register, receiver, dispatcher)
    blijft = await subscribe(client, con, f"{receiver.url}/blijft")
    assert (await publish(client, pub, message(3))).status_code == 200
    assert await dispatcher.step() == 2  # the third message, to both

    assert (await client.delete(weg["url"], headers=con)).status_code == 204

    assert (await client.get(weg["url"], headers=con)).status_code == 404
    assert await _left(database) == {
        "notificaties_abonnement": 1,
        "notificaties_abonnement_kanaal": 1,
        "notificaties_notificatie": 3,  # kept for the retention period
        "notificaties_delivery": 1,  # the third message's, to the other abonnement
        "notificaties_delivery_attempt": 1,
    }
    # the retries that were due for the deleted abonnement are not sent; new messages go to
    # the other abonnement only
    receiver.received.clear()
    clock.advance(3600)
    assert (await publish(client, pub, message(4))).status_code == 200
    assert await dispatcher.step() == 1
    assert [r.path for r in receiver.received] == ["/blijft"]
    assert (await client.get(blijft["url"], headers=con)).status_code == 200


async def test_the_outcome_of_a_delivery_in_flight_when_its_abonnement_is_deleted_is_dropped(
    client, register, receiver, dispatcher, database, clock, nrc_settings
):
    con, _pub, abonnement = await _waiting_with_attempts(client, register, receiver, dispatcher)
    clock.advance(3600)  # both due again
    queue = delivery_queue(nrc_settings)
    async with database.transaction() as session:
        claimed = await queue.claim(session, 10)
    assert len(claimed) == 2

    assert (await client.delete(abonnement["url"], headers=con)).status_code == 204

    async with database.transaction() as session:
        retry_at = await queue.record(
            session,
            [
                Outcome(job, ok=False, attempted_at=core_clock.now(), status=500, error="HTTP 500")
                for job in claimed
            ],
        )
    assert retry_at == {}
    left = await _left(database)
    assert (left["notificaties_delivery"], left["notificaties_delivery_attempt"]) == (0, 0)


async def test_a_delete_that_deadlocks_is_tried_again(
    client, register, receiver, dispatcher, database, monkeypatch
):
    con, _pub, abonnement = await _waiting_with_attempts(client, register, receiver, dispatcher)
    deadlocks = _Deadlocks(times=2)
    monkeypatch.setattr(repository, "lock_waiting_deliveries", deadlocks)

    assert (await client.delete(abonnement["url"], headers=con)).status_code == 204

    assert deadlocks.calls == 3
    assert (await client.get(abonnement["url"], headers=con)).status_code == 404
    left = await _left(database)
    assert (left["notificaties_delivery"], left["notificaties_delivery_attempt"]) == (0, 0)


async def test_a_delete_that_keeps_deadlocking_answers_503_with_retry_after(
    client, register, receiver, dispatcher, database, monkeypatch
):
    con, _pub, abonnement = await _waiting_with_attempts(client, register, receiver, dispatcher)
    deadlocks = _Deadlocks(times=99)
    monkeypatch.setattr(repository, "lock_waiting_deliveries", deadlocks)

    resp = await client.delete(abonnement["url"], headers=con)

    assert resp.status_code == 503, resp.text
    assert resp.headers["Retry-After"] == "1"
    assert resp.headers["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert (body["status"], body["code"]) == (503, "abonnement_bezet")
    assert deadlocks.calls == 1 + service.DELETE_RETRIES
    # nothing was deleted: the abonnement and its deliveries are all there
    assert (await client.get(abonnement["url"], headers=con)).status_code == 200
    left = await _left(database)
    assert (left["notificaties_delivery"], left["notificaties_delivery_attempt"]) == (2, 2)


async def test_a_database_error_other_than_a_deadlock_is_not_tried_again(
    client, register, receiver, dispatcher, monkeypatch
):
    con, _pub, abonnement = await _waiting_with_attempts(client, register, receiver, dispatcher)
    calls = 0

    async def broken(_session: Any, _abonnement_id: int) -> None:
        nonlocal calls
        calls += 1
        raise DBAPIError("SELECT … FOR UPDATE", None, Exception("connection lost"))

    monkeypatch.setattr(repository, "lock_waiting_deliveries", broken)
    # (the test client re-raises what the app answers with a 500)
    with pytest.raises(DBAPIError, match="connection lost"):
        await client.delete(abonnement["url"], headers=con)
    assert calls == 1


async def _until_a_lock_is_awaited(database) -> None:
    async with database.engine.connect() as conn:
        for _ in range(200):
            waiting = await conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            if waiting.scalar_one():
                return
            await conn.rollback()
            await asyncio.sleep(0.05)
    raise AssertionError("the delete never waited for the runner's lock")


async def test_a_real_deadlock_with_the_runner_ends_in_the_delete_on_postgresql(
    client, register, receiver, dispatcher, database, monkeypatch
):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("row locks and deadlocks: PostgreSQL")
    con, _pub, abonnement = await _waiting_with_attempts(client, register, receiver, dispatcher)
    async with database.transaction() as session:
        first, second = (await session.execute(select(Delivery.id).order_by(Delivery.id))).scalars()
    calls = 0
    real = repository.lock_waiting_deliveries

    async def counted(session: Any, abonnement_id: int) -> None:
        nonlocal calls
        calls += 1
        await real(session, abonnement_id)

    monkeypatch.setattr(repository, "lock_waiting_deliveries", counted)
    touch = text("UPDATE notificaties_delivery SET attempts = attempts WHERE id = :id")
    async with database.engine.connect() as runner:
        # the runner records outcomes in its own order: the second delivery first
        await runner.execute(touch, {"id": second})
        delete = asyncio.create_task(client.delete(abonnement["url"], headers=con))
        await _until_a_lock_is_awaited(database)  # the delete holds the first, waits for it
        try:
            await runner.execute(touch, {"id": first})
        except DBAPIError as exc:  # PostgreSQL chose the runner to fail
            runner_error = str(exc)
            await runner.rollback()
        else:  # it chose the delete, which rolled back to its savepoint and let go
            runner_error = ""
            await runner.commit()
        resp = await asyncio.wait_for(delete, 30)
    assert resp.status_code == 204, resp.text
    if runner_error:
        assert "deadlock" in runner_error
    assert calls == (1 if runner_error else 2)
    left = await _left(database)
    assert (left["notificaties_delivery"], left["notificaties_delivery_attempt"]) == (0, 0)


async def test_the_runner_records_a_batch_in_the_id_order_the_delete_locks_in_on_postgresql(
    client, register, receiver, dispatcher, database, clock
):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("row locks and deadlocks: PostgreSQL")
    await _waiting_with_attempts(client, register, receiver, dispatcher)
    queue = dispatcher.handler.queue
    clock.advance(24 * 3600)  # both due again, well within the horizon
    async with database.transaction() as session:
        first, second = sorted(await queue.claim(session, 10), key=lambda job: job.id)
    at = clock.now()
    # the round's outcomes in the order the attempts finished: the second delivery first
    outcomes = [
        Outcome(second, ok=True, attempted_at=at, status=204),
        Outcome(first, ok=True, attempted_at=at, status=204),
    ]

    async def record() -> None:
        async with database.transaction() as session:
            # the plan of a large queue: each outcome's row looked up by its index, in the
            # order the outcomes come (on two rows the planner would scan them in id order)
            for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
                await session.execute(text(f"SET LOCAL {setting} = off"))
            await queue.record(session, outcomes)

    lock = text("SELECT id FROM notificaties_delivery WHERE id = :id FOR UPDATE")
    async with database.engine.connect() as delete:
        # as an abonnement's delete locks its waiting deliveries: the first, then the second
        await delete.execute(text("SET LOCAL lock_timeout = '5s'"))
        await delete.execute(lock, {"id": first.id})
        recording = asyncio.create_task(record())
        await _until_a_lock_is_awaited(database)  # the runner waits for the first
        # the second is free: the runner takes no lock before the first (were it to hold the
        # second already, this would be a deadlock, and one of the two would fail)
        await delete.execute(lock, {"id": second.id})
        await delete.commit()
    await asyncio.wait_for(recording, 30)
    async with database.transaction() as session:
        states = (await session.execute(select(Delivery.state).order_by(Delivery.id))).scalars()
        assert list(states) == ["done", "done"]
