"""Zaken endpoints that are not the standard ones of core/resource.py, built from the same parts.

Two shapes occur: lists the spec returns as a plain array (no pages: zaakinformatieobjecten,
zaakcontactmomenten, zaakverzoeken), and resources nested under one zaak
(`/zaken/{zaak_uuid}/zaakeigenschappen`, `/zaken/{zaak_uuid}/besluiten`). They reuse a
resource's `get`, `render` and `event`, and `core.resource.emit` for audit trail and
notification, so they behave like the standard operations. Where the spec gives list or
retrieve an `expand` parameter (the query model declares `expand`), they expand as
core/resource.py does: a wrong path fails before any work, each level costs one batch.

No `from __future__ import annotations`: FastAPI reads the endpoint annotations at run time.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload
from starlette.responses import Response

from mijnzaken.core import expand
from mijnzaken.core.api import etag_response, json_response, merge_patch
from mijnzaken.core.errors import NotFound
from mijnzaken.core.resource import Ctx, Event, Resource, context, emit, event_of
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.services import access
from mijnzaken.zaken.services.common import READ, zaak_url
from mijnzaken.zaken.services.zaak import kenmerken


def expand_tree(resource: Resource[Any], query_model: type[BaseModel], query: Any) -> expand.Tree:
    """The checked `expand` of a request, for an operation whose query model declares one."""
    if "expand" not in query_model.model_fields:
        return {}
    return expand.paths(getattr(query, "expand", None), resource.api, resource.collection)


async def rows(ctx: Ctx, stmt: Select[Any]) -> Sequence[Any]:
    """All rows of a list query (one statement; relations as the query loads them)."""
    found: Sequence[Any] = (await ctx.session.execute(stmt)).scalars().unique().all()
    return found


def add_array_list(
    router: APIRouter,
    resource: Resource[Any],
    filters: type[BaseModel],
    query: Callable[[Ctx, Any], Awaitable[Select[Any]]],
) -> None:
    """`{name}_list` on `/{collection}`: every matching object as a JSON array, as the spec
    defines these lists (no pagination). Rendered in one batch."""
    read_ctx = context(resource.read)

    async def list_endpoint(
        params: Annotated[filters, Query()],  # type: ignore[valid-type]
        ctx: Ctx = Depends(read_ctx),
    ) -> Response:
        tree = expand_tree(resource, filters, params)
        items = await rows(ctx, await query(ctx, params))
        bodies = await resource.render(ctx, items)
        await expand.expand(ctx, bodies, resource.api, resource.collection, tree)
        return json_response(bodies)

    router.add_api_route(
        f"/{resource.collection}",
        list_endpoint,
        methods=["GET"],
        operation_id=f"{resource.name}_list",
        summary=resource.summaries.get("list"),
        response_model=list[resource.list_out or resource.out],  # type: ignore[misc]
        openapi_extra=resource.read.doc,
    )


async def zaak_of_path(ctx: Ctx, zaak_uuid: uuid.UUID) -> Zaak:
    """The zaak of a nested path: 404 when it does not exist, 403 when the caller may not
    read it (zrc-006)."""
    stmt = select(Zaak).where(Zaak.uuid == zaak_uuid)
    zaak = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if zaak is None:
        raise NotFound()
    await access.ensure(ctx, READ, zaak)
    return zaak


def nested_url(ctx: Ctx, zaak: Zaak, collection: str, ident: uuid.UUID) -> str:
    """The URL of a resource nested under a zaak: /zaken/{zaak_uuid}/{collection}/{uuid}."""
    return f"{ctx.urls.resource('zaken', 'zaken', zaak.uuid)}/{collection}/{ident}"


class NoQuery(BaseModel):
    """A nested list without query parameters (unknown ones are a 400)."""

    model_config = {"extra": "forbid"}


def add_nested_operations(
    router: APIRouter,
    resource: Resource[Any],
    *,
    create: Callable[[Ctx, Zaak, Any], Awaitable[Any]] | None = None,
    update: Callable[[Ctx, Any, Any], Awaitable[Any]] | None = None,
    delete: Callable[[Ctx, Any], Awaitable[None]] | None = None,
    list_query: type[BaseModel] = NoQuery,
    retrieve_query: type[BaseModel] = NoQuery,
) -> None:
    """The operations of a resource nested under `/zaken/{zaak_uuid}/{collection}`.

    The zaak of the path must exist (404) and be readable (403); a child of another zaak is
    a 404. `create` gets the zaak of the path; `resource.get` finds the child (with `.zaak`
    loaded) and `resource.render` renders in batch.
    """
    name = resource.name
    path = f"/zaken/{{zaak_uuid}}/{resource.collection}"
    item = f"{path}/{{uuid}}"
    summary = resource.summaries.get
    read_ctx = context(resource.read)

    async def render_one(ctx: Ctx, obj: Any) -> dict[str, Any]:
        return (await resource.render(ctx, [obj]))[0]

    async def child(ctx: Ctx, zaak_uuid: uuid.UUID, ident: uuid.UUID) -> Any:
        zaak = await zaak_of_path(ctx, zaak_uuid)
        obj = await resource.get(ctx, ident)
        if obj.zaak_id != zaak.id:
            raise NotFound()
        return obj

    async def list_endpoint(
        zaak_uuid: uuid.UUID,
        _query: Annotated[list_query, Query()],  # type: ignore[valid-type]
        ctx: Ctx = Depends(read_ctx),
    ) -> Response:
        tree = expand_tree(resource, list_query, _query)
        zaak = await zaak_of_path(ctx, zaak_uuid)
        model = resource.model
        stmt = (
            select(model)
            .where(model.zaak_id == zaak.id)
            .options(joinedload(model.zaak))
            .order_by(model.id)
        )
        bodies = await resource.render(ctx, await rows(ctx, stmt))
        await expand.expand(ctx, bodies, resource.api, resource.collection, tree)
        return json_response(bodies)

    router.add_api_route(
        path,
        list_endpoint,
        methods=["GET"],
        operation_id=f"{name}_list",
        summary=summary("list"),
        response_model=list[resource.list_out or resource.out],  # type: ignore[misc]
        openapi_extra=resource.read.doc,
    )

    if create is not None and resource.write is not None:
        write_model = resource.write
        create_scopes = resource.create_scopes or resource.read
        create_ctx = context(create_scopes)

        async def create_endpoint(
            zaak_uuid: uuid.UUID,
            data: write_model,  # type: ignore[valid-type]
            ctx: Ctx = Depends(create_ctx),
        ) -> Response:
            zaak = await zaak_of_path(ctx, zaak_uuid)
            obj = await create(ctx, zaak, data)
            await ctx.session.flush()
            body = await render_one(ctx, obj)
            emit(ctx, resource, event_of(ctx, resource, obj, body), "create", 201, None, body)
            return json_response(body, 201, {"Location": body["url"]})

        router.add_api_route(
            path,
            create_endpoint,
            methods=["POST"],
            operation_id=f"{name}_create",
            summary=summary("create"),
            status_code=201,
            response_model=resource.out,
            openapi_extra=create_scopes.doc,
        )

    async def retrieve_endpoint(
        zaak_uuid: uuid.UUID,
        uuid: uuid.UUID,
        _query: Annotated[retrieve_query, Query()],  # type: ignore[valid-type]
        ctx: Ctx = Depends(read_ctx),
    ) -> Response:
        tree = expand_tree(resource, retrieve_query, _query)
        obj = await child(ctx, zaak_uuid, uuid)
        body = await render_one(ctx, obj)
        await expand.expand(ctx, [body], resource.api, resource.collection, tree)
        return etag_response(ctx.request, body)  # the ETag covers the expanded body

    router.add_api_route(
        item,
        retrieve_endpoint,
        methods=["GET"],
        operation_id=f"{name}_retrieve",
        summary=summary("retrieve"),
        response_model=resource.retrieve_out or resource.out,
        openapi_extra=resource.read.doc,
    )
    if resource.headers_operation:
        router.add_api_route(
            item,
            retrieve_endpoint,
            methods=["HEAD"],
            operation_id=f"{name}_headers",
            summary=summary("headers"),
            openapi_extra=resource.read.doc,
        )

    if update is not None and resource.write is not None:
        write_model = resource.write
        update_scopes = resource.update_scopes or resource.read
        update_ctx = context(update_scopes)

        async def change(ctx: Ctx, obj: Any, data: BaseModel, actie: str) -> Response:
            old = await render_one(ctx, obj)
            obj = await update(ctx, obj, data)
            await ctx.session.flush()
            new = await render_one(ctx, obj)
            emit(ctx, resource, event_of(ctx, resource, obj, new), actie, 200, old, new)
            return json_response(new)

        async def update_endpoint(
            zaak_uuid: uuid.UUID,
            uuid: uuid.UUID,
            data: write_model,  # type: ignore[valid-type]
            ctx: Ctx = Depends(update_ctx),
        ) -> Response:
            return await change(ctx, await child(ctx, zaak_uuid, uuid), data, "update")

        router.add_api_route(
            item,
            update_endpoint,
            methods=["PUT"],
            operation_id=f"{name}_update",
            summary=summary("update"),
            response_model=resource.out,
            openapi_extra=update_scopes.doc,
        )

        if resource.patch is not None:
            patch_model = resource.patch

            async def partial_update_endpoint(
                zaak_uuid: uuid.UUID,
                uuid: uuid.UUID,
                data: patch_model,  # type: ignore[valid-type]
                ctx: Ctx = Depends(update_ctx),
            ) -> Response:
                obj = await child(ctx, zaak_uuid, uuid)
                current = resource.writable(await render_one(ctx, obj))
                merged = merge_patch(write_model, current, data)
                return await change(ctx, obj, merged, "partial_update")

            router.add_api_route(
                item,
                partial_update_endpoint,
                methods=["PATCH"],
                operation_id=f"{name}_partial_update",
                summary=summary("partial_update"),
                response_model=resource.out,
                openapi_extra=update_scopes.doc,
            )

    if delete is not None:
        delete_scopes = resource.delete_scopes or resource.read
        delete_ctx = context(delete_scopes)

        async def destroy_endpoint(
            zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Ctx = Depends(delete_ctx)
        ) -> Response:
            obj = await child(ctx, zaak_uuid, uuid)
            old = await render_one(ctx, obj)
            event = event_of(ctx, resource, obj, old)  # before the object is gone
            await delete(ctx, obj)
            await ctx.session.flush()
            emit(ctx, resource, event, "destroy", 204, old, None)
            return Response(status_code=204)

        router.add_api_route(
            item,
            destroy_endpoint,
            methods=["DELETE"],
            operation_id=f"{name}_destroy",
            summary=summary("destroy"),
            status_code=204,
            openapi_extra=delete_scopes.doc,
        )


def zaak_event(ctx: Ctx, zaak: Zaak, weergave: str = "") -> Event:
    """The audit trail (bron ZRC) and notification (kanaal zaken) of a change to something
    that belongs to `zaak`."""
    return Event(
        hoofd_object=zaak_url(ctx, zaak),
        kanaal="zaken",
        kenmerken=kenmerken(ctx, zaak),
        bron="ZRC",
        weergave=weergave,
    )
