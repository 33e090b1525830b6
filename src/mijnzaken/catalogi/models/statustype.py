"""Statustype: one step of a zaaktype; the highest volgnummer is the closing step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class StatusType(UuidMixin, Geldigheid, Base):
    __tablename__ = "catalogi_statustype"
    __table_args__ = (UniqueConstraint("zaaktype_id", "volgnummer"),)

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(80))
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    statustekst: Mapped[str] = mapped_column(String(1000), default="")
    volgnummer: Mapped[int]
    informeren: Mapped[bool] = mapped_column(default=False)
    doorlooptijd: Mapped[str | None] = mapped_column(String(40), nullable=True)
    toelichting: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    checklistitem_statustype: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # URLs of eigenschappen (of the same zaaktype) that must be set at this status
    eigenschap_urls: Mapped[list[str]] = mapped_column(JSON, default=list)

    zaaktype: Mapped[ZaakType] = relationship(back_populates="statustypen", lazy="raise")
