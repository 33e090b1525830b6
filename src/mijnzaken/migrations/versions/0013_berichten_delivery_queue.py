"""berichten: a delivery job per outgoing message, and its attempts

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-03 11:30:00.000000
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    verzending = op.create_table(
        "berichten_verzending",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bericht_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("park_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["bericht_id"],
            ["berichten_bericht.id"],
            name=op.f("fk_berichten_verzending_bericht_id_berichten_bericht"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_berichten_verzending")),
        sa.UniqueConstraint("bericht_id", name=op.f("uq_berichten_verzending_bericht_id")),
    )
    with op.batch_alter_table("berichten_verzending", schema=None) as batch_op:
        batch_op.create_index("ix_berichten_verzending_age", ["state", "created_at"], unique=False)
        batch_op.create_index(
            "ix_berichten_verzending_claim", ["state", "available_at"], unique=False
        )
    op.create_table(
        "berichten_poging",
        sa.Column("verzending_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["verzending_id"],
            ["berichten_verzending.id"],
            name=op.f("fk_berichten_poging_verzending_id_berichten_verzending"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_berichten_poging")),
    )
    with op.batch_alter_table("berichten_poging", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_berichten_poging_verzending_id"), ["verzending_id"], unique=False
        )

    # messages queued before deliveries existed get their job now: nothing queued is lost
    bericht = sa.table(
        "berichten_bericht", sa.column("id", sa.Integer()), sa.column("status", sa.String())
    )
    now = dt.datetime.now(dt.UTC)
    waiting = sa.select(
        bericht.c.id,
        sa.literal("pending"),
        sa.literal(0),
        sa.literal(now, sa.DateTime(timezone=True)),
        sa.literal(now, sa.DateTime(timezone=True)),
        sa.literal(now + dt.timedelta(hours=24), sa.DateTime(timezone=True)),
        sa.literal(""),
    ).where(bericht.c.status == "wachtrij")
    op.execute(
        verzending.insert().from_select(
            [
                "bericht_id",
                "state",
                "attempts",
                "created_at",
                "available_at",
                "park_after",
                "last_error",
            ],
            waiting,
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("berichten_poging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_berichten_poging_verzending_id"))
    op.drop_table("berichten_poging")
    with op.batch_alter_table("berichten_verzending", schema=None) as batch_op:
        batch_op.drop_index("ix_berichten_verzending_claim")
        batch_op.drop_index("ix_berichten_verzending_age")
    op.drop_table("berichten_verzending")
