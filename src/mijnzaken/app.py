"""The MijnZaken ASGI application: every register mounted at its standard base path."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette._utils import get_route_path
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from mijnzaken.autorisaties import api as autorisaties_api
from mijnzaken.autorisaties.service import client_lookup
from mijnzaken.besluiten import api as besluiten_api
from mijnzaken.besluiten.services import besluitinformatieobject as besluiten_bio
from mijnzaken.catalogi import api as catalogi_api
from mijnzaken.catalogi.services import cache as catalogi_cache
from mijnzaken.core import heap, logs
from mijnzaken.core.db import Database
from mijnzaken.core.runtime import Runtime
from mijnzaken.core.settings import Settings, get_settings
from mijnzaken.demo import BURGERS
from mijnzaken.documenten import api as documenten_api
from mijnzaken.documenten.services import relaties as documenten_relaties
from mijnzaken.kcc import web as kcc_web
from mijnzaken.klantbeeld import api as klantbeeld_api
from mijnzaken.klantinteracties import api as klantinteracties_api
from mijnzaken.klantinteracties.services import klantcontact as klantinteracties_klantcontact
from mijnzaken.klantinteracties.services import verwerking as klantinteracties_verwerking
from mijnzaken.notificaties import api as notificaties_api
from mijnzaken.portal import web as portal_web
from mijnzaken.verwerkingen import api as verwerkingen_api
from mijnzaken.zaken import api as zaken_api
from mijnzaken.zaken.services import zaak as zaken_zaak
from mijnzaken.zaken.services import zaakinformatieobjecten as zaken_zio

# (base path, title, app factory); the order is the order of the start page
REGISTERS = (
    ("/zaken/api/v1", "Zaken API", zaken_api.create_app),
    ("/catalogi/api/v1", "Catalogi API", catalogi_api.create_app),
    ("/besluiten/api/v1", "Besluiten API", besluiten_api.create_app),
    ("/documenten/api/v1", "Documenten API", documenten_api.create_app),
    ("/autorisaties/api/v1", "Autorisaties API", autorisaties_api.create_app),
    ("/notificaties/api/v1", "Notificaties API", notificaties_api.create_app),
    ("/klantbeeld/api/v1", "Klantbeeld API", klantbeeld_api.create_app),
    ("/klantinteracties/api/v1", "Klantinteracties API", klantinteracties_api.create_app),
    ("/verwerkingen/api/v1", "Verwerkingenlogging API", verwerkingen_api.create_app),
)
PORTAL = "/mijn"  # MijnGemeente, the citizen portal
KCC = "/kcc"  # the employee viewer


class MijnZaken(FastAPI):
    """The application, with a shortcut for requests under a mounted base path.

    Through Starlette such a request passes the main app's middleware and is matched against
    its route list (a regular expression per mount) before the register's own app sees it,
    work repeated for every request. Here the leading mounts of the route list are matched by
    their prefix and the request goes straight to the mounted app, with the scope a Mount
    gives it (same `path`, `root_path`, `app_root_path`, `path_params`, `router`). Anything
    else (the base path itself, /metrics, the start page, an unknown path, the lifespan) goes
    through the main app as before."""

    _prefixes: tuple[tuple[str, ASGIApp], ...] = ()
    _seen: tuple[list[BaseRoute], int] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self.root_path:
            route_path = get_route_path(scope)
            # a Mount's pattern (`.*` up to `$`) treats a newline apart: leave that to it
            if "\n" not in route_path:
                for prefix, mounted in self._mounted():
                    if route_path.startswith(prefix):
                        # as Starlette.__call__, Router.app and Mount.matches set them
                        root_path = scope.get("root_path", "")
                        scope["app"] = self
                        scope.setdefault("router", self.router)
                        scope["path_params"] = dict(scope.get("path_params", {}))
                        scope["app_root_path"] = scope.get("app_root_path", root_path)
                        scope["root_path"] = root_path + prefix[:-1]
                        scope["endpoint"] = mounted
                        await mounted(scope, receive, send)
                        return
        await super().__call__(scope, receive, send)

    def _mounted(self) -> tuple[tuple[str, ASGIApp], ...]:
        """(prefix with its slash, app) of the mounts at the head of the route list, the
        first ones Starlette would try; none when the main app has middleware of its own
        that such a request would pass. Read again when the route list changed (tests put
        a mount in front)."""
        routes = self.router.routes
        seen = self._seen
        if seen is None or seen[0] is not routes or seen[1] != len(routes):
            prefixes: list[tuple[str, ASGIApp]] = []
            if not self.user_middleware and self.max_body_size is None:
                for route in routes:
                    if not isinstance(route, Mount) or "{" in route.path:
                        break
                    prefixes.append((route.path + "/", route.app))
            self._prefixes = tuple(prefixes)
            self._seen = (routes, len(routes))
        return self._prefixes


def serve_app() -> FastAPI:
    """The application as `mijnzaken serve` runs it: once started, its garbage collector is
    settled for serving (core/heap.py)."""
    return create_app(settle_heap=True)


def create_app(
    settings: Settings | None = None, database: Database | None = None, *, settle_heap: bool = False
) -> FastAPI:
    """Build the application; tests pass their own settings and database."""
    settings = settings or get_settings()
    logs.install()  # no query strings (they may hold a BSN) in the access log
    database = database or Database(settings.database_url, echo=settings.sql_echo)
    # authenticating a request also reads the catalogue's version (a round trip fewer for
    # whatever then uses cached catalogue types: per-zaaktype rights, expand, lists)
    lookup = client_lookup([catalogi_cache.token_side_read()])
    runtime = Runtime(settings=settings, database=database, client_lookup=lookup)
    # onderwerpobjecten check references to local zaken through the Zaken register
    klantinteracties_klantcontact.configure_zaken(zaken_zaak.exists)
    # reads of personal data in Klantinteracties go to the processing log
    klantinteracties_verwerking.on_read(klantinteracties_verwerking.naar_verwerkingenlog)
    # objectinformatieobjecten are checked against their zaak or besluit (drc-004)
    documenten_relaties.configure_bron("zaak", zaken_zio.kent_informatieobject)
    documenten_relaties.configure_bron("besluit", besluiten_bio.kent_informatieobject)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from mijnzaken import achtergrond
        from mijnzaken.verwerkingen import schrijver

        try:
            async with contextlib.AsyncExitStack() as stack:
                # the processing log's writer serves this process's requests; entered first,
                # it stops last: what requests handed over is written before shutdown ends
                await stack.enter_async_context(schrijver.running(database))
                # background work runs where the dispatcher does (not in test apps)
                if settings.dispatcher:
                    await stack.enter_async_context(achtergrond.running(settings, database))
                if settle_heap:
                    heap.settle(settings.gc_gen0_threshold)
                yield
        finally:
            await database.dispose()

    app = MijnZaken(
        title="MijnZaken", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.runtime = runtime
    for path, _title, factory in REGISTERS:
        sub = factory()
        sub.state.runtime = runtime
        app.mount(path, sub)
    demo_burgers = [(bsn, f"{voornaam} {naam}") for bsn, naam, _v, voornaam in BURGERS]
    portal = portal_web.create_app(demo_burgers if settings.demo else ())
    portal.state.runtime = runtime
    app.mount(PORTAL, portal)
    kcc = kcc_web.create_app(demo=settings.demo)
    kcc.state.runtime = runtime
    app.mount(KCC, kcc)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        from mijnzaken.notificaties import delivery
        from mijnzaken.notificaties import metrics as m

        async with database.transaction() as session:
            body = await m.scrape(session, delivery.delivery_queue(settings))
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

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
            f'<p><a href="{PORTAL}/">MijnGemeente, het portaal voor inwoners</a></p>'
            f'<p><a href="{KCC}/">KCC Klantbeeld, voor medewerkers</a></p>'
            f"<ul>{rows}</ul></main></body></html>"
        )

    return app
