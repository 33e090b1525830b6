"""Lists of UUIDs gathered in the database, one list per row of the outer query: what would
otherwise be a second statement (the children of a page of rows, grouped by parent) comes as a
column of the rows themselves."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, ColumnElement, func, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by


def uuid_list(
    dialect: str, column: Any, where: ColumnElement[bool], order: Iterable[Any], outer: Any
) -> Any:
    """A scalar subquery, correlated with `outer`: the values of `column` (UUIDs) of the rows
    meeting `where`, in the `order` given. Read it with `uuids`."""
    order = list(order)
    if dialect == "postgresql":
        return (
            select(func.array_agg(aggregate_order_by(column, *order)))
            .where(where)
            .scalar_subquery()
        )
    # SQLite (before 3.44) orders an aggregate's input only through a subquery
    rows = select(column.label("value")).where(where).order_by(*order).correlate(outer)
    inner = rows.subquery()
    return type_coerce(select(func.json_group_array(inner.c.value)).scalar_subquery(), JSON)


def uuids(values: Iterable[Any] | None) -> list[uuid.UUID]:
    """A `uuid_list` value as UUIDs (PostgreSQL gives none for no rows; SQLite gives the
    stored text)."""
    return [v if isinstance(v, uuid.UUID) else uuid.UUID(v) for v in values or ()]
