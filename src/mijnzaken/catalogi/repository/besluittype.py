"""Queries for besluittypen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only, selectinload

from mijnzaken.catalogi.models import (
    BesluitType,
    Catalogus,
    InformatieObjectType,
    ResultaatType,
    ZaakType,
)
from mijnzaken.catalogi.services.common import Status, geldig_op, status_filter

_WITH_CATALOGUS = selectinload(BesluitType.catalogus).options(load_only(Catalogus.uuid))


def list_stmt(
    *,
    catalogus: uuid.UUID | None = None,
    nothing: bool = False,
    ids: Iterable[int] | None = None,
    named_in: tuple[int, Iterable[str]] | None = None,
    status: Status | None = None,
    datum_geldigheid: dt.date | None = None,
    omschrijving: str | None = None,
) -> Select[BesluitType]:
    model = BesluitType
    stmt = select(model).options(_WITH_CATALOGUS).order_by(model.id)
    if nothing:
        return stmt.where(false())
    if catalogus is not None:
        stmt = stmt.where(
            model.catalogus_id.in_(select(Catalogus.id).where(Catalogus.uuid == catalogus))
        )
    if ids is not None:
        stmt = stmt.where(model.id.in_(set(ids)))
    if named_in is not None:
        catalogus_id, names = named_in
        stmt = stmt.where(model.catalogus_id == catalogus_id, model.omschrijving.in_(set(names)))
    concept = status_filter(model.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(model, datum_geldigheid))
    if omschrijving is not None:
        stmt = stmt.where(model.omschrijving == omschrijving)
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> BesluitType | None:
    stmt = select(BesluitType).options(_WITH_CATALOGUS).where(BesluitType.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def zaaktype_names(session: AsyncSession, ident: uuid.UUID) -> Any:
    """For the `zaaktypen` filter: catalogus_id and besluittype_omschrijvingen of a zaaktype."""
    stmt = select(ZaakType.catalogus_id, ZaakType.besluittype_omschrijvingen).where(
        ZaakType.uuid == ident
    )
    return (await session.execute(stmt)).one_or_none()


async def informatieobjecttype_name(session: AsyncSession, ident: uuid.UUID) -> Any:
    """For the `informatieobjecttypen` filter: catalogus_id and omschrijving of an IOT."""
    stmt = select(InformatieObjectType.catalogus_id, InformatieObjectType.omschrijving).where(
        InformatieObjectType.uuid == ident
    )
    return (await session.execute(stmt)).one_or_none()


async def names_of_informatieobjecttypen(session: AsyncSession, catalogus_id: int) -> Sequence[Any]:
    """Rows (id, informatieobjecttype_omschrijvingen) of the besluittypen of one catalogus."""
    stmt = select(BesluitType.id, BesluitType.informatieobjecttype_omschrijvingen).where(
        BesluitType.catalogus_id == catalogus_id
    )
    return (await session.execute(stmt)).all()


async def existing_informatieobjecttypen(
    session: AsyncSession, catalogus_id: int, names: Iterable[str]
) -> set[str]:
    """Which of `names` are the omschrijving of some informatieobjecttype in the catalogus."""
    stmt = select(InformatieObjectType.omschrijving).where(
        InformatieObjectType.catalogus_id == catalogus_id,
        InformatieObjectType.omschrijving.in_(set(names)),
    )
    return set((await session.execute(stmt)).scalars().all())


async def zaaktypen_in(
    session: AsyncSession, catalogus_ids: Iterable[int], date: dt.date
) -> Sequence[Any]:
    """Batch: the zaaktypen of the catalogi with the besluittype names they use.

    Rows: catalogus_id, uuid, identificatie, besluittype_omschrijvingen, concept, geldig.
    """
    stmt = (
        select(
            ZaakType.catalogus_id,
            ZaakType.uuid,
            ZaakType.identificatie,
            ZaakType.besluittype_omschrijvingen,
            ZaakType.concept,
            geldig_op(ZaakType, date).label("geldig"),
        )
        .where(ZaakType.catalogus_id.in_(set(catalogus_ids)))
        .order_by(ZaakType.id)
    )
    return (await session.execute(stmt)).all()


async def resultaattypen_in(session: AsyncSession, catalogus_ids: Iterable[int]) -> Sequence[Any]:
    """Batch: resultaattypen of zaaktypen in the catalogi, with the besluittype names they use.

    Rows: catalogus_id, uuid, omschrijving, besluittype_omschrijvingen.
    """
    stmt = (
        select(
            ZaakType.catalogus_id,
            ResultaatType.uuid,
            ResultaatType.omschrijving,
            ResultaatType.besluittype_omschrijvingen,
        )
        .join(ZaakType, ZaakType.id == ResultaatType.zaaktype_id)
        .where(ZaakType.catalogus_id.in_(set(catalogus_ids)))
        .order_by(ResultaatType.id)
    )
    return (await session.execute(stmt)).all()
