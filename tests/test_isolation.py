"""Every test starts on empty tables whose ids start again at 1 (conftest's `_empty_tables`).

The two tests below run in this order: the first leaves rows behind, the second looks for them.
"""

from __future__ import annotations

from sqlalchemy import inspect, text

from mijnzaken.core.db import Database
from tests.conftest import TABLES


async def test_every_migrated_table_is_emptied_between_tests(database: Database) -> None:
    """A table that the migrations create but the models do not know would keep its rows."""
    async with database.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert set(names) - {"alembic_version"} == set(TABLES)


async def test_a_test_leaves_rows_behind(register, database: Database) -> None:
    await register("vuller", "vuller-geheim", alle=True)
    await register("tweede", "tweede-geheim", alle=True)
    async with database.engine.connect() as conn:
        ids = (await conn.execute(text("SELECT id FROM autorisaties_applicatie"))).scalars()
        assert sorted(ids) == [1, 2]


async def test_the_next_test_finds_every_table_empty_and_ids_starting_at_1(
    register, database: Database
) -> None:
    async with database.engine.connect() as conn:
        for name in TABLES:
            count = (await conn.execute(text(f"SELECT count(*) FROM {name}"))).scalar_one()
            assert count == 0, f"{name} kept {count} rows of the previous test"
        if conn.dialect.name == "postgresql":
            # as after TRUNCATE: no pages, so rows are stored in the order they are inserted
            pages = text("SELECT pg_relation_size(:name)")
            for name in TABLES:
                size = (await conn.execute(pages, {"name": name})).scalar_one()
                assert size == 0, f"{name} kept {size} bytes of the previous test"
    await register("derde", "derde-geheim", alle=True)
    async with database.engine.connect() as conn:
        ids = (await conn.execute(text("SELECT id FROM autorisaties_applicatie"))).scalars()
        assert list(ids) == [1]
