"""Queries for statussen and for what closing a zaak reads (zrc-007, zrc-021)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Table,
    and_,
    bindparam,
    cast,
    func,
    insert,
    select,
    update,
)
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
    if among is None:  # a caller with rights on every zaak: the statement built once
        found = await session.execute(_ZAAK_FOR_UPDATE, {"ident": ident})
        return found.scalar_one_or_none()
    stmt = select(Zaak).where(Zaak.uuid == ident, among)
    stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(stmt)).scalar_one_or_none()


_ZAAK_FOR_UPDATE = (
    select(Zaak)
    .where(Zaak.uuid == bindparam("ident"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


# the columns of a new status, written by `insert_latest`
STATUS_COLUMNS = (
    "uuid",
    "zaak_id",
    "statustype_id",
    "datum_status_gezet",
    "statustoelichting",
    "gezetdoor",
)


def _insert_latest() -> Any:
    statussen = _table(Status)
    zaken = _table(Zaak)
    nieuw = (
        insert(statussen)
        .values({c: bindparam(f"s_{c}", type_=statussen.c[c].type) for c in STATUS_COLUMNS})
        .returning(statussen.c.id)
        .cte("nieuw")
    )
    return (
        update(zaken)
        .values(status_id=select(nieuw.c.id).scalar_subquery())
        .where(zaken.c.id == bindparam("s_zaak_id", type_=zaken.c.id.type))
        .returning(zaken.c.status_id)
    )


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


# built once, executed with the values as parameters (PostgreSQL)
_INSERT_LATEST = _insert_latest()


async def insert_latest(session: AsyncSession, values: dict[str, Any]) -> int:
    """Insert a status and point its zaak at it, in one statement (PostgreSQL: the INSERT
    in the WITH clause of the zaak's UPDATE); the new status's id. `values` holds
    `STATUS_COLUMNS`."""
    parameters = {f"s_{c}": values[c] for c in STATUS_COLUMNS}
    status_id: int = (await session.execute(_INSERT_LATEST, parameters)).scalar_one()
    return status_id


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


def gezet_door_column(dialect: str) -> list[Any]:
    """What `services.rol.statussen_by_rol` gives of a rol, as a column of a select of rollen:
    `statussen`, the UUIDs of the statussen of its zaak it set (read with `aggregate.uuids`),
    in the same order. `gezetdoor` holds the rol's URL: the statement takes the URL of the
    rollen collection, with its trailing slash, as the parameter `rollen`."""
    url = bindparam("rollen", type_=String()) + _uuid_text(dialect, Rol.uuid)
    where = and_(Status.zaak_id == Rol.zaak_id, Status.gezetdoor == url)
    order = [Status.datum_status_gezet, Status.id]
    return [aggregate.uuid_list(dialect, Status.uuid, where, order, Rol).label("statussen")]


def _uuid_text(dialect: str, column: Any) -> Any:
    """A UUID column as the text a URL holds (8-4-4-4-12 hexadecimal digits)."""
    if dialect == "postgresql":
        return cast(column, String)
    # SQLite stores the 32 digits without hyphens
    parts = [
        func.substr(column, start, length, type_=String)
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    ]
    text: Any = parts[0]
    for part in parts[1:]:
        text = text + "-" + part
    return text


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
