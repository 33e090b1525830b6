"""Rules for zaakobjecttypen."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import ZaakObjectType, ZaakType
from mijnzaken.catalogi.repository import zaakobjecttype as repository
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


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakObjectType:
    """The zaakobjecttype with its zaaktype loaded, or 404."""
    zaakobjecttype = await repository.get(session, ident)
    if zaakobjecttype is None:
        raise NotFound("Zaakobjecttype niet gevonden.")
    return zaakobjecttype


async def create(
    session: AsyncSession, urls: Urls, auth: AuthContext, data: dict[str, Any]
) -> ZaakObjectType:
    """Add a zaakobjecttype to a zaaktype (ztc-010: only to a concept, or as a correctie)."""
    zaaktype = await _zaaktype(session, urls, data)
    ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(zaaktype, data.get("begin_geldigheid"))
    values["einde_geldigheid"] = einde_geldigheid(zaaktype, data.get("einde_geldigheid"))
    zaakobjecttype = ZaakObjectType(zaaktype_id=zaaktype.id, **values)
    session.add(zaakobjecttype)
    await session.flush()
    return await _reload(session, zaakobjecttype.uuid)


async def update(
    session: AsyncSession, urls: Urls, auth: AuthContext, ident: uuid.UUID, data: dict[str, Any]
) -> ZaakObjectType:
    """Replace a zaakobjecttype (ztc-010 for its current and its new zaaktype)."""
    zaakobjecttype = await get(session, ident)
    ensure_zaaktype_editable(zaakobjecttype.zaaktype, auth)
    zaaktype = await _zaaktype(session, urls, data)
    same_zaaktype = zaaktype.id == zaakobjecttype.zaaktype_id
    if not same_zaaktype:
        ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(
        zaaktype,
        data.get("begin_geldigheid"),
        zaakobjecttype.begin_geldigheid if same_zaaktype else None,
    )
    values["einde_geldigheid"] = einde_geldigheid(
        zaaktype, data.get("einde_geldigheid"), zaakobjecttype.einde_geldigheid
    )
    for key, value in values.items():
        setattr(zaakobjecttype, key, value)
    zaakobjecttype.zaaktype_id = zaaktype.id
    await session.flush()
    return await _reload(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Remove a zaakobjecttype; never under a published zaaktype (ztc-010)."""
    zaakobjecttype = await get(session, ident)
    ensure_zaaktype_editable(zaakobjecttype.zaaktype, auth, deleting=True)
    await repository.delete(session, zaakobjecttype)


async def _zaaktype(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> ZaakType:
    """The zaaktype, which must be in the given catalogus."""
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    await ensure_same_catalogus(session, urls, zaaktype, data["catalogus"])
    return zaaktype


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("zaaktype", "catalogus")}


async def _reload(session: AsyncSession, ident: uuid.UUID) -> ZaakObjectType:
    # After a change, load afresh what rendering needs (the zaaktype's collections too).
    session.expire_all()
    return await get(session, ident)
