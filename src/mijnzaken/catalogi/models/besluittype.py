"""Besluittype: a kind of decision, referring to informatieobjecttypen by omschrijving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Concept, Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.catalogus import Catalogus


class BesluitType(UuidMixin, Geldigheid, Concept, Base):
    __tablename__ = "catalogi_besluittype"
    __table_args__ = (
        Index("ix_catalogi_besluittype_catalogus_omschrijving", "catalogus_id", "omschrijving"),
    )

    catalogus_id: Mapped[int] = mapped_column(ForeignKey("catalogi_catalogus.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(80), default="")
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    besluitcategorie: Mapped[str] = mapped_column(String(40), default="")
    reactietermijn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    publicatie_indicatie: Mapped[bool]
    publicatietekst: Mapped[str] = mapped_column(Text, default="")
    publicatietermijn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    informatieobjecttype_omschrijvingen: Mapped[list[str]] = mapped_column(JSON, default=list)

    catalogus: Mapped[Catalogus] = relationship(back_populates="besluittypen", lazy="raise")
