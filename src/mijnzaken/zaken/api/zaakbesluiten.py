"""/zaken/{zaak_uuid}/besluiten: the besluiten taken on one zaak (nested: list, create,
retrieve, destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from mijnzaken.core.api import with_expand
from mijnzaken.core.resource import Ctx, Event, Resource
from mijnzaken.zaken.api.common import API, ONLY_UPDATE, READ
from mijnzaken.zaken.api.nested import add_nested_operations, nested_url, zaak_event
from mijnzaken.zaken.models import ZaakBesluit
from mijnzaken.zaken.schemas.zaakbesluiten import ZaakBesluit as ZaakBesluitOut
from mijnzaken.zaken.schemas.zaakbesluiten import ZaakBesluitQuery, ZaakBesluitWrite
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakbesluiten as service

router = APIRouter(tags=["zaken"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakBesluit:
    obj: ZaakBesluit = await common.get_child(ctx, ZaakBesluit, ident)
    return obj


async def render(ctx: Ctx, items: Sequence[ZaakBesluit]) -> list[dict[str, Any]]:
    return [
        {
            "url": nested_url(ctx, b.zaak, "besluiten", b.uuid),
            "uuid": str(b.uuid),
            "besluit": b.besluit,
        }
        for b in items
    ]


def event(ctx: Ctx, obj: ZaakBesluit, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.besluit)


RESOURCE: Resource[ZaakBesluit] = Resource(
    api=API,
    collection="besluiten",
    name="zaakbesluit",
    out=ZaakBesluitOut,
    retrieve_out=with_expand(ZaakBesluitOut),
    model=ZaakBesluit,
    read=READ,
    get=get,
    render=render,
    write=ZaakBesluitWrite,
    create_scopes=ONLY_UPDATE,
    delete_scopes=ONLY_UPDATE,
    event=event,
    headers_operation=False,
    summaries={
        "list": "Alle ZAAKBESLUITen opvragen.",
        "create": "Maak een ZAAKBESLUIT aan.",
        "retrieve": "Een specifiek ZAAKBESLUIT opvragen.",
        "destroy": "Verwijder een ZAAKBESLUIT.",
    },
)
add_nested_operations(
    router,
    RESOURCE,
    create=service.create,
    delete=service.delete,
    list_query=ZaakBesluitQuery,
    retrieve_query=ZaakBesluitQuery,
)
