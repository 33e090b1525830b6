"""Rules for informatieobjecttypen: concept status, validity, and the types that use them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import Catalogus, InformatieObjectType
from mijnzaken.catalogi.repository import informatieobjecttype as repository
from mijnzaken.catalogi.services.common import (
    API,
    Status,
    ensure_concept,
    resolve_reference,
    uuid_of,
)
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import NotFound, ValidationFailed
from mijnzaken.core.urls import Urls

COLLECTION = "informatieobjecttypen"


@dataclass
class Relations:
    """What other types say about one informatieobjecttype (they refer to it by omschrijving)."""

    zaaktypen: set[str] = field(default_factory=set)
    zaaktype_identificaties: set[str] = field(default_factory=set)
    besluittypen: set[str] = field(default_factory=set)
    besluittype_omschrijvingen: set[str] = field(default_factory=set)


def check_dates(data: dict[str, Any]) -> None:
    """Begin before (or on) end, for the validity and for the object's life."""
    for begin, end, name in (
        ("begin_geldigheid", "einde_geldigheid", "eindeGeldigheid"),
        ("begin_object", "einde_object", "eindeObject"),
    ):
        start, stop = data.get(begin), data.get(end)
        if start is not None and stop is not None and stop < start:
            raise ValidationFailed.field(
                name, "date-mismatch", f"{name} mag niet voor de begindatum liggen."
            )


async def ensure_no_overlap(session: AsyncSession, obj: Any, label: str) -> None:
    """ztc-016 for this type: published versions with one omschrijving in a catalogus do not
    overlap in validity."""
    if await repository.overlapping_versions(session, type(obj), obj):
        raise ValidationFailed.field(
            "beginGeldigheid",
            "overlap",
            f"Er bestaat al een gepubliceerd {label} met omschrijving '{obj.omschrijving}' "
            "in deze catalogus met een overlappende geldigheidsperiode.",
        )


def list_stmt(
    urls: Urls,
    *,
    catalogus: str | None,
    status: Status,
    datum_geldigheid: dt.date | None,
    omschrijving: str | None,
) -> Select[InformatieObjectType]:
    """The filtered collection; a catalogus URL that is not one of ours matches nothing."""
    catalogus_uuid = uuid_of(urls, catalogus, "catalogussen") if catalogus is not None else None
    return repository.list_stmt(
        catalogus=catalogus_uuid,
        nothing=catalogus is not None and catalogus_uuid is None,
        status=status,
        datum_geldigheid=datum_geldigheid,
        omschrijving=omschrijving,
    )


async def get(session: AsyncSession, ident: uuid.UUID) -> InformatieObjectType:
    """The informatieobjecttype with its catalogus loaded, or 404."""
    obj = await repository.get(session, ident)
    if obj is None:
        raise NotFound("Informatieobjecttype niet gevonden.")
    return obj


async def relations(
    session: AsyncSession, urls: Urls, items: Sequence[InformatieObjectType], date: dt.date
) -> dict[int, Relations]:
    """Batch: for a page of informatieobjecttypen, the zaaktypen and besluittypen using them.

    URLs are of published versions valid on `date`; names and identificaties of all versions.
    Two queries, whatever the number of items.
    """
    out = {o.id: Relations() for o in items}
    if not items:
        return out
    keyed: dict[tuple[int, str], list[Relations]] = defaultdict(list)
    for o in items:
        keyed[(o.catalogus_id, o.omschrijving)].append(out[o.id])
    catalogus_ids = {o.catalogus_id for o in items}
    names = {o.omschrijving for o in items}
    rows = await repository.zaaktypen_using(session, catalogus_ids, names, date)
    for catalogus_id, name, ident, identificatie, concept, geldig in rows:
        for rel in keyed.get((catalogus_id, name), []):
            rel.zaaktype_identificaties.add(identificatie)
            if not concept and geldig:
                rel.zaaktypen.add(urls.resource(API, "zaaktypen", ident))
    rows = await repository.besluittypen_in(session, catalogus_ids, date)
    for catalogus_id, ident, omschrijving, iot_names, concept, geldig in rows:
        for name in set(iot_names or []):
            for rel in keyed.get((catalogus_id, name), []):
                rel.besluittype_omschrijvingen.add(omschrijving)
                if not concept and geldig:
                    rel.besluittypen.add(urls.resource(API, "besluittypen", ident))
    return out


async def _columns(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> dict[str, Any]:
    catalogus = await resolve_reference(
        session, urls, Catalogus, data["catalogus"], "catalogussen", "catalogus"
    )
    check_dates(data)
    generiek = data.get("omschrijving_generiek")
    if generiek is not None and not any(generiek.values()):
        generiek = None  # an all-empty group is the same as none
    return {
        "catalogus": catalogus,
        "omschrijving": data["omschrijving"],
        "vertrouwelijkheidaanduiding": data["vertrouwelijkheidaanduiding"],
        "begin_geldigheid": data["begin_geldigheid"],
        "einde_geldigheid": data.get("einde_geldigheid"),
        "begin_object": data.get("begin_object"),
        "einde_object": data.get("einde_object"),
        "informatieobjectcategorie": data["informatieobjectcategorie"],
        "trefwoord": list(data.get("trefwoord") or []),
        "omschrijving_generiek": generiek,
    }


async def create(session: AsyncSession, urls: Urls, data: dict[str, Any]) -> InformatieObjectType:
    """Store a new informatieobjecttype, as concept."""
    obj = InformatieObjectType(**await _columns(session, urls, data), concept=True)
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
) -> InformatieObjectType:
    """Change an informatieobjecttype; a published one only as ztc-009 allows.

    A full update touches every field; a partial one the fields whose value changes.
    """
    obj = await get(session, ident)
    columns = await _columns(session, urls, data)
    touched = {k for k, v in columns.items() if getattr(obj, k) != v} if partial else set(columns)
    ensure_concept(obj, auth, fields=touched)
    for key in touched:
        setattr(obj, key, columns[key])
    if not obj.concept:
        await ensure_no_overlap(session, obj, "informatieobjecttype")
    await session.flush()
    return obj


async def delete(session: AsyncSession, obj: InformatieObjectType, auth: AuthContext) -> None:
    """Remove a concept informatieobjecttype (ztc-009: a published one stays)."""
    ensure_concept(obj, auth, deleting=True)
    await session.delete(obj)
    await session.flush()


async def publish(session: AsyncSession, ident: uuid.UUID) -> tuple[InformatieObjectType, bool]:
    """Make the version definitive; True when it was a concept (publishing twice is a no-op)."""
    obj = await get(session, ident)
    if not obj.concept:
        return obj, False
    await ensure_no_overlap(session, obj, "informatieobjecttype")
    obj.concept = False
    await session.flush()
    return obj, True
