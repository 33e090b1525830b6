"""Queries for resultaten."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from mijnzaken.zaken.models import Resultaat


async def of_zaak(session: AsyncSession, zaak_id: int) -> Resultaat | None:
    """The resultaat of a zaak (a zaak has at most one)."""
    stmt = select(Resultaat).where(Resultaat.zaak_id == zaak_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_uuid(session: AsyncSession, ident: uuid.UUID) -> Resultaat | None:
    """One resultaat with its zaak loaded (access is checked by the caller)."""
    stmt = select(Resultaat).options(joinedload(Resultaat.zaak)).where(Resultaat.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()
