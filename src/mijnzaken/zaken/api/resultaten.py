"""/resultaten: the outcome of a zaak (list, create, retrieve, headers, update, partial
update, destroy). The rules are in zaken/services/resultaat.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select, false

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import NotFound
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, READ, UPDATE
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import Resultaat
from mijnzaken.zaken.repository import resultaat as repo
from mijnzaken.zaken.schemas.resultaat import Resultaat as ResultaatOut
from mijnzaken.zaken.schemas.resultaat import (
    ResultaatExpanded,
    ResultaatFilter,
    ResultaatPatch,
    ResultaatRetrieveQuery,
    ResultaatWrite,
)
from mijnzaken.zaken.services import access, common
from mijnzaken.zaken.services import resultaat as service

router = APIRouter(tags=["resultaten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Resultaat:
    if ctx.request.method in ("GET", "HEAD"):
        found: Resultaat = await common.get_child(ctx, Resultaat, ident)
        return found
    # update and destroy check their own scopes (zaken.bijwerken or -geforceerd-bijwerken) on
    # the zaak, so a client that may change but not read a zaak can still do its work
    obj = await repo.by_uuid(ctx.session, ident)
    if obj is None:
        raise NotFound()
    await access.ensure_any(ctx, service.CHANGE, obj.zaak)
    return obj


async def query(ctx: Ctx, filters: ResultaatFilter) -> Select[Any]:
    stmt = await common.children_stmt(ctx, Resultaat, filters.zaak)
    if filters.resultaattype is not None:
        ids = await refs.ids_for_urls(
            ctx.session, ctx.urls, "resultaattypen", [filters.resultaattype]
        )
        resultaattype_id = ids.get(filters.resultaattype)
        stmt = stmt.where(
            Resultaat.resultaattype_id == resultaattype_id
            if resultaattype_id is not None
            else false()
        )
    return stmt


async def render(ctx: Ctx, items: Sequence[Resultaat]) -> list[dict[str, Any]]:
    types = await refs.uuids_by_ids(
        ctx.session, "resultaattypen", {r.resultaattype_id for r in items}
    )
    return [
        {
            "url": ctx.urls.resource(API, "resultaten", r.uuid),
            "uuid": str(r.uuid),
            "zaak": ctx.urls.resource(API, "zaken", r.zaak_uuid),
            "resultaattype": refs.url_of_uuid(
                ctx.urls, "resultaattypen", types[r.resultaattype_id]
            ),
            "toelichting": r.toelichting,
        }
        for r in items
    ]


def event(ctx: Ctx, obj: Resultaat, _body: dict[str, Any]) -> Event:
    zaak = obj.zaak
    return zaak_event(ctx, zaak, f"{zaak.bronorganisatie} - {zaak.identificatie}")


RESOURCE: Resource[Resultaat] = Resource(
    api=API,
    collection="resultaten",
    name="resultaat",
    out=ResultaatOut,
    list_out=ResultaatExpanded,
    model=Resultaat,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=ResultaatFilter,
    retrieve_query=ResultaatRetrieveQuery,
    write=ResultaatWrite,
    patch=ResultaatPatch,
    create=service.create,
    create_scopes=UPDATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=UPDATE,
    event=event,
    expandable=True,
    # a page of zaken expands its resultaten from rows, as it does its statussen and rollen
    expand_rows=lambda ctx, idents: common.children_rows(ctx, Resultaat, idents),
    summaries={
        "list": "Alle RESULTAATen van ZAAKen opvragen.",
        "create": "Maak een RESULTAAT bij een ZAAK aan.",
        "retrieve": "Een specifieke RESULTAAT opvragen.",
        "headers": "De headers voor een specifiek(e) RESULTAAT opvragen ",
        "update": "Werk een RESULTAAT in zijn geheel bij.",
        "partial_update": "Werk een RESULTAAT deels bij.",
        "destroy": "Verwijder een RESULTAAT van een ZAAK.",
    },
)
add_operations(router, RESOURCE)
