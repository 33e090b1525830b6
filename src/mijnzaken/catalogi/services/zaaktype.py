"""Rules for zaaktypen: validation, concept and publication (ztc-001, ztc-009, ztc-016)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import BesluitType, Catalogus, InformatieObjectType, ZaakType
from mijnzaken.catalogi.repository import zaaktype as repository
from mijnzaken.catalogi.services.common import (
    API,
    ensure_concept,
    resolve_reference,
    urls_by_name,
)
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.urls import Urls

Names = dict[tuple[int, str], list[str]]


@dataclass
class References:
    """URLs of the published versions, valid on one date, that zaaktypen name (gedrag.md)."""

    besluittypen: Names = field(default_factory=dict)
    informatieobjecttypen: Names = field(default_factory=dict)
    zaaktypen: Names = field(default_factory=dict)


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakType:
    """The zaaktype with what rendering it needs loaded, or 404."""
    zaaktype = await repository.get(session, ident)
    if zaaktype is None:
        raise NotFound("Zaaktype niet gevonden.")
    return zaaktype


async def references(
    session: AsyncSession, urls: Urls, zaaktypen: Sequence[ZaakType], date: dt.date
) -> References:
    """The name references of a page of zaaktypen as URLs: three queries for any page."""
    besluittypen: set[tuple[int, str]] = set()
    iots: set[tuple[int, str]] = set()
    zaaktype_ids: set[tuple[int, str]] = set()
    for z in zaaktypen:
        besluittypen.update((z.catalogus_id, n) for n in z.besluittype_omschrijvingen)
        iots.update(
            (z.catalogus_id, link.informatieobjecttype_omschrijving)
            for link in z.informatieobjecttype_links
        )
        zaaktype_ids.update((z.catalogus_id, n) for n in z.deelzaaktype_identificaties)
        zaaktype_ids.update((z.catalogus_id, r["zaaktype"]) for r in z.gerelateerde_zaaktypen)
    return References(
        besluittypen=await urls_by_name(
            session,
            urls,
            BesluitType,
            BesluitType.omschrijving,
            "besluittypen",
            besluittypen,
            date,
        ),
        informatieobjecttypen=await urls_by_name(
            session,
            urls,
            InformatieObjectType,
            InformatieObjectType.omschrijving,
            "informatieobjecttypen",
            iots,
            date,
        ),
        zaaktypen=await urls_by_name(
            session, urls, ZaakType, ZaakType.identificatie, "zaaktypen", zaaktype_ids, date
        ),
    )


async def create(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> ZaakType:
    """Store a new zaaktype as a concept."""
    zaaktype = ZaakType(concept=True)
    await _fill(session, urls, zaaktype, data)
    session.add(zaaktype)
    await session.flush()
    return await get(session, zaaktype.uuid)


async def update(
    session: AsyncSession,
    urls: Urls,
    zaaktype: ZaakType,
    data: dict[str, Any],
    auth: AuthContext,
    *,
    fields: Iterable[str],
) -> ZaakType:
    """Change a zaaktype; `fields` are the (snake_case) fields the client sent (ztc-009)."""
    fields = set(fields)
    ensure_concept(zaaktype, auth, fields=fields)
    await _fill(session, urls, zaaktype, data)
    await session.flush()
    ident = zaaktype.uuid
    session.expire(zaaktype)  # reload the relations the new names point at
    return await get(session, ident)


async def delete(session: AsyncSession, zaaktype: ZaakType, auth: AuthContext) -> None:
    """Delete a concept zaaktype with everything under it (ztc-009: never a published one)."""
    ensure_concept(zaaktype, auth, deleting=True)
    await repository.delete_zaaktype(session, zaaktype)


async def publish(session: AsyncSession, zaaktype: ZaakType) -> bool:
    """Make a concept definitief; False when it already was. Every type it names must be
    published, and its validity may not overlap another published version (ztc-016)."""
    if not zaaktype.concept:
        return False
    problems: list[InvalidParam] = []
    for name, model, omschrijvingen in (
        ("besluittypen", BesluitType, zaaktype.besluittype_omschrijvingen),
        (
            "informatieobjecttypen",
            InformatieObjectType,
            [
                link.informatieobjecttype_omschrijving
                for link in zaaktype.informatieobjecttype_links
            ],
        ),
    ):
        concept = await repository.concept_only_names(
            session, model, zaaktype.catalogus_id, omschrijvingen
        )
        if concept:
            problems.append(
                InvalidParam(
                    name,
                    "concept-relation",
                    f"Publiceer eerst de {name} waar dit zaaktype naar verwijst: "
                    + ", ".join(concept)
                    + ".",
                )
            )
    if problems:
        raise ValidationFailed(problems)
    await _ensure_no_overlap(session, zaaktype)
    zaaktype.concept = False
    await session.flush()
    return True


async def _ensure_no_overlap(session: AsyncSession, zaaktype: ZaakType) -> None:
    """ztc-016: no published version with the same identificatie overlaps this one."""
    await repository.lock_catalogus(session, zaaktype.catalogus_id)
    others = await repository.overlapping(
        session,
        catalogus_id=zaaktype.catalogus_id,
        identificatie=zaaktype.identificatie,
        begin=zaaktype.begin_geldigheid or dt.date.min,
        einde=zaaktype.einde_geldigheid,
        exclude_id=zaaktype.id,
    )
    if others:
        raise ValidationFailed(
            [
                InvalidParam(
                    "beginGeldigheid",
                    "overlap",
                    "Er is al een gepubliceerd zaaktype met dezelfde identificatie in deze "
                    "catalogus dat in (een deel van) deze periode geldig is.",
                )
            ]
        )


async def _fill(
    session: AsyncSession, urls: Urls, zaaktype: ZaakType, data: dict[str, Any]
) -> None:
    """Validate `data` (a whole ZaakTypeUpdate, snake_case) and put it on `zaaktype`."""
    catalogus = await resolve_reference(
        session, urls, Catalogus, data["catalogus"], "catalogussen", "catalogus"
    )
    _check_fields(data)
    besluittypen = await _names(
        session,
        urls,
        data["besluittypen"],
        BesluitType,
        "besluittypen",
        "besluittypen",
        catalogus.id,
    )
    deelzaaktypen = await _names(
        session,
        urls,
        data["deelzaaktypen"],
        ZaakType,
        "zaaktypen",
        "deelzaaktypen",
        catalogus.id,
    )
    related = data["gerelateerde_zaaktypen"]
    related_ids = await _names(
        session,
        urls,
        [r["zaaktype"] for r in related],
        ZaakType,
        "zaaktypen",
        "gerelateerdeZaaktypen",
        catalogus.id,
    )

    zaaktype.catalogus_id = catalogus.id
    for key in (
        "identificatie",
        "omschrijving",
        "omschrijving_generiek",
        "vertrouwelijkheidaanduiding",
        "doel",
        "aanleiding",
        "toelichting",
        "indicatie_intern_of_extern",
        "handeling_initiator",
        "onderwerp",
        "handeling_behandelaar",
        "doorlooptijd",
        "servicenorm",
        "opschorting_en_aanhouding_mogelijk",
        "verlenging_mogelijk",
        "verlengingstermijn",
        "trefwoorden",
        "publicatie_indicatie",
        "publicatietekst",
        "verantwoordingsrelatie",
        "producten_of_diensten",
        "selectielijst_procestype",
        "referentieproces",
        "verantwoordelijke",
        "broncatalogus",
        "bronzaaktype",
        "begin_geldigheid",
        "einde_geldigheid",
        "begin_object",
        "einde_object",
    ):
        setattr(zaaktype, key, data[key])
    zaaktype.versiedatum = data["versiedatum"] or data["begin_geldigheid"]
    zaaktype.besluittype_omschrijvingen = _unique(besluittypen)
    zaaktype.deelzaaktype_identificaties = _unique(deelzaaktypen)
    zaaktype.gerelateerde_zaaktypen = [
        {"zaaktype": ident, "aardRelatie": r["aard_relatie"], "toelichting": r["toelichting"]}
        for ident, r in zip(related_ids, related, strict=True)
    ]
    # "Dezelfde identificatie mag enkel opnieuw gebruikt worden als het zaaktype een andere
    # geldigheidsperiode kent" (zaaktype_create), and ztc-016 for a changed published version.
    await _ensure_no_overlap(session, zaaktype)


def _check_fields(data: dict[str, Any]) -> None:
    problems: list[InvalidParam] = []
    if data["verlenging_mogelijk"] and not data["verlengingstermijn"]:
        problems.append(
            InvalidParam(
                "verlengingstermijn",
                "verlenging-mismatch",
                "Verlengingstermijn is verplicht als verlenging mogelijk is.",
            )
        )
    if not data["verlenging_mogelijk"] and data["verlengingstermijn"]:
        problems.append(
            InvalidParam(
                "verlengingstermijn",
                "verlenging-mismatch",
                "Verlengingstermijn mag alleen ingevuld zijn als verlenging mogelijk is.",
            )
        )
    einde = data["einde_geldigheid"]
    if einde is not None and einde < data["begin_geldigheid"]:
        problems.append(
            InvalidParam(
                "eindeGeldigheid",
                "date-mismatch",
                "eindeGeldigheid mag niet voor beginGeldigheid liggen.",
            )
        )
    if problems:
        raise ValidationFailed(problems)


async def _names(
    session: AsyncSession,
    urls: Urls,
    values: list[str],
    model: Any,
    collection: str,
    field_name: str,
    catalogus_id: int,
) -> list[str]:
    """References as names. Clients of Catalogi < 1.3 send URLs: those become the omschrijving
    (besluittypen) or identificatie (zaaktypen) of the object they point at, which must be in
    the same catalogus."""
    name_attr = "omschrijving" if model is BesluitType else "identificatie"
    idents: dict[int, uuid.UUID] = {}
    for i, value in enumerate(values):
        if value.startswith(("http://", "https://")):
            idents[i] = urls.reference(value, API, collection, field_name)
    if not idents:
        return list(values)
    found = {o.uuid: o for o in await repository.by_uuids(session, model, idents.values())}
    out = list(values)
    for i, ident in idents.items():
        obj = found.get(ident)
        if obj is None:
            raise ValidationFailed.field(
                field_name, "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
            )
        if obj.catalogus_id != catalogus_id:
            raise ValidationFailed.field(
                field_name,
                "relations-incorrect-catalogus",
                "Het type moet tot dezelfde catalogus behoren als het zaaktype.",
            )
        out[i] = getattr(obj, name_attr)
    return out


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def write_representation(zaaktype: ZaakType, catalogus_url: str) -> dict[str, Any]:
    """The zaaktype as a ZaakTypeUpdate body (camelCase, references by name): PATCH merges
    into this, so fields the client leaves out keep their stored names."""
    return {
        "identificatie": zaaktype.identificatie,
        "omschrijving": zaaktype.omschrijving,
        "omschrijvingGeneriek": zaaktype.omschrijving_generiek,
        "vertrouwelijkheidaanduiding": zaaktype.vertrouwelijkheidaanduiding,
        "doel": zaaktype.doel,
        "aanleiding": zaaktype.aanleiding,
        "toelichting": zaaktype.toelichting,
        "indicatieInternOfExtern": zaaktype.indicatie_intern_of_extern,
        "handelingInitiator": zaaktype.handeling_initiator,
        "onderwerp": zaaktype.onderwerp,
        "handelingBehandelaar": zaaktype.handeling_behandelaar,
        "doorlooptijd": zaaktype.doorlooptijd,
        "servicenorm": zaaktype.servicenorm,
        "opschortingEnAanhoudingMogelijk": zaaktype.opschorting_en_aanhouding_mogelijk,
        "verlengingMogelijk": zaaktype.verlenging_mogelijk,
        "verlengingstermijn": zaaktype.verlengingstermijn,
        "trefwoorden": list(zaaktype.trefwoorden),
        "publicatieIndicatie": zaaktype.publicatie_indicatie,
        "publicatietekst": zaaktype.publicatietekst,
        "verantwoordingsrelatie": list(zaaktype.verantwoordingsrelatie),
        "productenOfDiensten": list(zaaktype.producten_of_diensten),
        "selectielijstProcestype": zaaktype.selectielijst_procestype,
        "referentieproces": dict(zaaktype.referentieproces),
        "verantwoordelijke": zaaktype.verantwoordelijke,
        "broncatalogus": zaaktype.broncatalogus,
        "bronzaaktype": zaaktype.bronzaaktype,
        "catalogus": catalogus_url,
        "besluittypen": list(zaaktype.besluittype_omschrijvingen),
        "deelzaaktypen": list(zaaktype.deelzaaktype_identificaties),
        "gerelateerdeZaaktypen": [dict(r) for r in zaaktype.gerelateerde_zaaktypen],
        "beginGeldigheid": zaaktype.begin_geldigheid,
        "eindeGeldigheid": zaaktype.einde_geldigheid,
        "beginObject": zaaktype.begin_object,
        "eindeObject": zaaktype.einde_object,
        "versiedatum": zaaktype.versiedatum,
    }
