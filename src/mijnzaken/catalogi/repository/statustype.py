"""Queries for statustypen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import StatusType, ZaakType
from mijnzaken.catalogi.services.common import Status, van_zaaktypen

# What rendering needs: the zaaktype (identificatie, catalogus), its statustypen (for
# isEindstatus) and its eigenschappen (to render `eigenschappen`) - one query each per page.
_RENDER = (
    selectinload(StatusType.zaaktype).options(
        selectinload(ZaakType.catalogus),
        selectinload(ZaakType.statustypen),
        selectinload(ZaakType.eigenschappen),
    ),
)


def list_stmt(
    *,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[StatusType]:
    stmt = (
        select(StatusType)
        .join(StatusType.zaaktype)
        .options(*_RENDER)
        .order_by(StatusType.zaaktype_id, StatusType.volgnummer, StatusType.id)
    )
    return van_zaaktypen(
        stmt,
        StatusType,
        zaaktype=zaaktype,
        zaaktype_identificatie=zaaktype_identificatie,
        status=status,
        datum_geldigheid=datum_geldigheid,
    )


async def get(session: AsyncSession, ident: uuid.UUID) -> StatusType | None:
    stmt = select(StatusType).where(StatusType.uuid == ident).options(*_RENDER)
    return (await session.execute(stmt)).scalar_one_or_none()


async def volgnummer_taken(
    session: AsyncSession, zaaktype_id: int, volgnummer: int, *, other_than: int | None = None
) -> bool:
    """Whether another statustype of the zaaktype has this volgnummer."""
    stmt = select(StatusType.id).where(
        StatusType.zaaktype_id == zaaktype_id, StatusType.volgnummer == volgnummer
    )
    if other_than is not None:
        stmt = stmt.where(StatusType.id != other_than)
    return (await session.execute(stmt.limit(1))).first() is not None


async def delete(session: AsyncSession, statustype: StatusType) -> None:
    await session.delete(statustype)
    await session.flush()
