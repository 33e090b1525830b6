"""The Notificaties API (ZGW Notificaties 1.0.1), mounted at /notificaties/api/v1/, with the
beheer extension under /notificaties/api/v1/beheer/ (not part of the standard)."""

from __future__ import annotations

from fastapi import FastAPI

from mijnzaken.core.api import register_app
from mijnzaken.notificaties.api import abonnementen, beheer, kanalen, notificaties

VERSION = "1.0.1"


def create_app() -> FastAPI:
    return register_app(
        title="Notificaties API",
        version=VERSION,
        description=(
            "Kanalen, abonnementen en het routeren van notificaties, met duurzame aflevering "
            "(opnieuw proberen met backoff, parkeren en opnieuw aanbieden). De paden onder "
            "/beheer/ zijn een extensie van MijnZaken en geen onderdeel van de standaard."
        ),
        routers=[kanalen.router, abonnementen.router, notificaties.router, beheer.router],
    )
