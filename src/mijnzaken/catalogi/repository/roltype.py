"""Queries for roltypen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import RolType, ZaakType
from mijnzaken.catalogi.services.common import Status, status_filter

_RENDER = (selectinload(RolType.zaaktype).options(selectinload(ZaakType.catalogus)),)


def geldig_op(date: dt.date) -> ColumnElement[bool]:
    """Valid on `date`, with the zaaktype's period where the roltype has none of its own."""
    begin = func.coalesce(RolType.begin_geldigheid, ZaakType.begin_geldigheid)
    einde = func.coalesce(RolType.einde_geldigheid, ZaakType.einde_geldigheid)
    return and_(begin <= date, or_(einde.is_(None), einde >= date))


def list_stmt(
    *,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
    omschrijving_generiek: str | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[RolType]:
    stmt = select(RolType).join(RolType.zaaktype).options(*_RENDER).order_by(RolType.id)
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid.in_(zaaktype))
    if zaaktype_identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == zaaktype_identificatie)
    if omschrijving_generiek is not None:
        stmt = stmt.where(RolType.omschrijving_generiek == omschrijving_generiek)
    concept = status_filter(ZaakType.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(datum_geldigheid))
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> RolType | None:
    stmt = select(RolType).where(RolType.uuid == ident).options(*_RENDER)
    return (await session.execute(stmt)).scalar_one_or_none()


async def delete(session: AsyncSession, roltype: RolType) -> None:
    await session.delete(roltype)
    await session.flush()
