"""Queries for the zaken of one party (a citizen by BSN, a business by its number) and
their histories, each a fixed number of statements whatever the number of zaken.

They read the columns a customer view shows as plain rows (attribute access by column name),
not as ORM objects: a page of 50 zaken with their statussen is a few hundred rows, and rows
without identity-map bookkeeping cost a fraction of the time."""

from __future__ import annotations

import uuid as uuid_lib
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.db import among, in_parameter
from mijnzaken.zaken.models import Resultaat, Rol, Status, Zaak, ZaakInformatieObject

# what a customer view shows of a zaak
ZAAK_COLUMNS = (
    Zaak.id,
    Zaak.uuid,
    Zaak.identificatie,
    Zaak.omschrijving,
    Zaak.zaaktype_id,
    Zaak.startdatum,
    Zaak.einddatum,
    Zaak.einddatum_gepland,
    Zaak.uiterlijke_einddatum_afdoening,
    Zaak.vertrouwelijkheidaanduiding,
    Zaak.producten_of_diensten,
    Zaak.status_id,
)


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
    stmt: Any = select(*ZAAK_COLUMNS)
    stmt = stmt.where(Zaak.id.in_(select(Rol.zaak_id).where(*rol)))
    if vertrouwelijkheid is not None:
        stmt = stmt.where(Zaak.vertrouwelijkheidaanduiding.in_(list(vertrouwelijkheid)))
    if access is not None:
        stmt = stmt.where(access)
    if ident is not None:
        stmt = stmt.where(Zaak.uuid == ident)
    return cast("Select[Any]", stmt.order_by(Zaak.startdatum.desc(), Zaak.id.desc()))


async def zaken(session: AsyncSession, stmt: Select[Any]) -> list[Any]:
    return list((await session.execute(stmt)).all())


async def statussen_of(session: AsyncSession, zaak_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Every status of these zaken (id, zaak_id, statustype_id, datum_status_gezet), oldest
    first per zaak, in one query."""
    wanted = set(zaak_ids)
    if not wanted:
        return {}
    stmt = (
        select(Status.id, Status.zaak_id, Status.statustype_id, Status.datum_status_gezet)
        .where(Status.zaak_id.in_(wanted))
        .order_by(Status.zaak_id, Status.datum_status_gezet, Status.id)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for status in (await session.execute(stmt)).all():
        found[status.zaak_id].append(status)
    return found


async def resultaten_of(session: AsyncSession, zaak_ids: Iterable[int]) -> dict[int, Any]:
    """The resultaat (zaak_id, resultaattype_id) of each of these zaken that has one, in one
    query."""
    wanted = set(zaak_ids)
    if not wanted:
        return {}
    stmt = select(Resultaat.zaak_id, Resultaat.resultaattype_id).where(
        Resultaat.zaak_id.in_(wanted)
    )
    return {r.zaak_id: r for r in (await session.execute(stmt)).all()}


async def documenten_of(session: AsyncSession, zaak_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The documents linked to these zaken (zaak_id, informatieobject URL, registratiedatum),
    newest link first per zaak, in one query."""
    wanted = set(zaak_ids)
    if not wanted:
        return {}
    zio = ZaakInformatieObject
    stmt = (
        select(zio.zaak_id, zio.informatieobject, zio.registratiedatum)
        .where(among(session, zio.zaak_id, wanted))
        .order_by(zio.zaak_id, zio.registratiedatum.desc(), zio.id.desc())
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in (await session.execute(stmt)).all():
        found[row.zaak_id].append(row)
    return found


async def bsns_of_zaken(session: AsyncSession, zaak_ids: Collection[int]) -> set[str]:
    """The BSNs of the natuurlijk-persoon rollen of the given zaken (one indexed query; for
    the processing log)."""
    if not zaak_ids:
        return set()
    dialect = session.get_bind().dialect.name
    stmt = _BSNS.get(dialect)
    if stmt is None:  # built once per dialect, executed with the ids as one parameter
        stmt = _BSNS[dialect] = select(Rol.inp_bsn).where(
            in_parameter(dialect, Rol.zaak_id, "zaken"),  # one statement text for any page
            Rol.betrokkene_type == "natuurlijk_persoon",
            Rol.inp_bsn.is_not(None),
        )
    rows = await session.execute(stmt, {"zaken": list(zaak_ids)})
    return {bsn for bsn in rows.scalars() if bsn}


_BSNS: dict[str, Select[Any]] = {}
