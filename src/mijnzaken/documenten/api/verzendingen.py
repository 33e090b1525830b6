"""/verzendingen: to whom a document was sent, or from whom it came (paged list, create,
retrieve, headers, update, partial_update, destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.api import with_expand
from mijnzaken.core.resource import Ctx, Resource, add_operations
from mijnzaken.documenten.api.common import (
    API,
    CREATE,
    DELETE,
    READ,
    UPDATE,
    child_event,
    children_stmt,
    document_url,
    get_child,
)
from mijnzaken.documenten.models import Verzending
from mijnzaken.documenten.schemas import Verzending as VerzendingOut
from mijnzaken.documenten.schemas import VerzendingFilter, VerzendingPatch, VerzendingWrite
from mijnzaken.documenten.services import verzendingen as service

router = APIRouter(tags=["verzendingen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Verzending:
    obj: Verzending = await get_child(ctx, Verzending, ident)
    return obj


async def query(ctx: Ctx, filters: VerzendingFilter) -> Select[Any]:
    stmt = await children_stmt(ctx, Verzending, filters.informatieobject)
    if filters.aard_relatie is not None:
        stmt = stmt.where(Verzending.aard_relatie == filters.aard_relatie)
    if filters.betrokkene is not None:
        stmt = stmt.where(Verzending.betrokkene == filters.betrokkene)
    return stmt


async def render(ctx: Ctx, items: Sequence[Verzending]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "verzendingen", v.uuid),
            "betrokkene": v.betrokkene,
            "informatieobject": document_url(ctx, v),
            "aardRelatie": v.aard_relatie,
            "toelichting": v.toelichting,
            "ontvangstdatum": v.ontvangstdatum.isoformat() if v.ontvangstdatum else None,
            "verzenddatum": v.verzenddatum.isoformat() if v.verzenddatum else None,
            "contactPersoon": v.contact_persoon,
            "contactpersoonnaam": v.contactpersoonnaam,
            "binnenlandsCorrespondentieadres": v.binnenlands_correspondentieadres,
            "buitenlandsCorrespondentieadres": v.buitenlands_correspondentieadres,
            "correspondentiePostadres": v.correspondentie_postadres,
            "faxnummer": v.faxnummer or None,
            "emailadres": v.emailadres or None,
            "mijnOverheid": v.mijn_overheid,
            "telefoonnummer": v.telefoonnummer or None,
        }
        for v in items
    ]


RESOURCE: Resource[Verzending] = Resource(
    api=API,
    collection="verzendingen",
    name="verzending",
    out=VerzendingOut,
    list_out=with_expand(VerzendingOut),
    model=Verzending,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=VerzendingFilter,
    write=VerzendingWrite,
    patch=VerzendingPatch,
    create=service.create,
    create_scopes=CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE,
    event=lambda ctx, obj, _body: child_event(ctx, obj, obj.aard_relatie),
    expandable=True,
    summaries={
        "list": "Alle VERZENDINGen opvragen.",
        "create": "Maak een VERZENDING aan.",
        "retrieve": "Een specifieke VERZENDING opvragen.",
        "headers": "De headers voor een specifiek(e) VERZENDING opvragen",
        "update": "Werk een VERZENDING in zijn geheel bij.",
        "partial_update": "Werk een VERZENDING deels bij.",
        "destroy": "Verwijder een VERZENDING",
    },
)
add_operations(router, RESOURCE)
