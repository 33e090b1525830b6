"""/zaakinformatieobjecten: the documents linked to a zaak (list as a plain array, create,
retrieve, headers, update, partial_update, destroy). List and retrieve expand; other resources
(zaak.zaakinformatieobjecten, status.zaakinformatieobjecten) expand to it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select, select

from mijnzaken.core import expand
from mijnzaken.core.api import with_expand
from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, DELETE_CHILD, READ, UPDATE, UPDATE_OR_CREATE
from mijnzaken.zaken.api.nested import add_array_list, zaak_event
from mijnzaken.zaken.models import Status, ZaakInformatieObject
from mijnzaken.zaken.schemas.zaakinformatieobjecten import (
    ZaakInformatieObject as ZaakInformatieObjectOut,
)
from mijnzaken.zaken.schemas.zaakinformatieobjecten import (
    ZaakInformatieObjectFilter,
    ZaakInformatieObjectPatch,
    ZaakInformatieObjectRetrieveQuery,
    ZaakInformatieObjectWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import zaakinformatieobjecten as service

router = APIRouter(tags=["zaakinformatieobjecten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ZaakInformatieObject:
    obj: ZaakInformatieObject = await common.get_child(ctx, ZaakInformatieObject, ident)
    return obj


async def query(ctx: Ctx, filters: ZaakInformatieObjectFilter) -> Select[Any]:
    stmt = await common.children_stmt(ctx, ZaakInformatieObject, filters.zaak)
    if filters.informatieobject is not None:
        stmt = stmt.where(ZaakInformatieObject.informatieobject == filters.informatieobject)
    return stmt


async def render(ctx: Ctx, items: Sequence[ZaakInformatieObject]) -> list[dict[str, Any]]:
    status_ids = {z.status_id for z in items if z.status_id is not None}
    statussen: dict[int, uuid.UUID] = {}
    if status_ids:
        found = await ctx.session.execute(
            select(Status.id, Status.uuid).where(Status.id.in_(status_ids))
        )
        statussen = {ident: ref for ident, ref in found.all()}
    return [
        {
            "url": ctx.urls.resource(API, "zaakinformatieobjecten", z.uuid),
            "uuid": str(z.uuid),
            "informatieobject": z.informatieobject,
            "zaak": common.zaak_url(ctx, z.zaak),
            "aardRelatieWeergave": service.AARD_RELATIE_WEERGAVE[z.aard_relatie],
            "titel": z.titel,
            "beschrijving": z.beschrijving,
            "registratiedatum": iso(z.registratiedatum),
            "vernietigingsdatum": iso(z.vernietigingsdatum),
            "status": (
                ctx.urls.resource(API, "statussen", statussen[z.status_id])
                if z.status_id in statussen
                else None
            ),
        }
        for z in items
    ]


def event(ctx: Ctx, obj: ZaakInformatieObject, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.titel or obj.informatieobject)


RESOURCE: Resource[ZaakInformatieObject] = Resource(
    api=API,
    collection="zaakinformatieobjecten",
    name="zaakinformatieobject",
    out=ZaakInformatieObjectOut,
    retrieve_out=with_expand(ZaakInformatieObjectOut),
    model=ZaakInformatieObject,
    read=READ,
    get=get,
    render=render,
    write=ZaakInformatieObjectWrite,
    patch=ZaakInformatieObjectPatch,
    create=service.create,
    create_scopes=UPDATE_OR_CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE_CHILD,
    event=event,
    retrieve_query=ZaakInformatieObjectRetrieveQuery,
    expandable=True,
    summaries={
        "list": "Alle ZAAK-INFORMATIEOBJECT relaties opvragen.",
        "create": "Maak een ZAAK-INFORMATIEOBJECT relatie aan.",
        "retrieve": "Een specifieke ZAAK-INFORMATIEOBJECT relatie opvragen.",
        "headers": "De headers voor een specifiek(e) ZAAKINFORMATIEOBJECT opvragen",
        "update": "Werk een ZAAK-INFORMATIEOBJECT relatie in zijn geheel bij.",
        "partial_update": "Werk een ZAAK-INFORMATIEOBJECT relatie deels bij.",
        "destroy": "Verwijder een ZAAK-INFORMATIEOBJECT relatie.",
    },
)
# the spec's list is a plain array, not pages
add_array_list(router, RESOURCE, ZaakInformatieObjectFilter, query)
add_operations(router, RESOURCE)
# without a paged list query of its own, the resource names what a caller may see
expand.register_resource(
    RESOURCE, lambda ctx: common.children_stmt(ctx, ZaakInformatieObject, None)
)
