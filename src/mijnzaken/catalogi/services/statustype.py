"""Rules for statustypen.

The helpers at the top (`zaaktype_of`, `ensure_same_catalogus`, `begin_geldigheid`,
`einde_geldigheid`) are shared by the four types that hang under one zaaktype version
(statustype, roltype, eigenschap, zaakobjecttype).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import Catalogus, Eigenschap, StatusType, ZaakType
from mijnzaken.catalogi.repository import eigenschap as eigenschap_repository
from mijnzaken.catalogi.repository import statustype as repository
from mijnzaken.catalogi.services.common import (
    API,
    ensure_zaaktype_editable,
    resolve_reference,
)
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.urls import Urls


async def zaaktype_of(session: AsyncSession, urls: Urls, url: str) -> ZaakType:
    """The zaaktype a `zaaktype` field refers to, or a 400 naming `zaaktype`."""
    zaaktype: ZaakType = await resolve_reference(
        session, urls, ZaakType, url, "zaaktypen", "zaaktype"
    )
    return zaaktype


async def ensure_same_catalogus(
    session: AsyncSession, urls: Urls, zaaktype: ZaakType, catalogus_url: str
) -> None:
    """A type under a zaaktype lives in the zaaktype's catalogus."""
    catalogus = await resolve_reference(
        session, urls, Catalogus, catalogus_url, "catalogussen", "catalogus"
    )
    if catalogus.id != zaaktype.catalogus_id:
        raise ValidationFailed.field(
            "nonFieldErrors",
            "relations-incorrect-catalogus",
            "Het zaaktype moet bij de opgegeven catalogus horen.",
        )


def begin_geldigheid(
    zaaktype: ZaakType, given: dt.date | None, current: dt.date | None = None
) -> dt.date | None:
    """beginGeldigheid follows the zaaktype: taken from it when absent, else it must equal the
    zaaktype's beginGeldigheid or versiedatum (an unchanged value is kept on an update)."""
    if given is None:
        return zaaktype.begin_geldigheid
    if current is not None and given == current:
        return given
    if given not in (zaaktype.begin_geldigheid, zaaktype.versiedatum):
        raise ValidationFailed.field(
            "beginGeldigheid",
            "invalid",
            "De beginGeldigheid moet gelijk zijn aan de beginGeldigheid of versiedatum van het "
            "zaaktype.",
        )
    return given


def einde_geldigheid(
    zaaktype: ZaakType, given: dt.date | None, stored: dt.date | None = None
) -> dt.date | None:
    """eindeGeldigheid is rendered from the zaaktype when the type has none of its own; sending
    that rendered value back (a PATCH) keeps following the zaaktype instead of copying it."""
    if stored is None and given is not None and given == zaaktype.einde_geldigheid:
        return None
    return given


async def get(session: AsyncSession, ident: uuid.UUID) -> StatusType:
    """The statustype with what rendering needs loaded, or 404."""
    statustype = await repository.get(session, ident)
    if statustype is None:
        raise NotFound("Statustype niet gevonden.")
    return statustype


async def create(
    session: AsyncSession, urls: Urls, auth: AuthContext, data: dict[str, Any]
) -> StatusType:
    """Add a statustype to a zaaktype (ztc-010: only to a concept, or as a correctie)."""
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    ensure_zaaktype_editable(zaaktype, auth)
    await _ensure_volgnummer_free(session, zaaktype, data["volgnummer"])
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(zaaktype, data.get("begin_geldigheid"))
    values["einde_geldigheid"] = einde_geldigheid(zaaktype, data.get("einde_geldigheid"))
    values["eigenschap_urls"] = await _eigenschappen(
        session, urls, zaaktype, data.get("eigenschappen") or []
    )
    statustype = StatusType(zaaktype_id=zaaktype.id, **values)
    session.add(statustype)
    await session.flush()
    return await _reload(session, statustype.uuid)


async def update(
    session: AsyncSession, urls: Urls, auth: AuthContext, ident: uuid.UUID, data: dict[str, Any]
) -> StatusType:
    """Replace a statustype (ztc-010 for its current and its new zaaktype)."""
    statustype = await get(session, ident)
    ensure_zaaktype_editable(statustype.zaaktype, auth)
    zaaktype = await zaaktype_of(session, urls, data["zaaktype"])
    same_zaaktype = zaaktype.id == statustype.zaaktype_id
    if not same_zaaktype:
        ensure_zaaktype_editable(zaaktype, auth)
    await _ensure_volgnummer_free(session, zaaktype, data["volgnummer"], other_than=statustype.id)
    values = _columns(data)
    values["begin_geldigheid"] = begin_geldigheid(
        zaaktype,
        data.get("begin_geldigheid"),
        statustype.begin_geldigheid if same_zaaktype else None,
    )
    values["einde_geldigheid"] = einde_geldigheid(
        zaaktype, data.get("einde_geldigheid"), statustype.einde_geldigheid
    )
    values["eigenschap_urls"] = await _eigenschappen(
        session, urls, zaaktype, data.get("eigenschappen") or []
    )
    for key, value in values.items():
        setattr(statustype, key, value)
    statustype.zaaktype_id = zaaktype.id
    await session.flush()
    return await _reload(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Remove a statustype; never under a published zaaktype (ztc-010)."""
    statustype = await get(session, ident)
    ensure_zaaktype_editable(statustype.zaaktype, auth, deleting=True)
    await repository.delete(session, statustype)


async def _ensure_volgnummer_free(
    session: AsyncSession, zaaktype: ZaakType, volgnummer: int, *, other_than: int | None = None
) -> None:
    if await repository.volgnummer_taken(session, zaaktype.id, volgnummer, other_than=other_than):
        raise ValidationFailed(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "unique",
                    "De velden zaaktype, volgnummer moeten een unieke set zijn.",
                )
            ]
        )


async def _eigenschappen(
    session: AsyncSession, urls: Urls, zaaktype: ZaakType, given: list[str]
) -> list[str]:
    """The eigenschappen as canonical URLs; each must exist and belong to the same zaaktype."""
    idents: list[uuid.UUID] = []
    for url in given:
        ident = urls.reference(url, API, "eigenschappen", "eigenschappen")
        if ident not in idents:
            idents.append(ident)
    found: dict[uuid.UUID, Eigenschap] = {
        e.uuid: e for e in await eigenschap_repository.by_uuids(session, idents)
    }
    if len(found) != len(idents):
        raise ValidationFailed.field(
            "eigenschappen", "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
        )
    if any(e.zaaktype_id != zaaktype.id for e in found.values()):
        raise ValidationFailed.field(
            "eigenschappen",
            "zaaktype-mismatch",
            "De eigenschappen moeten bij hetzelfde zaaktype horen als het statustype.",
        )
    return [urls.resource(API, "eigenschappen", ident) for ident in idents]


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("zaaktype", "eigenschappen")}
    for key in ("omschrijving_generiek", "statustekst"):
        if out.get(key) is None:
            out[key] = ""
    return out


async def _reload(session: AsyncSession, ident: uuid.UUID) -> StatusType:
    # After a change, load afresh what rendering needs (the zaaktype's collections too).
    session.expire_all()
    return await get(session, ident)
