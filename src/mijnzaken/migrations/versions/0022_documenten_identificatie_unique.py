"""Documenten: identificatie unique within the bronorganisatie in the database too, so two
requests with the same identificatie at once cannot both store it (the service's check
cannot see the other's uncommitted row). Fails when the register already holds such a
pair; those documents must be renumbered first.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "documenten_informatieobject"
COLUMNS = ["bronorganisatie", "identificatie"]


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_documenten_io_bron_identificatie")
        batch_op.create_index("uq_documenten_io_bron_identificatie", COLUMNS, unique=True)


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("uq_documenten_io_bron_identificatie")
        batch_op.create_index("ix_documenten_io_bron_identificatie", COLUMNS, unique=False)
