"""Queries of the Notificaties register."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Select, Table, Text, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.core.jobs import PENDING
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.notificaties.models import (
    Abonnement,
    AbonnementKanaal,
    Delivery,
    DeliveryAttempt,
    Kanaal,
    Notificatie,
)

_FULL = (selectinload(Abonnement.kanalen).selectinload(AbonnementKanaal.kanaal),)


async def kanalen(session: AsyncSession, naam: str | None = None) -> Sequence[Kanaal]:
    stmt = select(Kanaal).order_by(Kanaal.id)
    if naam is not None:
        stmt = stmt.where(Kanaal.naam == naam)
    return (await session.execute(stmt)).scalars().all()


async def kanaal(session: AsyncSession, ident: uuid.UUID) -> Kanaal | None:
    stmt = select(Kanaal).where(Kanaal.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def kanalen_by_naam(session: AsyncSession, namen: Sequence[str]) -> dict[str, Kanaal]:
    stmt = select(Kanaal).where(Kanaal.naam.in_(set(namen)))
    return {k.naam: k for k in (await session.execute(stmt)).scalars()}


async def abonnementen(session: AsyncSession) -> Sequence[Abonnement]:
    stmt = select(Abonnement).options(*_FULL).order_by(Abonnement.id)
    return (await session.execute(stmt)).scalars().all()


async def abonnement(session: AsyncSession, ident: uuid.UUID) -> Abonnement | None:
    stmt = select(Abonnement).options(*_FULL).where(Abonnement.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def abonnement_ids(
    session: AsyncSession, idents: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    stmt = select(Abonnement.uuid, Abonnement.id).where(Abonnement.uuid.in_(idents))
    return {u: i for u, i in (await session.execute(stmt)).all()}


async def subscriptions_for(session: AsyncSession, kanalen_namen: Sequence[str]) -> Sequence[Any]:
    """(abonnement id, kanaal naam, filters, callback URL, auth, CloudEvents or not) of every
    abonnement on these kanalen."""
    stmt = (
        select(
            AbonnementKanaal.abonnement_id,
            Kanaal.naam,
            AbonnementKanaal.filters,
            Abonnement.callback_url,
            Abonnement.auth,
            Abonnement.send_cloudevents,
        )
        .join(Kanaal, Kanaal.id == AbonnementKanaal.kanaal_id)
        .join(Abonnement, Abonnement.id == AbonnementKanaal.abonnement_id)
        .where(Kanaal.naam.in_(set(kanalen_namen)))
        .order_by(AbonnementKanaal.abonnement_id)
    )
    return (await session.execute(stmt)).all()


async def insert_notificaties(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    """Insert notificaties; their ids in the order given (one statement)."""
    if not rows:
        return []
    table = cast(Table, Notificatie.__table__)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [r[0] for r in (await session.execute(stmt, rows)).all()]


async def insert_deliveries(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    """Insert deliveries; their ids in the order given (one statement)."""
    if not rows:
        return []
    table = cast(Table, Delivery.__table__)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [r[0] for r in (await session.execute(stmt, rows)).all()]


async def take_outbox(session: AsyncSession, limit: int) -> list[Any]:
    """Up to `limit` of the oldest committed outbox rows, deleted in this transaction and
    returned oldest first (one statement; other dispatchers skip the rows it locked). Routed
    in the same transaction, they are gone only if their routing commits."""
    table = cast(Table, OutboxMessage.__table__)
    oldest = select(table.c.id).order_by(table.c.id).limit(limit).with_for_update(skip_locked=True)
    stmt = (
        delete(table)
        .where(table.c.id.in_(oldest.scalar_subquery()))
        .returning(table.c.id, table.c.kanaal, table.c.payload, table.c.created_at)
    )
    return sorted((await session.execute(stmt)).all(), key=lambda row: row.id)


async def delivery_targets(session: AsyncSession, ids: Sequence[int]) -> Sequence[Any]:
    """What sending the deliveries needs: the message and (if any) the abonnement."""
    stmt = (
        select(
            Delivery.id,
            Notificatie.uuid,
            # the stored JSON text, sent as it is (no decoding and encoding per delivery)
            Notificatie.payload.cast(Text).label("payload"),
            Abonnement.callback_url,
            Abonnement.auth,
            Abonnement.send_cloudevents,
        )
        .join(Notificatie, Notificatie.id == Delivery.notificatie_id)
        .outerjoin(Abonnement, Abonnement.id == Delivery.abonnement_id)
        .where(Delivery.id.in_(ids))
    )
    return (await session.execute(stmt)).all()


def deliveries_stmt(*, state: str | None, abonnement_id: int | None) -> Select[Any]:
    stmt: Select[Any] = (
        select(Delivery, Notificatie, Abonnement.uuid)  # type: ignore[assignment]
        .join(Notificatie, Notificatie.id == Delivery.notificatie_id)
        .outerjoin(Abonnement, Abonnement.id == Delivery.abonnement_id)
        .order_by(Delivery.id)
    )
    if state is not None:
        stmt = stmt.where(Delivery.state == state)
    if abonnement_id is not None:
        stmt = stmt.where(Delivery.abonnement_id == abonnement_id)
    return stmt


async def delivery(session: AsyncSession, ident: uuid.UUID) -> Any:
    stmt = (
        select(Delivery, Notificatie, Abonnement.uuid)
        .join(Notificatie, Notificatie.id == Delivery.notificatie_id)
        .outerjoin(Abonnement, Abonnement.id == Delivery.abonnement_id)
        .where(Delivery.uuid == ident)
    )
    return (await session.execute(stmt)).one_or_none()


async def lock_waiting_deliveries(session: AsyncSession, abonnement_id: int) -> None:
    """Lock the abonnement's waiting deliveries (those the delivery runner records outcomes
    of) in id order, before a delete takes them in whatever order its cascade finds them.
    PostgreSQL only: SQLite has one writer at a time, and no row locks."""
    if session.get_bind().dialect.name != "postgresql":
        return
    stmt = (
        select(Delivery.id)
        .where(Delivery.abonnement_id == abonnement_id, Delivery.state == PENDING)
        .order_by(Delivery.id)
        .with_for_update()
    )
    await session.execute(stmt)


async def attempts_of(session: AsyncSession, delivery_id: int) -> Sequence[DeliveryAttempt]:
    stmt = (
        select(DeliveryAttempt)
        .where(DeliveryAttempt.delivery_id == delivery_id)
        .order_by(DeliveryAttempt.id)
    )
    return (await session.execute(stmt)).scalars().all()


async def failing_subscribers(session: AsyncSession) -> Sequence[Any]:
    """Per abonnement with waiting deliveries that failed before: how many, since when, and
    the error of the most recent attempt at any of them."""
    failed = (Delivery.state == PENDING, Delivery.attempts > 0)
    groups = (
        select(
            Delivery.abonnement_id.label("abonnement_id"),
            func.count().label("waiting"),
            func.min(Delivery.created_at).label("since"),
        )
        .where(*failed)
        .group_by(Delivery.abonnement_id)
        .subquery()
    )
    # the attempts at those deliveries, newest first per abonnement (the remote router's,
    # without one, are one partition too); the id settles attempts made at the same moment
    ranked = (
        select(
            Delivery.abonnement_id.label("abonnement_id"),
            DeliveryAttempt.error.label("error"),
            func.row_number()
            .over(
                partition_by=Delivery.abonnement_id,
                order_by=(DeliveryAttempt.attempted_at.desc(), DeliveryAttempt.id.desc()),
            )
            .label("rank"),
        )
        .join(DeliveryAttempt, DeliveryAttempt.delivery_id == Delivery.id)
        .where(*failed)
        .subquery()
    )
    latest = select(ranked.c.abonnement_id, ranked.c.error).where(ranked.c.rank == 1).subquery()
    stmt = (
        select(
            groups.c.abonnement_id,
            Abonnement.uuid,
            Abonnement.callback_url,
            groups.c.waiting,
            groups.c.since,
            latest.c.error,
        )
        .outerjoin(Abonnement, Abonnement.id == groups.c.abonnement_id)
        .outerjoin(latest, latest.c.abonnement_id.is_not_distinct_from(groups.c.abonnement_id))
        .order_by(groups.c.waiting.desc(), groups.c.abonnement_id)
    )
    return (await session.execute(stmt)).all()


async def purge_notificaties(session: AsyncSession, before: Any) -> int:
    """Remove notificaties received before `before` none of whose deliveries still waits or
    is parked (their deliveries and attempts go with them)."""
    open_ = select(Delivery.notificatie_id).where(Delivery.state != "done")
    table = cast(Table, Notificatie.__table__)
    result = await session.execute(
        delete(table).where(table.c.received_at < before, table.c.id.not_in(open_))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def parked(session: AsyncSession, limit: int) -> Sequence[Any]:
    """(delivery uuid, callback URL, message, last error) of parked deliveries, oldest first."""
    stmt = (
        select(Delivery.uuid, Abonnement.callback_url, Notificatie.payload, Delivery.last_error)
        .join(Notificatie, Notificatie.id == Delivery.notificatie_id)
        .outerjoin(Abonnement, Abonnement.id == Delivery.abonnement_id)
        .where(Delivery.state == "parked")
        .order_by(Delivery.id)
        .limit(limit)
    )
    return (await session.execute(stmt)).all()
