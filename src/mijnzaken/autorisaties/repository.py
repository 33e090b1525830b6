"""Queries for applicaties, autorisaties and JWT secrets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from mijnzaken.autorisaties.models import Applicatie, ApplicatieClient, Autorisatie, JWTSecret

_FULL = (selectinload(Applicatie.client_ids), selectinload(Applicatie.autorisaties))


def list_stmt(*, client_id: str | None = None) -> Select[Applicatie]:
    stmt = select(Applicatie).options(*_FULL).order_by(Applicatie.id)
    if client_id is not None:
        stmt = stmt.where(
            Applicatie.id.in_(
                select(ApplicatieClient.applicatie_id).where(
                    ApplicatieClient.client_id == client_id
                )
            )
        )
    return stmt


async def get(session: AsyncSession, ident: uuid.UUID) -> Applicatie | None:
    stmt = select(Applicatie).options(*_FULL).where(Applicatie.uuid == ident)
    return (await session.execute(stmt)).scalar_one_or_none()


async def by_client_id(session: AsyncSession, client_id: str) -> Applicatie | None:
    stmt = (
        select(Applicatie)
        .options(*_FULL)
        .join(ApplicatieClient, ApplicatieClient.applicatie_id == Applicatie.id)
        .where(ApplicatieClient.client_id == client_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def taken_client_ids(
    session: AsyncSession, client_ids: list[str], *, except_applicatie: int | None = None
) -> list[str]:
    stmt = select(ApplicatieClient.client_id).where(ApplicatieClient.client_id.in_(client_ids))
    if except_applicatie is not None:
        stmt = stmt.where(ApplicatieClient.applicatie_id != except_applicatie)
    return list((await session.execute(stmt)).scalars())


async def secret(session: AsyncSession, client_id: str) -> JWTSecret | None:
    stmt = select(JWTSecret).where(JWTSecret.client_id == client_id)
    return (await session.execute(stmt)).scalar_one_or_none()


def client_rows_stmt(also: Sequence[ColumnElement[Any]] = ()) -> Select[Any]:
    """Secret, applicatie and autorisaties of the client id given as `client_id`, one row per
    autorisatie, with the scalar expressions `also` in every row. Every authenticated request
    runs it: build it once and execute it with parameters (that skips building the select
    and computing its cache key)."""
    # on the tables, not the mapped classes: a statement without ORM entities or attributes
    # skips the ORM's part of executing it, a sizeable share of the cost of so small a query
    secret, link = JWTSecret.__table__.c, ApplicatieClient.__table__.c
    app, right = Applicatie.__table__.c, Autorisatie.__table__.c
    columns: list[Any] = [
        secret.secret,
        app.id.label("applicatie_id"),
        app.label,
        app.heeft_alle_autorisaties,
        right.component,
        right.scopes,
        right.zaaktype,
        right.informatieobjecttype,
        right.besluittype,
        right.max_vertrouwelijkheidaanduiding,
        *also,
    ]
    stmt: Select[Any] = (
        select(*columns)
        .select_from(JWTSecret.__table__)
        .outerjoin(ApplicatieClient.__table__, link.client_id == secret.client_id)
        .outerjoin(Applicatie.__table__, app.id == link.applicatie_id)
        .outerjoin(Autorisatie.__table__, right.applicatie_id == app.id)
        .where(secret.client_id == bindparam("client_id"))
        .order_by(right.id)
    )
    return stmt


async def client_rows(
    session: AsyncSession, client_id: str, stmt: Select[Any]
) -> Sequence[Row[Any]]:
    """Secret, applicatie and autorisaties of a client id in one query (one row per
    autorisatie; the applicatie and autorisatie columns are NULL where there are none), by a
    statement `client_rows_stmt` built. Every authenticated request runs it, so it is kept to
    a single round trip."""
    result = await session.execute(stmt, {"client_id": client_id})
    rows: Sequence[Row[Any]] = result.all()
    return rows


async def rollen_rows(session: AsyncSession, client_ids: Sequence[str]) -> Sequence[Row[Any]]:
    """The applicaties named by `client_ids` with their autorisaties, in one query (one row
    per autorisatie; the autorisatie columns are NULL for an applicatie without any). No
    secret is needed: these client ids name employee roles, not callers of the APIs."""
    stmt = (
        select(
            ApplicatieClient.client_id,
            Applicatie.heeft_alle_autorisaties,
            Autorisatie.component,
            Autorisatie.scopes,
            Autorisatie.zaaktype,
            Autorisatie.informatieobjecttype,
            Autorisatie.besluittype,
            Autorisatie.max_vertrouwelijkheidaanduiding,
        )
        .select_from(ApplicatieClient)
        .join(Applicatie, Applicatie.id == ApplicatieClient.applicatie_id)
        .outerjoin(Autorisatie, Autorisatie.applicatie_id == Applicatie.id)
        .where(ApplicatieClient.client_id.in_(list(client_ids)))
        .order_by(ApplicatieClient.client_id, Autorisatie.id)
    )
    rows: Sequence[Row[Any]] = (await session.execute(stmt)).all()  # type: ignore[assignment]
    return rows
