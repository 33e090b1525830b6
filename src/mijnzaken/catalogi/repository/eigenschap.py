"""Queries for eigenschappen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import Eigenschap, ZaakType
from mijnzaken.catalogi.services.common import Status, status_filter

_RENDER = (
    selectinload(Eigenschap.zaaktype).options(selectinload(ZaakType.catalogus)),
    selectinload(Eigenschap.statustype),
)


def geldig_op(date: dt.date) -> ColumnElement[bool]:
    """Valid on `date`, with the zaaktype's period where the eigenschap has none of its own."""
    begin = func.coalesce(Eigenschap.begin_geldigheid, ZaakType.begin_geldigheid)
    einde = func.coalesce(Eigenschap.einde_geldigheid, ZaakType.einde_geldigheid)
    return and_(begin <= date, or_(einde.is_(None), einde >= date))


def list_stmt(
    *,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[Eigenschap]:
    stmt = select(Eigenschap).join(Eigenschap.zaaktype).options(*_RENDER).order_by(Eigenschap.id)
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid.in_(zaaktype))
    if zaaktype_identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == zaaktype_identificatie)
    concept = status_filter(ZaakType.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(datum_geldigheid))
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> Eigenschap | None:
    stmt = select(Eigenschap).where(Eigenschap.uuid == ident).options(*_RENDER)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_uuids(session: AsyncSession, idents: Sequence[uuid.UUID]) -> list[Eigenschap]:
    """The eigenschappen with these UUIDs (one query; missing ones are simply absent)."""
    if not idents:
        return []
    stmt = select(Eigenschap).where(Eigenschap.uuid.in_(list(idents)))
    return list((await session.execute(stmt)).scalars().all())


async def delete(session: AsyncSession, eigenschap: Eigenschap) -> None:
    await session.delete(eigenschap)
    await session.flush()
