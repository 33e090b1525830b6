"""/onderwerpobjecten: what a klantcontact was about, e.g. a zaak (all operations; destroy
with `cascade` also removes klantcontacten nothing else refers to)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Select
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.resource import Ctx, Event, add_operations, context, emit
from mijnzaken.klantinteracties.api.common import BRON, DELETE, declare
from mijnzaken.klantinteracties.models import Klantcontact, Onderwerpobject
from mijnzaken.klantinteracties.repository import klantcontact as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.schemas.common import DocModel, identificator_body
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import klantcontact as service

router = APIRouter(tags=["onderwerpobjecten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Onderwerpobject:
    return await common.get(ctx.session, Onderwerpobject, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.onderwerpobjecten(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Onderwerpobject]) -> list[dict[str, Any]]:
    klantcontacten = await uuids(
        ctx.session,
        Klantcontact,
        [o.klantcontact_id for o in items] + [o.was_klantcontact_id for o in items],
    )
    return [
        {
            "uuid": str(o.uuid),
            "url": common.url(ctx, "onderwerpobjecten", o.uuid),
            "klantcontact": common.ref(
                ctx, "klantcontacten", klantcontacten.get(o.klantcontact_id or 0)
            ),
            "wasKlantcontact": common.ref(
                ctx, "klantcontacten", klantcontacten.get(o.was_klantcontact_id or 0)
            ),
            "onderwerpobjectidentificator": identificator_body(o),
        }
        for o in items
    ]


def event(ctx: Ctx, obj: Onderwerpobject, body: dict[str, Any]) -> Event:
    klantcontact = body.get("klantcontact")
    return Event(
        hoofd_object=klantcontact["url"] if klantcontact else body["url"],
        bron=BRON,
        weergave=f"onderwerpobject {obj.code_objecttype or ''}"[:200],
    )


RESOURCE = declare(
    "onderwerpobjecten",
    "onderwerpobject",
    "onderwerpobjecten",
    out=schemas.Onderwerpobject,
    model=Onderwerpobject,
    get=get,
    render=render,
    query=query,
    filters=schemas.OnderwerpobjectFilter,
    write=schemas.OnderwerpobjectWrite,
    patch=schemas.OnderwerpobjectPatch,
    create=service.create_onderwerpobject,
    update=service.update_onderwerpobject,
    event=event,
)
add_operations(router, RESOURCE)


class OnderwerpobjectDeleteResponse(DocModel):
    behouden: list[str]


@router.delete(
    "/onderwerpobjecten/{uuid}",
    operation_id="onderwerpobjectenDestroy",
    summary="Verwijder een onderwerpobject.",
    status_code=204,
    responses={200: {"model": OnderwerpobjectDeleteResponse}},
    openapi_extra=DELETE.doc,
)
async def onderwerpobject_destroy(
    uuid: uuid.UUID,
    query: Annotated[schemas.OnderwerpobjectDestroyQuery, Query()],
    ctx: Ctx = Depends(context(DELETE)),
) -> Response:
    """Without `cascade` a 204; with `cascade=true` a 200 listing the klantcontacten kept
    because another onderwerpobject still refers to them."""
    obj = await get(ctx, uuid)
    old = (await render(ctx, [obj]))[0]
    ev = event(ctx, obj, old)
    behouden = await service.delete_onderwerpobject(ctx, obj, cascade=query.cascade)
    await ctx.session.flush()
    status = 200 if query.cascade else 204
    emit(ctx, RESOURCE, ev, "destroy", status, old, None)
    if not query.cascade:
        return Response(status_code=204)
    return json_response({"behouden": [common.url(ctx, "klantcontacten", u) for u in behouden]})
