"""/zaakcontactmomenten: contactmomenten linked to a zaak (list as a plain array, create, retrieve,
destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, ONLY_UPDATE, READ
from mijnzaken.zaken.api.nested import add_array_list, zaak_event
from mijnzaken.zaken.models import ZaakContactMoment
from mijnzaken.zaken.schemas.zaakcontactmomenten import ZaakContactMoment as ZaakContactMomentOut
from mijnzaken.zaken.schemas.zaakcontactmomenten import (
    ZaakContactMomentFilter,
    ZaakContactMomentWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakcontactmomenten as service

router = APIRouter(tags=["zaakcontactmomenten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakContactMoment:
    obj: ZaakContactMoment = await common.get_child(ctx, ZaakContactMoment, ident)
    return obj


async def query(ctx: Ctx, filters: ZaakContactMomentFilter) -> Select[Any]:
    stmt = await common.children_stmt(ctx, ZaakContactMoment, filters.zaak)
    if filters.contactmoment is not None:
        stmt = stmt.where(ZaakContactMoment.contactmoment == filters.contactmoment)
    return stmt


async def render(ctx: Ctx, items: Sequence[ZaakContactMoment]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "zaakcontactmomenten", z.uuid),
            "uuid": str(z.uuid),
            "zaak": common.zaak_url(ctx, z.zaak),
            "contactmoment": z.contactmoment,
        }
        for z in items
    ]


def event(ctx: Ctx, obj: ZaakContactMoment, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.contactmoment)


RESOURCE: Resource[ZaakContactMoment] = Resource(
    api=API,
    collection="zaakcontactmomenten",
    name="zaakcontactmoment",
    out=ZaakContactMomentOut,
    model=ZaakContactMoment,
    read=READ,
    get=get,
    render=render,
    write=ZaakContactMomentWrite,
    create=service.create,
    create_scopes=ONLY_UPDATE,
    delete=service.delete,
    delete_scopes=ONLY_UPDATE,
    event=event,
    headers_operation=False,
    summaries={
        "list": "Alle ZAAKCONTACTMOMENTen opvragen.",
        "create": "Maak een ZAAKCONTACTMOMENT aan.",
        "retrieve": "Een specifiek ZAAKCONTACTMOMENT opvragen.",
        "destroy": "Verwijder een ZAAKCONTACTMOMENT.",
    },
)
# the spec's list is a plain array, not pages
add_array_list(router, RESOURCE, ZaakContactMomentFilter, query)
add_operations(router, RESOURCE)
