"""/categorieen and /categorie-relaties: categories a partij belongs to (all operations;
experimental in the standard)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select, select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Categorie, CategorieRelatie, Partij
from mijnzaken.klantinteracties.repository import adres as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import adres as schemas
from mijnzaken.klantinteracties.services import adres as service
from mijnzaken.klantinteracties.services import common

router = APIRouter(tags=["categorieën"])
relaties_router = APIRouter(tags=["categorie relaties"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Categorie:
    return await common.get(ctx.session, Categorie, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.categorieen(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Categorie]) -> list[dict[str, Any]]:
    return [
        {"uuid": str(c.uuid), "url": common.url(ctx, "categorieen", c.uuid), "naam": c.naam}
        for c in items
    ]


def event(ctx: Ctx, obj: Any, body: dict[str, Any]) -> Event:
    return Event(hoofd_object=body["url"], bron=BRON, weergave=getattr(obj, "naam", "")[:200])


RESOURCE = declare(
    "categorieen",
    "categorie",
    "categorieen",
    out=schemas.Categorie,
    model=Categorie,
    get=get,
    render=render,
    query=query,
    filters=schemas.CategorieFilter,
    write=schemas.CategorieWrite,
    patch=schemas.CategoriePatch,
    create=service.create_categorie,
    update=service.update_categorie,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)


async def get_relatie(ctx: Ctx, ident: uuid.UUID) -> CategorieRelatie:
    return await common.get(ctx.session, CategorieRelatie, ident)


async def query_relaties(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.categorie_relaties(ctx.urls, filters.given())


async def render_relaties(ctx: Ctx, items: Sequence[CategorieRelatie]) -> list[dict[str, Any]]:
    partijen = await uuids(ctx.session, Partij, (r.partij_id for r in items))
    wanted = {r.categorie_id for r in items if r.categorie_id}
    categorieen = {}
    if wanted:
        rows = await ctx.session.execute(
            select(Categorie.id, Categorie.uuid, Categorie.naam).where(Categorie.id.in_(wanted))
        )
        categorieen = {i: (u, n) for i, u, n in rows.all()}
    out = []
    for r in items:
        categorie = categorieen.get(r.categorie_id or 0)
        out.append(
            {
                "uuid": str(r.uuid),
                "url": common.url(ctx, "categorie-relaties", r.uuid),
                "partij": common.ref(ctx, "partijen", partijen.get(r.partij_id or 0)),
                "categorie": {
                    "uuid": str(categorie[0]),
                    "url": common.url(ctx, "categorieen", categorie[0]),
                    "naam": categorie[1],
                }
                if categorie
                else None,
                "beginDatum": r.begin_datum.isoformat() if r.begin_datum else None,
                "eindDatum": r.eind_datum.isoformat() if r.eind_datum else None,
            }
        )
    return out


def event_relatie(ctx: Ctx, obj: CategorieRelatie, body: dict[str, Any]) -> Event:
    partij = body.get("partij")
    return Event(
        hoofd_object=partij["url"] if partij else body["url"], bron=BRON, weergave="categorie"
    )


RELATIES = declare(
    "categorie-relaties",
    "categorieRelatie",
    "categorieRelaties",
    out=schemas.CategorieRelatie,
    model=CategorieRelatie,
    get=get_relatie,
    render=render_relaties,
    query=query_relaties,
    filters=schemas.CategorieRelatieFilter,
    write=schemas.CategorieRelatieWrite,
    patch=schemas.CategorieRelatiePatch,
    create=service.create_categorie_relatie,
    update=service.update_categorie_relatie,
    delete=service.delete,
    event=event_relatie,
)
add_operations(relaties_router, RELATIES)
