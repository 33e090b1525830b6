"""Mirroring links to documents of remote Documenten APIs there, after commit (zrc-005,
brc-005): the objectinformatieobject a remote register keeps for each zaak or besluit that
links one of its documents.

Creating or removing such a link writes a `RemoteRelatie` job in the same transaction
(`plan_koppel`, `plan_ontkoppel`); a `Runner` (core/runner.py) performs it after commit on the
durable queue (core/jobs.py): retried with backoff (MIJNZAKEN_DELIVERY_RETRY_BASE/_CAP),
parked after MIJNZAKEN_SPIEGEL_PARK_AFTER for an operator (as every mirror job, zrc-024/025
too), nothing sent for a change that rolled back. A remote that is down costs one attempt
per backoff step (its jobs share the remote API as group). See docs/adr/0018.

`koppel` POSTs `<api>/objectinformatieobjecten`; an answer that it exists already (a retry of
a POST whose answer was lost) counts as done. `ontkoppel` looks the relation up there and
DELETEs it; none found counts as done. Removing a link whose `koppel` still waits drops that
job (the `ontkoppel` clears what an earlier attempt may have made).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock, outbox
from mijnzaken.core.db import Database
from mijnzaken.core.jobs import PARKED, PENDING, Claimed, JobQueue, Outcome, mirror_policy
from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.runner import QueueWorker, in_background
from mijnzaken.core.services import service_for
from mijnzaken.core.settings import Settings
from mijnzaken.documenten.models import RemoteRelatie, RemoteRelatiePoging
from mijnzaken.federatie import documenten as remote

logger = logging.getLogger("mijnzaken.documenten.mirror")

KOPPEL = "koppel"
LOCK_NAME = "mirror"  # the runner's lock and the kind of work that wakes it
ONTKOPPEL = "ontkoppel"
_UNREACHABLE = ("timeout", "unreachable")


def mirror_queue(settings: Settings) -> JobQueue:
    return JobQueue(
        RemoteRelatie, RemoteRelatiePoging, "job_id", mirror_policy(settings), group="api_root"
    )


def plan_koppel(
    session: AsyncSession,
    settings: Settings,
    *,
    informatieobject: str,
    object_url: str,
    object_type: str,
) -> bool:
    """Queue the mirror of a new link to a remote document (in the caller's transaction).
    False when `informatieobject` names no document of a Documenten API."""
    root = remote.api_root(informatieobject)
    if root is None:
        return False
    session.add(
        RemoteRelatie(
            actie=KOPPEL,
            api_root=root,
            informatieobject=informatieobject,
            object=object_url,
            object_type=object_type,
            **mirror_queue(settings).new(),
        )
    )
    outbox.mark_work(session, LOCK_NAME)
    return True


async def plan_ontkoppel(
    session: AsyncSession,
    settings: Settings,
    *,
    informatieobject: str,
    object_url: str,
    object_type: str,
) -> bool:
    """Queue the removal of the mirror of a removed link (in the caller's transaction). A
    `koppel` of the same link still waiting (or parked) is dropped: the removal that follows
    clears whatever an earlier attempt of it may have left there."""
    root = remote.api_root(informatieobject)
    if root is None:
        return False
    t = RemoteRelatie
    await session.execute(
        delete(t)
        .where(
            t.actie == KOPPEL,
            t.informatieobject == informatieobject,
            t.object == object_url,
            t.state.in_((PENDING, PARKED)),
            t.claim_token.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    session.add(
        RemoteRelatie(
            actie=ONTKOPPEL,
            api_root=root,
            informatieobject=informatieobject,
            object=object_url,
            object_type=object_type,
            **mirror_queue(settings).new(),
        )
    )
    outbox.mark_work(session, LOCK_NAME)
    return True


class MirrorHandler:
    """The mirror use of the job queue: load the jobs, perform each, never raise."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue = mirror_queue(settings)
        # a configured remote is the operator's (it may be on the intranet); any other
        # Documenten API came from a client and gets the SSRF checks
        self.trusted = Sender(settings, trusted=True, connections=8)
        self.checked = Sender(settings, trusted=False, connections=8)

    async def prepare(self, session: AsyncSession, jobs: Sequence[Claimed]) -> Mapping[int, Any]:
        rows = await session.execute(
            select(RemoteRelatie).where(RemoteRelatie.id.in_([j.id for j in jobs]))
        )
        found: dict[int, Any] = {}
        for job in rows.scalars():
            found[job.id] = (
                job.actie,
                job.api_root,
                job.informatieobject,
                job.object,
                job.object_type,
            )
        return found

    async def perform(self, job: Claimed, item: Any) -> Outcome:
        attempted = clock.now()
        started = clock.started()
        if item is None:
            return Outcome(job, ok=False, attempted_at=attempted, error="taak niet gevonden")
        actie, root, informatieobject, object_url, object_type = item
        sender = self.trusted if service_for(self.settings, root) else self.checked
        status: int | None = None
        try:
            if actie == KOPPEL:
                answer = await remote.koppel(
                    sender,
                    root,
                    informatieobject=informatieobject,
                    object_url=object_url,
                    object_type=object_type,
                )
                status = answer.status
                if status != 201 and not (
                    status == 400
                    and await remote.gekoppeld(
                        sender, root, informatieobject=informatieobject, object_url=object_url
                    )
                ):
                    raise OutboundError("refused", f"Onverwacht antwoord ({status}).")
            else:
                await remote.ontkoppel(
                    sender, root, informatieobject=informatieobject, object_url=object_url
                )
                status = 204
        except OutboundError as exc:
            # the log names the job and the remote API, not the zaak or document
            logger.warning("mirror %s %s at %s failed: %s", job.id, actie, root, exc.code)
            return Outcome(
                job,
                ok=False,
                attempted_at=attempted,
                status=status,
                error=f"{exc.code}: {exc.reason}",
                latency_ms=clock.ms_since(started),
                unreachable=exc.code in _UNREACHABLE,
            )
        return Outcome(
            job, ok=True, attempted_at=attempted, status=status, latency_ms=clock.ms_since(started)
        )

    async def close(self) -> None:
        await self.trusted.close()
        await self.checked.close()


class Mirror(QueueWorker):
    """Mirrors links in one process until stopped (one per SQLite database)."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        super().__init__(
            database,
            MirrorHandler(settings),
            database_url=settings.database_url,
            lock_name=LOCK_NAME,
            concurrency=16,
            poll_interval=max(0.25, settings.dispatch_poll_interval),
            grace=settings.outbound_timeout,
        )


@contextlib.asynccontextmanager
async def running(settings: Settings, database: Database) -> AsyncIterator[Mirror]:
    """Mirror links in the background of the current event loop (serve's lifespan, the
    worker)."""
    mirror = Mirror(settings, database)
    async with in_background(mirror, "mijnzaken-documenten-mirror"):
        yield mirror
