"""Routing and delivery: from a committed change (or a published message) to the subscriber,
with the abonnement's Authorization header; filters choose exactly the matching abonnementen;
nothing is sent for a change that rolled back; every attempt is recorded."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from mijnzaken.core import audit, outbox
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.outbox import OutboxMessage, notify
from mijnzaken.notificaties.models import Delivery, DeliveryAttempt, Notificatie
from tests.catalogi import factories as cf
from tests.contract.spec import load, specs_dir
from tests.notificaties.factories import (
    ZAAKTYPE_A,
    ZAAKTYPE_B,
    consumer,
    message,
    publish,
    publisher,
    subscribe,
)
from tests.zaken import factories as zf

pytestmark = pytest.mark.usefixtures("kanalen")


async def _count(database, model, *where) -> int:
    async with database.transaction() as session:
        return int(
            (
                await session.execute(select(func.count()).select_from(model).where(*where))
            ).scalar_one()
        )


async def test_a_zaak_created_through_the_api_reaches_the_subscriber_with_its_auth_header(
    client, register, receiver, dispatcher, database
):
    zaaktype = await zf.published_zaaktype(database)
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/hook", auth="Bearer abonnee-42")
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

    assert await dispatcher.step() == 1
    [delivered] = [r for r in receiver.received if r.json()["kanaal"] == "zaken"]
    assert delivered.path == "/hook"
    assert delivered.headers["Authorization"] == "Bearer abonnee-42"
    assert delivered.headers["Content-Type"] == "application/json"
    body = delivered.json()
    assert body["resourceUrl"] == created.json()["url"]
    assert body["actie"] == "create"
    assert body["kenmerken"]["zaaktype"] == cf.url(zaaktype)
    assert await _count(database, OutboxMessage) == 0
    assert await _count(database, Delivery, Delivery.state == "done") == 1


async def _change_that_fails_after_notifying(database) -> None:
    async with database.transaction() as session:
        notify(
            session,
            kanaal="zaken",
            hoofd_object="http://testserver/zaken/api/v1/zaken/x",
            resource="zaak",
            resource_url="http://testserver/zaken/api/v1/zaken/x",
            actie="create",
        )
        await session.flush()
        raise RuntimeError("the change fails after its notification was written")


async def test_a_rolled_back_change_sends_nothing(receiver, client, register, dispatcher, database):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    with pytest.raises(RuntimeError):
        await _change_that_fails_after_notifying(database)
    assert await dispatcher.step() == 0
    assert receiver.messages() == []
    assert await _count(database, Notificatie) == 0


async def _change_with_audit(database, url: str, *, fails: bool) -> None:
    async with database.transaction() as session:
        message = outbox.message_values(
            kanaal="zaken", hoofd_object=url, resource="zaak", resource_url=url, actie="create"
        )
        entry = audit.values(
            bron="ZRC",
            auth=AuthContext(client_id="test", label="Test"),
            actie="create",
            resultaat=201,
            hoofd_object=url,
            resource="zaak",
            resource_url=url,
        )
        outbox.notify_with(session, message, AuditTrail.__table__, entry)
        if fails:
            raise RuntimeError("the change fails after it queued its audit record")


async def test_a_rolled_back_change_writes_neither_its_audit_record_nor_its_notificatie(
    receiver, client, register, dispatcher, database
):
    """The audit record and the notificatie of a change are written together as its
    transaction commits; one that fails after queueing them leaves neither."""
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    url = "http://testserver/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000001"
    with pytest.raises(RuntimeError):
        await _change_with_audit(database, url, fails=True)
    assert await dispatcher.step() == 0
    assert receiver.messages() == []
    assert await _count(database, AuditTrail) == 0
    assert await _count(database, OutboxMessage) == 0

    # the same, committed: both are there, and the notificatie goes out
    await _change_with_audit(database, url, fails=False)
    assert await _count(database, AuditTrail, AuditTrail.hoofd_object == url) == 1
    assert await dispatcher.step() == 1
    assert [m["resourceUrl"] for m in receiver.messages()] == [url]


async def test_filters_select_exactly_the_matching_abonnementen(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    wanted = {
        "a": [{"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_A}}],
        "b": [{"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_B}}],
        "star": [{"naam": "zaken", "filters": {"zaaktype": "*"}}],
        "all": [{"naam": "zaken"}],
        "secret": [
            {"naam": "zaken", "filters": {"zaaktype": "*", "vertrouwelijkheidaanduiding": "geheim"}}
        ],
        "other-kanaal": [{"naam": "besluiten"}],
        "a-or-b": [
            {"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_A}},
            {"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE_B}},
        ],
    }
    for name, kanalen in wanted.items():
        await subscribe(client, con, f"{receiver.url}/{name}", kanalen=kanalen)
    pub = await publisher(register)
    assert (await publish(client, pub, message(1, ZAAKTYPE_A))).status_code == 200
    assert (await publish(client, pub, message(2, ZAAKTYPE_B))).status_code == 200

    while await dispatcher.step():
        pass
    got: dict[str, list[str]] = {}
    for r in receiver.received:
        if r.json()["kanaal"] == "zaken":
            got.setdefault(r.path.strip("/"), []).append(r.json()["kenmerken"]["zaaktype"])
    assert {k: sorted(v) for k, v in got.items()} == {
        "a": [ZAAKTYPE_A],
        "b": [ZAAKTYPE_B],
        "star": sorted([ZAAKTYPE_A, ZAAKTYPE_B]),
        "all": sorted([ZAAKTYPE_A, ZAAKTYPE_B]),
        "a-or-b": sorted([ZAAKTYPE_A, ZAAKTYPE_B]),
    }


async def test_published_message_is_answered_as_sent_and_forwarded_unchanged(
    client, register, receiver, dispatcher
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    sent = message(7)
    resp = await publish(client, pub, sent)
    assert resp.status_code == 200
    assert resp.json() == {**sent, "aanmaakdatum": "2025-06-01T10:00:00Z"}
    await dispatcher.step()
    assert receiver.messages() == [resp.json()]


async def test_message_on_unknown_kanaal_or_with_foreign_kenmerken_is_refused(client, register):
    pub = await publisher(register)
    unknown = await publish(client, pub, {**message(), "kanaal": "onbekend"})
    assert unknown.status_code == 400
    assert unknown.json()["invalidParams"][0]["code"] == "message_kanaal"
    odd = {**message(), "kenmerken": {"kleur": "rood", "zaaktype": ZAAKTYPE_A}}
    foreign = await publish(client, pub, odd)
    assert foreign.status_code == 400
    assert foreign.json()["invalidParams"][0]["code"] == "kenmerken_inconsistent"
    missing = await publish(client, pub, {k: v for k, v in message().items() if k != "actie"})
    assert missing.status_code == 400
    assert missing.json()["invalidParams"][0]["name"] == "actie"


async def test_only_publishers_may_publish(client, register):
    con = await consumer(register)
    assert (await publish(client, con, message())).status_code == 403


async def test_every_attempt_is_recorded_with_time_status_error_and_latency(
    client, register, receiver, dispatcher, database, clock
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message())
    receiver.status = 500
    await dispatcher.step()
    clock.advance(3600)
    receiver.status = 202
    await dispatcher.step()
    async with database.transaction() as session:
        attempts = (
            (await session.execute(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))
            .scalars()
            .all()
        )
        delivery = (await session.execute(select(Delivery))).scalar_one()
    assert [(a.status, a.error) for a in attempts] == [(500, "HTTP 500"), (202, "")]
    assert attempts[1].attempted_at > attempts[0].attempted_at
    assert all(a.latency_ms >= 0 for a in attempts)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("done", 2, 202)


async def test_callback_turned_to_a_metadata_address_is_not_called(
    client, register, receiver, dispatcher, database
):
    """The URL was fine when subscribing; at delivery time it is checked again."""
    from mijnzaken.notificaties.models import Abonnement

    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    async with database.transaction() as session:
        abonnement = (await session.execute(select(Abonnement))).scalar_one()
        abonnement.callback_url = "http://169.254.169.254/latest/meta-data/"
    pub = await publisher(register)
    await publish(client, pub, message())
    await dispatcher.step()
    async with database.transaction() as session:
        delivery = (await session.execute(select(Delivery))).scalar_one()
    assert delivery.state == "pending"
    assert delivery.last_error.startswith("forbidden-address")


async def test_cloudevents_extension_delivers_the_nl_gov_profile(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    created = await subscribe(client, con, receiver.url, sendCloudevents=True)
    assert created["sendCloudevents"] is True
    pub = await publisher(register)
    await publish(client, pub, message(3))
    await dispatcher.step()
    [event] = [
        r
        for r in receiver.received
        if r.headers["Content-Type"].startswith("application/cloudevents")
    ]
    body = event.json()
    async with database.transaction() as session:
        notificatie = (await session.execute(select(Notificatie))).scalar_one()
    assert event.headers["Content-Type"] == "application/cloudevents+json"
    assert body["specversion"] == "1.0"
    assert body["id"] == str(notificatie.uuid)
    assert body["type"] == "nl.overheid.zaken.zaak.create"
    assert body["source"] == "http://testserver"
    assert body["time"] == "2025-06-01T10:00:00Z"
    assert body["dataref"] == message(3)["resourceUrl"]
    assert body["data"]["kenmerken"] == message(3)["kenmerken"]
    assert "subject" not in body


async def test_a_notificatie_routed_and_sent_in_one_round_is_the_one_stored(
    client, register, receiver, dispatcher, database
):
    """The dispatcher sends what it routed from the outbox in the same round without
    reading it back: to each abonnement its own form and auth, with the stored id."""
    zaaktype = await zf.published_zaaktype(database)
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/zgw", auth="Bearer zgw")
    await subscribe(client, con, f"{receiver.url}/ce", auth="Bearer ce", sendCloudevents=True)
    receiver.received.clear()
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
    assert await dispatcher.step() == 2  # routed, claimed and sent in one round
    async with database.transaction() as session:
        notificatie = (await session.execute(select(Notificatie))).scalar_one()
    by_path = {r.path: r for r in receiver.received}
    assert set(by_path) == {"/zgw", "/ce"}
    assert by_path["/zgw"].headers["Authorization"] == "Bearer zgw"
    assert by_path["/zgw"].json() == notificatie.payload
    event = by_path["/ce"]
    assert event.headers["Authorization"] == "Bearer ce"
    assert event.headers["Content-Type"] == "application/cloudevents+json"
    assert event.json()["id"] == str(notificatie.uuid)
    assert event.json()["data"] == notificatie.payload
    assert notificatie.payload["resourceUrl"] == created.json()["url"]


async def test_abonnement_deleted_while_its_delivery_is_in_flight_is_no_obstacle(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    created = await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message(1))
    runner = dispatcher.runner
    async with database.transaction() as session:
        claimed = await runner.handler.queue.claim(session, 10)
        items = await runner.handler.prepare(session, claimed)
    assert (await client.delete(created["url"], headers=con)).status_code == 204
    outcomes = [await runner.handler.perform(j, items[j.id]) for j in claimed]
    await runner._record(outcomes)  # nothing left to record, and no error
    await publish(client, pub, message(2))
    assert await dispatcher.step() == 0  # no abonnement: nothing queued, nothing stuck
    assert await _count(database, DeliveryAttempt) == 0


@pytest.mark.skipif(not specs_dir().is_dir(), reason="specs folder not found")
async def test_deliveries_follow_the_consumer_webhook_specification(
    client, register, receiver, dispatcher, database
):
    """What arrives at a subscriber is a `Notificatie` of the consumer-webhook API, sent as a
    JSON POST with the abonnement's Authorization header, and 204 (or any 2xx) counts."""
    webhook = load("notificaties/consumer-webhook/openapi.yaml")
    operation = webhook.by_id("notification_receive")
    assert operation.method == "post"
    con = await consumer(register)
    await subscribe(client, con, f"{receiver.url}/webhooks/zgw", auth="Bearer w")
    pub = await publisher(register)
    await publish(client, pub, message(1))
    await publish(client, pub, message(2, **{"zaaktype": ZAAKTYPE_B}))
    await dispatcher.step()
    received = [r for r in receiver.received if r.json()["kanaal"] == "zaken"]
    assert len(received) == 2
    schema = webhook.component_schema("Notificatie")
    for r in received:
        assert r.method == "POST"
        assert r.headers["Content-Type"] == "application/json"
        assert r.headers["Authorization"] == "Bearer w"
        assert webhook.schema_errors(("Notificatie",), schema, r.json()) == []
    assert await _count(database, Delivery, Delivery.state == "done") == 2


async def test_a_commit_wakes_the_dispatcher_of_its_process_without_waiting_for_a_poll(
    client, register, receiver, dispatcher, database
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    dispatcher.runner.poll_interval = 60.0  # a poll would come far too late
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stop))
    try:
        await asyncio.sleep(0.5)  # the dispatcher is idle, waiting
        assert (await publish(client, pub, message(5))).status_code == 200
        for _ in range(100):
            if receiver.messages():
                break
            await asyncio.sleep(0.05)
        assert [m["resourceUrl"] for m in receiver.messages()] == [message(5)["resourceUrl"]]
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


async def test_a_message_no_abonnement_takes_is_routed_and_not_kept(
    client, register, dispatcher, database
):
    pub = await publisher(register)
    assert (await publish(client, pub, message(1))).status_code == 200
    async with database.transaction() as session:
        notify(
            session,
            kanaal="zaken",
            hoofd_object="http://testserver/zaken/api/v1/zaken/y",
            resource="zaak",
            resource_url="http://testserver/zaken/api/v1/zaken/y",
            actie="update",
        )
    assert await dispatcher.step() == 0
    assert await _count(database, OutboxMessage) == 0
    assert await _count(database, Notificatie) == 0
