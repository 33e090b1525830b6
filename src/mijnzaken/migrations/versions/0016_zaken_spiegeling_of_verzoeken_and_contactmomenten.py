"""zaken: jobs that mirror zaakverzoeken and zaakcontactmomenten in the remote register
(zrc-024, zrc-025), and their attempts

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-03 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zaken_spiegeling",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("soort", sa.String(length=30), nullable=False),
        sa.Column("actie", sa.String(length=12), nullable=False),
        sa.Column("koppeling", sa.Uuid(), nullable=False),
        sa.Column("api_root", sa.String(length=1000), nullable=False),
        sa.Column("zaak", sa.String(length=1000), nullable=False),
        sa.Column("doel", sa.String(length=1000), nullable=False),
        sa.Column("remote_url", sa.String(length=1000), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("park_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaken_spiegeling")),
    )
    with op.batch_alter_table("zaken_spiegeling", schema=None) as batch_op:
        batch_op.create_index("ix_zaken_spiegeling_age", ["state", "created_at"], unique=False)
        batch_op.create_index("ix_zaken_spiegeling_claim", ["state", "available_at"], unique=False)
        batch_op.create_index("ix_zaken_spiegeling_koppeling", ["koppeling", "actie"], unique=False)
    op.create_table(
        "zaken_spiegelpoging",
        sa.Column("spiegeling_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["spiegeling_id"],
            ["zaken_spiegeling.id"],
            name=op.f("fk_zaken_spiegelpoging_spiegeling_id_zaken_spiegeling"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zaken_spiegelpoging")),
    )
    with op.batch_alter_table("zaken_spiegelpoging", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_zaken_spiegelpoging_spiegeling_id"), ["spiegeling_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("zaken_spiegelpoging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zaken_spiegelpoging_spiegeling_id"))
    op.drop_table("zaken_spiegelpoging")
    with op.batch_alter_table("zaken_spiegeling", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_spiegeling_koppeling")
        batch_op.drop_index("ix_zaken_spiegeling_claim")
        batch_op.drop_index("ix_zaken_spiegeling_age")
    op.drop_table("zaken_spiegeling")
