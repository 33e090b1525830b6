"""Eigenschap: a property that zaken of the zaaktype carry (name, format, length)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.statustype import StatusType
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class Eigenschap(UuidMixin, Geldigheid, Base):
    __tablename__ = "catalogi_eigenschap"

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    naam: Mapped[str] = mapped_column(String(20))
    definitie: Mapped[str] = mapped_column(String(255))
    # {"groep", "formaat", "lengte", "kardinaliteit", "waardenverzameling"}
    specificatie: Mapped[dict[str, Any]] = mapped_column(JSON)
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    statustype_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogi_statustype.id", ondelete="SET NULL"), nullable=True
    )

    zaaktype: Mapped[ZaakType] = relationship(back_populates="eigenschappen", lazy="raise")
    statustype: Mapped[StatusType | None] = relationship(lazy="raise")
