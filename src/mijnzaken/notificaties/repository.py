"""Queries of the Notificaties register."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    Text,
    Uuid,
    bindparam,
    column,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

# the engine's JSON serializer: the text stored here is the text the ORM would store
from mijnzaken.core.db import json_dumps
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


# the statements of routing and delivering, built once: their values are parameters, so
# each execution finds its compiled form in the cache without building the construct
_ROUTES = (
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
)
_SUBSCRIPTIONS = _ROUTES.where(Kanaal.naam.in_(bindparam("kanalen", expanding=True))).order_by(
    AbonnementKanaal.abonnement_id
)
_NOTIFICATIES = cast(Table, Notificatie.__table__)
_INSERT_NOTIFICATIES = insert(_NOTIFICATIES).returning(
    _NOTIFICATIES.c.id, sort_by_parameter_order=True
)
_DELIVERIES = cast(Table, Delivery.__table__)
_INSERT_DELIVERIES = insert(_DELIVERIES).returning(_DELIVERIES.c.id, sort_by_parameter_order=True)
_OUTBOX = cast(Table, OutboxMessage.__table__)
_TAKE_OUTBOX = (
    delete(_OUTBOX)
    .where(
        _OUTBOX.c.id.in_(
            select(_OUTBOX.c.id)
            .order_by(_OUTBOX.c.id)
            .limit(bindparam("limit", type_=Integer))
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
    )
    .returning(_OUTBOX.c.id, _OUTBOX.c.kanaal, _OUTBOX.c.payload, _OUTBOX.c.created_at)
)


def _take_outbox_routed_stmt() -> Any:
    """PostgreSQL: `_TAKE_OUTBOX` (in the WITH clause) and the subscriptions on the kanalen
    of the rows it took, in one statement: the rows first (`kind` 0, by id), then the
    subscriptions (`kind` 1, by abonnement), each with the other's columns empty."""
    taken = _TAKE_OUTBOX.cte("taken")
    rows = select(
        literal(0).label("kind"),
        taken.c.id,
        taken.c.kanaal,
        taken.c.payload,
        taken.c.created_at,
        sql_cast(null(), Integer).label("abonnement_id"),
        sql_cast(null(), JSON).label("filters"),
        sql_cast(null(), String).label("callback_url"),
        sql_cast(null(), String).label("auth"),
        sql_cast(null(), Boolean).label("send_cloudevents"),
    )
    routes = _ROUTES.with_only_columns(
        literal(1),
        AbonnementKanaal.abonnement_id,
        Kanaal.naam,
        sql_cast(null(), JSON),
        sql_cast(null(), DateTime(timezone=True)),
        AbonnementKanaal.abonnement_id,
        AbonnementKanaal.filters,
        Abonnement.callback_url,
        Abonnement.auth,
        Abonnement.send_cloudevents,
        maintain_column_froms=True,
    ).where(Kanaal.naam.in_(select(taken.c.kanaal)))
    both = union_all(rows, routes).subquery("taken_and_routes")
    return select(both).order_by(both.c.kind, both.c.id)


_TAKE_OUTBOX_ROUTED = _take_outbox_routed_stmt()


_DELIVERY_TARGETS = (
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
    .where(Delivery.id.in_(bindparam("ids", expanding=True)))
)


def _unnest(prefix: str, columns: Sequence[tuple[str, Any]], name: str) -> Any:
    """The rows given as one array parameter per column (`<prefix><column>`), numbered."""
    arrays = (sql_cast(bindparam(f"{prefix}{c}"), ARRAY(type_)) for c, type_ in columns)
    return (
        func.unnest(*arrays)
        .table_valued(*(column(c, type_) for c, type_ in columns), with_ordinality="n")
        .render_derived(name=name)
    )


_NOTIFICATIE_COLUMNS = (
    ("uuid", Uuid()),
    ("kanaal", String()),
    ("payload", Text()),  # as the engine writes JSON (cast to json in the statement)
    ("received_at", DateTime(timezone=True)),
    ("source", String()),
)
_QUEUE_COLUMNS = ("state", "attempts", "created_at", "available_at", "park_after", "last_error")


def _insert_routed_stmt() -> Any:
    """PostgreSQL: notificaties and their deliveries in one statement of constant text. The
    notificaties are inserted in the WITH clause; each delivery names its notificatie by
    uuid and gets the queue columns of a job created now (`q_*`, the same for all)."""
    given = _unnest("n_", _NOTIFICATIE_COLUMNS, "n")
    notificaties = (
        insert(_NOTIFICATIES)
        .from_select(
            [c for c, _type in _NOTIFICATIE_COLUMNS],
            select(
                *(
                    sql_cast(given.c[c], JSON) if c == "payload" else given.c[c]
                    for c, _type in _NOTIFICATIE_COLUMNS
                )
            ).order_by(given.c.n),
        )
        .returning(_NOTIFICATIES.c.id, _NOTIFICATIES.c.uuid)
        .cte("notificaties")
    )
    wanted = _unnest(
        "d_", (("uuid", Uuid()), ("notificatie", Uuid()), ("abonnement_id", Integer())), "d"
    )
    queue = [bindparam(f"q_{c}", type_=_DELIVERIES.c[c].type) for c in _QUEUE_COLUMNS]
    rows = (
        select(*queue, wanted.c.uuid, notificaties.c.id, wanted.c.abonnement_id)
        .join_from(wanted, notificaties, notificaties.c.uuid == wanted.c.notificatie)
        .order_by(wanted.c.n)
    )
    return (
        insert(_DELIVERIES)
        .from_select([*_QUEUE_COLUMNS, "uuid", "notificatie_id", "abonnement_id"], rows)
        .returning(_DELIVERIES.c.id, _DELIVERIES.c.uuid)
        .add_cte(notificaties)
    )


_INSERT_ROUTED = _insert_routed_stmt()


async def subscriptions_for(session: AsyncSession, kanalen_namen: Sequence[str]) -> Sequence[Any]:
    """(abonnement id, kanaal naam, filters, callback URL, auth, CloudEvents or not) of every
    abonnement on these kanalen."""
    names = sorted(set(kanalen_namen))
    return (await session.execute(_SUBSCRIPTIONS, {"kanalen": names})).all()


async def insert_routed(
    session: AsyncSession,
    notificaties: Sequence[dict[str, Any]],
    deliveries: Sequence[tuple[uuid.UUID, uuid.UUID, int | None]],
    queue: dict[str, Any],
) -> list[int]:
    """Insert `notificaties` (their columns) and `deliveries`, each (its uuid, its
    notificatie's uuid, its abonnement) with the queue columns `queue`; the deliveries' ids
    in the order given. One statement on PostgreSQL, two elsewhere."""
    if not notificaties:
        return []
    if session.get_bind().dialect.name == "postgresql":
        parameters = {f"n_{c}": [n[c] for n in notificaties] for c, _t in _NOTIFICATIE_COLUMNS}
        parameters["n_payload"] = [json_dumps(n["payload"]) for n in notificaties]
        parameters.update(
            d_uuid=[d[0] for d in deliveries],
            d_notificatie=[d[1] for d in deliveries],
            d_abonnement_id=[d[2] for d in deliveries],
        )
        parameters.update((f"q_{c}", queue[c]) for c in _QUEUE_COLUMNS)
        ids = {u: i for i, u in (await session.execute(_INSERT_ROUTED, parameters)).all()}
        return [ids[d[0]] for d in deliveries]
    stored = (await session.execute(_INSERT_NOTIFICATIES, list(notificaties))).all()
    by_uuid = {n["uuid"]: r[0] for n, r in zip(notificaties, stored, strict=True)}
    if not deliveries:
        return []
    rows = [
        {**queue, "uuid": ident, "notificatie_id": by_uuid[of], "abonnement_id": abonnement}
        for ident, of, abonnement in deliveries
    ]
    return [r[0] for r in (await session.execute(_INSERT_DELIVERIES, rows)).all()]


async def take_outbox(session: AsyncSession, limit: int) -> list[Any]:
    """Up to `limit` of the oldest committed outbox rows, deleted in this transaction and
    returned oldest first (one statement; other dispatchers skip the rows it locked). Routed
    in the same transaction, they are gone only if their routing commits."""
    rows = (await session.execute(_TAKE_OUTBOX, {"limit": limit})).all()
    return sorted(rows, key=lambda row: row.id)


async def take_outbox_routed(session: AsyncSession, limit: int) -> tuple[list[Any], list[Any]]:
    """`take_outbox` with `subscriptions_for` the kanalen of the rows taken: one statement on
    PostgreSQL, two elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        rows = await take_outbox(session, limit)
        if not rows:
            return [], []
        return rows, list(await subscriptions_for(session, [r.kanaal for r in rows]))
    found = (await session.execute(_TAKE_OUTBOX_ROUTED, {"limit": limit})).all()
    rows = [r for r in found if r.kind == 0]
    routes = [
        (r.abonnement_id, r.kanaal, r.filters, r.callback_url, r.auth, r.send_cloudevents)
        for r in found
        if r.kind == 1
    ]
    return rows, routes


async def delivery_targets(session: AsyncSession, ids: Sequence[int]) -> Sequence[Any]:
    """What sending the deliveries needs: the message and (if any) the abonnement."""
    return (await session.execute(_DELIVERY_TARGETS, {"ids": list(ids)})).all()


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


async def failing_count(session: AsyncSession) -> int:
    """How many abonnementen (the remote router counting as one) have waiting deliveries
    that failed before: what /metrics reports, without their errors."""
    groups = (
        select(Delivery.abonnement_id)
        .where(Delivery.state == PENDING, Delivery.attempts > 0)
        .group_by(Delivery.abonnement_id)
        .subquery()
    )
    return int((await session.execute(select(func.count()).select_from(groups))).scalar_one())


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
