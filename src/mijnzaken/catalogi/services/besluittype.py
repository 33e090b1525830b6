"""Rules for besluittypen: concept status, validity, and references by name."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import BesluitType, Catalogus, InformatieObjectType
from mijnzaken.catalogi.repository import besluittype as repository
from mijnzaken.catalogi.services.common import (
    API,
    Status,
    ensure_concept,
    resolve_reference,
    urls_by_name,
    uuid_of,
)
from mijnzaken.catalogi.services.informatieobjecttype import check_dates, ensure_no_overlap
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.urls import Urls

COLLECTION = "besluittypen"


@dataclass
class Relations:
    """The URLs a besluittype renders for the types it names and the types naming it."""

    informatieobjecttypen: list[str] = field(default_factory=list)
    zaaktypen: set[str] = field(default_factory=set)
    zaaktype_identificaties: set[str] = field(default_factory=set)
    resultaattypen: set[str] = field(default_factory=set)
    resultaattypen_omschrijving: set[str] = field(default_factory=set)


async def list_stmt(
    session: AsyncSession,
    urls: Urls,
    *,
    catalogus: str | None,
    zaaktype: str | None,
    informatieobjecttype: str | None,
    status: Status,
    datum_geldigheid: dt.date | None,
    omschrijving: str | None,
) -> Select[BesluitType]:
    """The filtered collection. A URL filter that is not one of ours matches nothing.

    `zaaktypen`: the besluittypen that zaaktype names; `informatieobjecttypen`: the besluittypen
    naming that informatieobjecttype (both within the catalogus of the given type).
    """
    nothing = False
    catalogus_uuid = None
    if catalogus is not None:
        catalogus_uuid = uuid_of(urls, catalogus, "catalogussen")
        nothing = catalogus_uuid is None
    named_in: tuple[int, list[str]] | None = None
    if zaaktype is not None and not nothing:
        ident = uuid_of(urls, zaaktype, "zaaktypen")
        zaaktype_row = await repository.zaaktype_names(session, ident) if ident else None
        if zaaktype_row is None:
            nothing = True
        else:
            named_in = (zaaktype_row[0], list(zaaktype_row[1] or []))
    ids: set[int] | None = None
    if informatieobjecttype is not None and not nothing:
        ident = uuid_of(urls, informatieobjecttype, "informatieobjecttypen")
        iot_row = await repository.informatieobjecttype_name(session, ident) if ident else None
        if iot_row is None:
            nothing = True
        else:
            catalogus_id, name = iot_row
            rows = await repository.names_of_informatieobjecttypen(session, catalogus_id)
            ids = {row_id for row_id, names in rows if name in (names or [])}
    return repository.list_stmt(
        catalogus=catalogus_uuid,
        nothing=nothing,
        ids=ids,
        named_in=named_in,
        status=status,
        datum_geldigheid=datum_geldigheid,
        omschrijving=omschrijving,
    )


async def get(session: AsyncSession, ident: uuid.UUID) -> BesluitType:
    """The besluittype with its catalogus loaded, or 404."""
    obj = await repository.get(session, ident)
    if obj is None:
        raise NotFound("Besluittype niet gevonden.")
    return obj


async def relations(
    session: AsyncSession, urls: Urls, items: Sequence[BesluitType], date: dt.date
) -> dict[int, Relations]:
    """Batch: for a page of besluittypen, the informatieobjecttypen they name (published versions
    valid on `date`), the zaaktypen naming them (idem) and the resultaattypen naming them.

    Three queries, whatever the number of items.
    """
    out = {o.id: Relations() for o in items}
    if not items:
        return out
    found = await urls_by_name(
        session,
        urls,
        InformatieObjectType,
        InformatieObjectType.omschrijving,
        "informatieobjecttypen",
        ((o.catalogus_id, n) for o in items for n in o.informatieobjecttype_omschrijvingen or []),
        date,
    )
    keyed: dict[tuple[int, str], list[Relations]] = defaultdict(list)
    for o in items:
        rel = out[o.id]
        for name in o.informatieobjecttype_omschrijvingen or []:
            rel.informatieobjecttypen.extend(found.get((o.catalogus_id, name), []))
        keyed[(o.catalogus_id, o.omschrijving)].append(rel)
    catalogus_ids = {o.catalogus_id for o in items}
    # names live in JSON lists: membership is decided here, the same on every database
    for catalogus_id, ident, identificatie, names, concept, geldig in await repository.zaaktypen_in(
        session, catalogus_ids, date
    ):
        for name in set(names or []):
            for rel in keyed.get((catalogus_id, name), []):
                rel.zaaktype_identificaties.add(identificatie)
                if not concept and geldig:
                    rel.zaaktypen.add(urls.resource(API, "zaaktypen", ident))
    for catalogus_id, ident, omschrijving, names in await repository.resultaattypen_in(
        session, catalogus_ids
    ):
        for name in set(names or []):
            for rel in keyed.get((catalogus_id, name), []):
                rel.resultaattypen.add(urls.resource(API, "resultaattypen", ident))
                rel.resultaattypen_omschrijving.add(omschrijving)
    return out


async def _columns(
    session: AsyncSession, urls: Urls, data: dict[str, Any], known: Sequence[str] = ()
) -> dict[str, Any]:
    """ORM values from validated input. Names must exist in the catalogus when they are added;
    names the besluittype already had stay valid (an informatieobjecttype concept may be gone)."""
    catalogus = await resolve_reference(
        session, urls, Catalogus, data["catalogus"], "catalogussen", "catalogus"
    )
    check_dates(data)
    names = list(dict.fromkeys(data["informatieobjecttypen"]))
    existing = await repository.existing_informatieobjecttypen(session, catalogus.id, names)
    missing = [n for n in names if n not in existing and n not in known]
    if missing:
        raise ValidationFailed(
            [
                InvalidParam(
                    "informatieobjecttypen",
                    "does_not_exist",
                    "Er is geen informatieobjecttype met omschrijving "
                    + ", ".join(f"'{n}'" for n in missing)
                    + " in deze catalogus.",
                )
            ]
        )
    return {
        "catalogus": catalogus,
        "omschrijving": data["omschrijving"],
        "omschrijving_generiek": data["omschrijving_generiek"],
        "besluitcategorie": data["besluitcategorie"],
        "reactietermijn": data.get("reactietermijn"),
        "publicatie_indicatie": data["publicatie_indicatie"],
        "publicatietekst": data["publicatietekst"],
        "publicatietermijn": data.get("publicatietermijn"),
        "toelichting": data["toelichting"],
        "informatieobjecttype_omschrijvingen": names,
        "begin_geldigheid": data["begin_geldigheid"],
        "einde_geldigheid": data.get("einde_geldigheid"),
        "begin_object": data.get("begin_object"),
        "einde_object": data.get("einde_object"),
    }


async def create(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> BesluitType:
    """Store a new besluittype, as concept."""
    obj = BesluitType(**await _columns(session, urls, data), concept=True)
    session.add(obj)
    await session.flush()
    return obj


async def update(
    session: AsyncSession,
    urls: Urls,
    ident: uuid.UUID,
    data: dict[str, Any],
    auth: AuthContext,
    *,
    partial: bool,
) -> BesluitType:
    """Change a besluittype; a published one only as ztc-009 allows.

    A full update touches every field; a partial one the fields whose value changes.
    """
    obj = await get(session, ident)
    columns = await _columns(session, urls, data, obj.informatieobjecttype_omschrijvingen or [])
    touched = {k for k, v in columns.items() if getattr(obj, k) != v} if partial else set(columns)
    ensure_concept(obj, auth, fields=touched)
    for key in touched:
        setattr(obj, key, columns[key])
    if not obj.concept:
        await ensure_no_overlap(session, obj, "besluittype")
    await session.flush()
    return obj


async def delete(session: AsyncSession, obj: BesluitType, auth: AuthContext) -> None:
    """Remove a concept besluittype (ztc-009: a published one stays)."""
    ensure_concept(obj, auth, deleting=True)
    await session.delete(obj)
    await session.flush()


async def publish(session: AsyncSession, ident: uuid.UUID) -> tuple[BesluitType, bool]:
    """Make the version definitive; True when it was a concept (publishing twice is a no-op)."""
    obj = await get(session, ident)
    if not obj.concept:
        return obj, False
    await ensure_no_overlap(session, obj, "besluittype")
    obj.concept = False
    await session.flush()
    return obj, True
