"""/partij-identificatoren: a partij's identifiers in base registers (BSN, KvK-nummer,
vestigingsnummer, RSIN) — all operations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.klantinteracties.api.common import (
    API,
    BRON,
    CREATE,
    DELETE,
    READ,
    UPDATE,
    operation_ids,
)
from mijnzaken.klantinteracties.api.partijen import identificator_body
from mijnzaken.klantinteracties.models import Partij, PartijIdentificator
from mijnzaken.klantinteracties.repository import partij as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import partij as schemas
from mijnzaken.klantinteracties.services import common, verwerking
from mijnzaken.klantinteracties.services import partij as service

router = APIRouter(tags=["partij-identificatoren"])


async def get(ctx: Ctx, ident: uuid.UUID) -> PartijIdentificator:
    return await common.get(ctx.session, PartijIdentificator, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.identificatoren(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[PartijIdentificator]) -> list[dict[str, Any]]:
    partijen = await uuids(ctx.session, Partij, (i.partij_id for i in items))
    subs = await uuids(
        ctx.session, PartijIdentificator, (i.sub_identificator_van_id for i in items)
    )
    out = [
        identificator_body(
            ctx,
            i,
            partijen.get(i.partij_id) if i.partij_id else None,
            subs.get(i.sub_identificator_van_id) if i.sub_identificator_van_id else None,
        )
        for i in items
    ]
    await verwerking.gelezen(ctx, "partijidentificator", out)
    return out


async def create(ctx: Ctx, data: schemas.PartijIdentificatorWrite) -> PartijIdentificator:
    partij = await common.resolve(
        ctx.session, Partij, data.identificeerde_partij, "identificeerdePartij.uuid", "Partij"
    )
    return await service.save_identificator(ctx, data, partij=partij, current=None)


async def update(
    ctx: Ctx, obj: PartijIdentificator, data: schemas.PartijIdentificatorWrite
) -> PartijIdentificator:
    partij = await common.resolve(
        ctx.session, Partij, data.identificeerde_partij, "identificeerdePartij.uuid", "Partij"
    )
    return await service.save_identificator(ctx, data, partij=partij, current=obj)


async def delete(ctx: Ctx, obj: PartijIdentificator) -> None:
    await ctx.session.delete(obj)


def event(ctx: Ctx, obj: PartijIdentificator, body: dict[str, Any]) -> Event:
    partij = body.get("identificeerdePartij")
    return Event(
        hoofd_object=partij["url"] if partij else body["url"],
        bron=BRON,
        weergave=f"{obj.code_soort_object_id}",  # the kind, never the number itself
    )


RESOURCE: Resource[PartijIdentificator] = Resource(
    api=API,
    collection="partij-identificatoren",
    name="partijidentificator",
    out=schemas.PartijIdentificatorOut,
    model=PartijIdentificator,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=schemas.PartijIdentificatorFilter,
    write=schemas.PartijIdentificatorWrite,
    patch=schemas.PartijIdentificatorPatch,
    create=create,
    create_scopes=CREATE,
    update=update,
    update_scopes=UPDATE,
    delete=delete,
    delete_scopes=DELETE,
    event=event,
    headers_operation=False,
    operation_id=operation_ids("partijIdentificatoren"),
)
add_operations(router, RESOURCE)
