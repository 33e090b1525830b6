"""Roltype: a kind of party a zaak of the zaaktype can have."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class RolType(UuidMixin, Geldigheid, Base):
    __tablename__ = "catalogi_roltype"

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(100))
    omschrijving_generiek: Mapped[str] = mapped_column(String(20), index=True)

    zaaktype: Mapped[ZaakType] = relationship(back_populates="roltypen", lazy="raise")
