"""Processing log: each verwerkt object keeps its actie version's moment (`tijdstip`, a copy),
and the data subject's index runs on (soort_object_id, object_id, tijdstip, actie_versie_id),
so the inzage of a data subject reads only its newest entries (ADR 0010). The index replaces
the one on (soort_object_id, object_id), which is its prefix: every log write maintains
every index.

The copy is filled in for the objects there are in one statement, then the column is made
NOT NULL. On PostgreSQL that UPDATE writes every row of the table again and the table is
locked while this runs: on a large log, run it in a maintenance window, with the processes of
the previous version stopped (their writes do not set the column and fail once it is NOT
NULL). SQLite copies the table once to make the column NOT NULL.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "verwerkingen_verwerktobject"
OLD_INDEX = "ix_verwerkingen_verwerktobject_betrokkene"
NEW_INDEX = "ix_verwerkingen_verwerktobject_betrokkene_tijdstip"

# one statement for all rows: no loop, whatever the log holds
_FILL = {
    "postgresql": (
        "UPDATE verwerkingen_verwerktobject AS o SET tijdstip = a.tijdstip"
        " FROM verwerkingen_verwerkingsactie AS a WHERE a.id = o.actie_versie_id"
    ),
    "sqlite": (
        "UPDATE verwerkingen_verwerktobject SET tijdstip = (SELECT a.tijdstip"
        " FROM verwerkingen_verwerkingsactie AS a"
        " WHERE a.id = verwerkingen_verwerktobject.actie_versie_id)"
    ),
}


def upgrade() -> None:
    # the old index goes first: the UPDATE below need not maintain it
    op.drop_index(OLD_INDEX, table_name=TABLE)
    op.add_column(TABLE, sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=True))
    op.execute(_FILL[op.get_bind().dialect.name])
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.alter_column("tijdstip", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index(
        NEW_INDEX, TABLE, ["soort_object_id", "object_id", "tijdstip", "actie_versie_id"]
    )


def downgrade() -> None:
    op.drop_index(NEW_INDEX, table_name=TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_column("tijdstip")
    op.create_index(OLD_INDEX, TABLE, ["soort_object_id", "object_id"])
