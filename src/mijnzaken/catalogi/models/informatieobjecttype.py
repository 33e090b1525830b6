"""Informatieobjecttype: a kind of document, versioned like zaaktypen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Concept, Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.catalogus import Catalogus


class InformatieObjectType(UuidMixin, Geldigheid, Concept, Base):
    __tablename__ = "catalogi_informatieobjecttype"
    __table_args__ = (
        Index("ix_catalogi_iot_catalogus_omschrijving", "catalogus_id", "omschrijving"),
    )

    catalogus_id: Mapped[int] = mapped_column(ForeignKey("catalogi_catalogus.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(80))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    informatieobjectcategorie: Mapped[str] = mapped_column(String(80))
    trefwoord: Mapped[list[str]] = mapped_column(JSON, default=list)
    omschrijving_generiek: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    catalogus: Mapped[Catalogus] = relationship(
        back_populates="informatieobjecttypen", lazy="raise"
    )
