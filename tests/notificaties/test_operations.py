"""The operator's interface: `mijnzaken notificaties status | opnieuw`, /metrics, retention."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from mijnzaken import cli
from mijnzaken.core.settings import get_settings
from mijnzaken.notificaties.models import Delivery, Notificatie
from tests.notificaties.factories import consumer, message, publish, publisher, subscribe
from tests.statements import recording

pytestmark = pytest.mark.usefixtures("kanalen")


async def _cli(monkeypatch, settings, *args: str) -> str:
    """Run `mijnzaken notificaties …` on the test database (in a thread: it runs its own
    event loop, as from a shell)."""
    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli.app, ["notificaties", *args], catch_exceptions=False
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


async def test_status_shows_depth_oldest_parked_and_failing_subscribers_and_opnieuw_retries(
    client, register, receiver, dispatcher, database, clock, nrc_settings, monkeypatch
):
    con = await consumer(register)
    abonnement = await subscribe(client, con, f"{receiver.url}/kapot")
    pub = await publisher(register)
    receiver.status = 500
    for n in range(3):
        await publish(client, pub, message(n))
    await dispatcher.step()
    clock.advance(4 * 24 * 3600)  # past the horizon: each next failure parks
    while await dispatcher.step():
        pass
    out = await _cli(monkeypatch, nrc_settings, "status")
    assert "geparkeerd: 3" in out
    assert "wachtend:   0" in out
    listed = await _cli(monkeypatch, nrc_settings, "geparkeerd")
    assert listed.count("/kapot  zaken zaak create") == 3
    assert "HTTP 500" in listed

    receiver.status = 204
    out = await _cli(
        monkeypatch, nrc_settings, "opnieuw", "--abonnement", abonnement["url"].rsplit("/", 1)[1]
    )
    assert "3 afleveringen opnieuw aangeboden" in out
    out = await _cli(monkeypatch, nrc_settings, "status")
    assert "wachtend:   3" in out
    assert "geparkeerd: 0" in out


async def test_metrics_show_the_queue(client, register, receiver, dispatcher):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    receiver.status = 500
    await publish(client, pub, message(1))
    await publish(client, pub, message(2))
    await dispatcher.step()
    text = (await client.get("/metrics")).text
    assert "mijnzaken_deliveries_pending 2.0" in text
    assert "mijnzaken_deliveries_parked 0.0" in text
    assert "mijnzaken_subscribers_failing 1.0" in text
    assert 'mijnzaken_delivery_attempts_total{result="failed"}' in text


async def test_a_scrape_counts_failing_subscribers_without_reading_their_attempts(
    client, register, receiver, dispatcher, database, nrc_settings
):

    from mijnzaken.notificaties import beheer, delivery, metrics

    con = await consumer(register)
    for path in ("/een", "/twee"):
        await subscribe(client, con, f"{receiver.url}{path}")
    pub = await publisher(register)
    receiver.status = 500
    await publish(client, pub, message(1))
    await dispatcher.step()  # both abonnementen failed once

    queue = delivery.delivery_queue(nrc_settings)
    with recording(database.engine.sync_engine) as statements:
        async with database.transaction() as session:
            text = (await metrics.scrape(session, queue)).decode()
    async with database.transaction() as session:
        failing = (await beheer.status(session, queue)).failing
    assert len(failing) == 2
    assert "mijnzaken_subscribers_failing 2.0" in text
    assert "mijnzaken_deliveries_pending 2.0" in text
    # the queue's two counts and the subscribers' one; none reads the attempts
    assert len(statements) == 3
    assert not [s for s in statements if "notificaties_delivery_attempt" in s]


async def test_retention_removes_old_fully_delivered_notificaties_only(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message(1))
    await dispatcher.step()  # delivered
    receiver.status = 500
    await publish(client, pub, message(2))
    await dispatcher.step()  # waiting
    clock.advance(31 * 24 * 3600)
    dispatcher._next_purge = 0
    await dispatcher.purge()
    async with database.transaction() as session:
        kept = (await session.execute(select(Notificatie.payload))).scalars().all()
        deliveries = (
            await session.execute(select(func.count()).select_from(Delivery))
        ).scalar_one()
    assert [p["resourceUrl"] for p in kept] == [message(2)["resourceUrl"]]
    assert deliveries == 1


async def test_afleveringen_list_costs_the_same_number_of_queries_whatever_the_page_holds(
    client, register, receiver, database
):

    from tests.notificaties.factories import API, operator

    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    beheer = await operator(register)

    async def count() -> int:
        with recording(database.engine.sync_engine) as statements:
            resp = await client.get(f"{API}/beheer/afleveringen", headers=beheer)
        assert resp.status_code == 200
        return len(statements)

    await publish(client, pub, message(0))
    one = await count()
    for n in range(1, 6):
        await publish(client, pub, message(n))
    assert await count() == one
