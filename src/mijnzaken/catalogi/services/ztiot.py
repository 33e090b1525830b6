"""Rules for zaaktype-informatieobjecttypen: references, volgnummer, ztc-010."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import (
    InformatieObjectType,
    StatusType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from mijnzaken.catalogi.repository import resultaattype as types
from mijnzaken.catalogi.repository import ztiot as repository
from mijnzaken.catalogi.services.common import API, ensure_zaaktype_editable, resolve_reference
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.urls import Urls

_VOLGNUMMER_TAKEN = InvalidParam(
    "volgnummer", "unique", "Het zaaktype heeft al een informatieobjecttype met dit volgnummer."
)


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakTypeInformatieObjectType:
    """The link with its zaaktype and statustype loaded, or 404."""
    link = await repository.get(session, ident)
    if link is None:
        raise NotFound("Zaaktype-informatieobjecttype niet gevonden.")
    return link


async def create(
    session: AsyncSession, urls: Urls, auth: AuthContext, data: dict[str, Any]
) -> ZaakTypeInformatieObjectType:
    """Validate and store a new zaaktype-informatieobjecttype."""
    zaaktype = await _zaaktype(session, urls, data["zaaktype"])
    ensure_zaaktype_editable(zaaktype, auth)
    link = ZaakTypeInformatieObjectType(**await _columns(session, urls, zaaktype, data, None))
    session.add(link)
    await _flush(session)
    return await get(session, link.uuid)


async def update(
    session: AsyncSession, urls: Urls, auth: AuthContext, ident: uuid.UUID, data: dict[str, Any]
) -> ZaakTypeInformatieObjectType:
    """Validate and apply a whole new representation (PUT, or a merged PATCH)."""
    link = await get(session, ident)
    ensure_zaaktype_editable(link.zaaktype, auth)
    zaaktype = await _zaaktype(session, urls, data["zaaktype"])
    if zaaktype.id != link.zaaktype_id:
        ensure_zaaktype_editable(zaaktype, auth)
    for key, value in (await _columns(session, urls, zaaktype, data, link.id)).items():
        setattr(link, key, value)
    await _flush(session)
    session.expunge(link)
    return await get(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Delete a link of a concept zaaktype (ztc-010)."""
    link = await get(session, ident)
    ensure_zaaktype_editable(link.zaaktype, auth, deleting=True)
    await session.delete(link)
    await session.flush()


async def _flush(session: AsyncSession) -> None:
    # The check in _columns answers every normal request; a unique index (if the schema has
    # one) catches the race of two concurrent requests, which must still be a 400.
    try:
        await session.flush()
    except IntegrityError as exc:
        raise ValidationFailed([_VOLGNUMMER_TAKEN]) from exc


async def _zaaktype(session: AsyncSession, urls: Urls, url: str) -> ZaakType:
    ident = urls.reference(url, API, "zaaktypen", "zaaktype")
    zaaktype = await types.zaaktype(session, ident)
    if zaaktype is None:
        raise ValidationFailed.field(
            "zaaktype", "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
        )
    return zaaktype


async def _columns(
    session: AsyncSession,
    urls: Urls,
    zaaktype: ZaakType,
    data: dict[str, Any],
    current_id: int | None,
) -> dict[str, Any]:
    errors: list[InvalidParam] = []
    omschrijving = await _informatieobjecttype(
        session, urls, zaaktype, data["informatieobjecttype"]
    )

    statustype_id = None
    if data.get("statustype"):
        statustype = await resolve_reference(
            session, urls, StatusType, data["statustype"], "statustypen", "statustype"
        )
        if statustype.zaaktype_id != zaaktype.id:
            errors.append(
                InvalidParam(
                    "statustype",
                    "relations-incorrect-zaaktype",
                    "Het statustype hoort niet bij het zaaktype.",
                )
            )
        statustype_id = statustype.id

    if await repository.volgnummer_taken(
        session, zaaktype.id, data["volgnummer"], other_than=current_id
    ):
        errors.append(_VOLGNUMMER_TAKEN)
    if errors:
        raise ValidationFailed(errors)
    return {
        "zaaktype_id": zaaktype.id,
        "informatieobjecttype_omschrijving": omschrijving,
        "volgnummer": data["volgnummer"],
        "richting": data["richting"],
        "statustype_id": statustype_id,
    }


async def _informatieobjecttype(
    session: AsyncSession, urls: Urls, zaaktype: ZaakType, value: str
) -> str:
    """The omschrijving, checked against the zaaktype's catalogus.

    Catalogi 1.3 takes the omschrijving; the URL of one of our informatieobjecttypen (as 1.0-1.2
    clients send) is read as that type's omschrijving.
    """
    field = "informatieobjecttype"
    if value.startswith(("http://", "https://")):
        ident = urls.reference(value, API, "informatieobjecttypen", field)
        found = (await types.names_of(session, InformatieObjectType, [ident])).get(ident)
        if found is None:
            raise ValidationFailed.field(
                field, "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
            )
        if found[0] != zaaktype.catalogus_id:
            raise ValidationFailed.field(
                field,
                "relations-incorrect-catalogus",
                "Het informatieobjecttype hoort niet bij de catalogus van het zaaktype.",
            )
        return found[1]
    if len(value) > 100:
        raise ValidationFailed.field(field, "max_length", "Hooguit 100 tekens.")
    existing = await types.existing_names(
        session, InformatieObjectType, zaaktype.catalogus_id, [value]
    )
    if value not in existing:
        raise ValidationFailed.field(
            field,
            "does_not_exist",
            "Er is geen informatieobjecttype met deze omschrijving in de catalogus van het "
            "zaaktype.",
        )
    return value
