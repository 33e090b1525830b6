"""Operator tasks on deliveries (CLI `mijnzaken notificaties …` and the beheer extension of the
API): the queue's state, failing subscribers, retrying parked deliveries and replaying."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.db import iso
from mijnzaken.core.errors import NotFound, ValidationFailed
from mijnzaken.core.jobs import DONE, PARKED, PENDING, JobQueue
from mijnzaken.notificaties import repository as repo
from mijnzaken.notificaties.models import Delivery, DeliveryAttempt, Notificatie

# the words the API and CLI use for the queue states
STATE_NAMES = {PENDING: "wachtend", DONE: "afgeleverd", PARKED: "geparkeerd"}
STATES_BY_NAME = {v: k for k, v in STATE_NAMES.items()}


@dataclass(frozen=True)
class Failing:
    abonnement: uuid.UUID | None  # None: the remote Notificaties API
    callback_url: str
    waiting: int
    since: dt.datetime
    last_error: str


@dataclass(frozen=True)
class Status:
    pending: int
    parked: int
    oldest_pending: dt.datetime | None
    failing: list[Failing]

    @property
    def oldest_age(self) -> float:
        if self.oldest_pending is None:
            return 0.0
        return max(0.0, (clock.now() - self.oldest_pending).total_seconds())


async def status(session: AsyncSession, queue: JobQueue) -> Status:
    """Queue depth, parked count, the oldest undelivered, and the failing subscribers."""
    stats = await queue.stats(session)
    failing = [
        Failing(
            abonnement=r[1],
            callback_url=r[2] or "(Notificaties API op afstand)",
            waiting=int(r[3]),
            since=_aware(r[4]),
            last_error=r[5] or "",
        )
        for r in await repo.failing_subscribers(session)
    ]
    return Status(stats.pending, stats.parked, stats.oldest_pending, failing)


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


async def abonnement_id(session: AsyncSession, ident: uuid.UUID | None) -> int | None:
    if ident is None:
        return None
    found = (await repo.abonnement_ids(session, [ident])).get(ident)
    if found is None:
        raise ValidationFailed.field("abonnement", "does_not_exist", "Onbekend abonnement.")
    return found


def deliveries(state: str | None, abonnement: int | None) -> Select[Any]:
    """The select of deliveries (with their notificatie and abonnement uuid), for a page."""
    return repo.deliveries_stmt(state=state, abonnement_id=abonnement)


async def delivery(
    session: AsyncSession, ident: uuid.UUID
) -> tuple[Delivery, Notificatie, uuid.UUID | None, Sequence[DeliveryAttempt]]:
    """One delivery with all its attempts, or 404."""
    row = await repo.delivery(session, ident)
    if row is None:
        raise NotFound("Aflevering niet gevonden.")
    d, n, abonnement_uuid = row
    return d, n, abonnement_uuid, await repo.attempts_of(session, d.id)


async def parked(session: AsyncSession, limit: int) -> list[tuple[str, str, str, str]]:
    """Parked deliveries, oldest first: (delivery uuid, callback URL, message, last error)."""
    rows = await repo.parked(session, limit)
    return [
        (
            str(d_uuid),
            callback or "(Notificaties API op afstand)",
            f"{payload.get('kanaal')} {payload.get('resource')} {payload.get('actie')} "
            f"{payload.get('resourceUrl')}",
            error,
        )
        for d_uuid, callback, payload, error in rows
    ]


async def requeue(
    session: AsyncSession,
    queue: JobQueue,
    *,
    state: str,
    abonnement: uuid.UUID | None = None,
    notificatie: uuid.UUID | None = None,
    delivery: uuid.UUID | None = None,
    since: dt.datetime | None = None,
) -> int:
    """Send deliveries again from now on: parked ones (retry), or delivered ones (replay),
    optionally only of one abonnement, one notificatie, one delivery, or since a moment.
    The attempts made so far stay on record."""
    where: list[Any] = [Delivery.state == state]
    ab = await abonnement_id(session, abonnement)
    if ab is not None:
        where.append(Delivery.abonnement_id == ab)
    if notificatie is not None:
        where.append(
            Delivery.notificatie_id.in_(
                Notificatie.__table__.select()
                .with_only_columns(Notificatie.__table__.c.id)
                .where(Notificatie.__table__.c.uuid == notificatie)
                .scalar_subquery()
            )
        )
    if delivery is not None:
        where.append(Delivery.uuid == delivery)
    if since is not None:
        where.append(Delivery.created_at >= since)
    count = await queue.requeue(session, where)
    if count:
        from mijnzaken.core import outbox

        outbox.mark_work(session, outbox.NOTIFICATIES)
    return count


def render_delivery(
    d: Delivery,
    n: Notificatie,
    abonnement_url: str | None,
    url: str,
    attempts: Sequence[DeliveryAttempt] | None = None,
) -> dict[str, Any]:
    """A delivery as the beheer API shows it."""
    body: dict[str, Any] = {
        "url": url,
        "notificatie": str(n.uuid),
        "kanaal": n.kanaal,
        "abonnement": abonnement_url,
        "status": STATE_NAMES.get(d.state, d.state),
        "pogingen": d.attempts,
        "aangemaakt": iso(d.created_at),
        "volgendePoging": iso(d.available_at) if d.state == PENDING else None,
        "laatsteStatus": d.last_status,
        "laatsteFout": d.last_error,
        "afgerond": iso(d.finished_at),
        "bericht": n.payload,
    }
    if attempts is not None:
        body["pogingDetails"] = [
            {
                "tijdstip": iso(a.attempted_at),
                "status": a.status,
                "fout": a.error,
                "duurMs": a.latency_ms,
            }
            for a in attempts
        ]
    return body
