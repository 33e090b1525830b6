"""/zaakobjecten: the objects a zaak is about (list, create, retrieve, headers, update,
partial update, destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from mijnzaken.catalogi.services import refs
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, DELETE_CHILD, READ, UPDATE, UPDATE_OR_CREATE
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import ZaakObject
from mijnzaken.zaken.schemas.zaakobject import ZaakObject as ZaakObjectOut
from mijnzaken.zaken.schemas.zaakobject import (
    ZaakObjectExpanded,
    ZaakObjectFilter,
    ZaakObjectPatch,
    ZaakObjectRetrieveQuery,
    ZaakObjectWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakobject as service

router = APIRouter(tags=["zaakobjecten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakObject:
    obj: ZaakObject = await common.get_child(ctx, ZaakObject, ident)
    return obj


async def render(ctx: Ctx, items: Sequence[ZaakObject]) -> list[dict[str, Any]]:
    """A page of zaakobjecten, with one look-up (zaakobjecttypen) whatever its size."""
    types = await refs.uuids_by_ids(
        ctx.session,
        "zaakobjecttypen",
        {o.zaakobjecttype_id for o in items if o.zaakobjecttype_id is not None},
    )
    out = []
    for o in items:
        body: dict[str, Any] = {
            "url": ctx.urls.resource(API, "zaakobjecten", o.uuid),
            "uuid": str(o.uuid),
            "zaak": common.zaak_url(ctx, o.zaak),
            "object": o.object,
        }
        if o.zaakobjecttype_id is not None:
            body["zaakobjecttype"] = refs.url_of_uuid(
                ctx.urls, "zaakobjecttypen", types[o.zaakobjecttype_id]
            )
        body["objectType"] = o.object_type
        # the spec's pattern refuses "" and its definitie schema is not nullable: left out
        if o.object_type_overige:
            body["objectTypeOverige"] = o.object_type_overige
        if o.object_type_overige_definitie is not None:
            body["objectTypeOverigeDefinitie"] = o.object_type_overige_definitie
        body["relatieomschrijving"] = o.relatieomschrijving
        if o.object_identificatie is not None:
            body["objectIdentificatie"] = o.object_identificatie
        out.append(body)
    return out


def event(ctx: Ctx, obj: ZaakObject, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.relatieomschrijving or obj.object_type)


RESOURCE: Resource[ZaakObject] = Resource(
    api=API,
    collection="zaakobjecten",
    name="zaakobject",
    out=ZaakObjectOut,
    list_out=ZaakObjectExpanded,
    model=ZaakObject,
    read=READ,
    get=get,
    render=render,
    query=service.query,
    filters=ZaakObjectFilter,
    retrieve_query=ZaakObjectRetrieveQuery,
    expandable=True,
    write=ZaakObjectWrite,
    patch=ZaakObjectPatch,
    create=service.create,
    create_scopes=UPDATE_OR_CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE_CHILD,
    event=event,
    summaries={
        "list": "Alle ZAAKOBJECTen opvragen.",
        "create": "Maak een ZAAKOBJECT aan.",
        "retrieve": "Een specifieke ZAAKOBJECT opvragen.",
        "headers": "De headers voor een specifiek(e) ZAAKOBJECT opvragen ",
        "update": "Werk een ZAAKOBJECT zijn geheel bij.",
        "partial_update": "Werk een ZAAKOBJECT deels bij.",
        "destroy": "Verwijder een ZAAKOBJECT.",
    },
)
add_operations(router, RESOURCE)
