"""/zaaknotities (experimental in Zaken API 1.7.0): notes on a zaak.

create, update and partial_update are the standard operations. The spec names the others
differently (zaaknotitie_read, zaaknotitie_delete), lets the client choose `pageSize`, and has
no HEAD, so list, read and delete are written here from the same parts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.db import iso
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations, context, emit, event_of
from mijnzaken.zaken.api.common import API, ONLY_UPDATE, READ
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import ZaakNotitie
from mijnzaken.zaken.schemas.zaaknotities import ZaakNotitie as ZaakNotitieOut
from mijnzaken.zaken.schemas.zaaknotities import (
    ZaakNotitieFilter,
    ZaakNotitiePatch,
    ZaakNotitieWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaaknotities as service

router = APIRouter(tags=["zaaknotities"])
COLLECTION = "zaaknotities"


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakNotitie:
    obj: ZaakNotitie = await common.get_child(ctx, ZaakNotitie, ident)
    return obj


async def render(ctx: Ctx, items: Sequence[ZaakNotitie]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, COLLECTION, n.uuid),
            "gerelateerdAan": common.zaak_url(ctx, n.zaak),
            "onderwerp": n.onderwerp,
            "tekst": n.tekst,
            "aangemaaktDoor": n.aangemaakt_door,
            "notitieType": n.notitie_type,
            "status": n.status,
            "aanmaakdatum": iso(n.aanmaakdatum),
            "wijzigingsdatum": iso(n.wijzigingsdatum),
        }
        for n in items
    ]


def event(ctx: Ctx, obj: ZaakNotitie, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.onderwerp)


RESOURCE: Resource[ZaakNotitie] = Resource(
    api=API,
    collection=COLLECTION,
    name="zaaknotitie",
    out=ZaakNotitieOut,
    model=ZaakNotitie,
    read=READ,
    get=get,
    render=render,
    write=ZaakNotitieWrite,
    patch=ZaakNotitiePatch,
    create=service.create,
    create_scopes=ONLY_UPDATE,
    update=service.update,
    update_scopes=ONLY_UPDATE,
    delete=service.delete,
    delete_scopes=ONLY_UPDATE,
    event=event,
    headers_operation=False,
    summaries={
        "list": "Alle ZAAKNOTITIEs opvragen.",
        "create": "Maak een ZAAKNOTITIE aan.",
        "read": "Een specifieke ZAAKNOTITIE opvragen.",
        "update": "Werk een ZAAKNOTITIE in zijn geheel bij.",
        "partial_update": "Werk een ZAAKNOTITIE deels bij.",
        "delete": "Verwijder een ZAAKNOTITIE.",
    },
)
read_ctx = context(READ)
delete_ctx = context(ONLY_UPDATE)


@router.get(
    f"/{COLLECTION}",
    operation_id="zaaknotitie_list",
    summary=RESOURCE.summaries["list"],
    response_model=Paginated[ZaakNotitieOut],
    openapi_extra=READ.doc,
)
async def zaaknotitie_list(
    filters: Annotated[ZaakNotitieFilter, Query()], ctx: Ctx = Depends(read_ctx)
) -> Response:
    async def render_page(items: Sequence[Any]) -> list[dict[str, Any]]:
        return await render(ctx, items)

    body = await paginate(
        ctx.session,
        await service.query(ctx, filters),
        page=filters.page,
        page_size=filters.page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, COLLECTION),
        render=render_page,
    )
    return json_response(body)


# the standard create, update and partial_update (their operationIds match the spec's)
_standard = APIRouter()
add_operations(_standard, RESOURCE)
router.routes.extend(
    route
    for route in _standard.routes
    if getattr(route, "operation_id", None)
    in {"zaaknotitie_create", "zaaknotitie_update", "zaaknotitie_partial_update"}
)


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaknotitie_read",
    summary=RESOURCE.summaries["read"],
    response_model=ZaakNotitieOut,
    openapi_extra=READ.doc,
)
async def zaaknotitie_read(uuid: uuid.UUID, ctx: Ctx = Depends(read_ctx)) -> Response:
    return json_response((await render(ctx, [await get(ctx, uuid)]))[0])


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaknotitie_delete",
    summary=RESOURCE.summaries["delete"],
    status_code=204,
    openapi_extra=ONLY_UPDATE.doc,
)
async def zaaknotitie_delete(uuid: uuid.UUID, ctx: Ctx = Depends(delete_ctx)) -> Response:
    obj = await get(ctx, uuid)
    old = (await render(ctx, [obj]))[0]
    change = event_of(ctx, RESOURCE, obj, old)  # before the note is gone
    await service.delete(ctx, obj)
    await ctx.session.flush()
    emit(ctx, RESOURCE, change, "destroy", 204, old, None)
    return Response(status_code=204)
