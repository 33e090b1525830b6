"""The Klantinteracties API 0.9.0 (Open Klant 2 compatible), mounted at
/klantinteracties/api/v1/, with our extension for channel preferences and address
verification under the same base path (its own document: schema/extensie/openapi.yaml)."""

from __future__ import annotations

from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

from mijnzaken.core.api import register_app
from mijnzaken.klantinteracties.api import (
    actoren,
    actorklantcontacten,
    betrokkenen,
    bijlagen,
    categorieen,
    digitaleadressen,
    internetaken,
    kanaalvoorkeuren,
    klantcontacten,
    maak_klantcontact,
    onderwerpobjecten,
    partij_identificatoren,
    partijen,
    rekeningnummers,
    verificatie,
    vertegenwoordigingen,
)
from mijnzaken.klantinteracties.api import expand as _expand  # noqa: F401  (the grammar)

VERSION = "0.9.0"
EXTENSIE_TITLE = "Klantinteracties API — MijnZaken-extensie: kanaalvoorkeuren en verificatie"
EXTENSIE_DESCRIPTION = (
    "**Extensie van MijnZaken, geen onderdeel van de standaard Klantinteracties API.** "
    "Per partij en per onderwerp (een zaaktype, een categorie, of standaard) het gewenste "
    "kanaal — e-mail, sms, post, Berichtenbox of geen — met de historie van gegeven en "
    "ingetrokken toestemming; en het verifiëren van een digitaal adres met een eenmalige code. "
    "Scopes van component `kic`: `kanaalvoorkeuren.lezen`, `kanaalvoorkeuren.bijwerken`, "
    "`digitaleadressen.verifieren`."
)
EXTENSIE_ROUTERS = (kanaalvoorkeuren.router, verificatie.router)


def create_app() -> FastAPI:
    app = register_app(
        title="Klantinteracties API",
        version=VERSION,
        description="Partijen, hun contactgegevens en de contacten van klanten met de gemeente.",
        routers=[
            partijen.router,
            partij_identificatoren.router,
            digitaleadressen.router,
            rekeningnummers.router,
            vertegenwoordigingen.router,
            categorieen.router,
            categorieen.relaties_router,
            klantcontacten.router,
            betrokkenen.router,
            onderwerpobjecten.router,
            bijlagen.router,
            actoren.router,
            actorklantcontacten.router,
            internetaken.router,
            maak_klantcontact.router,
        ],
    )
    extension = FastAPI()
    for router in EXTENSIE_ROUTERS:
        app.include_router(router, include_in_schema=False)
        extension.include_router(router)
    document: dict[str, Any] = {}

    def extensie_openapi() -> dict[str, Any]:
        if not document:
            document.update(
                get_openapi(
                    title=EXTENSIE_TITLE,
                    version=VERSION,
                    description=EXTENSIE_DESCRIPTION,
                    routes=extension.routes,
                )
            )
            document["x-mijnzaken-extensie"] = True
            document.setdefault("components", {})["securitySchemes"] = {
                "JWT-Claims": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        return document

    @app.get("/schema/extensie/openapi.yaml", include_in_schema=False)
    async def extensie_yaml() -> Response:
        return Response(
            yaml.safe_dump(extensie_openapi(), sort_keys=False, allow_unicode=True),
            media_type="application/vnd.oai.openapi",
        )

    @app.get("/schema/extensie/openapi.json", include_in_schema=False)
    async def extensie_json() -> dict[str, Any]:
        return extensie_openapi()

    return app
