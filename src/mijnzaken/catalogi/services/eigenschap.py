"""Rules for eigenschappen."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import Eigenschap, StatusType, ZaakType
from mijnzaken.catalogi.repository import eigenschap as repository
from mijnzaken.catalogi.services.common import ensure_zaaktype_editable, resolve_reference
from mijnzaken.catalogi.services.statustype import begin_geldigheid, einde_geldigheid, zaaktype_of
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import NotFound, ValidationFailed
from mijnzaken.core.urls import Urls

# ztc-015: dates are given as YYYYMMDD, date-times as YYYYMMDDhhmmss
_LENGTE = {"datum": "8", "datum_tijd": "14"}


async def get(session: AsyncSession, ident: uuid.UUID) -> Eigenschap:
    """The eigenschap with its zaaktype and statustype loaded, or 404."""
    eigenschap = await repository.get(session, ident)
    if eigenschap is None:
        raise NotFound("Eigenschap niet gevonden.")
    return eigenschap


async def create(
    session: AsyncSession, urls: Urls, auth: AuthContext, data: dict[str, Any]
) -> Eigenschap:
    """Add an eigenschap to a zaaktype (ztc-010: only to a concept, or as a correctie)."""
    check_specificatie(data["specificatie"])
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["statustype_id"] = await _statustype_id(session, urls, zaaktype, data.get("statustype"))
    values["begin_geldigheid"] = begin_geldigheid(zaaktype, data.get("begin_geldigheid"))
    values["einde_geldigheid"] = einde_geldigheid(zaaktype, data.get("einde_geldigheid"))
    eigenschap = Eigenschap(zaaktype_id=zaaktype.id, **values)
    session.add(eigenschap)
    await session.flush()
    return await _reload(session, eigenschap.uuid)


async def update(
    session: AsyncSession, urls: Urls, auth: AuthContext, ident: uuid.UUID, data: dict[str, Any]
) -> Eigenschap:
    """Replace an eigenschap (ztc-010 for its current and its new zaaktype)."""
    eigenschap = await get(session, ident)
    ensure_zaaktype_editable(eigenschap.zaaktype, auth)
    check_specificatie(data["specificatie"])
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    same_zaaktype = zaaktype.id == eigenschap.zaaktype_id
    if not same_zaaktype:
        ensure_zaaktype_editable(zaaktype, auth)
    values = _columns(data)
    values["statustype_id"] = await _statustype_id(session, urls, zaaktype, data.get("statustype"))
    values["begin_geldigheid"] = begin_geldigheid(
        zaaktype,
        data.get("begin_geldigheid"),
        eigenschap.begin_geldigheid if same_zaaktype else None,
    )
    values["einde_geldigheid"] = einde_geldigheid(
        zaaktype, data.get("einde_geldigheid"), eigenschap.einde_geldigheid
    )
    for key, value in values.items():
        setattr(eigenschap, key, value)
    eigenschap.zaaktype_id = zaaktype.id
    await session.flush()
    return await _reload(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Remove an eigenschap; never under a published zaaktype (ztc-010)."""
    eigenschap = await get(session, ident)
    ensure_zaaktype_editable(eigenschap.zaaktype, auth, deleting=True)
    await repository.delete(session, eigenschap)


def check_specificatie(specificatie: dict[str, Any]) -> None:
    """ztc-015: formaat `datum` needs lengte 8, `datum_tijd` lengte 14."""
    wanted = _LENGTE.get(specificatie["formaat"])
    if wanted is not None and specificatie["lengte"] != wanted:
        raise ValidationFailed.field(
            "specificatie.lengte",
            "invalid-length",
            f"Bij formaat {specificatie['formaat']} moet de lengte {wanted} zijn.",
        )


async def _statustype_id(
    session: AsyncSession, urls: Urls, zaaktype: ZaakType, url: str | None
) -> int | None:
    """The statustype, which must belong to the eigenschap's zaaktype."""
    if url is None:
        return None
    statustype: StatusType = await resolve_reference(
        session, urls, StatusType, url, "statustypen", "statustype"
    )
    if statustype.zaaktype_id != zaaktype.id:
        raise ValidationFailed.field(
            "statustype",
            "zaaktype-mismatch",
            "Het statustype moet bij hetzelfde zaaktype horen als de eigenschap.",
        )
    return statustype.id


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("zaaktype", "statustype")}
    if out.get("toelichting") is None:
        out["toelichting"] = ""
    return out


async def _reload(session: AsyncSession, ident: uuid.UUID) -> Eigenschap:
    # After a change, load afresh what rendering needs (the zaaktype's collections too).
    session.expire_all()
    return await get(session, ident)
