"""Links from a zaak to an object in another register, by URL: zaakcontactmomenten and
zaakverzoeken. Both are the same resource with another name (list as a plain array, create,
retrieve, destroy), declared here once.

zrc-024 / zrc-025: creating or deleting a link mirrors the relation in the register of the
target, as an objectverzoek / objectcontactmoment (zaken/services/spiegel.py), in the link's
own transaction: a job for a remote register, an onderwerpobject for our own Klantinteracties.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, ONLY_UPDATE, READ
from mijnzaken.zaken.api.nested import add_array_list, zaak_event
from mijnzaken.zaken.services import common, spiegel

SCOPES = (common.UPDATE,)


def link_resource(
    router: APIRouter,
    *,
    collection: str,
    name: str,
    field: str,
    soort: str,
    model: type[Any],
    out: type[BaseModel],
    write: type[BaseModel],
    filters: type[BaseModel],
    summaries: Mapping[str, str],
) -> Resource[Any]:
    """Declare the link resource `collection` whose target URL is in `field`, on `router`;
    its relations are mirrored as `soort` (objectverzoeken, objectcontactmomenten)."""
    column = getattr(model, field)

    async def get(ctx: Ctx, ident: uuid.UUID) -> Any:
        return await common.get_child(ctx, model, ident)

    async def query(ctx: Ctx, params: Any) -> Select[Any]:
        stmt = await common.children_stmt(ctx, model, params.zaak)
        target = getattr(params, field)
        return stmt.where(column == target) if target is not None else stmt

    async def render(ctx: Ctx, items: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            {
                "url": ctx.urls.resource(API, collection, link.uuid),
                "uuid": str(link.uuid),
                "zaak": common.zaak_url(ctx, link.zaak),
                field: getattr(link, field),
            }
            for link in items
        ]

    async def create(ctx: Ctx, data: Any) -> Any:
        zaak = await common.zaak_by_url(ctx, data.zaak)
        await common.ensure_may_change(ctx, zaak, SCOPES)
        target = getattr(data, field)
        link = model(zaak=zaak, zaak_id=zaak.id, uuid=uuid.uuid4(), **{field: target})
        ctx.session.add(link)
        await spiegel.gemaakt(ctx, soort, link.uuid, common.zaak_url(ctx, zaak), target)
        return link

    async def delete(ctx: Ctx, link: Any) -> None:
        # removes the link and its mirror; the object it points at is not touched
        await common.ensure_may_change(ctx, link.zaak, SCOPES)
        target = getattr(link, field)
        await spiegel.verwijderd(ctx, soort, link.uuid, common.zaak_url(ctx, link.zaak), target)
        await ctx.session.delete(link)

    def event(ctx: Ctx, link: Any, _body: dict[str, Any]) -> Event:
        return zaak_event(ctx, link.zaak, getattr(link, field))

    resource: Resource[Any] = Resource(
        api=API,
        collection=collection,
        name=name,
        out=out,
        model=model,
        read=READ,
        get=get,
        render=render,
        write=write,
        create=create,
        create_scopes=ONLY_UPDATE,
        delete=delete,
        delete_scopes=ONLY_UPDATE,
        event=event,
        headers_operation=False,
        summaries=summaries,
    )
    # the spec's list is a plain array, not pages
    add_array_list(router, resource, filters, query)
    add_operations(router, resource)
    return resource
