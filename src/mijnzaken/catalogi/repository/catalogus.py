"""Queries for catalogussen."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only, selectinload

from mijnzaken.catalogi.models import BesluitType, Catalogus, InformatieObjectType, ZaakType

_WITH_TYPES = (
    selectinload(Catalogus.zaaktypen).options(load_only(ZaakType.uuid)),
    selectinload(Catalogus.besluittypen).options(
        load_only(BesluitType.uuid, BesluitType.omschrijving)
    ),
    selectinload(Catalogus.informatieobjecttypen).options(
        load_only(InformatieObjectType.uuid, InformatieObjectType.omschrijving)
    ),
)


def list_stmt(
    *, domein: list[str] | None = None, rsin: list[str] | None = None
) -> Select[Catalogus]:
    stmt = select(Catalogus).options(*_WITH_TYPES).order_by(Catalogus.id)
    if domein is not None:
        stmt = stmt.where(Catalogus.domein.in_(domein))
    if rsin is not None:
        stmt = stmt.where(Catalogus.rsin.in_(rsin))
    return stmt


async def get(
    session: AsyncSession, ident: uuid.UUID, *, with_types: bool = True
) -> Catalogus | None:
    stmt = select(Catalogus).where(Catalogus.uuid == ident)
    if with_types:
        stmt = stmt.options(*_WITH_TYPES)
    return (await session.execute(stmt)).scalar_one_or_none()
