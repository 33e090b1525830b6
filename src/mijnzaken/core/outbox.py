"""The transactional outbox: side effects are rows written with the change that causes them.

A dispatcher delivers them after commit (the Notificaties register); a rolled-back change rolls
its rows back too, so nothing is sent for it, and nothing committed is lost before delivery.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core import clock
from mijnzaken.core.db import Base, UtcDateTime


class OutboxMessage(Base):
    """One notification waiting for delivery, in the Notificaties API message format."""

    __tablename__ = "core_outbox"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    kanaal: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(
        UtcDateTime, nullable=True, index=True
    )


def notify(
    session: AsyncSession,
    *,
    kanaal: str,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    actie: str,
    kenmerken: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue a Notificaties API message in the current transaction."""
    moment = clock.now()
    message = OutboxMessage(
        created_at=moment,
        kanaal=kanaal,
        payload={
            "kanaal": kanaal,
            "hoofdObject": hoofd_object,
            "resource": resource,
            "resourceUrl": resource_url,
            "actie": actie,
            "aanmaakdatum": moment.isoformat().replace("+00:00", "Z"),
            "kenmerken": kenmerken or {},
        },
    )
    session.add(message)
    return message
