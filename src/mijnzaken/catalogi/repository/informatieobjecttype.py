"""Queries for informatieobjecttypen."""

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
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from mijnzaken.catalogi.services.common import Status, geldig_op, status_filter

_WITH_CATALOGUS = selectinload(InformatieObjectType.catalogus).options(load_only(Catalogus.uuid))


def list_stmt(
    *,
    catalogus: uuid.UUID | None = None,
    nothing: bool = False,
    status: Status | None = None,
    datum_geldigheid: dt.date | None = None,
    omschrijving: str | None = None,
) -> Select[InformatieObjectType]:
    model = InformatieObjectType
    stmt = select(model).options(_WITH_CATALOGUS).order_by(model.id)
    if nothing:
        return stmt.where(false())
    if catalogus is not None:
        stmt = stmt.where(
            model.catalogus_id.in_(select(Catalogus.id).where(Catalogus.uuid == catalogus))
        )
    concept = status_filter(model.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_op(model, datum_geldigheid))
    if omschrijving is not None:
        stmt = stmt.where(model.omschrijving == omschrijving)
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> InformatieObjectType | None:
    stmt = select(InformatieObjectType).options(_WITH_CATALOGUS)
    stmt = stmt.where(InformatieObjectType.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def zaaktypen_using(
    session: AsyncSession, catalogus_ids: Iterable[int], names: Iterable[str], date: dt.date
) -> Sequence[Any]:
    """Batch: zaaktypen (any version) with a zaaktype-informatieobjecttype naming one of `names`.

    Rows: catalogus_id, omschrijving, uuid, identificatie, concept, geldig (on `date`).
    """
    stmt = (
        select(
            ZaakType.catalogus_id,
            ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving,
            ZaakType.uuid,
            ZaakType.identificatie,
            ZaakType.concept,
            geldig_op(ZaakType, date).label("geldig"),
        )
        .join(ZaakType, ZaakType.id == ZaakTypeInformatieObjectType.zaaktype_id)
        .where(
            ZaakType.catalogus_id.in_(set(catalogus_ids)),
            ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving.in_(set(names)),
        )
        .order_by(ZaakType.id)
    )
    return (await session.execute(stmt)).all()


async def besluittypen_in(
    session: AsyncSession, catalogus_ids: Iterable[int], date: dt.date
) -> Sequence[Any]:
    """Batch: the besluittypen of the catalogi with the names of the informatieobjecttypen they use.

    Rows: catalogus_id, uuid, omschrijving, informatieobjecttype_omschrijvingen, concept, geldig.
    (Names live in a JSON list, so membership is decided by the caller, portably.)
    """
    stmt = (
        select(
            BesluitType.catalogus_id,
            BesluitType.uuid,
            BesluitType.omschrijving,
            BesluitType.informatieobjecttype_omschrijvingen,
            BesluitType.concept,
            geldig_op(BesluitType, date).label("geldig"),
        )
        .where(BesluitType.catalogus_id.in_(set(catalogus_ids)))
        .order_by(BesluitType.id)
    )
    return (await session.execute(stmt)).all()


async def overlapping_versions(session: AsyncSession, model: Any, obj: Any) -> list[uuid.UUID]:
    """Other published versions with the same omschrijving in the catalogus whose validity
    overlaps that of `obj` (an open end counts as the highest possible date)."""
    stmt = select(model.uuid).where(
        model.catalogus_id == obj.catalogus_id,
        model.omschrijving == obj.omschrijving,
        model.concept.is_(False),
        model.id != obj.id,
    )
    if obj.einde_geldigheid is not None:
        stmt = stmt.where(model.begin_geldigheid <= obj.einde_geldigheid)
    if obj.begin_geldigheid is not None:
        stmt = stmt.where(
            (model.einde_geldigheid.is_(None)) | (model.einde_geldigheid >= obj.begin_geldigheid)
        )
    return list((await session.execute(stmt)).scalars().all())
