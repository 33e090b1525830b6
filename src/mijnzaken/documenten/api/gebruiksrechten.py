"""/gebruiksrechten: usage rights of a document (list as a plain array, create, retrieve,
headers, update, partial_update, destroy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core import expand
from mijnzaken.core.api import with_expand
from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Resource, add_operations
from mijnzaken.documenten.api.common import (
    API,
    CREATE,
    DELETE,
    READ,
    UPDATE,
    add_array_list,
    child_event,
    children_stmt,
    document_url,
    get_child,
)
from mijnzaken.documenten.models import Gebruiksrechten
from mijnzaken.documenten.schemas import Gebruiksrechten as GebruiksrechtenOut
from mijnzaken.documenten.schemas import (
    GebruiksrechtenFilter,
    GebruiksrechtenPatch,
    GebruiksrechtenWrite,
)
from mijnzaken.documenten.services import gebruiksrechten as service

router = APIRouter(tags=["gebruiksrechten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Gebruiksrechten:
    obj: Gebruiksrechten = await get_child(ctx, Gebruiksrechten, ident)
    return obj


async def query(ctx: Ctx, filters: GebruiksrechtenFilter) -> Select[Any]:
    stmt = await children_stmt(ctx, Gebruiksrechten, filters.informatieobject)
    for name, column in (
        ("startdatum", Gebruiksrechten.startdatum),
        ("einddatum", Gebruiksrechten.einddatum),
    ):
        for op, compare in (
            ("lt", column.__lt__),
            ("lte", column.__le__),
            ("gt", column.__gt__),
            ("gte", column.__ge__),
        ):
            value = getattr(filters, f"{name}__{op}")
            if value is not None:
                stmt = stmt.where(compare(value))
    return stmt


async def render(ctx: Ctx, items: Sequence[Gebruiksrechten]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "gebruiksrechten", g.uuid),
            "informatieobject": document_url(ctx, g),
            "startdatum": iso(g.startdatum),
            "einddatum": iso(g.einddatum),
            "omschrijvingVoorwaarden": g.omschrijving_voorwaarden,
        }
        for g in items
    ]


RESOURCE: Resource[Gebruiksrechten] = Resource(
    api=API,
    collection="gebruiksrechten",
    name="gebruiksrechten",
    out=GebruiksrechtenOut,
    retrieve_out=with_expand(GebruiksrechtenOut),
    model=Gebruiksrechten,
    read=READ,
    get=get,
    render=render,
    write=GebruiksrechtenWrite,
    patch=GebruiksrechtenPatch,
    create=service.create,
    create_scopes=CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE,
    event=lambda ctx, obj, _body: child_event(ctx, obj, obj.omschrijving_voorwaarden[:200]),
    expandable=True,
    summaries={
        "list": "Alle GEBRUIKSRECHTen opvragen.",
        "create": "Maak een GEBRUIKSRECHT aan.",
        "retrieve": "Een specifieke GEBRUIKSRECHT opvragen.",
        "headers": "De headers voor een specifiek(e) GEBRUIKSRECHT INFORMATIEOBJECT opvragen",
        "update": "Werk een GEBRUIKSRECHT in zijn geheel bij.",
        "partial_update": "Werk een GEBRUIKSRECHT relatie deels bij.",
        "destroy": "Verwijder een GEBRUIKSRECHT.",
    },
)
add_array_list(router, RESOURCE, GebruiksrechtenFilter, query)
add_operations(router, RESOURCE)
expand.register_resource(RESOURCE, lambda ctx: children_stmt(ctx, Gebruiksrechten, None))
