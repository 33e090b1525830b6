"""The migrations build the schema from nothing, and that schema is exactly the models'."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from mijnzaken.all_models import metadata
from mijnzaken.core.db import create_engine
from mijnzaken.core.migrate import alembic_config, upgrade
from mijnzaken.verwerkingen import service
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject
from tests.test_row_ids import ROW_IDS

# the tables whose row ids migration 0025 widened, and those of 0026
WIDENED_0026 = {"documenten_versie", "zaken_zaakidentificatie", "klantinteracties_partijzoekwoord"}
WIDENED_0025 = {table for table, _ in ROW_IDS} - WIDENED_0026


async def _admin(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the server the test run uses; dropped afterwards."""
    session_url = os.environ.get("MIJNZAKEN_TEST_DATABASE_URL")
    if not session_url or make_url(session_url).get_backend_name() == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/migrations.sqlite3"
        return
    url = make_url(session_url)
    name = f"{url.database}_migrations_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(session_url, f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(session_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def _compare(url: str) -> tuple[list[str], list[Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: sorted(c.dialect.get_table_names(c)))
            return tables, await conn.run_sync(_differences)
    finally:
        await engine.dispose()


def test_upgrade_head_from_empty_database_matches_the_models(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    tables, differences = asyncio.run(_compare(empty_database_url))
    assert set(metadata.tables) <= set(tables), (
        f"tables missing after upgrade: {sorted(set(metadata.tables) - set(tables))}"
    )
    assert "alembic_version" in tables
    assert not differences, "models and migrations differ (write a migration):\n" + "\n".join(
        f"  {d}" for d in differences
    )


async def _counter_column(url: str, statement: str | None = None) -> tuple[str, int]:
    """The type of zaken_zaaknummer_teller.laatste as the database reports it, and the
    counter's value, after running `statement`."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if statement:
                await conn.execute(text(statement))
            columns = await conn.run_sync(
                lambda c: c.dialect.get_columns(c, "zaken_zaaknummer_teller")
            )
            laatste = (
                await conn.execute(text("SELECT laatste FROM zaken_zaaknummer_teller"))
            ).scalar_one()
    finally:
        await engine.dispose()
    [kind] = [str(c["type"]) for c in columns if c["name"] == "laatste"]
    return kind, laatste


def test_0021_counters_hold_numbers_past_the_32_bit_limit_and_go_back(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url, "0020")
    asyncio.run(
        _counter_column(
            empty_database_url,
            "INSERT INTO zaken_zaaknummer_teller (bronorganisatie, prefix, laatste) "
            "VALUES ('002220647', 'ZAAK-2024-', 2147483000)",
        )
    )
    upgrade(empty_database_url, "0021")
    kind, laatste = asyncio.run(
        _counter_column(
            empty_database_url, "UPDATE zaken_zaaknummer_teller SET laatste = laatste + 1000"
        )
    )
    assert (kind, laatste) == ("BIGINT", 2147484000)
    # back, with a value that fits again: the column is a 32-bit INTEGER once more
    asyncio.run(
        _counter_column(empty_database_url, "UPDATE zaken_zaaknummer_teller SET laatste = 7")
    )
    command.downgrade(alembic_config(empty_database_url), "0020")
    assert asyncio.run(_counter_column(empty_database_url)) == ("INTEGER", 7)


async def _identificatie_index(url: str) -> tuple[str, bool]:
    """The index on the documents' (bronorganisatie, identificatie): its name and whether it
    is unique."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            indexes = await conn.run_sync(
                lambda c: c.dialect.get_indexes(c, "documenten_informatieobject")
            )
    finally:
        await engine.dispose()
    [index] = [i for i in indexes if i["column_names"] == ["bronorganisatie", "identificatie"]]
    return index["name"], bool(index["unique"])


def test_0022_document_identificatie_unique_and_back(empty_database_url: str) -> None:
    upgrade(empty_database_url, "0021")
    assert asyncio.run(_identificatie_index(empty_database_url)) == (
        "ix_documenten_io_bron_identificatie",
        False,
    )
    upgrade(empty_database_url, "0022")
    assert asyncio.run(_identificatie_index(empty_database_url)) == (
        "uq_documenten_io_bron_identificatie",
        True,
    )
    command.downgrade(alembic_config(empty_database_url), "0021")
    assert asyncio.run(_identificatie_index(empty_database_url)) == (
        "ix_documenten_io_bron_identificatie",
        False,
    )


async def _processing_log_ids(url: str) -> tuple[str, str, str | None]:
    """The types of the processing log's row id and of the column that refers to it, and
    (PostgreSQL) the type of the sequence that hands the ids out."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            acties = await conn.run_sync(
                lambda c: c.dialect.get_columns(c, "verwerkingen_verwerkingsactie")
            )
            objecten = await conn.run_sync(
                lambda c: c.dialect.get_columns(c, "verwerkingen_verwerktobject")
            )
            sequence = None
            if conn.dialect.name == "postgresql":
                sequence = (
                    await conn.execute(
                        text(
                            "SELECT data_type FROM pg_sequences "
                            "WHERE sequencename = 'verwerkingen_verwerkingsactie_id_seq'"
                        )
                    )
                ).scalar_one()
    finally:
        await engine.dispose()
    [actie] = [str(c["type"]) for c in acties if c["name"] == "id"]
    [verwijzing] = [str(c["type"]) for c in objecten if c["name"] == "actie_versie_id"]
    return actie, verwijzing, sequence


def test_0023_processing_log_ids_are_64_bit_on_postgresql_and_go_back(
    empty_database_url: str,
) -> None:
    postgresql = make_url(empty_database_url).get_backend_name() == "postgresql"
    old = ("INTEGER", "INTEGER", "integer" if postgresql else None)
    upgrade(empty_database_url, "0022")
    assert asyncio.run(_processing_log_ids(empty_database_url)) == old
    upgrade(empty_database_url, "0023")
    new = ("BIGINT", "BIGINT", "bigint") if postgresql else old  # SQLite's are 64-bit anyway
    assert asyncio.run(_processing_log_ids(empty_database_url)) == new
    command.downgrade(alembic_config(empty_database_url), "0022")
    assert asyncio.run(_processing_log_ids(empty_database_url)) == old


async def _run(url: str, *statements: str) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            result: list[Any] = []
            for statement in statements:
                found = await conn.execute(text(statement))
                result = list(found.all()) if found.returns_rows else []
            return result
    finally:
        await engine.dispose()


def test_the_search_words_of_existing_partijen_are_filled_in_and_removed_again(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url, "0023")
    asyncio.run(
        _run(
            empty_database_url,
            "INSERT INTO klantinteracties_partij (uuid, nummer, interne_notitie, soort_partij,"
            " voorkeurstaal, indicatie_actief, contactnaam, naam) VALUES"
            " ('0d2b1c1e-9f7a-4c55-9a4e-5d2e8f3b6a11', '0000000001', '', 'persoon', 'nld', true,"
            ' \'{"voornaam": "Émile", "voorvoegselAchternaam": "de", "achternaam": "Ölçer"}\','
            " ''),"
            " ('6a1f0b8e-2d4c-4e7b-8f3a-9c5d1e2b7f22', '0000000002', '', 'organisatie', 'nld',"
            " true, NULL, 'Straße en Zoon B.V.'),"
            " ('8b3e2c4d-1a5f-4b6e-9d7c-0e1f2a3b4c33', '0000000003', '', 'persoon', 'nld', true,"
            " NULL, '')",
        )
    )
    upgrade(empty_database_url)
    rows = asyncio.run(
        _run(
            empty_database_url,
            "SELECT p.nummer, w.woord FROM klantinteracties_partijzoekwoord w"
            " JOIN klantinteracties_partij p ON p.id = w.partij_id ORDER BY p.nummer, w.woord",
        )
    )
    assert [tuple(r) for r in rows] == [
        ("0000000001", "de"),
        ("0000000001", "emile"),
        ("0000000001", "olcer"),
        ("0000000002", "b"),
        ("0000000002", "en"),
        ("0000000002", "strasse"),
        ("0000000002", "v"),
        ("0000000002", "zoon"),
    ]
    command.downgrade(alembic_config(empty_database_url), "0023")
    tables = asyncio.run(_compare(empty_database_url))[0]
    assert "klantinteracties_partijzoekwoord" not in tables
    assert "klantinteracties_partij" in tables


async def _row_id_types(url: str, tables: set[str]) -> tuple[set[str], set[str]]:
    """The types of the row ids (and the columns that refer to them) of `tables`, and
    (PostgreSQL) of the sequences that hand those ids out."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            kinds: set[str] = set()
            for table in sorted(tables):
                columns = await conn.run_sync(lambda c, t=table: c.dialect.get_columns(c, t))
                kinds |= {str(c["type"]) for c in columns if (table, c["name"]) in ROW_IDS}
            sequences: set[str] = set()
            if conn.dialect.name == "postgresql":
                sequences = set(
                    (
                        await conn.execute(
                            text(
                                "SELECT data_type FROM pg_sequences"
                                " WHERE sequencename = ANY(:names)"
                            ),
                            {"names": [f"{t}_id_seq" for t in tables]},
                        )
                    ).scalars()
                )
    finally:
        await engine.dispose()
    return kinds, sequences


def test_0025_queue_and_log_row_ids_are_64_bit_on_postgresql_and_go_back(
    empty_database_url: str,
) -> None:
    postgresql = make_url(empty_database_url).get_backend_name() == "postgresql"
    old = ({"INTEGER"}, {"integer"} if postgresql else set())
    upgrade(empty_database_url, "0024")
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0025)) == old
    upgrade(empty_database_url, "0025")
    new = ({"BIGINT"}, {"bigint"}) if postgresql else old  # SQLite's are 64-bit anyway
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0025)) == new
    command.downgrade(alembic_config(empty_database_url), "0024")
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0025)) == old


def test_0026_version_identification_and_search_word_ids_are_64_bit_and_go_back(
    empty_database_url: str,
) -> None:
    postgresql = make_url(empty_database_url).get_backend_name() == "postgresql"
    old = ({"INTEGER"}, {"integer"} if postgresql else set())
    upgrade(empty_database_url, "0025")
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0026)) == old
    upgrade(empty_database_url, "0026")
    new = ({"BIGINT"}, {"bigint"}) if postgresql else old  # SQLite's are 64-bit anyway
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0026)) == new
    command.downgrade(alembic_config(empty_database_url), "0025")
    assert asyncio.run(_row_id_types(empty_database_url, WIDENED_0026)) == old


async def _log_before_0027(url: str) -> None:
    """Two processing-log entries as the schema of 0026 holds them: one naming two data
    subjects, one naming one, on different moments."""
    actie_table = Verwerkingsactie.__table__
    object_table = sa.table(
        "verwerkingen_verwerktobject",
        *(sa.column(c.name, c.type) for c in VerwerktObject.__table__.c if c.name != "tijdstip"),
    )
    entries = [
        service.entry(
            activiteit="dossier inzien",
            betrokkenen=[service.Betrokkene("BSN", bsn) for bsn in bsns],
            systeem="zaaksysteem",
            tijdstip=dt.datetime(2024, 3, day, 12, 30, 15, 250000, tzinfo=dt.UTC),
        )
        for day, bsns in [(1, ["999993653", "999990019"]), (2, ["999993653"])]
    ]
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for made in entries:
                assert made is not None
                values, objecten = made
                row_id = (
                    await conn.execute(
                        sa.insert(actie_table)
                        .values(**values, actueel=True)
                        .returning(actie_table.c.id)
                    )
                ).scalar_one()
                for o in objecten:
                    await conn.execute(sa.insert(object_table).values(**o, actie_versie_id=row_id))
    finally:
        await engine.dispose()


async def _objecten_schema(url: str) -> tuple[dict[str, bool], dict[str, list[str]]]:
    """The columns of the verwerkte objecten (name: nullable) and their indexes (name:
    columns)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: c.dialect.get_columns(c, "verwerkingen_verwerktobject")
            )
            indexes = await conn.run_sync(
                lambda c: c.dialect.get_indexes(c, "verwerkingen_verwerktobject")
            )
    finally:
        await engine.dispose()
    return (
        {c["name"]: bool(c["nullable"]) for c in columns},
        {str(i["name"]): list(i["column_names"]) for i in indexes},
    )


def test_0027_objects_get_their_actie_versions_moment_and_lose_it_again(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url, "0026")
    asyncio.run(_log_before_0027(empty_database_url))
    columns, indexes = asyncio.run(_objecten_schema(empty_database_url))
    assert "tijdstip" not in columns
    assert indexes["ix_verwerkingen_verwerktobject_betrokkene"] == ["soort_object_id", "object_id"]

    upgrade(empty_database_url, "0027")
    columns, indexes = asyncio.run(_objecten_schema(empty_database_url))
    assert columns["tijdstip"] is False  # NOT NULL: every object has its moment
    assert "ix_verwerkingen_verwerktobject_betrokkene" not in indexes
    assert indexes["ix_verwerkingen_verwerktobject_betrokkene_tijdstip"] == [
        "soort_object_id",
        "object_id",
        "tijdstip",
        "actie_versie_id",
    ]
    # each object holds exactly its own actie's moment, as the database compares them
    rows = asyncio.run(
        _run(
            empty_database_url,
            "SELECT o.object_id, a.versie FROM verwerkingen_verwerktobject o"
            " JOIN verwerkingen_verwerkingsactie a ON a.id = o.actie_versie_id"
            " WHERE o.tijdstip = a.tijdstip ORDER BY a.tijdstip, o.volgorde",
        )
    )
    assert [r[0] for r in rows] == ["999993653", "999990019", "999993653"]

    command.downgrade(alembic_config(empty_database_url), "0026")
    columns, indexes = asyncio.run(_objecten_schema(empty_database_url))
    assert "tijdstip" not in columns
    assert "ix_verwerkingen_verwerktobject_betrokkene_tijdstip" not in indexes
    assert indexes["ix_verwerkingen_verwerktobject_betrokkene"] == ["soort_object_id", "object_id"]
    count = asyncio.run(
        _run(empty_database_url, "SELECT count(*) FROM verwerkingen_verwerktobject")
    )
    assert count[0][0] == 3


def _index_definition(url: str, name: str) -> str | None:
    """The index's definition as the database keeps it, or None when there is none."""
    if make_url(url).get_backend_name() == "sqlite":
        sql = f"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{name}'"
    else:
        sql = f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'"
    rows = asyncio.run(_run(url, sql))
    return rows[0][0] if rows else None


def test_0028_indexes_the_unsealed_processing_log_entries_and_goes_back(
    empty_database_url: str,
) -> None:
    name = "ix_verwerkingen_verwerkingsactie_onverzegeld"
    upgrade(empty_database_url, "0027")
    assert _index_definition(empty_database_url, name) is None
    upgrade(empty_database_url, "0028")
    definition = _index_definition(empty_database_url, name)
    assert definition is not None
    # only the rows without a place in the chain, in id order
    assert "(id)" in definition.replace('"', "")
    assert "volgnummer IS NULL" in definition
    command.downgrade(alembic_config(empty_database_url), "0027")
    assert _index_definition(empty_database_url, name) is None
