"""Queries for statussen and for what closing a zaak reads (zrc-007, zrc-021)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.db import in_parameter
from mijnzaken.zaken.models import Rol, Status, Zaak, ZaakEigenschap
from mijnzaken.zaken.models import ZaakInformatieObject as Zio
from mijnzaken.zaken.repository import aggregate


async def by_id(session: AsyncSession, status_id: int) -> Status | None:
    return await session.get(Status, status_id)


async def zaak_for_update(
    session: AsyncSession, ident: uuid.UUID, among: ColumnElement[bool] | None
) -> Zaak | None:
    """The zaak `ident`, read fresh under its row lock (PostgreSQL) when it matches `among`
    (None: any). A zaak that does not match is not locked, nor waited for while another
    transaction holds its lock: the condition is applied before the rows are locked."""
    stmt = select(Zaak).where(Zaak.uuid == ident)
    if among is not None:
        stmt = stmt.where(among)
    stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def rol_by_uuid(session: AsyncSession, ident: uuid.UUID) -> Rol | None:
    return (await session.execute(select(Rol).where(Rol.uuid == ident))).scalar_one_or_none()


async def zaakinformatieobjecten_of(
    session: AsyncSession, status_ids: Iterable[int]
) -> dict[int, list[uuid.UUID]]:
    """The zaakinformatieobjecten (uuids) per status, in one query."""
    wanted = set(status_ids)
    if not wanted:
        return {}
    dialect = session.get_bind().dialect.name
    stmt = _DOCUMENTEN.get(dialect)
    if stmt is None:  # built once per dialect, executed with the ids as one parameter
        stmt = _DOCUMENTEN[dialect] = (
            select(Zio.status_id, Zio.uuid)
            .where(in_parameter(dialect, Zio.status_id, "statussen"))
            .order_by(Zio.id)
        )
    found: dict[int, list[uuid.UUID]] = defaultdict(list)
    for status_id, ident in (await session.execute(stmt, {"statussen": list(wanted)})).all():
        if status_id is not None:
            found[status_id].append(ident)
    return found


_DOCUMENTEN: dict[str, Select[int | None, uuid.UUID]] = {}


def documenten_column(dialect: str) -> list[Any]:
    """What `zaakinformatieobjecten_of` gives of a status, as a column of a select of
    statussen: `documenten`, the UUIDs of its zaakinformatieobjecten (read with
    `aggregate.uuids`), in the same order."""
    return [
        aggregate.uuid_list(dialect, Zio.uuid, Zio.status_id == Status.id, [Zio.id], Status).label(
            "documenten"
        )
    ]


async def einddatum_of(session: AsyncSession, zaak_id: int) -> dt.date | None:
    return (
        await session.execute(select(Zaak.einddatum).where(Zaak.id == zaak_id))
    ).scalar_one_or_none()


async def max_einddatum(session: AsyncSession, idents: Iterable[uuid.UUID]) -> dt.date | None:
    """The latest einddatum of the zaken with these uuids (None if none has one)."""
    wanted = set(idents)
    if not wanted:
        return None
    stmt = select(func.max(Zaak.einddatum)).where(Zaak.uuid.in_(wanted))
    return (await session.execute(stmt)).scalar_one_or_none()


async def eigenschap_waarden(session: AsyncSession, zaak_id: int) -> list[tuple[int, str]]:
    """(eigenschap id, waarde) of every zaakeigenschap of the zaak."""
    stmt = select(ZaakEigenschap.eigenschap_id, ZaakEigenschap.waarde).where(
        ZaakEigenschap.zaak_id == zaak_id
    )
    return [(eid, waarde) for eid, waarde in (await session.execute(stmt)).all()]
