"""Fixtures of the Notificaties tests: a real subscriber on a free loopback port, settings that
allow loopback callbacks, a dispatcher driven step by step, and a simulated clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from mijnzaken.app import create_app
from mijnzaken.core import clock as core_clock
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.notificaties import service
from mijnzaken.notificaties.dispatcher import Dispatcher


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A subscriber (webhook) on 127.0.0.1: records what arrives and answers `status`; can be
    taken down (connections refused) and brought back on the same port, or made to hang."""

    port: int = 0
    status: int = 204
    hang: bool = False
    received: list[Received] = field(default_factory=list)
    replies: dict[tuple[str, str], tuple[int, bytes]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.received.append(Received(request.method, request.path_qs, dict(request.headers), body))
        if self.hang:
            await self._release.wait()
        reply = self.replies.get((request.method, request.path))
        if reply is not None:
            return web.Response(status=reply[0], body=reply[1], content_type="application/json")
        return web.Response(status=self.status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        if not self.port:
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._release = asyncio.Event()

    def messages(self, path: str | None = None) -> list[Any]:
        """The JSON bodies received (on `path`), without the test message of subscribing."""
        return [
            r.json()
            for r in self.received
            if r.method == "POST"
            and (path is None or r.path == path)
            and r.json().get("kanaal") != "test"
        ]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.start()
    yield r
    await r.stop()


@pytest.fixture
def nrc_settings(settings: Settings) -> Settings:
    """Loopback callbacks allowed (single-host), short timeouts, small retry steps. The
    timeout leaves a loaded machine (both databases' suites side by side) time to answer the
    test notificatie an abonnement is checked with: at 2 s that check once failed."""
    return settings.model_copy(
        update={
            "outbound_allow_private": True,
            "outbound_timeout": 5.0,
            "delivery_retry_base": 2.0,
            "delivery_retry_cap": 3600.0,
            "delivery_park_after": 3 * 24 * 3600.0,
        }
    )


@pytest.fixture
def app(nrc_settings: Settings, database: Database) -> Any:
    return create_app(nrc_settings, database)


@pytest.fixture
async def kanalen(database: Database) -> None:
    """Our registers' kanalen, as every process registers them at start-up."""
    async with database.transaction() as session:
        await service.ensure_own_kanalen(session)


@pytest.fixture
async def dispatcher(nrc_settings: Settings, database: Database) -> AsyncIterator[Dispatcher]:
    d = Dispatcher(nrc_settings, database)
    yield d
    await d.close()


class SimulatedClock:
    """Moves `core.clock.now` by hand; everything that schedules reads it."""

    def __init__(self) -> None:
        self.moment = dt.datetime.now(dt.UTC)

    def now(self) -> dt.datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimulatedClock:
    simulated = SimulatedClock()
    monkeypatch.setattr(core_clock, "now", simulated.now)
    return simulated
