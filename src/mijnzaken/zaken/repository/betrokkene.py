"""Queries for the zaken of one party (a citizen by BSN, a business by its number) and
their histories, each a fixed number of statements whatever the number of zaken."""

from __future__ import annotations

import uuid as uuid_lib
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.zaken.models import Resultaat, Rol, Status, Zaak


def rol_conditions(
    *, bsn: str | None, inn_nnp_id: str | None, rollen: Collection[str]
) -> list[ColumnElement[bool]]:
    """The conditions on zaken_rol that name the party in one of the generic roles."""
    where: list[ColumnElement[bool]] = [Rol.omschrijving_generiek.in_(list(rollen))]
    if bsn is not None:
        where += [Rol.betrokkene_type == "natuurlijk_persoon", Rol.inp_bsn == bsn]
    elif inn_nnp_id is not None:
        where += [Rol.betrokkene_type == "niet_natuurlijk_persoon", Rol.inn_nnp_id == inn_nnp_id]
    else:
        raise ValueError("a party is named by a BSN or an innNnpId")
    return where


def zaken_stmt(
    rol: list[ColumnElement[bool]],
    *,
    vertrouwelijkheid: Collection[str] | None,
    access: ColumnElement[bool] | None,
    ident: uuid_lib.UUID | None = None,
) -> Select[Any]:
    """The zaken in which a rol meets `rol`, within the limits; newest first."""
    stmt = select(Zaak).where(Zaak.id.in_(select(Rol.zaak_id).where(*rol)))
    if vertrouwelijkheid is not None:
        stmt = stmt.where(Zaak.vertrouwelijkheidaanduiding.in_(list(vertrouwelijkheid)))
    if access is not None:
        stmt = stmt.where(access)
    if ident is not None:
        stmt = stmt.where(Zaak.uuid == ident)
    return stmt.order_by(Zaak.startdatum.desc(), Zaak.id.desc())


async def zaken(session: AsyncSession, stmt: Select[Any]) -> list[Zaak]:
    return list((await session.execute(stmt)).scalars())


async def statussen_of(session: AsyncSession, zaak_ids: Iterable[int]) -> dict[int, list[Status]]:
    """Every status of these zaken, oldest first per zaak, in one query."""
    wanted = set(zaak_ids)
    if not wanted:
        return {}
    stmt = (
        select(Status)
        .where(Status.zaak_id.in_(wanted))
        .order_by(Status.zaak_id, Status.datum_status_gezet, Status.id)
    )
    found: dict[int, list[Status]] = defaultdict(list)
    for status in (await session.execute(stmt)).scalars():
        found[status.zaak_id].append(status)
    return found


async def resultaten_of(session: AsyncSession, zaak_ids: Iterable[int]) -> dict[int, Resultaat]:
    """The resultaat of each of these zaken that has one, in one query."""
    wanted = set(zaak_ids)
    if not wanted:
        return {}
    stmt = select(Resultaat).where(Resultaat.zaak_id.in_(wanted))
    return {r.zaak_id: r for r in (await session.execute(stmt)).scalars()}
