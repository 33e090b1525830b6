"""Besluiten: a besluit may name a zaak of a remote Zaken API, stored as its URL

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("besluiten_besluit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("zaak_url", sa.String(length=1000), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluit_zaak_url"), ["zaak_url"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("besluiten_besluit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_besluiten_besluit_zaak_url"))
        batch_op.drop_column("zaak_url")
