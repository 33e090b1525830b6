"""Queries for resultaattypen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, joinedload, load_only

from mijnzaken.catalogi.models import Catalogus, ResultaatType, ZaakType


def _with_zaaktype(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        contains_eager(ResultaatType.zaaktype).options(
            joinedload(ZaakType.catalogus).options(load_only(Catalogus.uuid))
        )
    )


def list_stmt(
    *,
    zaaktype: uuid.UUID | None = None,
    no_match: bool = False,
    zaaktype_identificatie: str | None = None,
    status: str | None = None,
    datum_geldigheid: dt.date | None = None,
) -> Select[Any]:
    stmt = _with_zaaktype(
        select(ResultaatType).join(ResultaatType.zaaktype).order_by(ResultaatType.id)
    )
    if no_match:
        stmt = stmt.where(false())
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid == zaaktype)
    if zaaktype_identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == zaaktype_identificatie)
    if status == "concept":
        stmt = stmt.where(ZaakType.concept.is_(True))
    elif status != "alles":  # the default is definitief
        stmt = stmt.where(ZaakType.concept.is_(False))
    if datum_geldigheid is not None:
        # the type's own dates, or (deriving them, as the standard says) its zaaktype's
        begin = func.coalesce(ResultaatType.begin_geldigheid, ZaakType.begin_geldigheid)
        einde = func.coalesce(ResultaatType.einde_geldigheid, ZaakType.einde_geldigheid)
        stmt = stmt.where(
            and_(
                or_(begin.is_(None), begin <= datum_geldigheid),
                or_(einde.is_(None), einde >= datum_geldigheid),
            )
        )
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> ResultaatType | None:
    stmt = list_stmt(status="alles").where(ResultaatType.uuid == ident)
    found: ResultaatType | None = (await session.execute(stmt)).unique().scalar_one_or_none()
    return found


async def existing_names(
    session: AsyncSession, model: type, catalogus_id: int, names: Iterable[str]
) -> set[str]:
    """Which of `names` exist (any version) as `model.omschrijving` in the catalogus."""
    wanted = set(names)
    if not wanted:
        return set()
    column = model.omschrijving  # type: ignore[attr-defined]
    stmt = select(column).where(
        model.catalogus_id == catalogus_id,  # type: ignore[attr-defined]
        column.in_(wanted),
    )
    return set((await session.execute(stmt)).scalars().all())


async def names_of(
    session: AsyncSession, model: type, idents: Iterable[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, str]]:
    """For UUIDs of `model`: (catalogus_id, omschrijving)."""
    wanted = set(idents)
    if not wanted:
        return {}
    stmt = select(
        model.uuid,  # type: ignore[attr-defined]
        model.catalogus_id,  # type: ignore[attr-defined]
        model.omschrijving,  # type: ignore[attr-defined]
    ).where(model.uuid.in_(wanted))  # type: ignore[attr-defined]
    return {u: (c, n) for u, c, n in (await session.execute(stmt)).all()}


async def zaaktype(session: AsyncSession, ident: uuid.UUID) -> ZaakType | None:
    """A zaaktype with its catalogus' UUID, for validating and rendering a type under it."""
    stmt = (
        select(ZaakType)
        .where(ZaakType.uuid == ident)
        .options(joinedload(ZaakType.catalogus).options(load_only(Catalogus.uuid)))
    )
    found: ZaakType | None = (await session.execute(stmt)).unique().scalar_one_or_none()
    return found
