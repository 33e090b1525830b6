"""Page-number pagination as the ZGW specs define it: `count`, `next`, `previous`, `results`."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import BigInteger, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.errors import NotFound

T = TypeVar("T")


class Paginated(BaseModel, Generic[T]):
    """The page envelope of list responses (for the generated OpenAPI document)."""

    count: int
    next: str | None = None
    previous: str | None = None
    results: list[T]


_MAX_OFFSET = 2**63 - 1


PAGE_LIMIT, PAGE_OFFSET = "page_limit", "page_offset"


def paged(stmt: Select[Any]) -> Select[Any]:
    """`stmt` with its LIMIT and OFFSET as parameters, for a statement built once and kept:
    `paginate` with `parameters` executes it for any page."""
    return stmt.limit(bindparam(PAGE_LIMIT, type_=BigInteger)).offset(
        bindparam(PAGE_OFFSET, type_=BigInteger)
    )


async def plain_rows(
    session: AsyncSession, stmt: Any, parameters: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    """The rows of `stmt`, a select of columns, read on the session's connection: plain rows
    need none of the ORM's handling of a result, which costs about a third of reading a page
    of fifty. What the session holds unflushed is flushed first, as `session.execute` does."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    result = await (await session.connection()).execute(stmt, parameters)
    return result.all()


def _page_url(request: Request, base: str, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    if page > 1:
        params.append(("page", str(page)))
    from urllib.parse import urlencode

    query = urlencode(params)
    return f"{base}?{query}" if query else base


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    page: int,
    page_size: int,
    request: Request,
    collection_url: str,
    render: Callable[[Sequence[Any]], list[dict[str, Any]] | Awaitable[list[dict[str, Any]]]],
    rows: bool = False,
    columns: bool = False,
    parameters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Fetch one page, count, and wrap it in the envelope, in a fixed number of queries.

    `stmt` selects ORM rows with their relations loaded by the caller's options; `render` turns
    the page of rows into dicts in one go, so batched look-ups stay per page, not per row.
    With `rows`, `render` gets whole result rows (for a select of several entities, or of
    plain columns). With `columns` (a select of columns only, no ORM entities) the page is
    read as `plain_rows`. With `parameters`, `stmt` is a kept statement made by `paged` and
    these are the values of its other parameters.

    The page is read first: a page that is not full is the last one, so the count follows
    from it and the count query runs only behind a full page (a citizen's zaken, most
    filtered lists, fit on one page).
    """
    offset = (page - 1) * page_size
    if page < 1 or offset > _MAX_OFFSET:  # no database holds a row beyond a 64-bit offset
        raise NotFound("Ongeldige pagina.", code="not_found")
    if parameters is None:
        page_stmt, values = stmt.limit(page_size).offset(offset), None
    else:
        page_stmt, values = stmt, {**parameters, PAGE_LIMIT: page_size, PAGE_OFFSET: offset}
    items: Sequence[Any]
    if columns:
        items = await plain_rows(session, page_stmt, values)
    elif rows:
        items = (await session.execute(page_stmt, values)).all()
    else:
        items = (await session.execute(page_stmt, values)).scalars().unique().all()
    if len(items) == page_size:
        counted = stmt.order_by(None) if parameters is None else stmt.limit(None).offset(None)
        count_stmt = select(func.count()).select_from(counted.order_by(None).subquery())
        count = (await session.execute(count_stmt, parameters)).scalar_one()
    elif items or page == 1:
        count = offset + len(items)
    else:  # an empty page beyond the last one
        raise NotFound("Ongeldige pagina.", code="not_found")
    pages = max(1, -(-count // page_size))
    if page > pages:  # the rows went between the page and the count
        raise NotFound("Ongeldige pagina.", code="not_found")
    results = render(items)
    if inspect.isawaitable(results):
        results = await results
    return {
        "count": count,
        "next": _page_url(request, collection_url, page + 1) if page < pages else None,
        "previous": _page_url(request, collection_url, page - 1) if page > 1 else None,
        "results": results,
    }
