"""The row ids of three more tables that grow with use as 64-bit integers on PostgreSQL: the
versions of documents (one per change of a document), the reserved zaak identifications
(one per zaak number handed out, whether used or not) and the search words of partijen (a
handful per partij, rewritten with each change of a name). No column refers to them.
SQLite's row ids are 64-bit already: nothing changes there.

PostgreSQL rewrites each table under an exclusive lock while it is altered: on a large
register, run this in a maintenance window.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# their ids are handed out by the sequence `<table>_id_seq` (SERIAL)
TABLES = ["documenten_versie", "zaken_zaakidentificatie", "klantinteracties_partijzoekwoord"]


def _retype(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id TYPE {kind}")
        op.execute(f"ALTER SEQUENCE {table}_id_seq AS {kind}")


def upgrade() -> None:
    _retype("BIGINT")


def downgrade() -> None:
    # fails when an id has passed the 32-bit limit, as it should
    _retype("INTEGER")
