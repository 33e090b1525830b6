"""Klantinteracties: the words of a partij's name as search keys (case-folded, without
accents), indexed, filled in for the partijen there are

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from mijnzaken.klantinteracties.models.partij import zoekwoorden

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _woord() -> sa.types.TypeEngine[str]:
    return sa.String(length=100).with_variant(sa.String(length=100, collation="C"), "postgresql")


def _contactnaam(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):  # a JSON column read without its type
        value = json.loads(value)
    return value if isinstance(value, dict) else None


def upgrade() -> None:
    woord = op.create_table(
        "klantinteracties_partijzoekwoord",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partij_id", sa.Integer(), nullable=False),
        sa.Column("woord", _woord(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partij_id"],
            ["klantinteracties_partij.id"],
            name=op.f("fk_klantinteracties_partijzoekwoord_partij_id_klantinteracties_partij"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klantinteracties_partijzoekwoord")),
        sa.UniqueConstraint(
            "partij_id", "woord", name=op.f("uq_klantinteracties_partijzoekwoord_partij_id")
        ),
    )
    op.create_index(
        "ix_klantinteracties_partijzoekwoord_woord",
        "klantinteracties_partijzoekwoord",
        ["woord", "partij_id"],
        unique=False,
    )
    # the partijen there are, in batches by id (a large register does not fit in memory)
    connection = op.get_bind()
    partij = sa.table(
        "klantinteracties_partij",
        sa.column("id", sa.Integer()),
        sa.column("naam", sa.String()),
        sa.column("contactnaam", sa.JSON()),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(partij.c.id, partij.c.naam, partij.c.contactnaam)
            .where(partij.c.id > last)
            .order_by(partij.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = [
            {"partij_id": row.id, "woord": w}
            for row in rows
            for w in zoekwoorden(row.naam, _contactnaam(row.contactnaam))
        ]
        if values:
            connection.execute(sa.insert(woord), values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index(
        "ix_klantinteracties_partijzoekwoord_woord", table_name="klantinteracties_partijzoekwoord"
    )
    op.drop_table("klantinteracties_partijzoekwoord")
