"""The row ids of the tables that only grow as 64-bit integers: the audit trail, the outbox,
the notificaties with their deliveries and delivery attempts, the berichten with their jobs
and attempts, and the jobs and attempts that mirror relations in remote registers. A busy
register writes more rows to them than the 2,147,483,647 a PostgreSQL SERIAL hands out.
SQLite's row ids are 64-bit already: nothing changes there.

Each table is altered in one statement (its id and the column that refers to another's id),
so PostgreSQL rewrites it once; it holds an exclusive lock on the table while it does.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# each table with its id and the columns that refer to a row id of another of these tables;
# the ids are handed out by the sequence `<table>_id_seq` (SERIAL)
TABLES: list[tuple[str, list[str]]] = [
    ("core_audittrail", ["id"]),
    ("core_outbox", ["id"]),
    ("notificaties_notificatie", ["id"]),
    ("notificaties_delivery", ["id", "notificatie_id"]),
    ("notificaties_delivery_attempt", ["id", "delivery_id"]),
    ("berichten_bericht", ["id"]),
    ("berichten_verzending", ["id", "bericht_id"]),
    ("berichten_poging", ["id", "verzending_id"]),
    ("documenten_remote_job", ["id"]),
    ("documenten_remote_poging", ["id", "job_id"]),
    ("zaken_spiegeling", ["id"]),
    ("zaken_spiegelpoging", ["id", "spiegeling_id"]),
]


def _retype(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in TABLES:
        changes = ", ".join(f"ALTER COLUMN {column} TYPE {kind}" for column in columns)
        op.execute(f"ALTER TABLE {table} {changes}")
        op.execute(f"ALTER SEQUENCE {table}_id_seq AS {kind}")


def upgrade() -> None:
    _retype("BIGINT")


def downgrade() -> None:
    # fails when an id has passed the 32-bit limit, as it should
    _retype("INTEGER")
