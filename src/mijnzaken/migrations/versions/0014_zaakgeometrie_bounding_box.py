"""zaakgeometrie bounding box for the geometry search

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-03 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from shapely.errors import ShapelyError
from shapely.geometry import shape

revision: str = "0014"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("geo_min_x", "geo_min_y", "geo_max_x", "geo_max_y")


def upgrade() -> None:
    with op.batch_alter_table("zaken_zaak", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
        batch_op.create_index(
            "ix_zaken_zaak_geo_box",
            list(COLUMNS),
            unique=False,
            sqlite_where=sa.text("geo_min_x IS NOT NULL"),
            postgresql_where=sa.text("geo_min_x IS NOT NULL"),
        )
    # the boxes of the zaken that already have a geometry
    zaak = sa.table(
        "zaken_zaak",
        sa.column("id", sa.Integer()),
        sa.column("zaakgeometrie", sa.JSON()),
        *(sa.column(name, sa.Float()) for name in COLUMNS),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(zaak.c.id, zaak.c.zaakgeometrie).where(zaak.c.zaakgeometrie.is_not(None))
    ).all()
    for ident, value in rows:
        if value is None:  # a JSON null
            continue
        try:
            box = shape(value).bounds
        except (AttributeError, IndexError, KeyError, TypeError, ValueError, ShapelyError):
            continue  # a geometry that was never usable keeps no box
        if len(box) == 4:
            bind.execute(
                zaak.update().where(zaak.c.id == ident).values(dict(zip(COLUMNS, box, strict=True)))
            )


def downgrade() -> None:
    with op.batch_alter_table("zaken_zaak", schema=None) as batch_op:
        batch_op.drop_index("ix_zaken_zaak_geo_box")
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
