"""The processing log's queries: the current version of an actie, and the inzage by data
subject (both APIs and the citizen's own page)."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject


def _with_objects(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(selectinload(Verwerkingsactie.objecten))


async def current(
    session: AsyncSession, actie_id: uuid_lib.UUID, vertrouwelijkheden: Sequence[str]
) -> Verwerkingsactie | None:
    """The newest version of one actie, unless vervallen or beyond what the caller may see."""
    stmt = _with_objects(
        select(Verwerkingsactie).where(
            Verwerkingsactie.actie_id == actie_id,
            Verwerkingsactie.actueel.is_(True),
            Verwerkingsactie.vervallen.is_(False),
            Verwerkingsactie.gewist_op.is_(None),
            Verwerkingsactie.vertrouwelijkheid.in_(vertrouwelijkheden),
        )
    )
    found: Verwerkingsactie | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


async def current_of_verwerking(
    session: AsyncSession, verwerking_id: uuid_lib.UUID
) -> list[Verwerkingsactie]:
    stmt = _with_objects(
        select(Verwerkingsactie)
        .where(
            Verwerkingsactie.verwerking_id == verwerking_id,
            Verwerkingsactie.actueel.is_(True),
            Verwerkingsactie.vervallen.is_(False),
            Verwerkingsactie.gewist_op.is_(None),
        )
        .order_by(Verwerkingsactie.id)
    )
    return list((await session.execute(stmt)).scalars())


@dataclass(frozen=True)
class Filter:
    """The inzage filters of both APIs: the data subject, a period, the activity."""

    objecttype: str
    soort_object_id: str
    object_id: str
    vertrouwelijkheden: Sequence[str]
    begin: dt.date | None = None
    eind: dt.date | None = None
    verwerkingsactiviteit_id: uuid_lib.UUID | None = None


def _day(value: dt.date) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _about(f: Filter) -> list[ColumnElement[bool]]:
    """The verwerkte objecten that name the data subject of `f`."""
    return [
        VerwerktObject.objecttype == f.objecttype,
        VerwerktObject.soort_object_id == f.soort_object_id,
        VerwerktObject.object_id == f.object_id,
    ]


def _shown(f: Filter) -> list[ColumnElement[bool]]:
    """The acties the inzage shows: current, not vervallen nor erased, of a
    vertrouwelijkheid `f` allows, in its period and of its activity. The period is judged on
    the object's copy of its actie's moment (the same value), which the index holds."""
    found: list[ColumnElement[bool]] = [
        Verwerkingsactie.actueel.is_(True),
        Verwerkingsactie.vervallen.is_(False),
        Verwerkingsactie.gewist_op.is_(None),
        Verwerkingsactie.vertrouwelijkheid.in_(list(f.vertrouwelijkheden)),
    ]
    if f.begin is not None:
        found.append(VerwerktObject.tijdstip >= _day(f.begin))
    if f.eind is not None:
        found.append(VerwerktObject.tijdstip < _day(f.eind))
    if f.verwerkingsactiviteit_id is not None:
        found.append(Verwerkingsactie.verwerkingsactiviteit_id == f.verwerkingsactiviteit_id)
    return found


# Newest first: by the objects' copy of their actie's moment, then by the actie's row id, as
# the index on the data subject holds them, so the database reads that index backwards and
# stops after the page instead of reading and sorting every entry of the data subject.
_NEWEST_FIRST = (VerwerktObject.tijdstip.desc(), VerwerktObject.actie_versie_id.desc())


def _first_naming(f: Filter) -> ColumnElement[bool]:
    """The object is the first of its actie version to name the data subject of `f`: an
    entry that names them twice (say, in two roles) is one actie in the list. SQLite's way
    (PostgreSQL's is DISTINCT ON, see `acties_query`): a look-up per row of the page. As
    NOT EXISTS, PostgreSQL's generic plan (a prepared statement's, after five runs) compared
    each row with all of the subject's objects."""
    earlier = aliased(VerwerktObject)
    first = (
        select(earlier.uuid)
        .where(
            earlier.actie_versie_id == VerwerktObject.actie_versie_id,
            earlier.objecttype == f.objecttype,
            earlier.soort_object_id == f.soort_object_id,
            earlier.object_id == f.object_id,
        )
        .order_by(earlier.uuid)
        .limit(1)
        .scalar_subquery()
    )
    return VerwerktObject.uuid == first


def acties_query(f: Filter, *, dialect: str, objecten: bool = True) -> Select[Any]:
    """The current, not vervallen acties about one data subject, newest first (with their
    verwerkte objecten loaded, unless `objecten` is false), for a database of `dialect`."""
    stmt = (
        select(Verwerkingsactie)
        .join(VerwerktObject, VerwerktObject.actie_versie_id == Verwerkingsactie.id)
        .where(*_about(f), *_shown(f))
        .order_by(*_NEWEST_FIRST)
    )
    if dialect == "postgresql":
        # DISTINCT ON the order's own columns: the objects of one version are adjacent in
        # the index, so the second one that names the subject is dropped as the index is
        # read, and the page still ends the scan. The look-up of `_first_naming` instead
        # read all of the subject's index entries once per row of the page (its planner
        # chose this index over the key for it)
        stmt = stmt.ext(distinct_on(VerwerktObject.tijdstip, VerwerktObject.actie_versie_id))
    else:
        stmt = stmt.where(_first_naming(f))
    return _with_objects(stmt) if objecten else stmt


def objecten_query(f: Filter) -> Select[Any]:
    """The verwerkte objecten of one data subject in current acties (the inzage API), newest
    actie first; acties on the same moment by the newest first, as the acties list has them,
    so a page never depends on the order the database happens to return them in."""
    stmt: Any = (
        select(VerwerktObject, Verwerkingsactie)
        .join(Verwerkingsactie, VerwerktObject.actie_versie_id == Verwerkingsactie.id)
        .where(*_about(f), *_shown(f))
        .order_by(*_NEWEST_FIRST, VerwerktObject.volgorde)
    )
    ordered: Select[Any] = stmt
    return ordered


async def verwerkt_object(
    session: AsyncSession, ident: uuid_lib.UUID, vertrouwelijkheden: Sequence[str]
) -> tuple[VerwerktObject, Verwerkingsactie] | None:
    """One verwerkt object in the current version of its actie."""
    stmt = (
        select(VerwerktObject, Verwerkingsactie)
        .join(Verwerkingsactie, VerwerktObject.actie_versie_id == Verwerkingsactie.id)
        .where(
            VerwerktObject.uuid == ident,
            Verwerkingsactie.actueel.is_(True),
            Verwerkingsactie.vervallen.is_(False),
            Verwerkingsactie.gewist_op.is_(None),
            Verwerkingsactie.vertrouwelijkheid.in_(list(vertrouwelijkheden)),
        )
    )
    found = (await session.execute(stmt)).first()
    return (found[0], found[1]) if found is not None else None


async def objecten_of(
    session: AsyncSession, row_ids: Iterable[int]
) -> dict[int, list[VerwerktObject]]:
    """The verwerkte objecten of the given rows, in one query."""
    ids = list(set(row_ids))
    found: dict[int, list[VerwerktObject]] = {}
    if not ids:
        return found
    stmt = (
        select(VerwerktObject)
        .where(VerwerktObject.actie_versie_id.in_(ids))
        .order_by(VerwerktObject.actie_versie_id, VerwerktObject.volgorde)
    )
    for obj in (await session.execute(stmt)).scalars():
        found.setdefault(obj.actie_versie_id, []).append(obj)
    return found


async def acties(session: AsyncSession, f: Filter, *, limit: int) -> list[Verwerkingsactie]:
    """The first `limit` acties of `acties_query`, without their objecten."""
    stmt = acties_query(f, dialect=session.get_bind().dialect.name, objecten=False).limit(limit)
    return list((await session.execute(stmt)).scalars())
