"""Rules for roltypen."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import RolType, ZaakType
from mijnzaken.catalogi.repository import roltype as repository
from mijnzaken.catalogi.services.common import ensure_zaaktype_editable
from mijnzaken.catalogi.services.statustype import (
    begin_geldigheid,
    einde_geldigheid,
    ensure_same_catalogus,
    zaaktype_of,
)
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import NotFound
from mijnzaken.core.urls import Urls


async def get(session: AsyncSession, ident: uuid.UUID) -> RolType:
    """The roltype with its zaaktype loaded, or 404."""
    roltype = await repository.get(session, ident)
    if roltype is None:
        raise NotFound("Roltype niet gevonden.")
    return roltype


async def create(
    session: AsyncSession, urls: Urls, auth: AuthContext, data: dict[str, Any]
) -> RolType:
    """Add a roltype to a zaaktype (ztc-010: only to a concept, or as a correctie)."""
    zaaktype = await _zaaktype(session, urls, data)
    ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(zaaktype, data.get("begin_geldigheid"))
    values["einde_geldigheid"] = einde_geldigheid(zaaktype, data.get("einde_geldigheid"))
    roltype = RolType(zaaktype_id=zaaktype.id, **values)
    session.add(roltype)
    await session.flush()
    return await _reload(session, roltype.uuid)


async def update(
    session: AsyncSession, urls: Urls, auth: AuthContext, ident: uuid.UUID, data: dict[str, Any]
) -> RolType:
    """Replace a roltype (ztc-010 for its current and its new zaaktype)."""
    roltype = await get(session, ident)
    ensure_zaaktype_editable(roltype.zaaktype, auth)
    zaaktype = await _zaaktype(session, urls, data)
    same_zaaktype = zaaktype.id == roltype.zaaktype_id
    if not same_zaaktype:
        ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(
        zaaktype, data.get("begin_geldigheid"), roltype.begin_geldigheid if same_zaaktype else None
    )
    values["einde_geldigheid"] = einde_geldigheid(
        zaaktype, data.get("einde_geldigheid"), roltype.einde_geldigheid
    )
    for key, value in values.items():
        setattr(roltype, key, value)
    roltype.zaaktype_id = zaaktype.id
    await session.flush()
    return await _reload(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Remove a roltype; never under a published zaaktype (ztc-010)."""
    roltype = await get(session, ident)
    ensure_zaaktype_editable(roltype.zaaktype, auth, deleting=True)
    await repository.delete(session, roltype)


async def _zaaktype(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> ZaakType:
    """The zaaktype; the deprecated `catalogus`, when given, must be the zaaktype's."""
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    catalogus = data.get("catalogus")
    if catalogus is not None:
        await ensure_same_catalogus(session, urls, zaaktype, catalogus)
    return zaaktype


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("zaaktype", "catalogus")}


async def _reload(session: AsyncSession, ident: uuid.UUID) -> RolType:
    # After a change, load afresh what rendering needs (the zaaktype's collections too).
    session.expire_all()
    return await get(session, ident)
