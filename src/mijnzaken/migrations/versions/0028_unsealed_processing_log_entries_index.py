"""Processing log: a partial index of the entries the sealer has not linked yet
(`volgnummer IS NULL`), in id order, the order in which it links them (ADR 0010).

The sealer found them through the unique index on `volgnummer`, where every earlier version
of every sealed row is a NULL entry until vacuum removes it. On PostgreSQL its query became
a bitmap scan over all of them: 9 ms a round on a log of 200,000 entries, run by every
serving process every two seconds. The partial index holds an entry for each row only until
the row is sealed and that entry can be dropped: on the benchmark's database the query read
a few index pages (0.06-0.10 ms), also after runs that had sealed thousands of new rows.

Building it reads the table once and holds its writes meanwhile (seconds for millions of
entries).

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "verwerkingen_verwerkingsactie"
INDEX = "ix_verwerkingen_verwerkingsactie_onverzegeld"


def upgrade() -> None:
    op.create_index(
        INDEX,
        TABLE,
        ["id"],
        postgresql_where=sa.text("volgnummer IS NULL"),
        sqlite_where=sa.text("volgnummer IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
