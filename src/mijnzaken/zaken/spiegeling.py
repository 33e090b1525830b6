"""Performing the mirror jobs of zrc-024 / zrc-025, and of brc-006 for a besluit on a remote
zaak (zaken/services/spiegel.py), after commit, on the durable job queue (core/jobs.py) run by a
`Runner` (core/runner.py), as berichten and notificaties are delivered.

Aanmaken is idempotent by looking first: the remote's list is searched for an object with this
zaak and this verzoek / contactmoment (for a ZaakBesluit: the zaak's `/besluiten` for this
besluit), and only when there is none is one POSTed. A retry after a POST whose answer was lost
therefore finds the mirror instead of making a second one.
Verwijderen DELETEs the URL the remote gave (404 counts as removed); when that URL is unknown
(the create's answer never arrived) it searches and removes what it finds. A delete waits while
the create of the same link is still in flight, so the two cannot overtake each other.

Every call goes through core/outbound's `Sender` (SSRF checks, time and size limits) with the ZGW
JWT of the remote service (core/services.py); the service is looked up again at every attempt,
so new credentials apply to waiting jobs. Jobs of one remote share a probe group: an
unreachable API costs one attempt per backoff step, not one per waiting job.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.jobs import PENDING, Claimed, JobQueue, Outcome, RetryPolicy, mirror_policy
from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.runner import QueueWorker, in_background
from mijnzaken.core.services import RemoteService, authorization, service_for
from mijnzaken.core.settings import Settings
from mijnzaken.zaken.models.spiegel import AANMAKEN, ZAAKBESLUIT, Spiegeling, SpiegelPoging
from mijnzaken.zaken.services import spiegel
from mijnzaken.zaken.services.spiegel import FIELD, remote_of

logger = logging.getLogger("mijnzaken.zaken.spiegeling")

UNREACHABLE = {502, 503, 504}


def policy(settings: Settings) -> RetryPolicy:
    return mirror_policy(settings)


@dataclass(frozen=True)
class Resultaat(Outcome):
    """An outcome that may carry the URL of the mirror in the remote API."""

    remote_url: str | None = None


class SpiegelQueue(JobQueue):
    """The queue of mirror jobs; a success stores the remote URL it found or was given."""

    async def record(
        self, session: AsyncSession, outcomes: Sequence[Outcome], rng: Any = None
    ) -> dict[int, Any]:
        found = [
            {"b_id": o.job.id, "b_token": o.job.token, "b_url": o.remote_url}
            for o in outcomes
            if isinstance(o, Resultaat) and o.ok and o.remote_url
        ]
        if found:
            t = self.table
            await session.execute(
                t.update()
                .where(t.c.id == bindparam("b_id"), t.c.claim_token == bindparam("b_token"))
                .values(remote_url=bindparam("b_url")),
                found,
            )
        return await super().record(session, outcomes, rng)


def spiegel_queue(settings: Settings) -> SpiegelQueue:
    return SpiegelQueue(
        Spiegeling, SpiegelPoging, "spiegeling_id", policy(settings), group="api_root"
    )


@dataclass(frozen=True)
class Item:
    soort: str
    actie: str
    zaak: str
    doel: str
    remote_url: str | None
    aanmaken_bezig: bool  # a delete whose link's create is still waiting or in flight


class Mislukt(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class SpiegelHandler:
    """The zrc-024/025 use of the job queue: load the jobs, call the remote, never raise."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue: JobQueue = spiegel_queue(settings)
        # every call goes under the root of a service the operator configured (a URL the
        # remote returns is only followed under that root), which may be on the intranet
        self.sender = Sender(settings, trusted=True, connections=10)

    async def prepare(self, session: AsyncSession, jobs: Sequence[Claimed]) -> Mapping[int, Any]:
        create = aliased(Spiegeling)
        rows = await session.execute(
            select(Spiegeling, create.state, create.remote_url)
            .outerjoin(
                create,
                (create.koppeling == Spiegeling.koppeling)
                & (create.actie == AANMAKEN)
                & (create.id != Spiegeling.id),
            )
            .where(Spiegeling.id.in_([j.id for j in jobs]))
        )
        items: dict[int, Item] = {}
        for job, create_state, create_url in rows.all():
            items[job.id] = Item(
                job.soort,
                job.actie,
                job.zaak,
                job.doel,
                job.remote_url or create_url,
                create_state == PENDING,
            )
        return items

    async def perform(self, job: Claimed, item: Any) -> Outcome:
        attempted = clock.now()
        started = clock.started()
        if not isinstance(item, Item):
            return Outcome(job, ok=False, attempted_at=attempted, error="spiegeling niet gevonden")
        url: str | None
        try:
            if item.actie == AANMAKEN:
                status, url = await self.aanmaken(item)
            else:
                status, url = await self.verwijderen(item)
        except Mislukt as exc:
            logger.warning("spiegeling %s (%s) mislukt: %s", job.id, item.soort, exc.reason)
            return Outcome(
                job,
                ok=False,
                attempted_at=attempted,
                status=exc.status,
                error=exc.reason,
                latency_ms=clock.ms_since(started),
                unreachable=exc.status is None or exc.status in UNREACHABLE,
            )
        return Resultaat(
            job,
            ok=True,
            attempted_at=attempted,
            status=status,
            latency_ms=clock.ms_since(started),
            remote_url=url,
        )

    def _service(self, item: Item) -> RemoteService:
        service = service_for(self.settings, remote_of(item.soort, item.zaak, item.doel))
        if service is None:
            raise Mislukt("geen remote service ingesteld voor deze URL")
        return service

    async def _call(
        self, method: str, url: str, service: RemoteService, body: Any = None
    ) -> tuple[int, Any]:
        headers = {**authorization(service), "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = orjson.dumps(body)
        try:
            reply = await self.sender.exchange(method, url, headers, data)
        except OutboundError as exc:
            raise Mislukt(f"{method} {exc.code}") from exc
        if reply.status >= 300 and reply.status != 404:
            raise Mislukt(f"{method} gaf {reply.status}", reply.status)
        payload = None
        if reply.body and reply.status < 300:
            try:
                payload = reply.json()
            except OutboundError as exc:
                raise Mislukt(f"{method} gaf geen JSON", reply.status) from exc
        return reply.status, payload

    async def _zoek(self, item: Item, service: RemoteService) -> list[str]:
        """The URLs of the remote's objects for this zaak and this verzoek/contactmoment
        (or of the zaak's ZaakBesluiten for this besluit)."""
        field = FIELD[item.soort]
        if item.soort == ZAAKBESLUIT:
            lijst = _lijst(item, service)  # the zaak's own besluiten, a list without filters
        else:
            lijst = f"{_lijst(item, service)}?{urlencode({'object': item.zaak, field: item.doel})}"
        status, body = await self._call("GET", lijst, service)
        if status == 404:
            raise Mislukt("de lijst van de remote API bestaat niet", status)
        results = body.get("results") if isinstance(body, dict) else body
        if not isinstance(results, list):
            raise Mislukt("de lijst van de remote API heeft niet de vorm van de standaard")
        return [
            r["url"]
            for r in results
            if isinstance(r, dict)
            and (item.soort == ZAAKBESLUIT or r.get("object") == item.zaak)
            and r.get(field) == item.doel
            and isinstance(r.get("url"), str)
            and service.owns(r["url"])  # never DELETE outside the service
        ]

    async def aanmaken(self, item: Item) -> tuple[int, str]:
        service = self._service(item)
        existing = await self._zoek(item, service)
        if existing:
            return 200, existing[0]
        body = {FIELD[item.soort]: item.doel}
        if item.soort != ZAAKBESLUIT:
            body.update(object=item.zaak, objectType="zaak")
        status, answer = await self._call("POST", _lijst(item, service), service, body)
        if status != 201 or not isinstance(answer, dict) or not isinstance(answer.get("url"), str):
            raise Mislukt(f"POST gaf {status} zonder url", status)
        return status, str(answer["url"])

    async def verwijderen(self, item: Item) -> tuple[int, str | None]:
        if item.aanmaken_bezig:
            raise Mislukt("wacht tot het aanmaken van de spiegeling klaar is")
        service = self._service(item)
        urls = [item.remote_url] if item.remote_url else await self._zoek(item, service)
        status = 204
        for url in urls:
            if not service.owns(url):
                raise Mislukt("de URL van de spiegeling hoort niet bij de remote service")
            status, _body = await self._call("DELETE", url, service)
        return status, None

    async def close(self) -> None:
        await self.sender.close()


def _lijst(item: Item, service: RemoteService) -> str:
    """The remote collection the mirror lives in: the service's objectverzoeken /
    objectcontactmomenten, or the remote zaak's besluiten."""
    if item.soort == ZAAKBESLUIT:
        return f"{item.zaak}/besluiten"
    return service.url(item.soort)


class Spiegelaar(QueueWorker):
    """Performs mirror jobs in one process until stopped (one per SQLite database)."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        super().__init__(
            database,
            SpiegelHandler(settings),
            database_url=settings.database_url,
            lock_name=spiegel.LOCK_NAME,
            concurrency=10,
            poll_interval=max(1.0, settings.dispatch_poll_interval),
            grace=settings.outbound_timeout,
        )


@contextlib.asynccontextmanager
async def running(settings: Settings, database: Database) -> AsyncIterator[Spiegelaar | None]:
    """Mirror relations in the background of the current event loop (serve's lifespan), when
    any remote service is configured; without one there is nothing to mirror to."""
    if not settings.remote_services:
        yield None
        return
    spiegelaar = Spiegelaar(settings, database)
    async with in_background(spiegelaar, "mijnzaken-spiegels"):
        yield spiegelaar
