"""Queries of the Documenten register."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.db import among
from mijnzaken.documenten.models import (
    BestandsDeel,
    Gebruiksrechten,
    InformatieObject,
    ObjectInformatieObject,
    Versie,
    Verzending,
)


async def document(session: AsyncSession, ident: uuid.UUID) -> InformatieObject | None:
    stmt = select(InformatieObject).where(InformatieObject.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def document_for_update(
    session: AsyncSession, ident: uuid.UUID, *, skip_locked: bool = False
) -> InformatieObject | None:
    """The document, its row locked for the rest of the transaction (PostgreSQL) and read
    fresh, so two lock or upload requests do not both win. `skip_locked`: None at once when
    another transaction holds the row, instead of waiting for it."""
    stmt = (
        select(InformatieObject)
        .where(InformatieObject.uuid == ident)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def document_by_id(session: AsyncSession, ident: int) -> InformatieObject:
    stmt = select(InformatieObject).where(InformatieObject.id == ident)
    return (await session.execute(stmt)).scalar_one()


async def document_by_id_for_update(
    session: AsyncSession, ident: int, *, skip_locked: bool = False
) -> InformatieObject | None:
    """As `document_for_update`, by the document's row id."""
    stmt = (
        select(InformatieObject)
        .where(InformatieObject.id == ident)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def versie(
    session: AsyncSession, document_id: int, nummer: int | None, op: dt.datetime | None
) -> Versie | None:
    """Version `nummer`, or the version that was current at `op`."""
    stmt = select(Versie).where(Versie.informatieobject_id == document_id)
    if nummer is not None:
        stmt = stmt.where(Versie.versie == nummer)
    if op is not None:
        stmt = stmt.where(Versie.begin_registratie <= op)
    stmt = stmt.order_by(Versie.versie.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def huidige_versie(session: AsyncSession, document: InformatieObject) -> Versie | None:
    return await versie(session, document.id, document.versie, None)


async def bestandsdelen(
    session: AsyncSession, document_ids: Iterable[int]
) -> dict[int, list[BestandsDeel]]:
    """The parts of each document, by volgnummer, in one query."""
    ids = set(document_ids)
    found: dict[int, list[BestandsDeel]] = defaultdict(list)
    if not ids:
        return found
    stmt = (
        select(BestandsDeel)
        .where(among(session, BestandsDeel.informatieobject_id, ids))
        .order_by(BestandsDeel.informatieobject_id, BestandsDeel.volgnummer)
    )
    for deel in (await session.execute(stmt)).scalars():
        found[deel.informatieobject_id].append(deel)
    return found


async def bestandsdeel(session: AsyncSession, ident: uuid.UUID) -> BestandsDeel | None:
    stmt = select(BestandsDeel).where(BestandsDeel.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def uuids(session: AsyncSession, document_ids: Iterable[int]) -> dict[int, uuid.UUID]:
    ids = set(document_ids)
    if not ids:
        return {}
    stmt = select(InformatieObject.id, InformatieObject.uuid).where(
        among(session, InformatieObject.id, ids)
    )
    return {pk: ident for pk, ident in (await session.execute(stmt)).all()}


async def heeft_relaties(session: AsyncSession, document_id: int) -> bool:
    stmt = select(ObjectInformatieObject.id).where(
        ObjectInformatieObject.informatieobject_id == document_id
    )
    return (await session.execute(stmt.limit(1))).first() is not None


async def identificatie_bezet(
    session: AsyncSession, bronorganisatie: str, identificatie: str, behalve: int | None
) -> bool:
    stmt = select(InformatieObject.id).where(
        InformatieObject.bronorganisatie == bronorganisatie,
        InformatieObject.identificatie == identificatie,
    )
    if behalve is not None:
        stmt = stmt.where(InformatieObject.id != behalve)
    return (await session.execute(stmt.limit(1))).first() is not None


async def inhoud_keys(session: AsyncSession, document_id: int) -> list[str]:
    """Every content key of a document: all versions and parts."""
    versies = select(Versie.inhoud_key).where(
        Versie.informatieobject_id == document_id, Versie.inhoud_key.is_not(None)
    )
    delen = select(BestandsDeel.inhoud_key).where(
        BestandsDeel.informatieobject_id == document_id, BestandsDeel.inhoud_key.is_not(None)
    )
    keys = {k for (k,) in (await session.execute(versies)).all()}
    keys |= {k for (k,) in (await session.execute(delen)).all()}
    return sorted(k for k in keys if k)


async def alle_inhoud_keys(session: AsyncSession) -> set[str]:
    """Every content key the register refers to (for the sweep)."""
    keys: set[str] = set()
    for column in (InformatieObject.inhoud_key, Versie.inhoud_key, BestandsDeel.inhoud_key):
        rows = await session.execute(select(column).where(column.is_not(None)).distinct())
        keys |= {k for (k,) in rows.all() if k}
    return keys


async def verwijder_audit(session: AsyncSession, hoofd_object: str) -> None:
    await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object == hoofd_object))


async def gebruiksrechten_count(session: AsyncSession, document_id: int) -> int:
    stmt = select(func.count()).where(Gebruiksrechten.informatieobject_id == document_id)
    return int((await session.execute(stmt)).scalar_one())


async def relatie(
    session: AsyncSession, document_id: int, object_url: str
) -> ObjectInformatieObject | None:
    stmt = select(ObjectInformatieObject).where(
        ObjectInformatieObject.informatieobject_id == document_id,
        ObjectInformatieObject.object == object_url,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def verwijder_relaties(session: AsyncSession, object_url: str) -> None:
    await session.execute(
        delete(ObjectInformatieObject).where(ObjectInformatieObject.object == object_url)
    )


def children(model: Any) -> Any:
    """The list query of a child resource joined to its document."""
    return select(model).join(model.informatieobject).order_by(model.id)


__all__ = ["Gebruiksrechten", "Sequence", "Verzending"]
