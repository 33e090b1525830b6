"""The demo municipality that `make run` loads: a catalogue and a demo API client."""

from __future__ import annotations

from sqlalchemy import select

from mijnzaken.autorisaties import service as autorisaties
from mijnzaken.catalogi.models import Catalogus
from mijnzaken.catalogi.services import catalogus as catalogi
from mijnzaken.core.db import Database
from mijnzaken.core.settings import get_settings

DEMO_RSIN = "002220647"  # a valid RSIN (eleven-test) for the demo municipality
DEMO_CLIENT_ID = "mijnzaken-demo"
DEMO_SECRET = "mijnzaken-demo-geheim"


async def load() -> bool:
    """Load the demo data; False when it was there already."""
    settings = get_settings()
    database = Database(settings.database_url)
    try:
        async with database.transaction() as session:
            existing = (
                await session.execute(select(Catalogus.id).where(Catalogus.rsin == DEMO_RSIN))
            ).first()
            if existing is not None:
                return False
            await catalogi.create(
                session,
                {
                    "domein": "DEMO",
                    "rsin": DEMO_RSIN,
                    "contactpersoon_beheer_naam": "Team Zaakgericht Werken",
                    "contactpersoon_beheer_emailadres": "zgw@demogemeente.nl",
                    "naam": "Zaaktypecatalogus Demogemeente",
                    "versie": "1",
                },
            )
            if settings.demo:
                await autorisaties.ensure_applicatie(
                    session, DEMO_CLIENT_ID, DEMO_SECRET, "Demo-applicatie", True
                )
        return True
    finally:
        await database.dispose()
