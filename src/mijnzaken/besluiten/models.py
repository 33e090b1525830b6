"""Besluit and BesluitInformatieObject: decisions and the documents that record them.

The besluittype and a local zaak are foreign keys (rendered as URLs from the base URL); a
zaak that is deleted leaves its besluiten in place, without a zaak. A zaak of a remote Zaken
API is stored as the URL given (`zaak_url`). A document is referred to by URL: our Documenten
register or a remote one.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import Base, UtcDateTime, UuidMixin


class Besluit(UuidMixin, Base):
    __tablename__ = "besluiten_besluit"
    # brc-002: identificatie is unique within the verantwoordelijke organisatie
    __table_args__ = (
        Index(
            "uq_besluiten_besluit_organisatie_identificatie",
            "verantwoordelijke_organisatie",
            "identificatie",
            unique=True,
        ),
    )

    identificatie: Mapped[str] = mapped_column(String(50), index=True)
    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9))
    besluittype_id: Mapped[int] = mapped_column(ForeignKey("catalogi_besluittype.id"), index=True)
    # copied from the besluittype (a published one does not change): rendering needs no join
    besluittype_uuid: Mapped[uuid_lib.UUID] = mapped_column(Uuid)
    zaak_id: Mapped[int | None] = mapped_column(
        ForeignKey("zaken_zaak.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # a zaak of a remote Zaken API (then zaak_id is null), as the client gave it
    zaak_url: Mapped[str | None] = mapped_column(String(1000), nullable=True, index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    bestuursorgaan: Mapped[str] = mapped_column(String(50), default="")
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    vervaldatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    vervalreden: Mapped[str] = mapped_column(String(30), default="")
    publicatiedatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    verzenddatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    uiterlijke_reactiedatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class BesluitInformatieObject(UuidMixin, Base):
    __tablename__ = "besluiten_besluitinformatieobject"
    # one document is linked to a besluit once
    __table_args__ = (UniqueConstraint("besluit_id", "informatieobject"),)

    besluit_id: Mapped[int] = mapped_column(
        ForeignKey("besluiten_besluit.id", ondelete="CASCADE"), index=True
    )
    informatieobject: Mapped[str] = mapped_column(String(1000), index=True)
    # brc-004: always "legt_vast" (objectType besluit); mirrored to the Documenten register
    aard_relatie: Mapped[str] = mapped_column(String(20), default="legt_vast")
    registratiedatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    besluit: Mapped[Besluit] = relationship(lazy="raise")


class BesluitNummerTeller(Base):
    """The last generated number per verantwoordelijke organisatie and prefix
    (`BESLUIT-<year>-`), incremented with one UPDATE … RETURNING (brc-002)."""

    __tablename__ = "besluiten_besluitnummer_teller"

    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    laatste: Mapped[int] = mapped_column(BigInteger, default=0)  # 64-bit: never runs out
