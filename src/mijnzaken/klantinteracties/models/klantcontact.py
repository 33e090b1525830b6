"""Klantcontacten and what belongs to them: betrokkenen, onderwerpobjecten, bijlagen, actoren
and interne taken."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import Base, UtcDateTime, UuidMixin


def _klantcontact_fk(*, nullable: bool = False) -> Any:
    return mapped_column(
        ForeignKey("klantinteracties_klantcontact.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


class Klantcontact(UuidMixin, Base):
    __tablename__ = "klantinteracties_klantcontact"

    nummer: Mapped[str] = mapped_column(String(10), unique=True)
    referentienummer: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    kanaal: Mapped[str] = mapped_column(String(50), index=True)
    onderwerp: Mapped[str] = mapped_column(String(200))
    inhoud: Mapped[str] = mapped_column(String(1000), default="")
    reactie: Mapped[str] = mapped_column(String(4000), default="")
    indicatie_contact_gelukt: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    hoofd_onderwerp_type: Mapped[str] = mapped_column(String(200), default="")
    verdere_actie_ondernomen: Mapped[bool] = mapped_column(Boolean, default=False)
    taal: Mapped[str] = mapped_column(String(3))
    vertrouwelijk: Mapped[bool] = mapped_column(Boolean)
    plaatsgevonden_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    # `metadata` is the declarative base's; the column keeps the API's name
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)


class Betrokkene(UuidMixin, Base):
    __tablename__ = "klantinteracties_betrokkene"

    klantcontact_id: Mapped[int] = _klantcontact_fk()
    partij_id: Mapped[int | None] = mapped_column(
        ForeignKey("klantinteracties_partij.id", ondelete="SET NULL"), nullable=True, index=True
    )
    bezoekadres: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    correspondentieadres: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    contactnaam: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    rol: Mapped[str] = mapped_column(String(20))
    organisatienaam: Mapped[str] = mapped_column(String(200), default="", index=True)
    initiator: Mapped[bool] = mapped_column(Boolean)


class _Identificator:
    """The four fields that identify an object in another register (all empty: none)."""

    code_objecttype: Mapped[str | None] = mapped_column(String(200), nullable=True)
    code_register: Mapped[str | None] = mapped_column(String(200), nullable=True)
    code_soort_object_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)


class Onderwerpobject(_Identificator, UuidMixin, Base):
    __tablename__ = "klantinteracties_onderwerpobject"

    klantcontact_id: Mapped[int | None] = _klantcontact_fk(nullable=True)
    was_klantcontact_id: Mapped[int | None] = _klantcontact_fk(nullable=True)


class Bijlage(_Identificator, UuidMixin, Base):
    __tablename__ = "klantinteracties_bijlage"

    klantcontact_id: Mapped[int | None] = _klantcontact_fk(nullable=True)


class Actor(_Identificator, UuidMixin, Base):
    __tablename__ = "klantinteracties_actor"

    naam: Mapped[str] = mapped_column(String(200), index=True)
    soort_actor: Mapped[str] = mapped_column(String(30), index=True)
    indicatie_actief: Mapped[bool] = mapped_column(Boolean, default=True)
    # actorIdentificatie: the fields of its soortActor (functie, emailadres, ...)
    actor_identificatie: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ActorKlantcontact(UuidMixin, Base):
    __tablename__ = "klantinteracties_actorklantcontact"
    __table_args__ = (UniqueConstraint("actor_id", "klantcontact_id"),)

    actor_id: Mapped[int] = mapped_column(
        ForeignKey("klantinteracties_actor.id", ondelete="CASCADE"), index=True
    )
    klantcontact_id: Mapped[int] = _klantcontact_fk()


class InterneTaak(UuidMixin, Base):
    __tablename__ = "klantinteracties_internetaak"

    nummer: Mapped[str] = mapped_column(String(10), unique=True)
    referentienummer: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    gevraagde_handeling: Mapped[str] = mapped_column(String(200))
    klantcontact_id: Mapped[int] = _klantcontact_fk()
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(12), index=True)
    toegewezen_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    afgehandeld_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class InterneTaakActor(Base):
    """The actoren a taak is assigned to, in the order they were given."""

    __tablename__ = "klantinteracties_internetaakactor"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    internetaak_id: Mapped[int] = mapped_column(
        ForeignKey("klantinteracties_internetaak.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(
        ForeignKey("klantinteracties_actor.id", ondelete="CASCADE"), index=True
    )
