"""catalogue version token for caching; deelzaken index without the NULLs

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-03 08:00:00.000000
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "catalogi_versie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versie", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogi_versie")),
    )
    op.bulk_insert(table, [{"id": 1, "versie": uuid.uuid4().hex}])
    with op.batch_alter_table("zaken_zaak", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_zaak_hoofdzaak_id")
        batch_op.create_index(
            "ix_zaken_zaak_hoofdzaak_id",
            ["hoofdzaak_id"],
            unique=False,
            sqlite_where=sa.text("hoofdzaak_id IS NOT NULL"),
            postgresql_where=sa.text("hoofdzaak_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("zaken_zaak", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_zaak_hoofdzaak_id")
        batch_op.create_index("ix_zaken_zaak_hoofdzaak_id", ["hoofdzaak_id"], unique=False)
    op.drop_table("catalogi_versie")
