"""Zaakobjecttype: a kind of object a zaak of the zaaktype is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class ZaakObjectType(UuidMixin, Geldigheid, Base):
    __tablename__ = "catalogi_zaakobjecttype"

    zaaktype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_zaaktype.id", ondelete="CASCADE"), index=True
    )
    ander_objecttype: Mapped[bool]
    objecttype: Mapped[str] = mapped_column(String(200))
    relatie_omschrijving: Mapped[str] = mapped_column(String(80))

    zaaktype: Mapped[ZaakType] = relationship(back_populates="zaakobjecttypen", lazy="raise")
