"""The standard operations of a ZGW resource, written once and declared per resource.

A resource module states what is particular to it in a `Resource`: its schemas, scopes, query,
batch renderer and rules. `add_operations` turns that into the list, create, retrieve,
headers (HEAD), update, partial_update and destroy endpoints, so every resource behaves the
same on pagination, ETags, PATCH, authorisation, audit trail and notifications. Endpoints
that are not one of these (publish, _zoek, nested resources) are written by hand next to it.

This module deliberately does not use `from __future__ import annotations`: FastAPI reads the
annotations of the endpoint functions built here at run time.
"""

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import Select, Table
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from starlette.routing import compile_path

from mijnzaken.core import audit, expand, outbox
from mijnzaken.core.api import (
    LeanRoute,
    add_lean_route,
    etag_response,
    json_response,
    merge_patch,
    security,
)
from mijnzaken.core.auth import AuthContext, Requirement, authorise
from mijnzaken.core.errors import NotFound
from mijnzaken.core.outbox import notify
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.query import QueryModel
from mijnzaken.core.runtime import Session, request_session, runtime_of, urls_of
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls

M = TypeVar("M")


@dataclass
class Ctx:
    """What a resource's functions get for one request."""

    request: Request
    session: AsyncSession
    urls: Urls
    auth: AuthContext
    settings: Settings
    # the object this request created, once stored: nothing can hang under it yet, so its
    # renderer need not look for sub-resources (see `fresh`)
    created: Any = None


def fresh(ctx: Ctx, obj: Any) -> bool:
    """Whether `obj` is the object this request just created (it has no sub-resources)."""
    return ctx.created is not None and ctx.created is obj


@dataclass(frozen=True)
class Scopes:
    """The (component, scope) pairs of which a caller needs one, as the spec lists them."""

    pairs: tuple[Requirement, ...]

    @classmethod
    def of(cls, component: str, *scopes: str) -> "Scopes":
        return cls(tuple((component, s) for s in scopes))

    @property
    def doc(self) -> dict[str, Any]:
        return security(*(s for _c, s in self.pairs))


def context(scopes: Scopes) -> Callable[..., Awaitable[Ctx]]:
    """A dependency that authenticates, checks `scopes` and hands out the request's `Ctx`.

    One dependency rather than one per part (runtime, URLs, authentication): every API
    request resolves it, and FastAPI's cost per dependency is a noticeable part of a small
    read."""
    alternatives = scopes.pairs

    async def dependency(request: Request, session: Session) -> Ctx:
        return await request_ctx(request, session, alternatives)

    return dependency


async def request_ctx(
    request: Request, session: AsyncSession, alternatives: Sequence[Requirement]
) -> Ctx:
    """Authenticate, demand one of `alternatives` and make the request's `Ctx`."""
    auth = await authorise(request, session, alternatives)
    runtime = runtime_of(request)
    return Ctx(request, session, urls_of(request), auth, runtime.settings)


@dataclass(frozen=True)
class Event:
    """What a change tells the world: the audit trail (if `bron`) and a notification (if
    `kanaal`), both about `hoofd_object`."""

    hoofd_object: str
    kanaal: str | None = None
    kenmerken: Mapping[str, str] = field(default_factory=dict)
    bron: str | None = None
    weergave: str = ""


@dataclass
class Resource(Generic[M]):
    """One resource of a register: the declaration `add_operations` builds endpoints from."""

    api: str  # "zaken"
    collection: str  # "statussen" (the path segment)
    name: str  # "status" (operationId prefix and notification resource)
    out: type[BaseModel]  # the response schema (for the OpenAPI document)
    model: type[Any]  # the ORM model (for batch look-ups by uuid, e.g. `expand`)
    read: Scopes
    get: Callable[[Ctx, uuid.UUID], Awaitable[M]]  # one object the caller may see, or 404/403
    render: Callable[[Ctx, Sequence[M]], Awaitable[list[dict[str, Any]]]]  # batch
    query: Callable[[Ctx, Any], Awaitable[Select[Any]]] | None = None  # the list's select
    filters: type[BaseModel] | None = None  # query parameters of list, incl. `page`
    write: type[BaseModel] | None = None  # body of create and update
    patch: type[BaseModel] | None = None  # body of partial_update (all optional)
    create: Callable[[Ctx, Any], Awaitable[M]] | None = None
    create_scopes: Scopes | None = None
    update: Callable[[Ctx, M, Any], Awaitable[M]] | None = None
    update_scopes: Scopes | None = None
    delete: Callable[[Ctx, M], Awaitable[None]] | None = None
    delete_scopes: Scopes | None = None
    # the write form of a representation, for merging a PATCH into it
    writable: Callable[[dict[str, Any]], dict[str, Any]] = lambda body: body
    event: Callable[[Ctx, M, dict[str, Any]], Event] | None = None
    headers_operation: bool = True
    destroy_status: int = 204
    list_out: type[BaseModel] | None = None  # list item schema when it differs from `out`
    # retrieve's schema when it differs from `out` (default: `list_out`, the *Expanded schema)
    retrieve_out: type[BaseModel] | None = None
    retrieve_query: type[BaseModel] | None = None  # extra query parameters of retrieve
    dependencies: Sequence[Any] = ()  # e.g. the Accept-Crs check of zaken
    # `dependencies` as plain checks of the request, in the same order, for the lean retrieve
    # (ADR 0023); a resource with dependencies but without these has no lean retrieve
    checks: Sequence[Callable[[Request], Awaitable[None]]] | None = None
    # what the route class of the resource's router does to each response (zaken: the
    # Content-Crs header), for the lean retrieve, which does not pass the route class
    finish: Callable[[Response], Response] | None = None
    summaries: Mapping[str, str] = field(default_factory=dict)
    # list and retrieve honour `expand` (core/expand.py): list reads it from `filters`,
    # retrieve from `retrieve_query` or else from an `expand` query parameter of its own
    expandable: bool = False
    # how `expand` loads this resource's objects when another resource points at them: those
    # with these UUIDs the caller may see, as plain rows that `render` reads as it reads
    # objects (building ORM objects for a page of expansions is the larger part of their
    # cost); by default the list query, as objects
    expand_rows: Callable[[Ctx, Sequence[uuid.UUID]], Awaitable[Sequence[Any]]] | None = None
    # how the rows of `expand_rows` are rendered when they carry what `render` would look up
    # in statements of its own (e.g. a status's documents); by default `render`
    expand_render: Callable[[Ctx, Sequence[Any]], Awaitable[list[dict[str, Any]]]] | None = None
    # the list's select made into one of plain rows that `render` reads as it reads objects
    # (building ORM objects for a page costs more than rendering them); by default objects
    list_rows: Callable[[Select[Any]], Select[Any]] | None = None
    # the list's page: a select of plain rows, and when it is a kept statement (made by
    # core/pagination.paged) the values of its parameters; for the list, instead of `query`
    # and `list_rows` (which `expand` still uses)
    list_page: (
        Callable[[Ctx, Any], Awaitable[tuple[Select[Any], Mapping[str, Any] | None]]] | None
    ) = None
    # one object rendered for retrieve and headers (and the retrieve's `expand`), where the
    # resource reads it in fewer statements than `get` and then `render` do; the same
    # checks (404, 403) and the same representation
    read_one: Callable[[Ctx, uuid.UUID], Awaitable[dict[str, Any]]] | None = None
    # the operationId of each operation ("list", "partial_update", ...); by default
    # "<name>_<operation>" as the ZGW specs write them
    operation_id: Callable[[str], str] | None = None

    def op_id(self, operation: str) -> str:
        if self.operation_id is not None:
            return self.operation_id(operation)
        return f"{self.name}_{operation}"

    def url(self, urls: Urls, ident: uuid.UUID | str) -> str:
        return urls.resource(self.api, self.collection, ident)


def _toelichting(request: Request) -> str:
    return request.headers.get("x-audit-toelichting", "")


def emit(
    ctx: Ctx,
    resource: Resource[Any],
    event: Event | None,
    actie: str,
    status: int,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> None:
    """Write the audit record and the notification of a change, in its transaction."""
    if event is None:
        return
    body = new if new is not None else old
    assert body is not None
    entry = (
        audit.values(
            bron=event.bron,
            auth=ctx.auth,
            actie=actie,
            resultaat=status,
            hoofd_object=event.hoofd_object,
            resource=resource.name,
            resource_url=body["url"],
            resource_weergave=event.weergave,
            toelichting=_toelichting(ctx.request),
            oud=old,
            nieuw=new,
        )
        if event.bron
        else None
    )
    if entry is not None and event.kanaal:
        # both in one statement as the transaction commits (one round trip)
        message = outbox.message_values(
            kanaal=event.kanaal,
            hoofd_object=event.hoofd_object,
            resource=resource.name,
            resource_url=body["url"],
            actie=actie,
            kenmerken=dict(event.kenmerken),
        )
        outbox.notify_with(ctx.session, message, cast(Table, audit.AuditTrail.__table__), entry)
        return
    if entry is not None:
        ctx.session.add(audit.AuditTrail(**entry))
    if event.kanaal:
        notify(
            ctx.session,
            kanaal=event.kanaal,
            hoofd_object=event.hoofd_object,
            resource=resource.name,
            resource_url=body["url"],
            actie=actie,
            kenmerken=dict(event.kenmerken),
        )


class ExpandQuery(BaseModel):
    """The `expand` query parameter of a retrieve that declares no query model of its own."""

    expand: str | None = None


def event_of(ctx: Ctx, resource: Resource[Any], obj: Any, body: dict[str, Any]) -> Event | None:
    return resource.event(ctx, obj, body) if resource.event is not None else None


def add_operations(router: APIRouter, resource: Resource[Any]) -> None:
    """Add the standard operations `resource` declares to `router`."""
    path = f"/{resource.collection}"
    item = f"{path}/{{uuid}}"
    summary = resource.summaries.get
    read_ctx = context(resource.read)
    deps = list(resource.dependencies)
    expand.register_resource(resource)  # so other resources can expand to this one

    def expand_tree(query: Any) -> expand.Tree:
        if not resource.expandable:
            return {}
        return expand.paths(getattr(query, "expand", None), resource.api, resource.collection)

    async def render_one(ctx: Ctx, obj: Any) -> dict[str, Any]:
        return (await resource.render(ctx, [obj]))[0]

    async def read_one(ctx: Ctx, ident: uuid.UUID) -> dict[str, Any]:
        if resource.read_one is not None:
            return await resource.read_one(ctx, ident)
        return await render_one(ctx, await resource.get(ctx, ident))

    if resource.query is not None and resource.filters is not None:
        filter_model = resource.filters
        list_model = resource.list_out or resource.out
        filters_of = QueryModel(filter_model)

        async def serve_list(ctx: Ctx, filters: Any) -> Response:
            assert resource.query is not None
            tree = expand_tree(filters)  # a wrong expand fails before any work
            parameters: Mapping[str, Any] | None = None
            if resource.list_page is not None:
                stmt, parameters = await resource.list_page(ctx, filters)
            else:
                stmt = await resource.query(ctx, filters)
                if resource.list_rows is not None:
                    stmt = resource.list_rows(stmt)
            columns = resource.list_page is not None or resource.list_rows is not None

            async def render_page(items: Sequence[Any]) -> list[dict[str, Any]]:
                return await resource.render(ctx, items)

            body = await paginate(
                ctx.session,
                stmt,
                page=getattr(filters, "page", 1),
                # a list that has a `pageSize` parameter (Klantinteracties) may ask for its own
                page_size=getattr(filters, "page_size", None) or ctx.settings.page_size,
                request=ctx.request,
                collection_url=ctx.urls.collection(resource.api, resource.collection),
                render=render_page,
                rows=columns,
                columns=columns,
                parameters=parameters,
            )
            await expand.expand(ctx, body["results"], resource.api, resource.collection, tree)
            return json_response(body)

        async def list_endpoint(
            filters: Annotated[filter_model, Query()],  # type: ignore[valid-type]
            ctx: Ctx = Depends(read_ctx),
        ) -> Response:
            return await serve_list(ctx, filters)

        async def lean_list_endpoint(request: Request, ctx: Ctx = Depends(read_ctx)) -> Response:
            # dependencies first, then the query: the order in which FastAPI would fail
            return await serve_list(ctx, filters_of.parse(request.query_params))

        # The list is served by `lean_list_endpoint`, which reads its query itself
        # (core/query.py: FastAPI's reading of a query model of forty fields cost more than
        # the page's statements); `list_endpoint`, after it on the same path and method and
        # so never reached, declares the operation for the OpenAPI document as before.
        router.add_api_route(
            path,
            lean_list_endpoint,
            methods=["GET"],
            include_in_schema=False,
            dependencies=deps,
        )
        router.add_api_route(
            path,
            list_endpoint,
            methods=["GET"],
            operation_id=resource.op_id("list"),
            summary=summary("list"),
            response_model=Paginated[list_model],  # type: ignore[valid-type]
            openapi_extra=resource.read.doc,
            dependencies=deps,
        )

    if resource.create is not None and resource.write is not None:
        write_model = resource.write
        create_ctx = context(resource.create_scopes or resource.read)

        async def create_endpoint(
            data: write_model,  # type: ignore[valid-type]
            ctx: Ctx = Depends(create_ctx),
        ) -> Response:
            assert resource.create is not None
            obj = await resource.create(ctx, data)
            await ctx.session.flush()
            ctx.created = obj
            body = await render_one(ctx, obj)
            emit(ctx, resource, event_of(ctx, resource, obj, body), "create", 201, None, body)
            return json_response(body, 201, {"Location": body["url"]})

        router.add_api_route(
            path,
            create_endpoint,
            methods=["POST"],
            operation_id=resource.op_id("create"),
            summary=summary("create"),
            status_code=201,
            response_model=resource.out,
            openapi_extra=(resource.create_scopes or resource.read).doc,
            dependencies=deps,
        )

    retrieve_model = resource.retrieve_query
    if retrieve_model is None and resource.expandable:
        retrieve_model = ExpandQuery

    async def retrieve_endpoint(uuid: uuid.UUID, ctx: Ctx = Depends(read_ctx)) -> Response:
        return etag_response(ctx.request, await read_one(ctx, uuid))

    if retrieve_model is not None:

        async def retrieve_with_query(
            uuid: uuid.UUID,
            _query: Annotated[retrieve_model, Query()],  # type: ignore[valid-type]
            ctx: Ctx = Depends(read_ctx),
        ) -> Response:
            tree = expand_tree(_query)
            if not tree:
                return await retrieve_endpoint(uuid, ctx)
            body = await read_one(ctx, uuid)
            await expand.expand(ctx, [body], resource.api, resource.collection, tree)
            return etag_response(ctx.request, body)  # the ETag covers the expanded body

        retrieve: Callable[..., Awaitable[Response]] = retrieve_with_query
    else:
        retrieve = retrieve_endpoint

    router.add_api_route(
        item,
        retrieve,
        methods=["GET"],
        operation_id=resource.op_id("retrieve"),
        summary=summary("retrieve"),
        response_model=resource.retrieve_out or resource.list_out or resource.out,
        openapi_extra=resource.read.doc,
        dependencies=deps,
    )
    if resource.headers_operation:
        router.add_api_route(
            item,
            retrieve_endpoint,
            methods=["HEAD"],
            operation_id=resource.op_id("headers"),
            summary=summary("headers"),
            openapi_extra=resource.read.doc,
            dependencies=deps,
        )

    endpoints: dict[str, Callable[..., Any]] = {"GET": retrieve}
    if resource.headers_operation:
        endpoints["HEAD"] = retrieve_endpoint
    _add_lean_retrieve(resource, router.route_class, item, endpoints, read_one)

    if resource.update is not None and resource.write is not None:
        write_model = resource.write
        update_ctx = context(resource.update_scopes or resource.read)

        async def change(ctx: Ctx, obj: Any, data: BaseModel, actie: str) -> Response:
            assert resource.update is not None
            old = await render_one(ctx, obj)
            obj = await resource.update(ctx, obj, data)
            await ctx.session.flush()
            new = await render_one(ctx, obj)
            emit(ctx, resource, event_of(ctx, resource, obj, new), actie, 200, old, new)
            return json_response(new)

        async def update_endpoint(
            uuid: uuid.UUID,
            data: write_model,  # type: ignore[valid-type]
            ctx: Ctx = Depends(update_ctx),
        ) -> Response:
            return await change(ctx, await resource.get(ctx, uuid), data, "update")

        router.add_api_route(
            item,
            update_endpoint,
            methods=["PUT"],
            operation_id=resource.op_id("update"),
            summary=summary("update"),
            response_model=resource.out,
            openapi_extra=(resource.update_scopes or resource.read).doc,
            dependencies=deps,
        )

        if resource.patch is not None:
            patch_model = resource.patch

            async def partial_update_endpoint(
                uuid: uuid.UUID,
                data: patch_model,  # type: ignore[valid-type]
                ctx: Ctx = Depends(update_ctx),
            ) -> Response:
                obj = await resource.get(ctx, uuid)
                current = resource.writable(await render_one(ctx, obj))
                merged = merge_patch(write_model, current, data)
                return await change(ctx, obj, merged, "partial_update")

            router.add_api_route(
                item,
                partial_update_endpoint,
                methods=["PATCH"],
                operation_id=resource.op_id("partial_update"),
                summary=summary("partial_update"),
                response_model=resource.out,
                openapi_extra=(resource.update_scopes or resource.read).doc,
                dependencies=deps,
            )

    if resource.delete is not None:
        delete_ctx = context(resource.delete_scopes or resource.read)

        async def destroy_endpoint(uuid: uuid.UUID, ctx: Ctx = Depends(delete_ctx)) -> Response:
            assert resource.delete is not None
            obj = await resource.get(ctx, uuid)
            old = await render_one(ctx, obj)
            event = event_of(ctx, resource, obj, old)  # before the object is gone
            await resource.delete(ctx, obj)
            await ctx.session.flush()
            emit(ctx, resource, event, "destroy", resource.destroy_status, old, None)
            if resource.destroy_status == 204:
                return Response(status_code=204)
            return json_response({}, resource.destroy_status)

        router.add_api_route(
            item,
            destroy_endpoint,
            methods=["DELETE"],
            operation_id=resource.op_id("destroy"),
            summary=summary("destroy"),
            status_code=resource.destroy_status,
            openapi_extra=(resource.delete_scopes or resource.read).doc,
            dependencies=deps,
        )


_UUID: TypeAdapter[uuid.UUID] = TypeAdapter(uuid.UUID)


def _add_lean_retrieve(
    resource: Resource[Any],
    route_class: type[Any],
    item: str,
    endpoints: Mapping[str, Callable[..., Any]],
    read_one: Callable[[Ctx, uuid.UUID], Awaitable[dict[str, Any]]],
) -> None:
    """The retrieve (and headers) of `resource` for a request without query string, as a
    lean route (ADR 0023): what FastAPI does for `retrieve_endpoint`, in the same order,
    without its routing and dependency solving. Dependencies: the resource's `checks`;
    `ctx`: `request_ctx` in a `request_session`; then the path's uuid, validated as FastAPI
    validates it (a bad one names nothing: 404, as the error handler answers FastAPI's
    path error); then the endpoint; after the session has ended, the route class's part."""
    if resource.dependencies and resource.checks is None:
        return
    if route_class is not APIRoute and resource.finish is None:
        return  # a route class whose part in the answer the resource does not declare
    if compile_path(item)[2].keys() != {"uuid"}:
        return  # a nested resource: its other path parameters are for FastAPI to check
    query = resource.retrieve_query
    if query is not None and any(f.is_required() for f in query.model_fields.values()):
        return  # without query string FastAPI answers 400, not the object
    checks = tuple(resource.checks or ())
    finish = resource.finish
    alternatives = resource.read.pairs

    async def handle(request: Request, ident: str) -> Response:
        for check in checks:
            await check(request)
        async with request_session(request) as session:
            ctx = await request_ctx(request, session, alternatives)
            try:
                key = _UUID.validate_python(ident)
            except ValidationError as exc:
                raise NotFound("Niet gevonden.") from exc
            response = etag_response(request, await read_one(ctx, key))
        return finish(response) if finish is not None else response

    lean = LeanRoute(item, endpoints, handle, list(resource.dependencies), route_class)
    add_lean_route(resource.api, lean)
