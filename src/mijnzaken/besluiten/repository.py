"""Queries of the Besluiten register."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.besluiten.models import Besluit, BesluitInformatieObject, BesluitNummerTeller
from mijnzaken.core.audit import AuditTrail


async def by_uuid(session: AsyncSession, ident: uuid_lib.UUID) -> Besluit | None:
    stmt = select(Besluit).where(Besluit.uuid == ident)
    found: Besluit | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


def besluiten_stmt(condition: ColumnElement[bool] | None) -> Select[Any]:
    """Every besluit `condition` (the caller's rights) lets through, oldest first."""
    stmt = select(Besluit)
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt.order_by(Besluit.id)


async def identificatie_taken(
    session: AsyncSession, organisatie: str, identificatie: str, exclude: int | None = None
) -> bool:
    stmt = select(Besluit.id).where(
        Besluit.verantwoordelijke_organisatie == organisatie,
        Besluit.identificatie == identificatie,
    )
    if exclude is not None:
        stmt = stmt.where(Besluit.id != exclude)
    return (await session.execute(stmt.limit(1))).first() is not None


async def allocate_number(session: AsyncSession, organisatie: str, prefix: str) -> int:
    """The next number for `organisatie` and `prefix`. The counter row is updated in place
    (UPDATE … RETURNING takes the row's lock), so concurrent requests get distinct numbers."""
    bump = (
        update(BesluitNummerTeller)
        .where(
            BesluitNummerTeller.verantwoordelijke_organisatie == organisatie,
            BesluitNummerTeller.prefix == prefix,
        )
        .values(laatste=BesluitNummerTeller.laatste + 1)
        .returning(BesluitNummerTeller.laatste)
    )
    last = (await session.execute(bump)).scalar_one_or_none()
    if last is not None:
        return int(last)
    dialect = session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert_fn(BesluitNummerTeller)
        .values(verantwoordelijke_organisatie=organisatie, prefix=prefix, laatste=0)
        .on_conflict_do_nothing()
    )
    return int((await session.execute(bump)).scalar_one())


async def delete_besluit(session: AsyncSession, besluit: Besluit, hoofd_object: str) -> None:
    """brc-009: the besluit, its besluitinformatieobjecten (database cascade) and its audit
    trail, for real."""
    await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object == hoofd_object))
    await session.execute(delete(Besluit).where(Besluit.id == besluit.id))
    session.expunge(besluit)


async def informatieobjecten_of(
    session: AsyncSession, besluit_id: int
) -> list[BesluitInformatieObject]:
    stmt = (
        select(BesluitInformatieObject)
        .where(BesluitInformatieObject.besluit_id == besluit_id)
        .order_by(BesluitInformatieObject.id)
    )
    return list((await session.execute(stmt)).scalars())


async def link_exists(session: AsyncSession, besluit_id: int, informatieobject: str) -> bool:
    stmt = select(BesluitInformatieObject.id).where(
        BesluitInformatieObject.besluit_id == besluit_id,
        BesluitInformatieObject.informatieobject == informatieobject,
    )
    return (await session.execute(stmt.limit(1))).first() is not None


async def audit_entry(
    session: AsyncSession, hoofd_object: str, ident: uuid_lib.UUID
) -> AuditTrail | None:
    stmt = select(AuditTrail).where(
        AuditTrail.uuid == ident, AuditTrail.hoofd_object == hoofd_object
    )
    entry: AuditTrail | None = (await session.execute(stmt)).scalar_one_or_none()
    return entry
