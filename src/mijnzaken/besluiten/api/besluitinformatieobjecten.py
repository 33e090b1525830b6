"""/besluitinformatieobjecten: the documents that record a besluit (list as a plain array,
create, read, delete)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Select, false, select
from sqlalchemy.orm import contains_eager, joinedload
from starlette.responses import Response

from mijnzaken.besluiten.api.common import API, CREATE, DELETE, READ, operation_id
from mijnzaken.besluiten.models import Besluit, BesluitInformatieObject
from mijnzaken.besluiten.schemas import BesluitInformatieObject as BesluitInformatieObjectOut
from mijnzaken.besluiten.schemas import (
    BesluitInformatieObjectFilter,
    BesluitInformatieObjectWrite,
    RetrieveQuery,
)
from mijnzaken.besluiten.services import access
from mijnzaken.besluiten.services import besluit as besluit_service
from mijnzaken.besluiten.services import besluitinformatieobject as service
from mijnzaken.core import expand
from mijnzaken.core.api import json_response, with_expand
from mijnzaken.core.errors import NotFound
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations, context

router = APIRouter(tags=["besluitinformatieobjecten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> BesluitInformatieObject:
    stmt = (
        select(BesluitInformatieObject)
        .options(joinedload(BesluitInformatieObject.besluit))
        .where(BesluitInformatieObject.uuid == ident)
    )
    obj = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if obj is None:
        raise NotFound()
    await access.ensure(ctx, access.READ, obj.besluit)
    return obj


async def visible(ctx: Ctx) -> Select[Any]:
    """The links of besluiten the caller may read, with their besluit loaded (one join)."""
    stmt = (
        select(BesluitInformatieObject)
        .join(BesluitInformatieObject.besluit)
        .options(contains_eager(BesluitInformatieObject.besluit))
    )
    condition = (await access.access(ctx, access.READ)).where()
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt.order_by(BesluitInformatieObject.id)


async def query(ctx: Ctx, filters: BesluitInformatieObjectFilter) -> Select[Any]:
    stmt = await visible(ctx)
    if filters.besluit is not None:
        ident = ctx.urls.parse(filters.besluit, API, "besluiten")
        stmt = stmt.where(Besluit.uuid == ident) if ident is not None else stmt.where(false())
    if filters.informatieobject is not None:
        stmt = stmt.where(BesluitInformatieObject.informatieobject == filters.informatieobject)
    return stmt


async def render(ctx: Ctx, items: Sequence[BesluitInformatieObject]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "besluitinformatieobjecten", b.uuid),
            "informatieobject": b.informatieobject,
            "besluit": besluit_service.besluit_url(ctx, b.besluit.uuid),
        }
        for b in items
    ]


def event(ctx: Ctx, obj: BesluitInformatieObject, body: dict[str, Any]) -> Event:
    # in the besluit's audit trail; the standard notifies only about besluit itself
    return Event(hoofd_object=body["besluit"], bron="BRC", weergave=obj.informatieobject[-200:])


RESOURCE: Resource[BesluitInformatieObject] = Resource(
    api=API,
    collection="besluitinformatieobjecten",
    name="besluitinformatieobject",
    out=BesluitInformatieObjectOut,
    retrieve_out=with_expand(BesluitInformatieObjectOut),
    model=BesluitInformatieObject,
    read=READ,
    get=get,
    render=render,
    write=BesluitInformatieObjectWrite,
    create=service.create,
    create_scopes=CREATE,
    delete=service.delete,
    delete_scopes=DELETE,
    event=event,
    retrieve_query=RetrieveQuery,
    expandable=True,
    headers_operation=False,
    operation_id=operation_id("besluitinformatieobject"),
    summaries={
        "list": "Alle BESLUIT-INFORMATIEOBJECT relaties opvragen.",
        "create": "Maak een BESLUIT-INFORMATIEOBJECT relatie aan.",
        "retrieve": "Een specifieke BESLUIT-INFORMATIEOBJECT relatie opvragen.",
        "destroy": "Verwijder een BESLUIT-INFORMATIEOBJECT relatie.",
    },
)


@router.get(
    "/besluitinformatieobjecten",
    operation_id="besluitinformatieobject_list",
    summary=RESOURCE.summaries["list"],
    response_model=list[with_expand(BesluitInformatieObjectOut)],  # type: ignore[misc]
    openapi_extra=READ.doc,
)
async def besluitinformatieobject_list(
    params: Annotated[BesluitInformatieObjectFilter, Query()],
    ctx: Ctx = Depends(context(READ)),
) -> Response:
    # the spec's list is a plain array, not pages
    tree = expand.paths(params.expand, API, "besluitinformatieobjecten")
    stmt = await query(ctx, params)
    items = (await ctx.session.execute(stmt)).scalars().unique().all()
    bodies = await render(ctx, items)
    await expand.expand(ctx, bodies, API, "besluitinformatieobjecten", tree)
    return json_response(bodies)


add_operations(router, RESOURCE)
expand.register_resource(RESOURCE, visible)
