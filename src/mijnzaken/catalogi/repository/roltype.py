"""Queries for roltypen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import RolType, ZaakType
from mijnzaken.catalogi.services.common import Status, van_zaaktypen

_RENDER = (selectinload(RolType.zaaktype).options(selectinload(ZaakType.catalogus)),)


def list_stmt(
    *,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
    omschrijving_generiek: str | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[RolType]:
    stmt = select(RolType).join(RolType.zaaktype).options(*_RENDER).order_by(RolType.id)
    if omschrijving_generiek is not None:
        stmt = stmt.where(RolType.omschrijving_generiek == omschrijving_generiek)
    return van_zaaktypen(
        stmt,
        RolType,
        zaaktype=zaaktype,
        zaaktype_identificatie=zaaktype_identificatie,
        status=status,
        datum_geldigheid=datum_geldigheid,
    )


async def get(session: AsyncSession, ident: uuid.UUID) -> RolType | None:
    stmt = select(RolType).where(RolType.uuid == ident).options(*_RENDER)
    return (await session.execute(stmt)).scalar_one_or_none()


async def delete(session: AsyncSession, roltype: RolType) -> None:
    await session.delete(roltype)
    await session.flush()
