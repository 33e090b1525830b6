"""Outgoing messages to citizens, queued in the transaction of the change that causes them.

A runner delivers them after commit (e-mail over SMTP, SMS and e-mail through a
NotifyNL/GOV.UK Notify-compatible gateway) and records the outcome here; a rolled-back change
rolls its messages back too. Each message has one `Verzending`: its job in the durable queue
(core/jobs.py), with one `Poging` row per attempt.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, UuidMixin
from mijnzaken.core.jobs import AttemptColumns, QueueColumns, queue_indexes

# Bericht.status, kept in step with its Verzending by the queue (berichten/bezorging.py)
WACHTRIJ = "wachtrij"
VERZONDEN = "verzonden"
MISLUKT = "mislukt"  # parked: every retry failed until the horizon; an operator can retry


class Bericht(UuidMixin, Base):
    __tablename__ = "berichten_bericht"

    # a row for every message: a 64-bit id instead of the mixin's (core.db.ROW_ID)
    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    kanaal: Mapped[str] = mapped_column(String(20))  # email | sms
    ontvanger: Mapped[str] = mapped_column(String(254))  # e-mail address or phone number
    onderwerp: Mapped[str] = mapped_column(String(200), default="")
    tekst: Mapped[str] = mapped_column(Text)
    bron: Mapped[str] = mapped_column(String(100))  # what queued it, e.g. a verification
    referentie: Mapped[str] = mapped_column(String(1000), default="")  # URL it is about
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default=WACHTRIJ, index=True)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Verzending(QueueColumns, Base):
    """The delivery job of one message."""

    __tablename__ = "berichten_verzending"
    __table_args__ = queue_indexes("berichten_verzending")

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    bericht_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("berichten_bericht.id", ondelete="CASCADE"), unique=True
    )
    bericht: Mapped[Bericht] = relationship(lazy="raise")


class Poging(AttemptColumns, Base):
    """One attempt to deliver a message (status: the SMTP reply code or the HTTP status)."""

    __tablename__ = "berichten_poging"

    verzending_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("berichten_verzending.id", ondelete="CASCADE"), index=True
    )
