"""/zaken/{zaak_uuid}/zaakeigenschappen: values of the zaaktype's eigenschappen for one zaak
(nested: list, create, retrieve, headers, update, partial_update, destroy). The spec gives
these operations no `expand`; a zaak expands its `eigenschappen` to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from mijnzaken.catalogi.services import refs
from mijnzaken.core import expand
from mijnzaken.core.api import with_expand
from mijnzaken.core.resource import Ctx, Event, Resource
from mijnzaken.zaken.api.common import API, READ, UPDATE
from mijnzaken.zaken.api.nested import add_nested_operations, nested_url, zaak_event
from mijnzaken.zaken.models import ZaakEigenschap
from mijnzaken.zaken.schemas.zaakeigenschappen import ZaakEigenschap as ZaakEigenschapOut
from mijnzaken.zaken.schemas.zaakeigenschappen import (
    ZaakEigenschapPatch,
    ZaakEigenschapQuery,
    ZaakEigenschapWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakeigenschappen as service

router = APIRouter(tags=["zaken"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakEigenschap:
    obj: ZaakEigenschap = await common.get_child(ctx, ZaakEigenschap, ident)
    return obj


async def render(ctx: Ctx, items: Sequence[ZaakEigenschap]) -> list[dict[str, Any]]:
    eigenschappen = await refs.by_ids(
        ctx.session, "eigenschappen", {e.eigenschap_id for e in items}
    )
    out = []
    for e in items:
        eigenschap = eigenschappen[e.eigenschap_id]
        out.append(
            {
                "url": nested_url(ctx, e.zaak, "zaakeigenschappen", e.uuid),
                "uuid": str(e.uuid),
                "zaak": common.zaak_url(ctx, e.zaak),
                "eigenschap": refs.url_of(ctx.urls, "eigenschappen", eigenschap),
                "naam": eigenschap.naam,
                "waarde": e.waarde,
            }
        )
    return out


def event(ctx: Ctx, obj: ZaakEigenschap, body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, body["naam"])


RESOURCE: Resource[ZaakEigenschap] = Resource(
    api=API,
    collection="zaakeigenschappen",
    name="zaakeigenschap",
    out=ZaakEigenschapOut,
    retrieve_out=with_expand(ZaakEigenschapOut),
    model=ZaakEigenschap,
    read=READ,
    get=get,
    render=render,
    write=ZaakEigenschapWrite,
    patch=ZaakEigenschapPatch,
    create_scopes=UPDATE,
    update_scopes=UPDATE,
    delete_scopes=UPDATE,
    event=event,
    summaries={
        "list": "Alle ZAAKEIGENSCHAPpen opvragen.",
        "create": "Maak een ZAAKEIGENSCHAP aan.",
        "retrieve": "Een specifieke ZAAKEIGENSCHAP opvragen.",
        "headers": "De headers voor een specifiek(e) ZAAKEIGENSCHAP opvragen",
        "update": "Werk een ZAAKEIGENSCHAP in zijn geheel bij.",
        "partial_update": "Werk een ZAAKEIGENSCHAP deels bij.",
        "destroy": "Verwijder een ZAAKEIGENSCHAP.",
    },
)
add_nested_operations(
    router,
    RESOURCE,
    create=service.create,
    update=service.update,
    delete=service.delete,
    list_query=ZaakEigenschapQuery,
    retrieve_query=ZaakEigenschapQuery,
)
expand.register_resource(RESOURCE, lambda ctx: common.children_stmt(ctx, ZaakEigenschap, None))
