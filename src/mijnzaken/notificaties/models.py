"""Kanalen, abonnementen with their kanalen and filters, notificaties and their deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, UuidMixin
from mijnzaken.core.jobs import AttemptColumns, QueueColumns, queue_indexes


class Kanaal(UuidMixin, Base):
    __tablename__ = "notificaties_kanaal"

    naam: Mapped[str] = mapped_column(String(50), unique=True)
    documentatie_link: Mapped[str] = mapped_column(String(200), default="")
    filters: Mapped[list[str]] = mapped_column(JSON, default=list)


class Abonnement(UuidMixin, Base):
    __tablename__ = "notificaties_abonnement"

    callback_url: Mapped[str] = mapped_column(String(1000))
    auth: Mapped[str] = mapped_column(String(1000))
    # extension: deliver in the NL GOV profile for CloudEvents instead of the ZGW message
    send_cloudevents: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[str] = mapped_column(String(50), default="")  # who registered it

    kanalen: Mapped[list[AbonnementKanaal]] = relationship(
        back_populates="abonnement",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AbonnementKanaal.id",
    )


class AbonnementKanaal(Base):
    """A kanaal an abonnement takes, with its filters on the kenmerken (a FilterGroup)."""

    __tablename__ = "notificaties_abonnement_kanaal"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    abonnement_id: Mapped[int] = mapped_column(
        ForeignKey("notificaties_abonnement.id", ondelete="CASCADE"), index=True
    )
    kanaal_id: Mapped[int] = mapped_column(
        ForeignKey("notificaties_kanaal.id", ondelete="CASCADE"), index=True
    )
    filters: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    abonnement: Mapped[Abonnement] = relationship(back_populates="kanalen", lazy="raise")
    kanaal: Mapped[Kanaal] = relationship(lazy="raise")


class Notificatie(UuidMixin, Base):
    """A message received (POST /notificaties) or routed from our own outbox, as sent."""

    __tablename__ = "notificaties_notificatie"

    # a row for every message: a 64-bit id instead of the mixin's (core.db.ROW_ID)
    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    kanaal: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    source: Mapped[str] = mapped_column(String(60), default="")  # "outbox" or a client id


class Delivery(UuidMixin, QueueColumns, Base):
    """One notificatie for one abonnement (or, with no abonnement, for the remote router)."""

    __tablename__ = "notificaties_delivery"
    __table_args__ = (
        *queue_indexes("notificaties_delivery"),
        UniqueConstraint("notificatie_id", "abonnement_id"),
        Index("ix_notificaties_delivery_abonnement_state", "abonnement_id", "state"),
    )

    # a row for every message: a 64-bit id instead of the mixin's (core.db.ROW_ID)
    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    notificatie_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("notificaties_notificatie.id", ondelete="CASCADE")
    )
    abonnement_id: Mapped[int | None] = mapped_column(
        ForeignKey("notificaties_abonnement.id", ondelete="CASCADE"), nullable=True
    )


class DeliveryAttempt(AttemptColumns, Base):
    __tablename__ = "notificaties_delivery_attempt"

    delivery_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("notificaties_delivery.id", ondelete="CASCADE"), index=True
    )


__all__ = [
    "Abonnement",
    "AbonnementKanaal",
    "Delivery",
    "DeliveryAttempt",
    "Kanaal",
    "Notificatie",
]
