"""Fixtures: one migrated database per test run (SQLite, or PostgreSQL when
MIJNZAKEN_TEST_DATABASE_URL names one), emptied after every test; the app over ASGI."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import text

from mijnzaken.all_models import metadata
from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.migrate import upgrade
from mijnzaken.core.settings import Settings

BASE = "http://testserver"
SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"
if not SPECS.is_dir():
    SPECS = Path(os.environ.get("MIJNZAKEN_SPECS_DIR", "../shared/specs")).resolve()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = os.environ.get("MIJNZAKEN_TEST_DATABASE_URL")
    if url:
        upgrade(url)
        yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/test.sqlite3"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, base_url=None, demo=False)


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings.database_url)
    yield db
    await db.dispose()


@pytest.fixture(autouse=True)
async def _empty_tables(database: Database) -> AsyncIterator[None]:
    yield
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app(settings: Settings, database: Database) -> Any:
    return create_app(settings, database)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
        yield c


def make_token(client_id: str, secret: str, **claims: Any) -> str:
    payload = {"client_id": client_id, "iat": int(time.time()), "user_id": "test",
               "user_representation": "Test"}
    payload.update(claims)
    return jwt.encode(payload, secret, algorithm="HS256")


TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture
def register(database: Database) -> Callable[..., Any]:
    """Register a client: its secret and an Applicatie with the given rights."""
    from mijnzaken.autorisaties import service

    async def _register(
        client_id: str = "test-client",
        secret: str = "test-secret",
        *,
        alle: bool = False,
        autorisaties: list[dict[str, Any]] | None = None,
        applicatie: bool = True,
    ) -> dict[str, str]:
        async with database.transaction() as session:
            await service.set_secret(session, client_id, secret)
            if applicatie:
                await service.create(
                    session,
                    {
                        "client_ids": [client_id],
                        "label": client_id,
                        "heeft_alle_autorisaties": alle,
                        "autorisaties": autorisaties or [],
                        "alleen_is_gereed_voor_publicatie": False,
                    },
                )
        return {"Authorization": f"Bearer {make_token(client_id, secret)}"}

    return _register


@pytest.fixture
async def superuser(register: Callable[..., Any]) -> dict[str, str]:
    """Headers of a client with heeftAlleAutorisaties."""
    headers: dict[str, str] = await register("superuser", "superuser-secret", alle=True)
    return headers
