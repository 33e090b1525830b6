"""Queries for zaaktype-informatieobjecttypen."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, joinedload, load_only

from mijnzaken.catalogi.models import (
    Catalogus,
    InformatieObjectType,
    StatusType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)

ZTIOT = ZaakTypeInformatieObjectType


def list_stmt(
    *,
    zaaktype: uuid.UUID | None = None,
    no_match: bool = False,
    informatieobjecttype: str | None = None,
    informatieobjecttype_catalogus: int | None = None,
    richting: str | None = None,
    status: str | None = None,
) -> Select[Any]:
    stmt = (
        select(ZTIOT)
        .join(ZTIOT.zaaktype)
        .options(
            contains_eager(ZTIOT.zaaktype).options(
                joinedload(ZaakType.catalogus).options(load_only(Catalogus.uuid))
            ),
            joinedload(ZTIOT.statustype).options(
                load_only(StatusType.uuid, StatusType.zaaktype_id)
            ),
        )
        .order_by(ZTIOT.id)
    )
    if no_match:
        stmt = stmt.where(false())
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid == zaaktype)
    if informatieobjecttype is not None:
        stmt = stmt.where(ZTIOT.informatieobjecttype_omschrijving == informatieobjecttype)
    if informatieobjecttype_catalogus is not None:
        stmt = stmt.where(ZaakType.catalogus_id == informatieobjecttype_catalogus)
    if richting is not None:
        stmt = stmt.where(ZTIOT.richting == richting)
    if status == "concept":
        stmt = stmt.where(ZaakType.concept.is_(True))
    elif status != "alles":  # the default is definitief
        stmt = stmt.where(ZaakType.concept.is_(False))
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> ZaakTypeInformatieObjectType | None:
    stmt = list_stmt(status="alles").where(ZTIOT.uuid == ident)
    found: ZaakTypeInformatieObjectType | None = (
        (await session.execute(stmt)).unique().scalar_one_or_none()
    )
    return found


async def volgnummer_taken(
    session: AsyncSession, zaaktype_id: int, volgnummer: int, *, other_than: int | None = None
) -> bool:
    """Whether another link of the zaaktype already has this volgnummer."""
    stmt = select(ZTIOT.id).where(ZTIOT.zaaktype_id == zaaktype_id, ZTIOT.volgnummer == volgnummer)
    if other_than is not None:
        stmt = stmt.where(ZTIOT.id != other_than)
    return (await session.execute(stmt.limit(1))).first() is not None


async def latest_versions(
    session: AsyncSession, pairs: set[tuple[int, str]]
) -> dict[tuple[int, str], uuid.UUID]:
    """Batch: for (catalogus_id, omschrijving) pairs, the newest informatieobjecttype version."""
    if not pairs:
        return {}
    stmt = (
        select(
            InformatieObjectType.catalogus_id,
            InformatieObjectType.omschrijving,
            InformatieObjectType.uuid,
        )
        .where(
            InformatieObjectType.catalogus_id.in_({c for c, _ in pairs}),
            InformatieObjectType.omschrijving.in_({n for _, n in pairs}),
        )
        .order_by(InformatieObjectType.id)
    )
    latest: dict[tuple[int, str], uuid.UUID] = {}
    for catalogus_id, name, ident in (await session.execute(stmt)).all():
        latest[(catalogus_id, name)] = ident  # ordered by id: the last one wins
    return {k: v for k, v in latest.items() if k in pairs}
