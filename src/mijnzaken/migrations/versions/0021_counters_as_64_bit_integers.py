"""Counters as 64-bit integers: the zaak and besluit number counters and the processing log's
chain number were 32-bit INTEGERs on PostgreSQL, which end at 2,147,483,647

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, nullable)
COUNTERS = [
    ("zaken_zaaknummer_teller", "laatste", False),
    ("besluiten_besluitnummer_teller", "laatste", False),
    ("verwerkingen_verwerkingsactie", "volgnummer", True),
    ("verwerkingen_keten", "volgnummer", False),
]


def _retype(old: sa.types.TypeEngine[int], new: sa.types.TypeEngine[int]) -> None:
    for table, column, nullable in COUNTERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=old, type_=new, existing_nullable=nullable)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    # fails on PostgreSQL when a counter has passed the 32-bit limit, as it should
    _retype(sa.BigInteger(), sa.Integer())
