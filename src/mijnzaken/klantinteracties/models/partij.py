"""Partijen and what hangs off them: identificatoren, digitale adressen, rekeningnummers,
vertegenwoordigingen, categorieën.

References between resources are plain foreign keys; the renderers load related rows in
batches, so no relationship is loaded implicitly. The `partijIdentificatie` of a partij
(persoon, organisatie or contactpersoon) lives in columns of the partij itself.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    Uuid,
    delete,
    event,
    insert,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column
from sqlalchemy.orm.attributes import get_history

from mijnzaken.core.db import ROW_ID, Base, UuidMixin
from mijnzaken.klantinteracties import zoeknaam


def _partij_fk(*, ondelete: str = "CASCADE", nullable: bool = False) -> Any:
    return mapped_column(
        ForeignKey("klantinteracties_partij.id", ondelete=ondelete), nullable=nullable, index=True
    )


class Partij(UuidMixin, Base):
    __tablename__ = "klantinteracties_partij"

    nummer: Mapped[str] = mapped_column(String(10), unique=True)
    interne_notitie: Mapped[str] = mapped_column(String(1000), default="")
    soort_partij: Mapped[str] = mapped_column(String(14), index=True)
    indicatie_geheimhouding: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    voorkeurstaal: Mapped[str] = mapped_column(String(3), default="")
    indicatie_actief: Mapped[bool] = mapped_column(Boolean)
    bezoekadres: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    correspondentieadres: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # partijIdentificatie: persoon and contactpersoon have a contactnaam, organisatie a naam
    contactnaam: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    naam: Mapped[str] = mapped_column(String(200), default="")
    contactpersoon_uuid: Mapped[uuid_lib.UUID | None] = mapped_column(Uuid, nullable=True)
    werkte_voor_partij_id: Mapped[int | None] = _partij_fk(ondelete="SET NULL", nullable=True)


# code point order on PostgreSQL too (as SQLite compares): a prefix is then a range of the index
_WOORD = String(zoeknaam.MAX_WOORD).with_variant(
    String(zoeknaam.MAX_WOORD, collation="C"), "postgresql"
)


class PartijZoekwoord(Base):
    """One word of a partij's name as a search key (zoeknaam.woorden: case-folded, without
    accents), written with the partij on every insert and on every change of its name."""

    __tablename__ = "klantinteracties_partijzoekwoord"
    __table_args__ = (
        Index("ix_klantinteracties_partijzoekwoord_woord", "woord", "partij_id"),
        UniqueConstraint("partij_id", "woord"),
    )

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    partij_id: Mapped[int] = mapped_column(
        ForeignKey("klantinteracties_partij.id", ondelete="CASCADE")
    )
    woord: Mapped[str] = mapped_column(_WOORD)


NAAM_DELEN = ("voornaam", "voorletters", "voorvoegselAchternaam", "achternaam")


def zoekwoorden(naam: str | None, contactnaam: dict[str, Any] | None) -> list[str]:
    """The search words of a partij with this (organisation) naam and contactnaam."""
    delen = contactnaam if isinstance(contactnaam, dict) else {}
    return zoeknaam.woorden(naam, *(str(delen.get(d) or "") for d in NAAM_DELEN))


def _zoekwoorden_schrijven(connection: Connection, partij: Partij, nieuw: bool) -> None:
    if not nieuw:
        connection.execute(delete(PartijZoekwoord).where(PartijZoekwoord.partij_id == partij.id))
    found = zoekwoorden(partij.naam, partij.contactnaam)
    if found:
        rows = [{"partij_id": partij.id, "woord": w} for w in found]
        connection.execute(insert(PartijZoekwoord), rows)


@event.listens_for(Partij, "after_insert")
def _na_insert(_mapper: Mapper[Any], connection: Connection, partij: Partij) -> None:
    _zoekwoorden_schrijven(connection, partij, nieuw=True)


@event.listens_for(Partij, "after_update")
def _na_update(_mapper: Mapper[Any], connection: Connection, partij: Partij) -> None:
    if (
        get_history(partij, "naam").has_changes()
        or get_history(partij, "contactnaam").has_changes()
    ):
        _zoekwoorden_schrijven(connection, partij, nieuw=False)


class PartijIdentificator(UuidMixin, Base):
    """An identifier of a partij in a base register (BSN, KvK-nummer, vestigingsnummer, RSIN).
    One of each kind per partij; globally unique (within its parent for a vestigingsnummer)."""

    __tablename__ = "klantinteracties_partijidentificator"
    __table_args__ = (UniqueConstraint("partij_id", "code_soort_object_id"),)

    partij_id: Mapped[int | None] = _partij_fk(nullable=True)
    andere_partij_identificator: Mapped[str] = mapped_column(String(200), default="")
    code_objecttype: Mapped[str] = mapped_column(String(30))
    code_soort_object_id: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(String(200), index=True)
    code_register: Mapped[str] = mapped_column(String(10))
    sub_identificator_van_id: Mapped[int | None] = mapped_column(
        ForeignKey("klantinteracties_partijidentificator.id", ondelete="RESTRICT"),
        nullable=True,
        index=True,
    )


class DigitaalAdres(UuidMixin, Base):
    __tablename__ = "klantinteracties_digitaaladres"

    partij_id: Mapped[int | None] = _partij_fk(nullable=True)
    betrokkene_id: Mapped[int | None] = mapped_column(
        # an address a betrokkene gave stays when the klantcontact goes (it may be the
        # partij's); onderwerpobject cascade removes the ones that belong to no partij
        ForeignKey("klantinteracties_betrokkene.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    )
    adres: Mapped[str] = mapped_column(String(80), index=True)
    soort_digitaal_adres: Mapped[str] = mapped_column(String(20))
    is_standaard_adres: Mapped[bool] = mapped_column(Boolean, default=False)
    omschrijving: Mapped[str] = mapped_column(String(40), default="")
    referentie: Mapped[str] = mapped_column(String(50), default="")
    verificatie_datum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # the partij's voorkeursDigitaalAdres (at most one per partij, kept by the service)
    is_voorkeur: Mapped[bool] = mapped_column(Boolean, default=False)


class Rekeningnummer(UuidMixin, Base):
    __tablename__ = "klantinteracties_rekeningnummer"

    partij_id: Mapped[int | None] = _partij_fk(nullable=True)
    iban: Mapped[str] = mapped_column(String(34), index=True)
    bic: Mapped[str] = mapped_column(String(11), default="")
    # the partij's voorkeursRekeningnummer (at most one per partij, kept by the service)
    is_voorkeur: Mapped[bool] = mapped_column(Boolean, default=False)


class Vertegenwoordiging(UuidMixin, Base):
    __tablename__ = "klantinteracties_vertegenwoordiging"
    __table_args__ = (
        UniqueConstraint("vertegenwoordigende_partij_id", "vertegenwoordigde_partij_id"),
    )

    vertegenwoordigende_partij_id: Mapped[int] = _partij_fk()
    vertegenwoordigde_partij_id: Mapped[int] = _partij_fk()


class Categorie(UuidMixin, Base):
    __tablename__ = "klantinteracties_categorie"

    naam: Mapped[str] = mapped_column(String(80), default="", index=True)


class CategorieRelatie(UuidMixin, Base):
    __tablename__ = "klantinteracties_categorierelatie"

    partij_id: Mapped[int | None] = _partij_fk(nullable=True)
    categorie_id: Mapped[int | None] = mapped_column(
        ForeignKey("klantinteracties_categorie.id", ondelete="CASCADE"), nullable=True, index=True
    )
    begin_datum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    eind_datum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
