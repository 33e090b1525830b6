"""Queries on the portal's session table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.portal.models import Sessie


async def get(session: AsyncSession, ident: str) -> Sessie | None:
    return await session.get(Sessie, ident)


def add(session: AsyncSession, sessie: Sessie) -> None:
    session.add(sessie)


async def remove(session: AsyncSession, ident: str) -> None:
    await session.execute(delete(Sessie).where(Sessie.id == ident))


async def touch(session: AsyncSession, ident: str, moment: dt.datetime) -> None:
    await session.execute(update(Sessie).where(Sessie.id == ident).values(laatst_actief=moment))


async def zet(session: AsyncSession, ident: str, gegevens: dict[str, Any]) -> None:
    await session.execute(update(Sessie).where(Sessie.id == ident).values(gegevens=gegevens))


async def purge_idle(session: AsyncSession, before: dt.datetime) -> None:
    """Remove every session idle since before `before`."""
    await session.execute(delete(Sessie).where(Sessie.laatst_actief < before))
