"""The Documenten API (ZGW Documenten 1.7.0), mounted at /documenten/api/v1/."""

from __future__ import annotations

from fastapi import FastAPI

from mijnzaken.core.api import register_app
from mijnzaken.documenten.api import (
    bestandsdelen,
    gebruiksrechten,
    informatieobjecten,
    objectinformatieobjecten,
    verzendingen,
)

VERSION = "1.7.0"


def create_app() -> FastAPI:
    return register_app(
        title="Documenten API",
        version=VERSION,
        description="Documenten: opslag en ontsluiting van informatieobjecten en hun metadata.",
        routers=[
            informatieobjecten.router,
            bestandsdelen.router,
            gebruiksrechten.router,
            objectinformatieobjecten.router,
            verzendingen.router,
        ],
    )
