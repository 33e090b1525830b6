"""Queries for zaakobjecttypen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.catalogi.models import Catalogus, ZaakObjectType, ZaakType
from mijnzaken.catalogi.services.common import geldig_met_zaaktype

_RENDER = (selectinload(ZaakObjectType.zaaktype).options(selectinload(ZaakType.catalogus)),)


def _begin() -> ColumnElement[dt.date | None]:
    return func.coalesce(ZaakObjectType.begin_geldigheid, ZaakType.begin_geldigheid)


def _einde() -> ColumnElement[dt.date | None]:
    return func.coalesce(ZaakObjectType.einde_geldigheid, ZaakType.einde_geldigheid)


def list_stmt(
    *,
    ander_objecttype: bool | None = None,
    catalogus: list[uuid.UUID] | None = None,
    datum_begin_geldigheid: dt.date | None = None,
    datum_einde_geldigheid: dt.date | None = None,
    datum_geldigheid: dt.date | None = None,
    objecttype: str | None = None,
    relatie_omschrijving: str | None = None,
    zaaktype: list[uuid.UUID] | None = None,
    zaaktype_identificatie: str | None = None,
) -> Select[ZaakObjectType]:
    stmt = (
        select(ZaakObjectType)
        .join(ZaakObjectType.zaaktype)
        .options(*_RENDER)
        .order_by(ZaakObjectType.id)
    )
    if ander_objecttype is not None:
        stmt = stmt.where(ZaakObjectType.ander_objecttype.is_(ander_objecttype))
    if catalogus is not None:
        stmt = stmt.where(
            ZaakType.catalogus_id.in_(select(Catalogus.id).where(Catalogus.uuid.in_(catalogus)))
        )
    if datum_begin_geldigheid is not None:
        stmt = stmt.where(_begin() == datum_begin_geldigheid)
    if datum_einde_geldigheid is not None:
        stmt = stmt.where(_einde() == datum_einde_geldigheid)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_met_zaaktype(ZaakObjectType, datum_geldigheid))
    if objecttype is not None:
        stmt = stmt.where(ZaakObjectType.objecttype == objecttype)
    if relatie_omschrijving is not None:
        stmt = stmt.where(ZaakObjectType.relatie_omschrijving == relatie_omschrijving)
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid.in_(zaaktype))
    if zaaktype_identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == zaaktype_identificatie)
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakObjectType | None:
    stmt = select(ZaakObjectType).where(ZaakObjectType.uuid == ident).options(*_RENDER)
    return (await session.execute(stmt)).scalar_one_or_none()


async def delete(session: AsyncSession, zaakobjecttype: ZaakObjectType) -> None:
    await session.delete(zaakobjecttype)
    await session.flush()
