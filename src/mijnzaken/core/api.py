"""What every register's HTTP layer shares: the app per register, responses, ETags."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
import yaml
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mijnzaken.core.errors import from_pydantic, install_error_handlers
from mijnzaken.core.runtime import READS_WITHOUT_TRANSACTION

JSON_MEDIA = "application/json"


def _nul_free(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError(
            "null_characters_not_allowed",
            "Null-tekens zijn niet toegestaan.",
            {"code": "null_characters_not_allowed"},
        )
    if isinstance(value, list):
        for item in value:
            _nul_free(item)
    return value


class ApiModel(BaseModel):
    """Base of request and response schemas: Python names in snake_case, JSON in camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", str_strip_whitespace=False
    )

    # PostgreSQL cannot store NUL in text; refuse it as bad input instead of failing later.
    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        return _nul_free(value)


M = TypeVar("M", bound=BaseModel)


def merge_patch(model: type[M], current: dict[str, Any], patch: BaseModel) -> M:
    """Apply a PATCH: the current representation with the given fields, validated whole.

    So a PATCH obeys every rule of a PUT (an explicit null for a required field is a 400).
    """
    merged = {**current, **patch.model_dump(exclude_unset=True, by_alias=True)}
    try:
        return model.model_validate(merged)
    except ValidationError as exc:
        raise from_pydantic(exc) from exc


def with_expand(model: type[M]) -> type[M]:
    """`model` with the `_expand` member of list and retrieve responses (the *Expanded schemas
    of the ZGW specs)."""
    expanded: type[M] = create_model(
        f"{model.__name__}Expanded",
        __base__=model,
        expand=(dict[str, Any] | None, Field(default=None, alias="_expand")),
    )
    return expanded


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON. orjson writes a large page (fifty zaken with their expansions) in
    a fraction of the time the standard library takes; what it refuses (an integer beyond
    64 bits in a client's free-form JSON) goes through the standard library instead."""
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status_code=status, media_type=JSON_MEDIA, headers=headers)


def etag_response(request: Request, body: dict[str, Any]) -> Response:
    """200 with an ETag over the JSON; 304 when If-None-Match holds it; no body for HEAD."""
    raw = dumps(body)
    etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
    wanted = request.headers.get("if-none-match")
    if wanted:
        tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
        if etag in tags or "*" in tags:
            return Response(status_code=304, headers={"ETag": etag})
    if request.method == "HEAD":
        return Response(status_code=200, headers={"ETag": etag, "Content-Type": JSON_MEDIA})
    return Response(raw, media_type=JSON_MEDIA, headers={"ETag": etag})


class ApiVersionHeader:
    """Adds the `API-version` header that every ZGW response carries."""

    def __init__(self, app: ASGIApp, version: str) -> None:
        self.app = app
        self.header = (b"api-version", version.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, send_with_header)


@dataclass(frozen=True)
class LeanRoute:
    """A GET (and HEAD) of one object, answered without FastAPI's routing and dependency
    solving (ADR 0023): `handle` gets the request and the path's `{uuid}` segment as text,
    and does what the declared routes' dependencies and endpoints do, in their order. Taken
    only for a request without query string (query parameters are for FastAPI to check),
    and only in an app whose router would have dispatched the request to one of
    `endpoints` (method -> the endpoint function of the declared route)."""

    path: str  # as the declared routes', e.g. "/zaken/{uuid}"
    endpoints: Mapping[str, Callable[..., Any]]
    handle: Callable[[Request, str], Awaitable[Response]]
    # what `handle` does besides the endpoint: these dependencies and this route class; a
    # declared route with others (a router's own dependencies) keeps the request
    dependencies: Sequence[Any] = ()
    route_class: type[Any] = APIRoute
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        regex, _format, convertors = compile_path(self.path)
        # the one parameter, a `str` as in the declared route: the same match, the same text
        assert list(convertors) == ["uuid"]
        assert isinstance(convertors["uuid"], StringConvertor)
        object.__setattr__(self, "regex", regex)


# per API (a resource's `api`), the lean routes its resources declared; `register_app` with
# that `api` serves those its router would dispatch to
_LEAN_ROUTES: dict[str, list[LeanRoute]] = {}


def add_lean_route(api: str, route: LeanRoute) -> None:
    """Offer `route` to the register app of `api`."""
    _LEAN_ROUTES.setdefault(api, []).append(route)


def lean_routes(api: str) -> tuple[LeanRoute, ...]:
    """The lean routes declared for `api`."""
    return tuple(_LEAN_ROUTES.get(api, ()))


@dataclass(frozen=True)
class _Lean:
    """A lean route for one method, with the paths of the routes the router tries before
    the declared one (a request one of them matches is left to the router)."""

    method: str
    route: LeanRoute
    before: tuple[re.Pattern[str], ...]


def _lean_of(routes: Sequence[Any], offered: Sequence[LeanRoute]) -> list[_Lean]:
    """The `offered` lean routes, per method, that stand for a route of `routes` (in the
    router's order, included routers flattened)."""
    contexts = list(iter_route_contexts(routes))
    found: list[_Lean] = []
    for lean in offered:
        for method, endpoint in lean.endpoints.items():
            before: list[re.Pattern[str]] = []
            for context in contexts:
                methods = context.methods
                if methods is not None and method not in methods:
                    continue  # a partial match at most, which a full match overrides
                if context.endpoint is endpoint and context.path == lean.path:
                    if type(context.original_route) is lean.route_class and list(
                        getattr(context, "dependencies", ())
                    ) == list(lean.dependencies):
                        found.append(_Lean(method, lean, tuple(before)))
                    break
                regex = getattr(context, "path_regex", None)
                if not isinstance(regex, re.Pattern):
                    break  # a route that matches otherwise: leave the method to the router
                before.append(regex)
    return found


class LeanDispatch:
    """The head of a register app's router: a request a lean route takes goes to it, any
    other to the router. Sitting where the router starts, a lean request passes the same
    middleware (API-version header, exception handlers, server error handling) as one the
    router would have dispatched."""

    def __init__(self, app: ASGIApp, lean: Sequence[_Lean]) -> None:
        self.app = app
        self.lean = tuple(lean)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("query_string"):
            method = scope["method"]
            route_path = get_route_path(scope)
            for lean in self.lean:
                if lean.method != method:
                    continue
                match = lean.route.regex.match(route_path)
                if match is None or any(r.match(route_path) for r in lean.before):
                    continue
                ident = match["uuid"]
                # as a router's match leaves them for the endpoint
                scope["path_params"] = {**scope.get("path_params", {}), "uuid": ident}
                response = await lean.route.handle(Request(scope, receive, send), ident)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def taken(self) -> list[tuple[str, str]]:
        """(method, path) of the lean routes this dispatch serves."""
        return [(lean.method, lean.route.path) for lean in self.lean]


def register_app(
    *,
    title: str,
    version: str,
    description: str,
    routers: Sequence[APIRouter],
    reads_without_transaction: bool = True,
    api: str | None = None,
) -> FastAPI:
    """A FastAPI app for one register, with its own OpenAPI document and docs page.

    Mounted at the register's standard base path; the document is served at
    `schema/openapi.yaml` (and `.json`), the docs at `schema/`. With
    `reads_without_transaction` its GET and HEAD requests get a session of
    `Database.reading()`: no BEGIN and COMMIT, and a write inside them fails (ADR 0022).
    With `api`, the lean routes the resources of that API declared answer their requests
    ahead of the router (ADR 0023).
    """
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        openapi_url="/schema/openapi.json",
        docs_url="/schema/",
        redoc_url=None,
    )
    install_error_handlers(app)
    setattr(app.state, READS_WITHOUT_TRANSACTION, reads_without_transaction)
    for router in routers:
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=title, version=version, description=description, routes=app.routes
            )
            schema.setdefault("components", {})["securitySchemes"] = {
                "JWT-Claims": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/schema/openapi.yaml", include_in_schema=False)
    async def openapi_yaml() -> Response:
        return Response(
            yaml.safe_dump(openapi(), sort_keys=False, allow_unicode=True),
            media_type="application/vnd.oai.openapi",
        )

    app.add_middleware(ApiVersionHeader, version=version)
    lean = _lean_of(app.routes, lean_routes(api)) if api is not None else []
    if lean:
        app.router.middleware_stack = LeanDispatch(app.router.middleware_stack, lean)
    return app


def security(*scopes: str) -> dict[str, Any]:
    """The `security` entry of an operation, as the ZGW specs write it."""
    label = scopes[0] if len(scopes) == 1 else "(" + " | ".join(scopes) + ")"
    return {"security": [{"JWT-Claims": [label]}]}


__all__ = [
    "ApiModel",
    "JSONResponse",
    "etag_response",
    "json_response",
    "register_app",
    "security",
]
