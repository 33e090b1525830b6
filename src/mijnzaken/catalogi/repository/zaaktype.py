"""Queries for zaaktypen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only, selectinload

from mijnzaken.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from mijnzaken.catalogi.services.common import Status, geldig_op, status_filter

# What rendering a zaaktype needs: one query per relation, whatever the number of zaaktypen.
_WITH_RELATIONS = (
    selectinload(ZaakType.catalogus).options(load_only(Catalogus.uuid)),
    selectinload(ZaakType.statustypen).options(load_only(StatusType.uuid, StatusType.volgnummer)),
    selectinload(ZaakType.roltypen).options(load_only(RolType.uuid)),
    selectinload(ZaakType.resultaattypen).options(
        load_only(ResultaatType.uuid, ResultaatType.omschrijving)
    ),
    selectinload(ZaakType.eigenschappen).options(load_only(Eigenschap.uuid)),
    selectinload(ZaakType.zaakobjecttypen).options(load_only(ZaakObjectType.uuid)),
    selectinload(ZaakType.informatieobjecttype_links).options(
        load_only(
            ZaakTypeInformatieObjectType.uuid,
            ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving,
            ZaakTypeInformatieObjectType.volgnummer,
        )
    ),
)


def _contains(column: Any, value: str, dialect: str) -> ColumnElement[bool]:
    """SQL: the JSON array in `column` holds the string `value` (SQLite and PostgreSQL)."""
    name = "json_array_elements_text" if dialect == "postgresql" else "json_each"
    elements = getattr(func, name)(column).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value == value))


def list_stmt(
    *,
    dialect: str,
    catalogus: uuid.UUID | None = None,
    identificatie: str | None = None,
    trefwoorden: list[str] | None = None,
    status: Status = "definitief",
    datum_geldigheid: dt.date | None = None,
) -> Select[Any]:
    stmt = select(ZaakType).options(*_WITH_RELATIONS).order_by(ZaakType.id)
    if catalogus is not None:
        stmt = stmt.where(
            ZaakType.catalogus_id.in_(select(Catalogus.id).where(Catalogus.uuid == catalogus))
        )
    if identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == identificatie)
    for woord in trefwoorden or ():
        stmt = stmt.where(_contains(ZaakType.trefwoorden, woord, dialect))
    concept = status_filter(ZaakType.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(ZaakType, datum_geldigheid))
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakType | None:
    stmt = select(ZaakType).where(ZaakType.uuid == ident).options(*_WITH_RELATIONS)
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_catalogus(session: AsyncSession, catalogus_id: int) -> None:
    """Serialise validity checks within one catalogus (PostgreSQL; SQLite locks the file)."""
    await session.execute(
        select(Catalogus.id).where(Catalogus.id == catalogus_id).with_for_update()
    )


async def overlapping(
    session: AsyncSession,
    *,
    catalogus_id: int,
    identificatie: str,
    begin: dt.date,
    einde: dt.date | None,
    exclude_id: int | None,
) -> list[ZaakType]:
    """Published versions with this identificatie whose validity overlaps [begin, einde]."""
    stmt = select(ZaakType).where(
        ZaakType.catalogus_id == catalogus_id,
        ZaakType.identificatie == identificatie,
        ZaakType.concept.is_(False),
        or_(ZaakType.einde_geldigheid.is_(None), ZaakType.einde_geldigheid >= begin),
    )
    if einde is not None:
        stmt = stmt.where(ZaakType.begin_geldigheid <= einde)
    if exclude_id is not None:
        stmt = stmt.where(ZaakType.id != exclude_id)
    return list((await session.execute(stmt.order_by(ZaakType.id))).scalars())


async def by_uuids(session: AsyncSession, model: Any, idents: Iterable[uuid.UUID]) -> list[Any]:
    """Objects of `model` (a Catalogi type) by UUID, in one query."""
    wanted = set(idents)
    if not wanted:
        return []
    stmt = select(model).where(model.uuid.in_(wanted))
    return list((await session.execute(stmt)).scalars())


async def concept_only_names(
    session: AsyncSession,
    model: type[BesluitType] | type[InformatieObjectType],
    catalogus_id: int,
    names: Iterable[str],
) -> list[str]:
    """Of `names` (omschrijvingen), those that exist in the catalogus only as concept versions."""
    wanted = set(names)
    if not wanted:
        return []
    stmt = (
        select(model.omschrijving, model.concept)
        .where(model.catalogus_id == catalogus_id, model.omschrijving.in_(wanted))
        .distinct()
    )
    concept: set[str] = set()
    published: set[str] = set()
    for name, is_concept in (await session.execute(stmt)).all():
        (concept if is_concept else published).add(name)
    return sorted(concept - published)


async def delete_zaaktype(session: AsyncSession, zaaktype: ZaakType) -> None:
    """Delete a zaaktype; the database cascades to its statustypen, roltypen and the rest."""
    await session.execute(delete(ZaakType).where(ZaakType.id == zaaktype.id))
    session.expunge(zaaktype)
