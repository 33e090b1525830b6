"""Zaaktype-informatieobjecttype: which documents (by IOT omschrijving) a zaaktype knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.statustype import StatusType
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class ZaakTypeInformatieObjectType(UuidMixin, Base):
    __tablename__ = "catalogi_zaaktypeinformatieobjecttype"
    __table_args__ = (UniqueConstraint("zaaktype_id", "volgnummer"),)

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    informatieobjecttype_omschrijving: Mapped[str] = mapped_column(String(100), index=True)
    volgnummer: Mapped[int]
    richting: Mapped[str] = mapped_column(String(10))
    statustype_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogi_statustype.id", ondelete="SET NULL"), nullable=True
    )

    zaaktype: Mapped[ZaakType] = relationship(
        back_populates="informatieobjecttype_links", lazy="raise"
    )
    statustype: Mapped[StatusType | None] = relationship(lazy="raise")
