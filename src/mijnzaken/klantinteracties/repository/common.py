"""Query helpers of the Klantinteracties repositories: filters by query-parameter name, and
batch look-ups of related rows for a page."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.urls import Urls

API = "klantinteracties"
Condition = Callable[[Any], ColumnElement[bool]]


def filtered(
    stmt: Select[Any], given: Mapping[str, Any], conditions: Mapping[str, Condition]
) -> Select[Any]:
    """`stmt` narrowed by every filter given (query-parameter name -> value)."""
    for name, value in given.items():
        stmt = stmt.where(conditions[name](value))
    return stmt


def our_uuid(urls: Urls, value: str, collection: str) -> uuid.UUID | None:
    return urls.parse(value, API, collection)


def by_url(urls: Urls, column: Any, collection: str) -> Condition:
    """A `…__url` filter: the column holding the UUID of the object that URL names (a URL
    that is not one of ours matches nothing)."""

    def condition(value: str) -> ColumnElement[bool]:
        ident = our_uuid(urls, value, collection)
        return column == ident if ident is not None else false()

    return condition


def equals(column: Any) -> Condition:
    return lambda value: column == value


def contains(column: Any) -> Condition:
    """Case-insensitive substring (`__icontains`, and the free-text filters)."""
    return lambda value: func.lower(column).contains(str(value).lower(), autoescape=True)


def json_text(column: Any, key: str) -> Any:
    return column[key].as_string()


def json_equals(column: Any, key: str) -> Condition:
    """A filter on one member of a JSON group (an address line, a name part)."""
    return lambda value: json_text(column, key) == value


async def grouped(session: AsyncSession, stmt: Any) -> dict[Any, list[Any]]:
    """Rows of `stmt` grouped by their first column, in the statement's order."""
    out: dict[Any, list[Any]] = defaultdict(list)
    for row in (await session.execute(stmt)).all():
        out[row[0]].append(row)
    return out


async def uuids(
    session: AsyncSession, model: Any, ids: Iterable[int | None]
) -> dict[int, uuid.UUID]:
    """The UUIDs of the rows with these primary keys, in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(model.id, model.uuid).where(model.id.in_(wanted)))
    return {i: u for i, u in rows.all()}
