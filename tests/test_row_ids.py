"""The tables that only grow (audit trail, outbox, queues and their attempts, document
versions, zaak identifications, search words) number their rows with 64-bit integers on
PostgreSQL and with SQLite's own 64-bit row ids."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from mijnzaken.all_models import metadata
from mijnzaken.core.db import Database
from mijnzaken.notificaties.models import Delivery, DeliveryAttempt, Notificatie

# (table, column): every row id of these tables and every column that refers to one
ROW_IDS = [
    ("core_audittrail", "id"),
    ("core_outbox", "id"),
    ("notificaties_notificatie", "id"),
    ("notificaties_delivery", "id"),
    ("notificaties_delivery", "notificatie_id"),
    ("notificaties_delivery_attempt", "id"),
    ("notificaties_delivery_attempt", "delivery_id"),
    ("berichten_bericht", "id"),
    ("berichten_verzending", "id"),
    ("berichten_verzending", "bericht_id"),
    ("berichten_poging", "id"),
    ("berichten_poging", "verzending_id"),
    ("documenten_remote_job", "id"),
    ("documenten_remote_poging", "id"),
    ("documenten_remote_poging", "job_id"),
    ("zaken_spiegeling", "id"),
    ("zaken_spiegelpoging", "id"),
    ("zaken_spiegelpoging", "spiegeling_id"),
    ("documenten_versie", "id"),
    ("zaken_zaakidentificatie", "id"),
    ("klantinteracties_partijzoekwoord", "id"),
]
TABLES = sorted({table for table, _ in ROW_IDS})
PAST_32_BITS = 2**31 + 7


def test_the_models_declare_bigint_on_postgresql_and_the_rowid_on_sqlite() -> None:
    for table, column in ROW_IDS:
        kind = metadata.tables[table].c[column].type
        assert kind.compile(dialect=postgresql.dialect()) == "BIGINT", (table, column)
        # only a column declared exactly INTEGER PRIMARY KEY is SQLite's rowid
        assert kind.compile(dialect=sqlite.dialect()) == "INTEGER", (table, column)


def test_every_column_that_refers_to_a_row_id_is_one_too() -> None:
    referring = {
        (fk.parent.table.name, fk.parent.name)
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if (fk.column.table.name, fk.column.name) in ROW_IDS
    }
    assert referring <= set(ROW_IDS), sorted(referring - set(ROW_IDS))


async def test_the_migrated_columns_and_their_sequences_are_64_bit(database: Database) -> None:
    async with database.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            columns = (
                await conn.execute(
                    text(
                        "SELECT table_name, column_name, data_type FROM information_schema.columns"
                        " WHERE table_schema = current_schema() AND table_name = ANY(:tables)"
                    ),
                    {"tables": TABLES},
                )
            ).all()
            sequences = dict(
                (
                    await conn.execute(
                        text(
                            "SELECT sequencename, data_type FROM pg_sequences"
                            " WHERE schemaname = current_schema()"
                        )
                    )
                ).all()
            )
            kinds = {(t, c): kind for t, c, kind in columns}
            assert {key: kinds[key] for key in ROW_IDS} == dict.fromkeys(ROW_IDS, "bigint")
            assert {t: sequences[f"{t}_id_seq"] for t in TABLES} == dict.fromkeys(TABLES, "bigint")
        else:
            for table in TABLES:
                info = (await conn.execute(text(f"PRAGMA table_info({table})"))).all()
                [(kind, pk)] = [(row[2], row[5]) for row in info if row[1] == "id"]
                assert (kind, pk) == ("INTEGER", 1), table


async def test_ids_past_the_32_bit_limit_are_stored_and_referred_to(database: Database) -> None:
    now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    async with database.transaction() as session:
        session.add(
            Notificatie(
                id=PAST_32_BITS, kanaal="zaken", payload={}, received_at=now, source="outbox"
            )
        )
        await session.flush()
        session.add(
            Delivery(
                id=PAST_32_BITS + 1,
                notificatie_id=PAST_32_BITS,
                created_at=now,
                available_at=now,
                park_after=now,
            )
        )
        await session.flush()
        session.add(
            DeliveryAttempt(id=PAST_32_BITS + 2, delivery_id=PAST_32_BITS + 1, attempted_at=now)
        )
    async with database.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT n.id, d.id, a.id FROM notificaties_delivery_attempt a"
                    " JOIN notificaties_delivery d ON d.id = a.delivery_id"
                    " JOIN notificaties_notificatie n ON n.id = d.notificatie_id"
                )
            )
        ).one()
    assert tuple(row) == (PAST_32_BITS, PAST_32_BITS + 1, PAST_32_BITS + 2)
