"""Applicaties with their autorisaties, and the JWT secrets of client ids (kept apart)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import Base, UuidMixin


class Applicatie(UuidMixin, Base):
    __tablename__ = "autorisaties_applicatie"

    label: Mapped[str] = mapped_column(String(100))
    heeft_alle_autorisaties: Mapped[bool] = mapped_column(Boolean, default=False)
    alleen_is_gereed_voor_publicatie: Mapped[bool] = mapped_column(Boolean, default=False)

    client_ids: Mapped[list[ApplicatieClient]] = relationship(
        back_populates="applicatie",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ApplicatieClient.id",
    )
    autorisaties: Mapped[list[Autorisatie]] = relationship(
        back_populates="applicatie",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Autorisatie.id",
    )


class ApplicatieClient(Base):
    """A client id of an applicatie; unique over all applicaties (ac-001)."""

    __tablename__ = "autorisaties_applicatie_client"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    applicatie_id: Mapped[int] = mapped_column(
        ForeignKey("autorisaties_applicatie.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str] = mapped_column(String(50), unique=True)

    applicatie: Mapped[Applicatie] = relationship(back_populates="client_ids", lazy="raise")


class Autorisatie(Base):
    __tablename__ = "autorisaties_autorisatie"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    applicatie_id: Mapped[int] = mapped_column(
        ForeignKey("autorisaties_applicatie.id", ondelete="CASCADE"), index=True
    )
    component: Mapped[str] = mapped_column(String(10))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    zaaktype: Mapped[str] = mapped_column(String(1000), default="")
    informatieobjecttype: Mapped[str] = mapped_column(String(1000), default="")
    besluittype: Mapped[str] = mapped_column(String(1000), default="")
    max_vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20), default="")

    applicatie: Mapped[Applicatie] = relationship(back_populates="autorisaties", lazy="raise")


class JWTSecret(Base):
    """The shared secret of a client id; may exist before any Applicatie names the client."""

    __tablename__ = "autorisaties_jwt_secret"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(50), unique=True)
    secret: Mapped[str] = mapped_column(String(255))
