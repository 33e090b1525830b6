"""/zaakverzoeken: verzoeken linked to a zaak (list as a plain array, create, retrieve,
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
from mijnzaken.zaken.models import ZaakVerzoek
from mijnzaken.zaken.schemas.zaakverzoeken import ZaakVerzoek as ZaakVerzoekOut
from mijnzaken.zaken.schemas.zaakverzoeken import ZaakVerzoekFilter, ZaakVerzoekWrite
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakverzoeken as service

router = APIRouter(tags=["zaakverzoeken"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakVerzoek:
    obj: ZaakVerzoek = await common.get_child(ctx, ZaakVerzoek, ident)
    return obj


async def query(ctx: Ctx, filters: ZaakVerzoekFilter) -> Select[Any]:
    stmt = await common.children_stmt(ctx, ZaakVerzoek, filters.zaak)
    if filters.verzoek is not None:
        stmt = stmt.where(ZaakVerzoek.verzoek == filters.verzoek)
    return stmt


async def render(ctx: Ctx, items: Sequence[ZaakVerzoek]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "zaakverzoeken", z.uuid),
            "uuid": str(z.uuid),
            "zaak": common.zaak_url(ctx, z.zaak),
            "verzoek": z.verzoek,
        }
        for z in items
    ]


def event(ctx: Ctx, obj: ZaakVerzoek, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.verzoek)


RESOURCE: Resource[ZaakVerzoek] = Resource(
    api=API,
    collection="zaakverzoeken",
    name="zaakverzoek",
    out=ZaakVerzoekOut,
    model=ZaakVerzoek,
    read=READ,
    get=get,
    render=render,
    write=ZaakVerzoekWrite,
    create=service.create,
    create_scopes=ONLY_UPDATE,
    delete=service.delete,
    delete_scopes=ONLY_UPDATE,
    event=event,
    headers_operation=False,
    summaries={
        "list": "Alle ZAAK-VERZOEKen opvragen.",
        "create": "Maak een ZAAK-VERZOEK aan.",
        "retrieve": "Een specifieke ZAAK-VERZOEK opvragen.",
        "destroy": "Verwijder een ZAAK-VERZOEK.",
    },
)
# the spec's list is a plain array, not pages
add_array_list(router, RESOURCE, ZaakVerzoekFilter, query)
add_operations(router, RESOURCE)
