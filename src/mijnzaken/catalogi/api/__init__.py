"""The Catalogi API (ZGW Catalogi 1.3.3), mounted at /catalogi/api/v1/."""

from __future__ import annotations

from fastapi import FastAPI

from mijnzaken.catalogi.api import (
    besluittypen,
    catalogussen,
    eigenschappen,
    informatieobjecttypen,
    resultaattypen,
    roltypen,
    statustypen,
    zaakobjecttypen,
    zaaktype_informatieobjecttypen,
    zaaktypen,
)
from mijnzaken.catalogi.api import expand as _expand  # noqa: F401 - registers expand loaders
from mijnzaken.core.api import register_app

VERSION = "1.3.3"


def create_app() -> FastAPI:
    return register_app(
        title="Catalogi API",
        version=VERSION,
        description="Zaaktypecatalogus: de typen van zaken, documenten en besluiten.",
        routers=[
            catalogussen.router,
            zaaktypen.router,
            statustypen.router,
            roltypen.router,
            resultaattypen.router,
            eigenschappen.router,
            zaakobjecttypen.router,
            zaaktype_informatieobjecttypen.router,
            informatieobjecttypen.router,
            besluittypen.router,
        ],
    )
