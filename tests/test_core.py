"""Tests of the shared layer: the unit of work, error rendering, validators."""

from __future__ import annotations

import asyncio
import gc
import os
import uuid

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.app import create_app
from mijnzaken.core.db import Database, json_dumps
from mijnzaken.core.validators import elfproef

CATALOGUS = {
    "domein": "ABC",
    "rsin": "002220647",
    "contactpersoonBeheerNaam": "Beheer",
}


async def test_failed_commit_answers_409_not_201(client, superuser, monkeypatch):
    """The commit runs before the response is sent: a failing commit is never reported as
    success, and nothing is stored."""
    original = AsyncSession.commit

    async def failing_commit(self: AsyncSession) -> None:
        raise IntegrityError("INSERT", {}, Exception("race"))

    monkeypatch.setattr(AsyncSession, "commit", failing_commit)
    resp = await client.post("/catalogi/api/v1/catalogussen", json=CATALOGUS, headers=superuser)
    assert resp.status_code == 409, resp.text
    assert resp.json()["code"] == "conflict"
    monkeypatch.setattr(AsyncSession, "commit", original)
    listed = await client.get("/catalogi/api/v1/catalogussen", headers=superuser)
    assert listed.json()["count"] == 0


async def test_malformed_json_is_400_parse_error(client, superuser):
    resp = await client.post(
        "/catalogi/api/v1/catalogussen",
        content=b'{"domein": ',
        headers={**superuser, "Content-Type": "application/json"},
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "parse_error"


async def test_nul_character_is_400_not_500(client, superuser):
    body = {**CATALOGUS, "domein": "A\x00B"}
    resp = await client.post("/catalogi/api/v1/catalogussen", json=body, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "null_characters_not_allowed"


async def test_path_that_is_not_a_uuid_is_404(client, superuser):
    resp = await client.get("/catalogi/api/v1/catalogussen/niet-een-uuid", headers=superuser)
    assert resp.status_code == 404


async def test_invalid_rsin_names_the_field(client, superuser):
    body = {**CATALOGUS, "rsin": "123456789"}
    resp = await client.post("/catalogi/api/v1/catalogussen", json=body, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"] == [
        {"name": "rsin", "code": "invalid", "reason": resp.json()["invalidParams"][0]["reason"]}
    ]


@pytest.mark.parametrize(
    ("number", "bsn", "ok"),
    [
        ("111222333", True, True),
        ("123456782", True, True),
        ("123456789", True, False),
        ("000000000", True, False),
        ("12345678", True, False),
        ("002220647", False, True),
    ],
)
def test_elfproef(number, bsn, ok):
    assert elfproef(number, bsn=bsn) is ok


def test_json_dumps_writes_compact_json_and_keeps_integers_beyond_64_bits():
    # what the engine writes into JSON columns, and what the notificaties' one-statement
    # routing binds as text: compact, unescaped, and a client's very large integer kept whole
    assert json_dumps({"a": "é", "n": [1, None]}) == '{"a":"é","n":[1,null]}'
    assert json_dumps({"n": 2**70, "a": "é"}) == '{"n": 1180591620717411303424, "a": "é"}'


@pytest.mark.parametrize("length", [3, 600, 40_000])
async def test_among_takes_any_number_of_values(database, length):
    """`among` works for short lists and for more values than SQLite allows parameters."""
    from sqlalchemy import func, select

    from mijnzaken.autorisaties.models import Applicatie
    from mijnzaken.core.db import among

    async with database.transaction() as session:
        for n in range(2):
            session.add(Applicatie(uuid=uuid.uuid4(), label=f"app {n}"))
        await session.flush()
        ids = list((await session.execute(select(Applicatie.id))).scalars())
        wanted = [ids[0], *range(10**6, 10**6 + length - 1)]
        count = await session.scalar(
            select(func.count())
            .select_from(Applicatie)
            .where(among(session, Applicatie.id, wanted))
        )
        assert count == 1


async def test_database_errors_and_sql_echo_do_not_carry_parameters(settings, caplog):
    """A failing statement's error text and the SQL echo name no parameter values: a BSN in a
    query must not reach a log line or an error report."""
    import logging

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from mijnzaken.core.db import Database

    bsn = "999993653"
    db = Database(settings.database_url, echo=True)
    try:
        with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
            async with db.engine.connect() as conn:
                await conn.execute(text("SELECT :bsn AS b"), {"bsn": bsn})
                with pytest.raises(DBAPIError) as failure:
                    await conn.execute(
                        text("SELECT * FROM no_such_table WHERE x = :bsn"), {"bsn": bsn}
                    )
        assert (
            "SELECT :bsn AS b" in caplog.text
            or "SELECT $1" in caplog.text
            or "SELECT ?" in caplog.text
        )
        assert bsn not in caplog.text
        assert bsn not in str(failure.value)
    finally:
        await db.dispose()


def test_a_bad_setting_is_reported_without_its_value(monkeypatch):
    """A mistyped setting stops start-up with the setting's name, never its value: the value
    may be a secret."""
    from pydantic import ValidationError

    from mijnzaken.core.settings import Settings

    monkeypatch.setenv(
        "MIJNZAKEN_REMOTE_SERVICES",
        '[{"api_root": "https://drc.example.nl/api/v1/", "client_id": "a",'
        ' "secrett": "s3cr3t-value"}]',
    )
    with pytest.raises(ValidationError) as failure:
        Settings()
    assert "remote_services.0.secrett" in str(failure.value)
    assert "s3cr3t-value" not in str(failure.value)


async def test_an_idle_connection_cut_by_the_database_is_replaced_not_failed(settings):
    """A pooled PostgreSQL connection that the server closed while it sat idle (a restart, a
    firewall) is noticed at checkout and replaced: the request gets an answer, not an error.
    Connections in steady use are not pinged (no extra round trips per request)."""
    from sqlalchemy import text

    from mijnzaken.core.db import create_engine

    if not settings.database_url.startswith("postgresql"):
        pytest.skip("the idle ping is for PostgreSQL; SQLite has no server to lose")
    engine = create_engine(settings.database_url, idle_after=0.2)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as conn:  # used moments ago: the same connection, no ping
            assert await conn.scalar(text("SELECT pg_backend_pid()")) == pid
        killer = create_engine(settings.database_url)
        try:
            async with killer.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        finally:
            await killer.dispose()
        await asyncio.sleep(0.3)
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT 1")) == 1
            assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await engine.dispose()


async def test_an_engine_keeps_its_connections_between_busy_moments(tmp_path):
    """Sixteen requests at once, then sixteen again: the second round reuses the first
    round's connections instead of opening new ones (SQLAlchemy's default pool kept five;
    ours kept ten on PostgreSQL). On the test suite's database: a SQLite file, or the
    PostgreSQL server of the PostgreSQL run."""
    from sqlalchemy import event, text

    from mijnzaken.core.db import create_engine

    url = os.environ.get("MIJNZAKEN_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        url = f"sqlite+aiosqlite:///{tmp_path / 'pool.sqlite3'}"
    engine = create_engine(url)
    opened: list[int] = []
    event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))
    gate = asyncio.Event()
    holding: list[int] = []

    async def request() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            holding.append(1)
            await gate.wait()  # all sixteen hold their connection at the same time

    try:
        for _round in range(2):
            gate.clear()
            holding.clear()
            tasks = [asyncio.create_task(request()) for _ in range(16)]
            async with asyncio.timeout(30):
                while len(holding) < 16:
                    await asyncio.sleep(0.01)
            gate.set()
            await asyncio.gather(*tasks)
        assert len(opened) == 16
    finally:
        await engine.dispose()


def test_ms_since_counts_whole_milliseconds_from_started():
    """The one latency timer of the outbound client and the job queues."""
    from mijnzaken.core import clock

    started = clock.started()
    assert clock.ms_since(started) < 1000
    assert 1490 <= clock.ms_since(started - 1.5) <= 2500
    assert isinstance(clock.ms_since(started), int)


@pytest.mark.parametrize("settle", [True, False], ids=["served", "test app"])
async def test_only_the_served_app_settles_the_garbage_collector(settings, settle):
    """`mijnzaken serve`'s app, once started, freezes what start-up made and collects the
    young generation after MIJNZAKEN_GC_GEN0_THRESHOLD allocations; other apps leave the
    collector as it is."""
    threshold = gc.get_threshold()
    database = Database(settings.database_url)
    served = settings.model_copy(update={"gc_gen0_threshold": 4321})
    app = create_app(served, database, settle_heap=settle)
    try:
        async with app.router.lifespan_context(app):
            if settle:
                assert gc.get_threshold()[0] == 4321
                assert gc.get_freeze_count() > 100_000
            else:
                assert gc.get_threshold() == threshold
                assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
