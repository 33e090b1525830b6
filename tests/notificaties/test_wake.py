"""Runners wake on work instead of polling: a commit in another process signals them (NOTIFY
on PostgreSQL, the `.work` file on SQLite), and a retry they scheduled wakes them when due.
Each test sets a poll interval far longer than it waits, so only a wake can explain the
delivery."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from mijnzaken.core import outbox
from mijnzaken.notificaties.dispatcher import Dispatcher
from tests.notificaties.factories import consumer, message, publish, publisher, subscribe

pytestmark = pytest.mark.usefixtures("kanalen")

NEVER = 600.0  # a poll interval no test waits for


async def _until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return check()


async def test_a_worker_process_is_woken_by_a_commit_in_another_process(
    client, register, receiver, nrc_settings
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    await publish(client, pub, message(1))  # found by the worker's first round at start

    env = {
        **os.environ,
        "MIJNZAKEN_DATABASE_URL": nrc_settings.database_url,
        "MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE": "true",
        "MIJNZAKEN_DISPATCH_POLL_INTERVAL": str(NEVER),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "mijnzaken.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert await _until(lambda: len(receiver.messages()) == 1, 30), "worker did not start"
        # this process runs no dispatcher: its commit signals the worker's
        assert not outbox._listeners
        await asyncio.sleep(0.5)  # the worker is idle now, waiting for its (long) poll
        await publish(client, pub, message(2))
        assert await _until(lambda: len(receiver.messages()) == 2, 5), "the worker slept on"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


async def test_a_process_with_its_own_runner_sends_no_signal(
    client, register, receiver, nrc_settings, database
):
    """With a runner of its own, the commit wakes it directly: no NOTIFY, no file touched."""
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    signal_file = outbox.work_signal_file(database.engine.url)
    before = signal_file.stat().st_mtime_ns if signal_file and signal_file.exists() else None

    dispatcher = Dispatcher(
        nrc_settings.model_copy(update={"dispatch_poll_interval": NEVER}), database
    )
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stop))
    try:
        assert await _until(lambda: bool(outbox._listeners), 5)
        await publish(client, pub, message(1))
        assert await _until(lambda: len(receiver.messages()) == 1, 5)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    if signal_file is not None:
        after = signal_file.stat().st_mtime_ns if signal_file.exists() else None
        assert after == before


async def test_a_retry_wakes_the_runner_when_it_falls_due(
    client, register, receiver, nrc_settings, database
):
    con = await consumer(register)
    await subscribe(client, con, receiver.url)
    pub = await publisher(register)
    receiver.status = 503  # the first attempt fails
    settings = nrc_settings.model_copy(
        update={"dispatch_poll_interval": NEVER, "delivery_retry_base": 0.5}
    )
    dispatcher = Dispatcher(settings, database)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stop))
    try:
        await publish(client, pub, message(1))
        assert await _until(lambda: len(receiver.messages()) == 1, 5)
        receiver.status = 204
        # the retry is due after 0.5-1 s of backoff: the runner looks then, not in ten minutes
        assert await _until(lambda: len(receiver.messages()) == 2, 5), "retry waited for a poll"
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


async def test_a_commit_wakes_only_the_runners_of_the_work_it_queued(client, register, receiver):
    """A notificatie wakes the dispatcher; the runners of other work (citizens' messages,
    mirrors) sleep on: a wake costs each of them a transaction that claims nothing."""
    woken: list[str] = []
    unregister = [
        outbox.on_commit(lambda kind=kind: woken.append(kind), kind)
        for kind in (outbox.NOTIFICATIES, "berichten", "mirror")
    ]
    try:
        await subscribe(client, await consumer(register), receiver.url)
        pub = await publisher(register)
        woken.clear()
        assert (await publish(client, pub, message(1))).status_code == 200
    finally:
        for stop in unregister:
            stop()
    assert woken == [outbox.NOTIFICATIES]
    assert not outbox.listening_kinds()
