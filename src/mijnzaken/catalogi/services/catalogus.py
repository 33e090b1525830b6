"""Rules for catalogussen."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import Catalogus
from mijnzaken.catalogi.repository import catalogus as repository
from mijnzaken.core.errors import NotFound


async def get(session: AsyncSession, ident: uuid.UUID) -> Catalogus:
    """The catalogus with its types loaded, or 404."""
    catalogus = await repository.get(session, ident)
    if catalogus is None:
        raise NotFound("Catalogus niet gevonden.")
    return catalogus


async def create(session: AsyncSession, data: dict[str, Any]) -> Catalogus:
    """Store a new catalogus."""
    catalogus = Catalogus(**_columns(data))
    session.add(catalogus)
    await session.flush()
    return await get(session, catalogus.uuid)


async def update(session: AsyncSession, ident: uuid.UUID, data: dict[str, Any]) -> Catalogus:
    """Change the given fields of a catalogus."""
    catalogus = await get(session, ident)
    for key, value in _columns(data).items():
        setattr(catalogus, key, value)
    await session.flush()
    return catalogus


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in ("contactpersoon_beheer_emailadres", "contactpersoon_beheer_telefoonnummer"):
        if key in out and out[key] is None:
            out[key] = ""
    return out
