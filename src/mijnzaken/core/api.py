"""What every register's HTTP layer shares: the app per register, responses, ETags."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

import orjson
import yaml
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from starlette.responses import Response
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


def register_app(
    *,
    title: str,
    version: str,
    description: str,
    routers: Sequence[APIRouter],
    reads_without_transaction: bool = True,
) -> FastAPI:
    """A FastAPI app for one register, with its own OpenAPI document and docs page.

    Mounted at the register's standard base path; the document is served at
    `schema/openapi.yaml` (and `.json`), the docs at `schema/`. With
    `reads_without_transaction` its GET and HEAD requests get a session of
    `Database.reading()`: no BEGIN and COMMIT, and a write inside them fails (ADR 0022).
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
