"""The processing log's row ids as 64-bit integers: it gets an entry for every read of
personal data, more than the 2,147,483,647 a PostgreSQL SERIAL hands out in a register's
life. SQLite's row ids are 64-bit already: nothing changes there.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the id, the column that refers to it, and the sequence that hands the ids out
STATEMENTS = [
    "ALTER TABLE verwerkingen_verwerkingsactie ALTER COLUMN id TYPE {type}",
    "ALTER TABLE verwerkingen_verwerktobject ALTER COLUMN actie_versie_id TYPE {type}",
    "ALTER SEQUENCE verwerkingen_verwerkingsactie_id_seq AS {type}",
]


def _retype(kind: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement.format(type=kind))


def upgrade() -> None:
    _retype("BIGINT")


def downgrade() -> None:
    # fails when an id has passed the 32-bit limit, as it should
    _retype("INTEGER")
