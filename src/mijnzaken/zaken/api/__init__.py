"""The Zaken API (ZGW Zaken 1.7.0), mounted at /zaken/api/v1/."""

from __future__ import annotations

from fastapi import FastAPI

from mijnzaken.core.api import register_app
from mijnzaken.zaken.api import (
    klantcontacten,
    resultaten,
    rollen,
    statussen,
    zaakbesluiten,
    zaakcontactmomenten,
    zaakeigenschappen,
    zaakinformatieobjecten,
    zaaknotities,
    zaakobjecten,
    zaakverzoeken,
    zaken,
)

VERSION = "1.7.0"


def create_app() -> FastAPI:
    return register_app(
        title="Zaken API",
        version=VERSION,
        api="zaken",
        description="Zaken: verzoeken van burgers en bedrijven, met status, rollen en documenten.",
        routers=[
            zaken.router,
            statussen.router,
            resultaten.router,
            rollen.router,
            zaakobjecten.router,
            zaakinformatieobjecten.router,
            zaakeigenschappen.router,
            zaakbesluiten.router,
            zaakcontactmomenten.router,
            zaakverzoeken.router,
            zaaknotities.router,
            klantcontacten.router,
        ],
    )
