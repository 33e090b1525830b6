"""The demo data: loaded through the APIs, complete, idempotent, no loader client left behind."""

from __future__ import annotations

from sqlalchemy import func, select

from mijnzaken.autorisaties.models import JWTSecret
from mijnzaken.catalogi.models import ZaakType
from mijnzaken.core.settings import Settings
from mijnzaken.demo import DEMO_CLIENT_ID, ZAAKTYPEN, load


async def test_demo_load_is_complete_and_idempotent(database, settings):
    demo = Settings(database_url=settings.database_url, demo=True)
    assert await load(demo, database) is True
    assert await load(demo, database) is False
    async with database.transaction() as session:
        published = (
            await session.execute(select(func.count()).where(ZaakType.concept.is_(False)))
        ).scalar_one()
        clients = list((await session.execute(select(JWTSecret.client_id))).scalars())
    assert published == len(ZAAKTYPEN)
    assert clients == [DEMO_CLIENT_ID]


async def test_without_demo_mode_no_demo_client_is_created(database, settings):
    assert await load(Settings(database_url=settings.database_url, demo=False), database) is True
    async with database.transaction() as session:
        assert (await session.execute(select(JWTSecret))).first() is None
