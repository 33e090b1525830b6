"""What every Klantinteracties service shares: references by UUID, numbering, applying a
change to the fields a request gave, and the personal-data read hook."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.errors import Conflict, InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.schemas.common import Ref

API = "klantinteracties"
T = TypeVar("T")


def url(ctx: Ctx, collection: str, ident: uuid.UUID | str) -> str:
    return ctx.urls.resource(API, collection, ident)


def ref(ctx: Ctx, collection: str, ident: uuid.UUID | None) -> dict[str, str] | None:
    """The `{uuid, url}` object the API writes for a reference (None when there is none)."""
    if ident is None:
        return None
    return {"uuid": str(ident), "url": url(ctx, collection, ident)}


def refs(ctx: Ctx, collection: str, idents: Iterable[uuid.UUID]) -> list[dict[str, str]]:
    return [{"uuid": str(i), "url": url(ctx, collection, i)} for i in idents]


async def get(session: AsyncSession, model: type[T], ident: uuid.UUID) -> T:
    """One object by UUID, or 404."""
    obj = (
        await session.execute(select(model).where(model.uuid == ident))  # type: ignore[attr-defined]
    ).scalar_one_or_none()
    if obj is None:
        raise NotFound()
    return obj


def _missing(field: str, what: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam(field, "does_not_exist", f"{what} object bestaat niet.")])


async def resolve(
    session: AsyncSession, model: type[T], value: Ref | None, field: str, what: str
) -> T | None:
    """The object a `{uuid}` reference in a request names (None for null), or a 400."""
    if value is None:
        return None
    obj = (
        await session.execute(select(model).where(model.uuid == value.uuid))  # type: ignore[attr-defined]
    ).scalar_one_or_none()
    if obj is None:
        raise _missing(field, what)
    return obj


async def resolve_many(
    session: AsyncSession, model: type[T], values: Sequence[Ref], field: str, what: str
) -> list[T]:
    """The objects a list of references names, in one query, in the given order; a 400 naming
    the first that does not exist."""
    wanted = [v.uuid for v in values]
    if not wanted:
        return []
    found = {
        o.uuid: o  # type: ignore[attr-defined]
        for o in (
            await session.execute(select(model).where(model.uuid.in_(wanted)))  # type: ignore[attr-defined]
        ).scalars()
    }
    out = []
    for i, ident in enumerate(wanted):
        if ident not in found:
            raise _missing(f"{field}.{i}.uuid", what)
        if found[ident] not in out:
            out.append(found[ident])
    return out


async def next_nummer(session: AsyncSession, model: Any, given: str | None) -> str:
    """The given `nummer` (digits, unique), or the highest so far plus one, ten digits."""
    if given:
        if not given.isdigit():
            raise ValidationFailed.field("nummer", "invalid", "Voer een geheel getal in.")
        taken = await session.execute(select(model.id).where(model.nummer == given).limit(1))
        if taken.first() is not None:
            raise ValidationFailed.field(
                "nummer", "unique", "Er bestaat al een object met eenzelfde nummer."
            )
        return given
    highest = (await session.execute(select(func.max(cast(model.nummer, BigInteger))))).scalar()
    nummer = (highest or 0) + 1
    if nummer > 9_999_999_999:
        raise Conflict(
            "Er kon niet automatisch een opvolgend nummer worden gegenereerd. "
            "Het maximaal aantal tekens is bereikt."
        )
    return f"{nummer:010d}"


async def check_nummer_on_update(
    session: AsyncSession, model: Any, obj: Any, given: str | None
) -> str:
    """A changed `nummer` must be digits and unique; an empty one keeps the current."""
    if not given or given == obj.nummer:
        return str(obj.nummer)
    return await next_nummer(session, model, given)


def given_fields(data: BaseModel) -> set[str]:
    """The fields a request body named. A PUT leaves the optional fields it does not name
    unchanged, as the Klantinteracties spec describes; a PATCH is merged before it gets here."""
    return set(data.model_fields_set)


def apply(obj: Any, data: BaseModel, fields: dict[str, str], *, creating: bool) -> None:
    """Copy the plain fields (attribute on `data` -> column on `obj`) the request gave; when
    creating, every field (its default when not given)."""
    given = given_fields(data)
    for attr, column in fields.items():
        if creating or attr in given:
            setattr(obj, column, getattr(data, attr))
