"""Outgoing messages to citizens, queued in the transaction of the change that causes them.

A dispatcher delivers them after commit (e-mail over SMTP, SMS through a gateway) and records
the outcome here; a rolled-back change rolls its messages back too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import Base, UtcDateTime, UuidMixin


class Bericht(UuidMixin, Base):
    __tablename__ = "berichten_bericht"

    kanaal: Mapped[str] = mapped_column(String(20))  # email | sms
    ontvanger: Mapped[str] = mapped_column(String(254))  # e-mail address or phone number
    onderwerp: Mapped[str] = mapped_column(String(200), default="")
    tekst: Mapped[str] = mapped_column(Text)
    bron: Mapped[str] = mapped_column(String(100))  # what queued it, e.g. a verification
    referentie: Mapped[str] = mapped_column(String(1000), default="")  # URL it is about
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(20), default="wachtrij", index=True)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
