"""The Besluiten API (ZGW Besluiten 1.1.0), mounted at /besluiten/api/v1/."""

from __future__ import annotations

from fastapi import FastAPI

from mijnzaken.besluiten.api import besluiten, besluitinformatieobjecten
from mijnzaken.core import expand
from mijnzaken.core.api import register_app
from mijnzaken.core.expand import OUTSIDE, Link

VERSION = "1.1.0"

# The expand grammar of the Besluiten API (its *Embedded schemas). A document lives in the
# Documenten API, which is not expanded from here.
expand.LINKS.update(
    {
        ("besluiten", "besluiten"): {
            "besluittype": Link(("catalogi", "besluittypen")),
            "zaak": Link(("zaken", "zaken"), omit_empty=True),
        },
        ("besluiten", "besluitinformatieobjecten"): {
            "informatieobject": OUTSIDE,
            "besluit": Link(("besluiten", "besluiten")),
        },
    }
)


def create_app() -> FastAPI:
    return register_app(
        title="Besluiten API",
        version=VERSION,
        api="besluiten",
        description="Besluiten: de beslissingen van een organisatie, met hun documenten.",
        routers=[besluiten.router, besluitinformatieobjecten.router],
    )
