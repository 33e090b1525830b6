"""Rules for resultaattypen: ztc-002 to ztc-008 and ztc-010."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import BesluitType, InformatieObjectType, ResultaatType, ZaakType
from mijnzaken.catalogi.repository import resultaattype as repository
from mijnzaken.catalogi.services.common import API, ensure_zaaktype_editable
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.outbound import OutboundError, fetch_json
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls

BRONDATUM = "brondatumArchiefprocedure"
# ztc-004, ztc-006, ztc-007, ztc-008: the afleidingswijzen that require each field;
# for the others the field must be empty
_REQUIRED_FOR = {
    "datumkenmerk": {"eigenschap", "zaakobject", "ander_datumkenmerk"},
    "objecttype": {"zaakobject", "ander_datumkenmerk"},
    "registratie": {"ander_datumkenmerk"},
    "procestermijn": {"termijn"},
}
# ztc-003: the afleidingswijze a procestermijn of the selectielijstklasse demands
_AFLEIDINGSWIJZE_FOR_PROCESTERMIJN = {
    "nihil": "afgehandeld",
    "ingeschatte_bestaansduur_procesobject": "termijn",
}


async def get(session: AsyncSession, ident: uuid.UUID) -> ResultaatType:
    """The resultaattype with its zaaktype loaded, or 404."""
    resultaattype = await repository.get(session, ident)
    if resultaattype is None:
        raise NotFound("Resultaattype niet gevonden.")
    return resultaattype


async def create(
    session: AsyncSession, urls: Urls, settings: Settings, auth: AuthContext, data: dict[str, Any]
) -> ResultaatType:
    """Validate and store a new resultaattype."""
    zaaktype = await _zaaktype(session, urls, data["zaaktype"])
    ensure_zaaktype_editable(zaaktype, auth)
    resultaattype = ResultaatType(**await _columns(session, urls, settings, zaaktype, data))
    session.add(resultaattype)
    await session.flush()
    return await get(session, resultaattype.uuid)


async def update(
    session: AsyncSession,
    urls: Urls,
    settings: Settings,
    auth: AuthContext,
    ident: uuid.UUID,
    data: dict[str, Any],
) -> ResultaatType:
    """Validate and apply a whole new representation (PUT, or a merged PATCH)."""
    resultaattype = await get(session, ident)
    ensure_zaaktype_editable(resultaattype.zaaktype, auth)
    zaaktype = await _zaaktype(session, urls, data["zaaktype"])
    if zaaktype.id != resultaattype.zaaktype_id:
        ensure_zaaktype_editable(zaaktype, auth)
    for key, value in (await _columns(session, urls, settings, zaaktype, data)).items():
        setattr(resultaattype, key, value)
    await session.flush()
    session.expunge(resultaattype)
    return await get(session, ident)


async def delete(session: AsyncSession, auth: AuthContext, ident: uuid.UUID) -> None:
    """Delete a resultaattype of a concept zaaktype (ztc-010)."""
    resultaattype = await get(session, ident)
    ensure_zaaktype_editable(resultaattype.zaaktype, auth, deleting=True)
    await session.delete(resultaattype)
    await session.flush()


async def _zaaktype(session: AsyncSession, urls: Urls, url: str) -> ZaakType:
    ident = urls.reference(url, API, "zaaktypen", "zaaktype")
    zaaktype = await repository.zaaktype(session, ident)
    if zaaktype is None:
        raise ValidationFailed.field(
            "zaaktype", "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
        )
    return zaaktype


async def _columns(
    session: AsyncSession,
    urls: Urls,
    settings: Settings,
    zaaktype: ZaakType,
    data: dict[str, Any],
) -> dict[str, Any]:
    errors: list[InvalidParam] = []
    begin = data.get("begin_geldigheid")
    if begin is not None and begin not in (zaaktype.begin_geldigheid, zaaktype.versiedatum):
        errors.append(
            InvalidParam(
                "beginGeldigheid",
                "invalid",
                "De beginGeldigheid moet gelijk zijn aan de beginGeldigheid of de versiedatum "
                "van het zaaktype.",
            )
        )
    besluittypen = await _names(
        session, urls, BesluitType, "besluittypen", zaaktype, data["besluittypen"], errors
    )
    informatieobjecttypen = await _names(
        session,
        urls,
        InformatieObjectType,
        "informatieobjecttypen",
        zaaktype,
        data["informatieobjecttypen"],
        errors,
    )
    brondatum = data.get("brondatum_archiefprocedure")
    if brondatum is not None:
        errors.extend(check_brondatum(brondatum))
    if errors:
        raise ValidationFailed(errors)

    columns: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": data["omschrijving"],
        "resultaattypeomschrijving": data["resultaattypeomschrijving"],
        "omschrijving_generiek": "",
        "selectielijstklasse": data["selectielijstklasse"],
        "toelichting": data.get("toelichting") or "",
        "archiefnominatie": data.get("archiefnominatie") or "",
        "archiefactietermijn": data.get("archiefactietermijn"),
        "brondatum_archiefprocedure": _brondatum_column(brondatum),
        "procesobjectaard": data.get("procesobjectaard"),
        "begin_geldigheid": begin if begin is not None else zaaktype.begin_geldigheid,
        "einde_geldigheid": data.get("einde_geldigheid"),
        "begin_object": data.get("begin_object"),
        "einde_object": data.get("einde_object"),
        "indicatie_specifiek": data.get("indicatie_specifiek"),
        "procestermijn": data.get("procestermijn"),
        "besluittype_omschrijvingen": besluittypen,
        "informatieobjecttype_omschrijvingen": informatieobjecttypen,
    }
    if settings.selectielijst_api_url:
        await _apply_selectielijst(settings, zaaktype, data, columns)
    return columns


def check_brondatum(brondatum: dict[str, Any]) -> list[InvalidParam]:
    """ztc-004 to ztc-008: which fields the afleidingswijze requires and which it forbids."""
    afleidingswijze = brondatum["afleidingswijze"]
    errors: list[InvalidParam] = []
    for field, required_for in _REQUIRED_FOR.items():
        has_value = bool(brondatum.get(field))
        name = f"{BRONDATUM}.{field}"
        if afleidingswijze in required_for and not has_value:
            errors.append(
                InvalidParam(
                    name, "required", f"{field} is verplicht bij afleidingswijze {afleidingswijze}."
                )
            )
        elif afleidingswijze not in required_for and has_value:
            errors.append(
                InvalidParam(
                    name,
                    "must-be-empty",
                    f"{field} moet leeg zijn bij afleidingswijze {afleidingswijze}.",
                )
            )
    # ztc-005
    if afleidingswijze in ("afgehandeld", "termijn") and brondatum.get("einddatum_bekend"):
        errors.append(
            InvalidParam(
                f"{BRONDATUM}.einddatumBekend",
                "must-be-empty",
                f"einddatumBekend mag niet gezet zijn bij afleidingswijze {afleidingswijze}.",
            )
        )
    return errors


def _brondatum_column(brondatum: dict[str, Any] | None) -> dict[str, Any] | None:
    if brondatum is None:
        return None
    return {
        "afleidingswijze": brondatum["afleidingswijze"],
        "datumkenmerk": brondatum.get("datumkenmerk") or "",
        "einddatumBekend": bool(brondatum.get("einddatum_bekend")),
        "objecttype": brondatum.get("objecttype") or "",
        "registratie": brondatum.get("registratie") or "",
        "procestermijn": brondatum.get("procestermijn"),
    }


async def _names(
    session: AsyncSession,
    urls: Urls,
    model: type,
    field: str,
    zaaktype: ZaakType,
    given: list[str],
    errors: list[InvalidParam],
) -> list[str]:
    """The omschrijvingen the resultaattype refers to, checked against the catalogus.

    Catalogi 1.3 takes names; a URL of one of our types (as 1.0-1.2 clients send) is read as
    the name of that type.
    """
    collection = field
    idents: dict[str, uuid.UUID] = {}
    for value in given:
        if value.startswith(("http://", "https://")):
            ident = urls.parse(value, API, collection)
            if ident is None:
                errors.append(InvalidParam(field, "no_match", f"Onbekende URL: {value}"))
                return []
            idents[value] = ident
    found = await repository.names_of(session, model, idents.values())
    names: list[str] = []
    for value in given:
        if value in idents:
            hit = found.get(idents[value])
            if hit is None:
                errors.append(
                    InvalidParam(field, "does_not_exist", f"Het object bestaat niet: {value}")
                )
                return []
            if hit[0] != zaaktype.catalogus_id:
                errors.append(
                    InvalidParam(
                        field,
                        "relations-incorrect-catalogus",
                        "Het type hoort niet bij de catalogus van het zaaktype.",
                    )
                )
                return []
            value = hit[1]
        if value not in names:
            names.append(value)
    existing = await repository.existing_names(session, model, zaaktype.catalogus_id, names)
    missing = [n for n in names if n not in existing]
    if missing:
        errors.append(
            InvalidParam(
                field,
                "does_not_exist",
                "Geen type met deze omschrijving in de catalogus: " + ", ".join(missing),
            )
        )
    return names


def _in_api(url: str, base: str) -> bool:
    return url.startswith(base.rstrip("/") + "/")


async def _apply_selectielijst(
    settings: Settings, zaaktype: ZaakType, data: dict[str, Any], columns: dict[str, Any]
) -> None:
    """ztc-002 and ztc-003 against the configured selectielijst (referentielijsten) API."""
    base = settings.selectielijst_api_url or ""
    for field in ("resultaattypeomschrijving", "selectielijstklasse"):
        if not _in_api(data[field], base):
            raise ValidationFailed.field(
                field, "invalid-resource", "De URL hoort niet bij de geconfigureerde selectielijst."
            )

    omschrijving = await _fetch(
        settings, data["resultaattypeomschrijving"], "resultaattypeomschrijving"
    )
    if not isinstance(omschrijving.get("omschrijving"), str):
        raise ValidationFailed.field(
            "resultaattypeomschrijving",
            "invalid-resource",
            "De URL verwijst niet naar een resultaattypeomschrijving.",
        )
    columns["omschrijving_generiek"] = omschrijving["omschrijving"][:80]

    resultaat = await _fetch(settings, data["selectielijstklasse"], "selectielijstklasse")
    if "procesType" not in resultaat:
        raise ValidationFailed.field(
            "selectielijstklasse",
            "invalid-resource",
            "De URL verwijst niet naar een resultaat van de selectielijst.",
        )
    if not zaaktype.selectielijst_procestype or (
        resultaat["procesType"] != zaaktype.selectielijst_procestype
    ):
        raise ValidationFailed.field(
            "selectielijstklasse",
            "procestype-mismatch",
            "Het resultaat hoort niet bij het selectielijstProcestype van het zaaktype.",
        )
    if not columns["archiefnominatie"] and resultaat.get("waardering") in (
        "blijvend_bewaren",
        "vernietigen",
    ):
        columns["archiefnominatie"] = resultaat["waardering"]
    if data.get("archiefactietermijn") is None and isinstance(resultaat.get("bewaartermijn"), str):
        columns["archiefactietermijn"] = resultaat["bewaartermijn"]

    brondatum = columns["brondatum_archiefprocedure"]
    wanted = _AFLEIDINGSWIJZE_FOR_PROCESTERMIJN.get(resultaat.get("procestermijn") or "")
    if brondatum is not None and wanted and brondatum["afleidingswijze"] != wanted:
        raise ValidationFailed.field(
            f"{BRONDATUM}.afleidingswijze",
            "invalid-afleidingswijze-for-procestermijn",
            f"De afleidingswijze moet {wanted} zijn bij procestermijn "
            f"{resultaat['procestermijn']} van de selectielijstklasse.",
        )


async def _fetch(settings: Settings, url: str, field: str) -> dict[str, Any]:
    try:
        body = await fetch_json(url, settings=settings)
    except OutboundError as exc:
        raise exc.invalid(field) from exc
    if not isinstance(body, dict):
        raise ValidationFailed.field(field, "invalid-resource", "De URL gaf geen object terug.")
    return body
