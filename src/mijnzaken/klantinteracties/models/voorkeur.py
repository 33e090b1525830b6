"""Extension (not in the Klantinteracties standard): channel preferences per partij and topic,
their consent history, and the one-time codes that verify a digital address."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import Base, UtcDateTime, UuidMixin


def _fk(table: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Any:
    return mapped_column(
        ForeignKey(f"klantinteracties_{table}.id", ondelete=ondelete),
        nullable=nullable,
        index=True,
    )


class Kanaalvoorkeur(UuidMixin, Base):
    """The channel a partij wants for one topic: a zaaktype, a categorie, or its default."""

    __tablename__ = "klantinteracties_kanaalvoorkeur"
    __table_args__ = (UniqueConstraint("partij_id", "onderwerp_soort", "onderwerp"),)

    partij_id: Mapped[int] = _fk("partij")
    onderwerp_soort: Mapped[str] = mapped_column(String(20))  # standaard | zaaktype | categorie
    onderwerp: Mapped[str] = mapped_column(String(1000), default="")  # URL; "" for standaard
    kanaal: Mapped[str] = mapped_column(String(20))  # email | sms | post | berichtenbox | geen
    digitaal_adres_id: Mapped[int | None] = _fk("digitaaladres", nullable=True, ondelete="SET NULL")
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Toestemming(UuidMixin, Base):
    """One entry of the consent history: a preference given, changed or withdrawn. Entries are
    never changed; they outlive the preference they describe (not the partij)."""

    __tablename__ = "klantinteracties_toestemming"
    __table_args__ = (Index("ix_klantinteracties_toestemming_partij_moment", "partij_id", "id"),)

    partij_id: Mapped[int] = mapped_column(
        ForeignKey("klantinteracties_partij.id", ondelete="CASCADE")
    )
    kanaalvoorkeur_uuid: Mapped[str] = mapped_column(String(36), index=True)
    onderwerp_soort: Mapped[str] = mapped_column(String(20))
    onderwerp: Mapped[str] = mapped_column(String(1000), default="")
    actie: Mapped[str] = mapped_column(String(20))  # gegeven | gewijzigd | ingetrokken
    kanaal: Mapped[str] = mapped_column(String(20), default="")
    digitaal_adres: Mapped[str] = mapped_column(String(1000), default="")  # URL at that moment
    moment: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    applicatie: Mapped[str] = mapped_column(String(100), default="")
    gebruiker: Mapped[str] = mapped_column(String(255), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")


class Verificatie(UuidMixin, Base):
    """One one-time code sent to a digital address. Only a salted hash of the code is kept."""

    __tablename__ = "klantinteracties_verificatie"

    digitaal_adres_id: Mapped[int] = _fk("digitaaladres")
    adres: Mapped[str] = mapped_column(String(80))  # the address the code was sent to
    code_hash: Mapped[str] = mapped_column(String(128))
    salt: Mapped[str] = mapped_column(String(64))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    verloopt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    bevestigd_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
