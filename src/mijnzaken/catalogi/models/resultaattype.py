"""Resultaattype: a possible outcome of a zaak, which drives its archiving."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class ResultaatType(UuidMixin, Geldigheid, Base):
    __tablename__ = "catalogi_resultaattype"

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(30))
    resultaattypeomschrijving: Mapped[str] = mapped_column(String(1000))
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    selectielijstklasse: Mapped[str] = mapped_column(String(1000))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    archiefnominatie: Mapped[str] = mapped_column(String(20), default="")
    archiefactietermijn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # {"afleidingswijze", "datumkenmerk", "einddatumBekend", "objecttype", "registratie",
    #  "procestermijn"}
    brondatum_archiefprocedure: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    procesobjectaard: Mapped[str | None] = mapped_column(String(200), nullable=True)
    indicatie_specifiek: Mapped[bool | None] = mapped_column(nullable=True)
    procestermijn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    besluittype_omschrijvingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    informatieobjecttype_omschrijvingen: Mapped[list[str]] = mapped_column(JSON, default=list)

    zaaktype: Mapped[ZaakType] = relationship(back_populates="resultaattypen", lazy="raise")
