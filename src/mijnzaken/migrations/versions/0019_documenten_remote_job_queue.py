"""Documenten: the queue of links to mirror in remote Documenten APIs (zrc-005, brc-005)

Revision ID: 0019
Revises: 0016
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documenten_remote_job",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actie", sa.String(length=10), nullable=False),
        sa.Column("api_root", sa.String(length=1000), nullable=False),
        sa.Column("informatieobject", sa.String(length=1000), nullable=False),
        sa.Column("object", sa.String(length=1000), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("park_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documenten_remote_job")),
    )
    with op.batch_alter_table("documenten_remote_job", schema=None) as batch_op:
        batch_op.create_index("ix_documenten_remote_job_age", ["state", "created_at"], unique=False)
        batch_op.create_index(
            "ix_documenten_remote_job_claim", ["state", "available_at"], unique=False
        )
    op.create_table(
        "documenten_remote_poging",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["documenten_remote_job.id"],
            name=op.f("fk_documenten_remote_poging_job_id_documenten_remote_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documenten_remote_poging")),
    )
    with op.batch_alter_table("documenten_remote_poging", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documenten_remote_poging_job_id"),
            ["job_id"],
            unique=False,
        )


def downgrade() -> None:
    op.drop_table("documenten_remote_poging")
    op.drop_table("documenten_remote_job")
