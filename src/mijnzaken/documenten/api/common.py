"""What the Documenten endpoints share: scopes as the spec names them, the array lists, and the
expand grammar of the Documenten API (handed to core/expand.py).

No `from __future__ import annotations` here: FastAPI reads the annotations of the list
endpoint built below at run time.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select
from starlette.responses import Response

from mijnzaken.core import expand
from mijnzaken.core.api import json_response
from mijnzaken.core.expand import OUTSIDE, Link
from mijnzaken.core.resource import Ctx, Resource, Scopes, context

API = "documenten"
READ = Scopes.of("drc", "documenten.lezen")
CREATE = Scopes.of("drc", "documenten.aanmaken")
UPDATE = Scopes.of("drc", "documenten.bijwerken")
UPDATE_OR_FORCED = Scopes.of("drc", "documenten.bijwerken", "documenten.geforceerd-bijwerken")
DELETE = Scopes.of("drc", "documenten.verwijderen")
LOCK = Scopes.of("drc", "documenten.lock")
UNLOCK = Scopes.of("drc", "documenten.lock", "documenten.geforceerd-unlock")
AUDIT = Scopes.of("drc", "audittrails.lezen")

_EIO = Link((API, "enkelvoudiginformatieobjecten"))

# drc-011..014: expand reaches the Documenten API and the Catalogi types it refers to
expand.LINKS.update(
    {
        (API, "enkelvoudiginformatieobjecten"): {
            "informatieobjecttype": Link(("catalogi", "informatieobjecttypen")),
        },
        (API, "gebruiksrechten"): {"informatieobject": _EIO},
        (API, "objectinformatieobjecten"): {"informatieobject": _EIO, "object": OUTSIDE},
        (API, "verzendingen"): {
            "informatieobject": _EIO,
            "betrokkene": OUTSIDE,
            "contactPersoon": OUTSIDE,
        },
    }
)


def add_array_list(
    router: APIRouter,
    resource: Resource[Any],
    filters: type[BaseModel],
    query: Callable[[Ctx, Any], Awaitable[Select[Any]]],
) -> None:
    """`{name}_list` on `/{collection}` as a plain JSON array (the spec pages these lists
    not), rendered in one batch."""

    async def list_endpoint(
        params: Annotated[filters, Query()],  # type: ignore[valid-type]
        ctx: Ctx = Depends(context(resource.read)),
    ) -> Response:
        tree = expand.paths(getattr(params, "expand", None), resource.api, resource.collection)
        items = (await ctx.session.execute(await query(ctx, params))).scalars().unique().all()
        bodies = await resource.render(ctx, items)
        await expand.expand(ctx, bodies, resource.api, resource.collection, tree)
        return json_response(bodies)

    router.add_api_route(
        f"/{resource.collection}",
        list_endpoint,
        methods=["GET"],
        operation_id=resource.op_id("list"),
        summary=resource.summaries.get("list"),
        response_model=list[resource.list_out or resource.out],  # type: ignore[misc]
        openapi_extra=resource.read.doc,
    )


async def get_child(ctx: Ctx, model: Any, ident: Any) -> Any:
    """One object hanging off a document the caller may read (with `.informatieobject`)."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from mijnzaken.core.errors import NotFound
    from mijnzaken.documenten.services import access

    stmt = select(model).options(joinedload(model.informatieobject)).where(model.uuid == ident)
    obj = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if obj is None:
        raise NotFound()
    await access.ensure(ctx, ("documenten.lezen",), obj.informatieobject)
    return obj


async def children_stmt(ctx: Ctx, model: Any, informatieobject: str | None) -> Select[Any]:
    """The list query of a child resource: only those of documents the caller may read,
    optionally of the one document `informatieobject` names."""
    from sqlalchemy import false, select
    from sqlalchemy.orm import contains_eager

    from mijnzaken.documenten.models import InformatieObject
    from mijnzaken.documenten.services import access

    stmt = (
        select(model).join(model.informatieobject).options(contains_eager(model.informatieobject))
    )
    condition = (await access.access(ctx, "documenten.lezen")).where()
    if condition is not None:
        stmt = stmt.where(condition)
    if informatieobject is not None:
        ident = ctx.urls.parse(informatieobject, API, "enkelvoudiginformatieobjecten")
        stmt = (
            stmt.where(InformatieObject.uuid == ident) if ident is not None else stmt.where(false())
        )
    return stmt.order_by(model.id)


def document_url(ctx: Ctx, obj: Any) -> str:
    return ctx.urls.resource(API, "enkelvoudiginformatieobjecten", obj.informatieobject.uuid)


def child_event(ctx: Ctx, obj: Any, weergave: str) -> Any:
    """Audit trail and notification of a change to a document's child, about the document."""
    from mijnzaken.core.resource import Event
    from mijnzaken.documenten.services import informatieobjecten

    return Event(
        hoofd_object=document_url(ctx, obj),
        kanaal="documenten",
        kenmerken=informatieobjecten.kenmerken(ctx, obj.informatieobject),
        bron="DRC",
        weergave=weergave,
    )
