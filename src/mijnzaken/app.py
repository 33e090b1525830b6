"""The MijnZaken ASGI application: every register mounted at its standard base path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from mijnzaken.autorisaties import api as autorisaties_api
from mijnzaken.autorisaties.service import lookup_client
from mijnzaken.catalogi import api as catalogi_api
from mijnzaken.core.db import Database
from mijnzaken.core.runtime import Runtime
from mijnzaken.core.settings import Settings, get_settings
from mijnzaken.klantinteracties import api as klantinteracties_api
from mijnzaken.klantinteracties.services import klantcontact as klantinteracties_klantcontact
from mijnzaken.zaken import api as zaken_api
from mijnzaken.zaken.services import zaak as zaken_zaak

# (base path, title, app factory); the order is the order of the start page
REGISTERS = (
    ("/zaken/api/v1", "Zaken API", zaken_api.create_app),
    ("/catalogi/api/v1", "Catalogi API", catalogi_api.create_app),
    ("/autorisaties/api/v1", "Autorisaties API", autorisaties_api.create_app),
    ("/klantinteracties/api/v1", "Klantinteracties API", klantinteracties_api.create_app),
)


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the application; tests pass their own settings and database."""
    settings = settings or get_settings()
    database = database or Database(settings.database_url, echo=settings.sql_echo)
    runtime = Runtime(settings=settings, database=database, client_lookup=lookup_client)
    # onderwerpobjecten check references to local zaken through the Zaken register
    klantinteracties_klantcontact.configure_zaken(zaken_zaak.exists)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await database.dispose()

    app = FastAPI(
        title="MijnZaken", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.runtime = runtime
    for path, _title, factory in REGISTERS:
        sub = factory()
        sub.state.runtime = runtime
        app.mount(path, sub)

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        rows = "".join(
            f'<li><a href="{path}/schema/">{title}</a> '
            f'(<a href="{path}/schema/openapi.yaml">OpenAPI-specificatie</a>)</li>'
            for path, title, _f in REGISTERS
        )
        return HTMLResponse(
            '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            "<title>MijnZaken</title></head><body><main><h1>MijnZaken</h1>"
            f"<ul>{rows}</ul></main></body></html>"
        )

    return app
