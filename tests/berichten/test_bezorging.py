"""Delivering queued messages after commit: e-mail to a real SMTP server (aiosmtpd, started by
the test on a free port), SMS and e-mail through a Notify-compatible gateway (a real HTTP
server checking the token), retries with backoff, parking, and what a rollback leaves."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from sqlalchemy import select, update

from mijnzaken.berichten import service as berichten
from mijnzaken.berichten.bezorging import Bezorger, notify_token
from mijnzaken.berichten.models import Bericht, Poging, Verzending
from mijnzaken.core import clock
from mijnzaken.core.settings import Settings
from tests.berichten.postbus import Postbus, smtp_server

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"mijnzaken_test-{SERVICE_ID}-{SECRET}"


@pytest.fixture
def postbus() -> Iterator[tuple[Postbus, int]]:
    with smtp_server() as running:
        yield running


def _smtp(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
    )


async def _queue(database: Any, **over: str) -> Bericht:
    values: dict[str, Any] = {
        "kanaal": "email",
        "ontvanger": "suzanne@example.nl",
        "onderwerp": "Uw verificatiecode",
        "tekst": "Uw verificatiecode is 123456.",
        "bron": "test",
    }
    values.update(over)
    async with database.transaction() as session:
        return berichten.queue(session, **values)


async def _step(settings: Settings, database: Any) -> int:
    """One round of delivery attempts by a fresh runner."""
    bezorger = Bezorger(settings, database)
    try:
        return await bezorger.step()
    finally:
        await bezorger.close()


async def _rows(database: Any, model: Any) -> list[Any]:
    async with database.transaction() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def test_queued_email_is_delivered_by_smtp_after_commit(
    settings: Settings, database: Any, postbus: tuple[Postbus, int]
) -> None:
    handler, port = postbus
    bericht = await _queue(database)
    bezorger = Bezorger(_smtp(settings, port), database)
    assert await bezorger.step() == 1
    [(ontvangers, mail)] = handler.ontvangen
    assert ontvangers == ["suzanne@example.nl"]
    assert mail["Subject"] == "Uw verificatiecode"
    assert "Uw verificatiecode is 123456." in mail.get_payload()
    [stored] = await _rows(database, Bericht)
    assert stored.uuid == bericht.uuid
    assert (stored.status, stored.pogingen) == ("verzonden", 1)
    assert stored.verzonden_op is not None
    [poging] = await _rows(database, Poging)
    assert (poging.status, poging.error) == (250, "")
    assert await bezorger.step() == 0  # sent once, not again
    await bezorger.close()
    assert len(handler.ontvangen) == 1


async def test_a_rolled_back_change_sends_nothing(
    settings: Settings, database: Any, postbus: tuple[Postbus, int]
) -> None:
    handler, port = postbus

    async def failing_change() -> None:
        async with database.transaction() as session:
            berichten.queue(session, kanaal="email", ontvanger="a@example.nl", tekst="x", bron="t")
            await session.flush()
            raise RuntimeError("de wijziging mislukt")

    with pytest.raises(RuntimeError):
        await failing_change()
    assert await _step(_smtp(settings, port), database) == 0
    assert handler.ontvangen == []
    assert await _rows(database, Bericht) == []


async def test_refused_email_is_retried_with_backoff_then_delivered(
    settings: Settings,
    database: Any,
    postbus: tuple[Postbus, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler, port = postbus
    handler.weiger = 1
    await _queue(database, ontvanger="piet@example.nl")
    bezorger = Bezorger(_smtp(settings, port), database)
    await bezorger.step()
    [stored] = await _rows(database, Bericht)
    assert (stored.status, stored.pogingen) == ("wachtrij", 1)
    [job] = await _rows(database, Verzending)
    assert job.available_at > clock.now()  # waits for its backoff
    assert job.last_error == "SMTP-server weigerde (451)"
    assert await bezorger.step() == 0  # not due yet
    later = job.available_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    await bezorger.step()
    await bezorger.close()
    [stored] = await _rows(database, Bericht)
    assert (stored.status, stored.pogingen) == ("verzonden", 2)
    assert [p.status for p in await _rows(database, Poging)] == [451, 250]
    assert len(handler.ontvangen) == 1
    # the log names the message, never its address or its text
    assert "piet@example.nl" not in caplog.text
    assert "123456" not in caplog.text


async def test_unreachable_server_parks_the_message_after_its_horizon(
    settings: Settings, database: Any, postbus: tuple[Postbus, int]
) -> None:
    _handler, port = postbus
    await _queue(database)
    async with database.transaction() as session:
        await session.execute(
            update(Verzending).values(park_after=clock.now() - dt.timedelta(seconds=1))
        )
    nowhere = _smtp(settings, port).model_copy(update={"smtp_port": 9, "berichten_timeout": 2.0})
    await _step(nowhere, database)
    [stored] = await _rows(database, Bericht)
    assert (stored.status, stored.pogingen) == ("mislukt", 1)
    [job] = await _rows(database, Verzending)
    assert job.last_error.startswith("SMTP-server onbereikbaar")


async def test_without_a_channel_the_message_waits_and_is_not_lost(
    settings: Settings, database: Any
) -> None:
    await _queue(database, kanaal="sms", ontvanger="0612345678")
    await _step(settings, database)
    [stored] = await _rows(database, Bericht)
    assert (stored.status, stored.pogingen) == ("wachtrij", 1)
    [job] = await _rows(database, Verzending)
    assert job.last_error == "geen kanaal ingesteld voor sms"


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[list[dict[str, Any]], str]]:
    """A Notify-compatible HTTP gateway: checks the bearer token as Notify does (HS256 with
    the key's secret, `iss` the service id, a recent `iat`) and keeps what it accepted."""
    received: list[dict[str, Any]] = []

    async def notification(request: web.Request) -> web.Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        except jwt.PyJWTError:
            return web.json_response({"errors": [{"error": "AuthError"}]}, status=403)
        if scheme != "Bearer" or claims["iss"] != SERVICE_ID:
            return web.json_response({"errors": [{"error": "AuthError"}]}, status=403)
        body = await request.json()
        received.append({"path": request.path, **body})
        return web.json_response({"id": str(uuid.uuid4())}, status=201)

    app = web.Application()
    app.router.add_post("/v2/notifications/sms", notification)
    app.router.add_post("/v2/notifications/email", notification)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield received, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_sms_and_email_go_through_the_notify_gateway(
    settings: Settings, database: Any, gateway: tuple[list[dict[str, Any]], str]
) -> None:
    received, url = gateway
    sms = await _queue(database, kanaal="sms", ontvanger="0612345678")
    await _queue(database, kanaal="email", ontvanger="a@example.nl")
    configured = settings.model_copy(
        update={
            "notify_api_url": url,
            "notify_api_key": API_KEY,
            "notify_template_sms": "sjabloon-sms",
            "notify_template_email": "sjabloon-email",
        }
    )
    assert await _step(configured, database) == 2
    by_path = {r["path"]: r for r in received}
    assert by_path["/v2/notifications/sms"]["phone_number"] == "0612345678"
    assert by_path["/v2/notifications/sms"]["template_id"] == "sjabloon-sms"
    assert by_path["/v2/notifications/sms"]["reference"] == str(sms.uuid)
    assert by_path["/v2/notifications/email"]["email_address"] == "a@example.nl"
    assert by_path["/v2/notifications/email"]["personalisation"]["tekst"] == (
        "Uw verificatiecode is 123456."
    )
    assert {b.status for b in await _rows(database, Bericht)} == {"verzonden"}
    wrong = configured.model_copy(update={"notify_api_key": f"x-{SERVICE_ID}-{uuid.uuid4()}"})
    await _queue(database, kanaal="sms", ontvanger="0687654321")
    await _step(wrong, database)
    newest = (await _rows(database, Bericht))[-1]
    assert newest.status == "wachtrij"
    assert (await _rows(database, Verzending))[-1].last_error == "Notify-gateway weigerde (403)"


def test_notify_token_carries_the_service_id_and_is_signed_with_the_secret() -> None:
    token = notify_token(API_KEY, now=1_700_000_000)
    assert jwt.decode(token, SECRET, algorithms=["HS256"]) == {
        "iss": SERVICE_ID,
        "iat": 1_700_000_000,
    }


async def test_runner_started_by_the_app_delivers_after_commit(
    settings: Settings, database: Any, postbus: tuple[Postbus, int]
) -> None:
    """The serve process's own runner: woken by the commit, no step called by the test."""
    from mijnzaken.berichten import bezorging

    handler, port = postbus
    async with bezorging.running(_smtp(settings, port), database) as bezorger:
        assert bezorger is not None
        await _queue(database)
        for _ in range(100):
            if handler.ontvangen:
                break
            await asyncio.sleep(0.05)
    assert len(handler.ontvangen) == 1


async def _cli(monkeypatch: pytest.MonkeyPatch, settings: Settings, *args: str) -> str:
    """Run `mijnzaken berichten …` on the test database (in a thread, as from a shell)."""
    from typer.testing import CliRunner

    from mijnzaken import cli
    from mijnzaken.core.settings import get_settings

    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli.app, ["berichten", *args], catch_exceptions=False
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


async def test_operator_reads_waiting_codes_and_offers_failed_messages_again(
    settings: Settings, database: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _queue(database, tekst="Uw verificatiecode is 654321.")
    listed = await _cli(monkeypatch, settings, "lijst", "--status", "wachtrij")
    assert "suzanne@example.nl  wachtrij (0 pogingen)" in listed
    assert "Uw verificatiecode is 654321." in listed
    async with database.transaction() as session:
        await session.execute(
            update(Verzending).values(park_after=clock.now() - dt.timedelta(seconds=1))
        )
    await _step(settings, database)  # no channel: fails, and is past its horizon
    assert "mislukt (1 pogingen)" in await _cli(monkeypatch, settings, "lijst")
    assert "1 berichten staan weer in de wachtrij." in await _cli(monkeypatch, settings, "opnieuw")
    [stored] = await _rows(database, Bericht)
    assert stored.status == "wachtrij"
    [job] = await _rows(database, Verzending)
    assert job.state == "pending"


async def test_the_worker_process_delivers_messages_too(
    settings: Settings, database: Any, postbus: tuple[Postbus, int]
) -> None:
    """`mijnzaken worker` runs the same background work as `serve`: with the dispatcher off
    in the serving processes, a citizen's message is still delivered by a worker."""
    import os
    import signal
    import subprocess
    import sys

    handler, port = postbus
    await _queue(database)
    env = {
        **os.environ,
        "MIJNZAKEN_DATABASE_URL": settings.database_url,
        "MIJNZAKEN_SMTP_HOST": "127.0.0.1",
        "MIJNZAKEN_SMTP_PORT": str(port),
        "MIJNZAKEN_SMTP_STARTTLS": "false",
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
            if handler.ontvangen:
                break
            await asyncio.sleep(0.1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert len(handler.ontvangen) == 1
    [stored] = await _rows(database, Bericht)
    assert stored.status == "verzonden"
