"""Scopes and helpers shared by the Catalogi endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import Select

from mijnzaken.core.auth import AuthContext, require
from mijnzaken.core.pagination import paginate
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

API = "catalogi"
Body = dict[str, Any]
# collection: its rendered types by UUID, every version, kept per process for the committed
# catalogue version (the `expand` loaders of api/expand.py, which fills this)
CACHED: dict[str, Callable[[Ctx, Sequence[uuid.UUID]], Awaitable[dict[uuid.UUID, Body]]]] = {}

# ztc-014: the Zaken and Documenten registers read the catalogue with their own read scopes.
READ = require(("ztc", "catalogi.lezen"), ("zrc", "zaken.lezen"), ("drc", "documenten.lezen"))
WRITE = require(("ztc", "catalogi.schrijven"))
UPDATE = require(("ztc", "catalogi.schrijven"), ("ztc", "catalogi.geforceerd-schrijven"))
DELETE = require(("ztc", "catalogi.schrijven"), ("ztc", "catalogi.geforceerd-verwijderen"))
FORCED_WRITE = ("ztc", "catalogi.geforceerd-schrijven")


async def read_ctx(
    request: Request,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(READ),
) -> Ctx:
    """A dependency: the read scopes checked, the request's `Ctx` (for core/expand.py)."""
    return Ctx(request, session, urls, auth, runtime.settings)


def url(urls: Urls, collection: str, ident: Any) -> str:
    return urls.resource(API, collection, ident)


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def split_in(value: str | None) -> list[str] | None:
    """A `__in` filter value: comma-separated."""
    if value is None:
        return None
    return [v for v in value.split(",") if v]


async def cached(ctx: Ctx, collection: str, ident: uuid.UUID) -> Body | None:
    """A detail answer's body from the rendered types kept per process (ADR 0007), byte for
    byte what the endpoint renders itself; None when there is no such type (the endpoint then
    answers as before: its own 404).

    The caller has checked the read scopes (`read_ctx`), as for a fresh answer. A copy:
    `expand` adds `_expand` to the top of the body, and the kept one is shared."""
    found = (await CACHED[collection](ctx, [ident])).get(ident)
    return dict(found) if found is not None else None


async def cached_page(
    ctx: Ctx, collection: str, model: Any, stmt: Select[Any], *, page: int, page_size: int
) -> Body | None:
    """A list answer with the bodies of the rendered types kept per process (ADR 0007): the
    list query, its filters and order as they are, selects only the UUIDs of the page, and
    `paginate` builds the envelope from them as it does from the types. None when a type of
    the page is not among the kept ones (the endpoint then renders the page itself).

    Only for lists whose bodies do not depend on their filters (the kept ones refer to the
    versions valid today). Copies, as for `cached`."""
    idents: list[uuid.UUID] = []

    def keep(page_idents: Sequence[uuid.UUID]) -> list[Body]:
        idents.extend(page_idents)
        return []

    body = await paginate(
        ctx.session,
        stmt.with_only_columns(model.uuid),
        page=page,
        page_size=page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, collection),
        render=keep,
    )
    found = await CACHED[collection](ctx, idents)
    if any(ident not in found for ident in idents):
        return None
    body["results"] = [dict(found[ident]) for ident in idents]
    return body


async def list_body(
    ctx: Ctx,
    collection: str,
    model: Any,
    stmt: Select[Any],
    *,
    page: int,
    page_size: int,
    render: Callable[[Sequence[Any]], list[Body]],
    rendered: Callable[[], Awaitable[list[Body]]] | None = None,
    kept: bool = True,
) -> Body:
    """A list endpoint's answer: from the kept bodies when `kept` says they serve this list
    (`cached_page`), otherwise the page as `paginate` renders it with `render`; for a list
    whose types are rendered in a second step over the whole page (references read at once),
    `render` only collects them and `rendered()` gives the results."""
    if kept:
        body = await cached_page(ctx, collection, model, stmt, page=page, page_size=page_size)
        if body is not None:
            return body
    body = await paginate(
        ctx.session,
        stmt,
        page=page,
        page_size=page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, collection),
        render=render,
    )
    if rendered is not None:
        body["results"] = await rendered()
    return body
