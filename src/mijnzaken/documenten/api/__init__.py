"""The Documenten API (ZGW Documenten 1.7.0), mounted at /documenten/api/v1/."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from mijnzaken.core.api import register_app
from mijnzaken.core.errors import ContentTooLarge, error_response
from mijnzaken.documenten.api import (
    bestandsdelen,
    gebruiksrechten,
    informatieobjecten,
    objectinformatieobjecten,
    verzendingen,
)

VERSION = "1.7.0"


class JsonBodyLimit:
    """Caps a JSON request body at `MIJNZAKEN_DOCUMENTEN_MAX_JSON` bytes (413, a ZGW Fout): a
    document's inline base64 content is held in memory while its body is parsed. A bestandsdeel
    (multipart, spooled to disk as it arrives) is not capped here: large content goes that way."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "/bestandsdelen/" in scope["path"]:
            await self.app(scope, receive, send)
            return
        runtime: Any = getattr(scope["app"].state, "runtime", None)
        if runtime is None:
            await self.app(scope, receive, send)
            return
        limit = runtime.settings.documenten_max_json
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > limit:  # refused before a byte is read
            too_large = ContentTooLarge(
                f"Een JSON-verzoek mag hoogstens {limit} bytes zijn; stuur grote inhoud in "
                "bestandsdelen (geef alleen bestandsomvang op)."
            )
            await error_response(too_large)(scope, receive, send)
            return
        # a body without a length is counted as it arrives (a 413 from the handlers)
        await RequestBodyLimitMiddleware(self.app, limit)(scope, receive, send)


def create_app() -> FastAPI:
    app = register_app(
        title="Documenten API",
        version=VERSION,
        api="documenten",
        description="Documenten: opslag en ontsluiting van informatieobjecten en hun metadata.",
        routers=[
            informatieobjecten.router,
            bestandsdelen.router,
            gebruiksrechten.router,
            objectinformatieobjecten.router,
            verzendingen.router,
        ],
    )
    app.add_middleware(JsonBodyLimit)
    return app
