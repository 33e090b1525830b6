"""/objectinformatieobjecten: which zaken, besluiten and verzoeken a document belongs to
(list as a plain array, create, retrieve, headers, destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core import expand
from mijnzaken.core.api import with_expand
from mijnzaken.core.resource import Ctx, Resource, add_operations
from mijnzaken.documenten.api.common import (
    API,
    CREATE,
    DELETE,
    READ,
    add_array_list,
    child_event,
    children_stmt,
    document_url,
    get_child,
)
from mijnzaken.documenten.models import ObjectInformatieObject
from mijnzaken.documenten.schemas import ObjectInformatieObject as ObjectInformatieObjectOut
from mijnzaken.documenten.schemas import (
    ObjectInformatieObjectFilter,
    ObjectInformatieObjectWrite,
)
from mijnzaken.documenten.services import objectinformatieobjecten as service

router = APIRouter(tags=["objectinformatieobjecten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ObjectInformatieObject:
    obj: ObjectInformatieObject = await get_child(ctx, ObjectInformatieObject, ident)
    return obj


async def query(ctx: Ctx, filters: ObjectInformatieObjectFilter) -> Select[Any]:
    stmt = await children_stmt(ctx, ObjectInformatieObject, filters.informatieobject)
    if filters.object is not None:
        stmt = stmt.where(ObjectInformatieObject.object == filters.object)
    return stmt


async def render(ctx: Ctx, items: Sequence[ObjectInformatieObject]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "objectinformatieobjecten", o.uuid),
            "informatieobject": document_url(ctx, o),
            "object": o.object,
            "objectType": o.object_type,
        }
        for o in items
    ]


async def create(ctx: Ctx, data: ObjectInformatieObjectWrite) -> ObjectInformatieObject:
    return await service.create(ctx, data)


RESOURCE: Resource[ObjectInformatieObject] = Resource(
    api=API,
    collection="objectinformatieobjecten",
    name="objectinformatieobject",
    out=ObjectInformatieObjectOut,
    retrieve_out=with_expand(ObjectInformatieObjectOut),
    model=ObjectInformatieObject,
    read=READ,
    get=get,
    render=render,
    write=ObjectInformatieObjectWrite,
    create=create,
    create_scopes=CREATE,
    delete=service.delete,
    delete_scopes=DELETE,
    event=lambda ctx, obj, _body: child_event(ctx, obj, obj.object_type),
    expandable=True,
    summaries={
        "list": "Alle OBJECT-INFORMATIEOBJECT relaties opvragen.",
        "create": "Maak een OBJECT-INFORMATIEOBJECT relatie aan.",
        "retrieve": "Een specifieke OBJECT-INFORMATIEOBJECT relatie opvragen.",
        "headers": "De headers voor een specifiek(e) OBJECTINFORMATIEOBJECT opvragen",
        "destroy": "Verwijder een OBJECT-INFORMATIEOBJECT relatie.",
    },
)
add_array_list(router, RESOURCE, ObjectInformatieObjectFilter, query)
add_operations(router, RESOURCE)
expand.register_resource(RESOURCE, lambda ctx: children_stmt(ctx, ObjectInformatieObject, None))
