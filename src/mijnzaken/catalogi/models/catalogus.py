"""Catalogus: the set of types one organisation (RSIN) publishes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.besluittype import BesluitType
    from mijnzaken.catalogi.models.informatieobjecttype import InformatieObjectType
    from mijnzaken.catalogi.models.zaaktype import ZaakType


class Catalogus(UuidMixin, Base):
    __tablename__ = "catalogi_catalogus"

    domein: Mapped[str] = mapped_column(String(5), index=True)
    rsin: Mapped[str] = mapped_column(String(9), index=True)
    contactpersoon_beheer_naam: Mapped[str] = mapped_column(String(40))
    contactpersoon_beheer_telefoonnummer: Mapped[str] = mapped_column(String(20), default="")
    contactpersoon_beheer_emailadres: Mapped[str] = mapped_column(String(254), default="")
    naam: Mapped[str | None] = mapped_column(String(200), nullable=True)
    versie: Mapped[str | None] = mapped_column(String(20), nullable=True)
    begindatum_versie: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    zaaktypen: Mapped[list[ZaakType]] = relationship(back_populates="catalogus", lazy="raise")
    besluittypen: Mapped[list[BesluitType]] = relationship(back_populates="catalogus", lazy="raise")
    informatieobjecttypen: Mapped[list[InformatieObjectType]] = relationship(
        back_populates="catalogus", lazy="raise"
    )
