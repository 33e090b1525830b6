"""Besluiten register: besluiten, besluitinformatieobjecten, the besluitnummer counter

Revision ID: 0011
Revises: 0014
Create Date: 2026-12-03 11:11:16.377726
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "besluiten_besluitnummer_teller",
        sa.Column("verantwoordelijke_organisatie", sa.String(length=9), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("laatste", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "verantwoordelijke_organisatie",
            "prefix",
            name=op.f("pk_besluiten_besluitnummer_teller"),
        ),
    )
    op.create_table(
        "besluiten_besluit",
        sa.Column("identificatie", sa.String(length=50), nullable=False),
        sa.Column("verantwoordelijke_organisatie", sa.String(length=9), nullable=False),
        sa.Column("besluittype_id", sa.Integer(), nullable=False),
        sa.Column("besluittype_uuid", sa.Uuid(), nullable=False),
        sa.Column("zaak_id", sa.Integer(), nullable=True),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("bestuursorgaan", sa.String(length=50), nullable=False),
        sa.Column("ingangsdatum", sa.Date(), nullable=False),
        sa.Column("vervaldatum", sa.Date(), nullable=True),
        sa.Column("vervalreden", sa.String(length=30), nullable=False),
        sa.Column("publicatiedatum", sa.Date(), nullable=True),
        sa.Column("verzenddatum", sa.Date(), nullable=True),
        sa.Column("uiterlijke_reactiedatum", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["besluittype_id"],
            ["catalogi_besluittype.id"],
            name=op.f("fk_besluiten_besluit_besluittype_id_catalogi_besluittype"),
        ),
        sa.ForeignKeyConstraint(
            ["zaak_id"],
            ["zaken_zaak.id"],
            name=op.f("fk_besluiten_besluit_zaak_id_zaken_zaak"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluiten_besluit")),
    )
    with op.batch_alter_table("besluiten_besluit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluit_besluittype_id"), ["besluittype_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluit_identificatie"), ["identificatie"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_besluiten_besluit_uuid"), ["uuid"], unique=True)
        batch_op.create_index(batch_op.f("ix_besluiten_besluit_zaak_id"), ["zaak_id"], unique=False)
        batch_op.create_index(
            "uq_besluiten_besluit_organisatie_identificatie",
            ["verantwoordelijke_organisatie", "identificatie"],
            unique=True,
        )

    op.create_table(
        "besluiten_besluitinformatieobject",
        sa.Column("besluit_id", sa.Integer(), nullable=False),
        sa.Column("informatieobject", sa.String(length=1000), nullable=False),
        sa.Column("aard_relatie", sa.String(length=20), nullable=False),
        sa.Column("registratiedatum", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["besluit_id"],
            ["besluiten_besluit.id"],
            name=op.f("fk_besluiten_besluitinformatieobject_besluit_id_besluiten_besluit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_besluiten_besluitinformatieobject")),
        sa.UniqueConstraint(
            "besluit_id",
            "informatieobject",
            name=op.f("uq_besluiten_besluitinformatieobject_besluit_id"),
        ),
    )
    with op.batch_alter_table("besluiten_besluitinformatieobject", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluitinformatieobject_besluit_id"),
            ["besluit_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluitinformatieobject_informatieobject"),
            ["informatieobject"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_besluiten_besluitinformatieobject_uuid"), ["uuid"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("besluiten_besluitinformatieobject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_besluiten_besluitinformatieobject_uuid"))
        batch_op.drop_index(batch_op.f("ix_besluiten_besluitinformatieobject_informatieobject"))
        batch_op.drop_index(batch_op.f("ix_besluiten_besluitinformatieobject_besluit_id"))

    op.drop_table("besluiten_besluitinformatieobject")
    with op.batch_alter_table("besluiten_besluit", schema=None) as batch_op:
        batch_op.drop_index("uq_besluiten_besluit_organisatie_identificatie")
        batch_op.drop_index(batch_op.f("ix_besluiten_besluit_zaak_id"))
        batch_op.drop_index(batch_op.f("ix_besluiten_besluit_uuid"))
        batch_op.drop_index(batch_op.f("ix_besluiten_besluit_identificatie"))
        batch_op.drop_index(batch_op.f("ix_besluiten_besluit_besluittype_id"))

    op.drop_table("besluiten_besluit")
    op.drop_table("besluiten_besluitnummer_teller")
