"""The Catalogi types as `expand` targets (core/expand.py): one batch query per collection,
rendered exactly as their own endpoints render them.

Importing this module registers the loaders. Every version counts (concept or not): an
expanded reference shows the type it points at, whatever its state. Rendered types are kept
per process for the committed catalogue version (catalogi/services/cache.py), so a page that
embeds the same zaaktype fifty times renders it once, and usually not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Select

from mijnzaken.catalogi.api import (
    besluittypen,
    catalogussen,
    eigenschappen,
    informatieobjecttypen,
    resultaattypen,
    roltypen,
    statustypen,
    zaakobjecttypen,
    zaaktype_informatieobjecttypen,
    zaaktypen,
)
from mijnzaken.catalogi.api.common import API, CACHED
from mijnzaken.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from mijnzaken.catalogi.repository import besluittype as besluittype_repo
from mijnzaken.catalogi.repository import catalogus as catalogus_repo
from mijnzaken.catalogi.repository import eigenschap as eigenschap_repo
from mijnzaken.catalogi.repository import informatieobjecttype as informatieobjecttype_repo
from mijnzaken.catalogi.repository import resultaattype as resultaattype_repo
from mijnzaken.catalogi.repository import roltype as roltype_repo
from mijnzaken.catalogi.repository import statustype as statustype_repo
from mijnzaken.catalogi.repository import zaakobjecttype as zaakobjecttype_repo
from mijnzaken.catalogi.repository import zaaktype as zaaktype_repo
from mijnzaken.catalogi.repository import ztiot as ztiot_repo
from mijnzaken.catalogi.services import cache
from mijnzaken.catalogi.services import zaaktype as zaaktype_service
from mijnzaken.core import clock, expand
from mijnzaken.core.db import among
from mijnzaken.core.resource import Ctx
from mijnzaken.core.urls import Urls

# ztc-014: whoever may read the catalogue (also with a Zaken or Documenten read scope)
READ = (("ztc", "catalogi.lezen"), ("zrc", "zaken.lezen"), ("drc", "documenten.lezen"))

Body = dict[str, Any]
Render = Callable[[Ctx, Sequence[Any]], Awaitable[list[Body]]]


def _loader(
    collection: str, model: Any, stmt: Callable[[Ctx], Select[Any]], render: Render
) -> Callable[[Ctx, Sequence[uuid.UUID]], Awaitable[dict[uuid.UUID, Body]]]:
    async def load(ctx: Ctx, idents: Sequence[uuid.UUID]) -> dict[uuid.UUID, Body]:
        async def fresh(missing: list[uuid.UUID]) -> dict[uuid.UUID, Body]:
            query = stmt(ctx).where(among(ctx.session, model.uuid, missing))
            items = (await ctx.session.execute(query)).scalars().unique().all()
            bodies = await render(ctx, items)
            return {item.uuid: body for item, body in zip(items, bodies, strict=True)}

        today = clock.today()
        return await cache.bodies(ctx.session, collection, ctx.urls.base, today, idents, fresh)

    return load


def _each(render: Callable[[Any, Urls], Body]) -> Render:
    """A batch renderer from a renderer of one object that needs no look-ups."""

    async def many(ctx: Ctx, items: Sequence[Any]) -> list[Body]:
        return [render(item, ctx.urls) for item in items]

    return many


def _dated(render_many: Callable[..., Awaitable[list[Body]]]) -> Render:
    """A batch renderer from a module's `render_many(session, urls, items, date)`."""

    async def many(ctx: Ctx, items: Sequence[Any]) -> list[Body]:
        return await render_many(ctx.session, ctx.urls, items, clock.today())

    return many


async def _zaaktypen(ctx: Ctx, items: Sequence[ZaakType]) -> list[Body]:
    refs = await zaaktype_service.references(ctx.session, ctx.urls, items, clock.today())
    return [zaaktypen.render(z, ctx.urls, refs) for z in items]


def _dialect(ctx: Ctx) -> str:
    return ctx.session.get_bind().dialect.name


# collection: (model, the select of every version, the batch renderer)
_TARGETS: dict[str, tuple[Any, Callable[[Ctx], Select[Any]], Render]] = {
    "catalogussen": (
        Catalogus,
        lambda _ctx: catalogus_repo.list_stmt(),
        _each(catalogussen.render),
    ),
    "zaaktypen": (
        ZaakType,
        lambda ctx: zaaktype_repo.list_stmt(dialect=_dialect(ctx), status="alles"),
        _zaaktypen,
    ),
    "statustypen": (
        StatusType,
        lambda _ctx: statustype_repo.list_stmt(status="alles"),
        _each(statustypen.render),
    ),
    "roltypen": (
        RolType,
        lambda _ctx: roltype_repo.list_stmt(status="alles"),
        _each(roltypen.render),
    ),
    "resultaattypen": (
        ResultaatType,
        lambda _ctx: resultaattype_repo.list_stmt(status="alles"),
        _dated(resultaattypen.render_many),
    ),
    "eigenschappen": (
        Eigenschap,
        lambda _ctx: eigenschap_repo.list_stmt(status="alles"),
        _each(eigenschappen.render),
    ),
    "zaakobjecttypen": (
        ZaakObjectType,
        lambda _ctx: zaakobjecttype_repo.list_stmt(),
        _each(zaakobjecttypen.render),
    ),
    "informatieobjecttypen": (
        InformatieObjectType,
        lambda _ctx: informatieobjecttype_repo.list_stmt(status="alles"),
        _dated(informatieobjecttypen.render_many),
    ),
    "besluittypen": (
        BesluitType,
        lambda _ctx: besluittype_repo.list_stmt(status="alles"),
        _dated(besluittypen.render_many),
    ),
    "zaaktype-informatieobjecttypen": (
        ZaakTypeInformatieObjectType,
        lambda _ctx: ztiot_repo.list_stmt(status="alles"),
        _dated(zaaktype_informatieobjecttypen.render_many),
    ),
}
LOADERS = {collection: _loader(collection, *target) for collection, target in _TARGETS.items()}

CACHED.update(LOADERS)  # the detail endpoints answer from the same rendered types

for _collection, _load in LOADERS.items():
    expand.register(API, _collection, _load, READ)
