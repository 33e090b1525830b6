"""The dispatcher: routes committed outbox rows into deliveries and delivers them.

Runs inside `mijnzaken serve` (unless MIJNZAKEN_DISPATCHER=false) and alone in
`mijnzaken worker`; any number of them share the work on PostgreSQL, one runs per SQLite
database (core/jobs.py). With MIJNZAKEN_NOTIFICATIES_API_URL set, our registers' messages go to
that remote Notificaties API as deliveries of their own (same retries, same parking).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock, outbox
from mijnzaken.core.db import Database
from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.runner import Runner, sqlite_singleton
from mijnzaken.core.settings import Settings
from mijnzaken.notificaties import repository as repo
from mijnzaken.notificaties import service
from mijnzaken.notificaties.delivery import DeliveryHandler
from mijnzaken.notificaties.kanalen import OWN_KANALEN

logger = logging.getLogger("mijnzaken.notificaties")

ROUTE_BATCH = 500
PURGE_EVERY = 600.0  # seconds between two purges of old, fully delivered notificaties


class Dispatcher:
    """Outbox router plus delivery runner for one process."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.handler = DeliveryHandler(settings)
        self.remote = bool(settings.notificaties_api_url)
        self.runner = Runner(
            database,
            self.handler,
            concurrency=settings.delivery_concurrency,
            poll_interval=settings.dispatch_poll_interval,
            grace=settings.outbound_timeout,
            before=self.upkeep,
            feed=self.feed,
        )
        self._kanalen_ready = False
        self._next_kanalen_try = 0.0
        self._next_purge = 0.0

    async def feed(self, session: AsyncSession) -> bool:
        """Route one batch of committed outbox rows in the claim's transaction; True when
        the batch was full (more may wait)."""
        count, routed = await service.route_outbox(
            session, self.handler.queue, ROUTE_BATCH, remote=self.remote
        )
        self.handler.routed(session, routed)
        return count == ROUTE_BATCH

    async def ensure_kanalen(self) -> None:
        """Our registers' kanalen: in our own register, or at the remote Notificaties API."""
        if self._kanalen_ready or time.monotonic() < self._next_kanalen_try:
            return
        try:
            if self.remote:
                await self._ensure_remote_kanalen()
            else:
                async with self.database.transaction() as session:
                    await service.ensure_own_kanalen(session)
            self._kanalen_ready = True
        except (OutboundError, OSError, ValueError) as exc:
            logger.warning("kanalen not registered yet (%s); trying again later", exc)
            self._next_kanalen_try = time.monotonic() + 60

    async def _ensure_remote_kanalen(self) -> None:
        import orjson

        base = (self.settings.notificaties_api_url or "").rstrip("/")
        sender = self.handler.remote_sender
        token = f"Bearer {self.handler.remote_token()}"
        for own in OWN_KANALEN:
            found = await sender.get_json(
                f"{base}/kanaal?naam={own.naam}", {"Authorization": token}
            )
            if isinstance(found, list) and found:
                continue
            body = {"naam": own.naam, "documentatieLink": own.documentatie_link}
            body["filters"] = list(own.filters)  # type: ignore[assignment]
            answer = await sender.post(
                f"{base}/kanaal",
                orjson.dumps(body),
                {"Authorization": token, "Content-Type": "application/json"},
            )
            if answer.status not in (200, 201):
                raise OutboundError("bad-url", f"kanaal {own.naam}: HTTP {answer.status}")

    async def purge(self) -> None:
        """Remove notificaties older than the retention whose deliveries are all done."""
        days = self.settings.notificaties_retention_days
        if days <= 0 or time.monotonic() < self._next_purge:
            return
        self._next_purge = time.monotonic() + PURGE_EVERY
        async with self.database.transaction() as session:
            removed = await repo.purge_notificaties(session, clock.now() - dt.timedelta(days=days))
        if removed:
            logger.info("removed %d delivered notificaties older than %d days", removed, days)

    async def upkeep(self) -> None:
        await self.ensure_kanalen()
        await self.purge()

    async def step(self) -> int:
        """Route what is committed and make one round of delivery attempts (tests, CLI)."""
        return await self.runner.step()

    async def run(self, stop: asyncio.Event) -> None:
        """Dispatch until `stop` is set; on SQLite only while holding the database's lock."""
        loop = asyncio.get_running_loop()

        def wake() -> None:
            loop.call_soon_threadsafe(self.runner.wake)

        try:
            async with sqlite_singleton(self.settings.database_url, stop) as holding:
                if holding:  # woken by commits only while it runs: others signal instead
                    unregister = outbox.on_commit(wake, outbox.NOTIFICATIES)
                    try:
                        await self.runner.run(stop)
                    finally:
                        unregister()
        finally:
            await self.handler.close()

    async def close(self) -> None:
        await self.handler.close()


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("the dispatcher stopped", exc_info=task.exception())


@contextlib.asynccontextmanager
async def running(settings: Settings, database: Database):  # type: ignore[no-untyped-def]
    """Run a dispatcher in the background of the current event loop (serve's lifespan)."""
    dispatcher = Dispatcher(settings, database)
    stop = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stop), name="mijnzaken-dispatcher")
    task.add_done_callback(_log_crash)
    try:
        yield dispatcher
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await task
