"""Queries for eigenschappen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import Eigenschap, ZaakType
from mijnzaken.catalogi.services.common import Status, van_zaaktypen

_RENDER = (
    selectinload(Eigenschap.zaaktype).options(selectinload(ZaakType.catalogus)),
    selectinload(Eigenschap.statustype),
)


def list_stmt(
    *,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[Eigenschap]:
    stmt = select(Eigenschap).join(Eigenschap.zaaktype).options(*_RENDER).order_by(Eigenschap.id)
    return van_zaaktypen(
        stmt,
        Eigenschap,
        zaaktype=zaaktype,
        zaaktype_identificatie=zaaktype_identificatie,
        status=status,
        datum_geldigheid=datum_geldigheid,
    )


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
