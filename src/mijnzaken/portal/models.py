"""Server-side sessions of the portal: the browser holds only a random token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import Base, UtcDateTime


class Sessie(Base):
    """One browser session: a login in progress or an established login. The cookie holds
    a random token; only its SHA-256 is stored, so a copy of the table opens no session."""

    __tablename__ = "portal_sessie"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(token), hex
    gegevens: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    csrf: Mapped[str] = mapped_column(String(64))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    laatst_actief: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
