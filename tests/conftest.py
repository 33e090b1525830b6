"""Fixtures: one migrated database per test run (SQLite, or PostgreSQL when
MIJNZAKEN_TEST_DATABASE_URL names one), emptied after every test; the app over ASGI.

Every response the `client` fixture receives from a register is checked against the official
OpenAPI document of that register (tests/contract/spec.py), so every black-box test is also a
contract test.
"""

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
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.federatie.catalogi import CATALOGI
from mijnzaken.verwerkingen import schrijver
from tests.contract.spec import CORRECTED, Checker, Exchange, specs_dir
from tests.oidc_provider import Provider, running_provider

BASE = "http://testserver"
SPECS: Path = specs_dir()
SPECS_MISSING = (
    None
    if SPECS.is_dir()
    else f"contract validation OFF: specs folder {SPECS} not found "
    "(set MIJNZAKEN_SPECS_DIR to the shared/specs folder)"
)
# One per session: the loaded specs are cached in tests/contract/spec.py, the findings here.
CONTRACT = Checker()


def pytest_report_header(config: pytest.Config) -> str:
    return SPECS_MISSING or f"contract validation: every register response checked against {SPECS}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SPECS_MISSING:
        terminalreporter.write_sep("=", "contract validation skipped", yellow=True)
        terminalreporter.write_line(SPECS_MISSING)
        return
    if CORRECTED:
        terminalreporter.write_sep("=", "corrections to referenced spec documents (errata)")
        for line in CORRECTED:
            terminalreporter.write_line(line)
    if not CONTRACT.findings:
        return
    terminalreporter.write_sep("=", "contract findings (allowed, but not documented by the spec)")
    counts: dict[tuple[str, str, int, str], int] = {}
    for f in CONTRACT.findings:
        key = (f.register, f.operation, f.status, f.note)
        counts[key] = counts.get(key, 0) + 1
    for (register, operation, status, note), n in sorted(counts.items()):
        terminalreporter.write_line(f"{register}: {operation} -> {status}: {note} ({n}x)")


async def _check_contract(response: httpx.Response) -> None:
    """httpx response hook: raise ContractViolation when the spec does not allow `response`."""
    await response.aread()
    request = response.request
    CONTRACT.check(
        Exchange(
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            headers=response.headers,
            body=response.content,
            request_headers=request.headers,
        )
    )


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
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # no dispatcher in the background of test apps (schemathesis runs their lifespan):
    # the Notificaties tests drive one step by step. Document content goes to a temporary
    # directory of this run. The remote Verzoeken and Contactmomenten APIs the zaken tests
    # link to are configured (zrc-024/025 refuse a link to an unknown register); no runner
    # calls them here, tests/zaken/test_spiegels.py does that against a real listener.
    return Settings(
        database_url=database_url,
        base_url=None,
        demo=False,
        dispatcher=False,
        documenten_map=str(tmp_path_factory.mktemp("documenten")),
        remote_services=[
            RemoteService(api_root=root, client_id="mijnzaken", secret="elders-geheim")
            for root in (
                "https://verzoeken.elders.nl/api/v1/",
                "https://klantinteracties.elders.nl/api/v1/",
                "https://klanten.example.nl/contactmomenten/api/v1/",
                "https://klanten.example.nl/verzoeken/api/v1/",
            )
        ],
    )


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings.database_url)
    yield db
    await db.dispose()


@pytest.fixture(autouse=True)
def _cold_catalogi_cache() -> None:
    """Each test starts without remote catalogue answers of another (its listener may answer
    the same URL with another body)."""
    CATALOGI.clear()


# Children before parents, so that deleting them one by one never breaks a foreign key.
TABLES = [t.name for t in reversed(metadata.sorted_tables)]
# A test writes to a handful of the tables: one query names them. On SQLite those that hold
# rows; on PostgreSQL those whose heap is not empty, which includes the tables that held rows
# only for a while (deleted, or inserted by a transaction that was rolled back).
_WRITTEN_TABLES = {
    "sqlite": text(
        " UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in TABLES
        )
    ),
    "postgresql": text(
        "SELECT relname FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = current_schema()::regnamespace AND relname <> 'alembic_version' "
        "AND pg_relation_size(oid) > 0"
    ),
}
# Every sequence that has handed out an id starts again, so ids do not depend on earlier tests.
_RESTART_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
    "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


@pytest.fixture(autouse=True)
async def _empty_tables(database: Database) -> AsyncIterator[None]:
    """Empty the tables a test wrote to, after it.

    Not TRUNCATE: on PostgreSQL that gives every table, index and TOAST table new files, about
    a second per test for all tables, which made the PostgreSQL run twice as long as SQLite's.
    A DELETE of the few written tables takes milliseconds. On PostgreSQL a VACUUM then hands
    their pages back, so that the next test stores its rows from the first page on, in the
    order it inserts them, as in a truncated table: some tests read rows in that order.
    """
    yield
    async with database.engine.begin() as conn:
        dialect = conn.dialect.name
        written = set((await conn.execute(_WRITTEN_TABLES[dialect])).scalars())
        for name in TABLES:
            if name in written:
                await conn.execute(text(f"DELETE FROM {name}"))
        if dialect == "postgresql":
            await conn.execute(_RESTART_SEQUENCES)
    if dialect == "postgresql" and written:
        async with database.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text(f"VACUUM {', '.join(sorted(written))}"))


def contract_hooks() -> dict[str, list[Any]]:
    """The httpx event hooks that check every response against the spec (none without specs)."""
    return {"response": [_check_contract]} if SPECS_MISSING is None else {}


@pytest.fixture
def app(settings: Settings, database: Database) -> Any:
    return create_app(settings, database)


@pytest.fixture
async def client(app: Any, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    # the ASGI transport runs no lifespan: the processing log's writer, which the app's
    # lifespan starts, runs here, so reads are logged as in a serving process
    transport = httpx.ASGITransport(app=app)
    async with (
        schrijver.running(database),
        httpx.AsyncClient(transport=transport, base_url=BASE, event_hooks=contract_hooks()) as c,
    ):
        yield c


def make_token(client_id: str, secret: str, **claims: Any) -> str:
    payload = {
        "client_id": client_id,
        "iat": int(time.time()),
        "user_id": "test",
        "user_representation": "Test",
    }
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


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """A real OpenID Connect provider process (oidc-provider-mock) for the whole run."""
    with running_provider() as provider:
        yield provider
