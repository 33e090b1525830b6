"""The transactional outbox: side effects are rows written with the change that causes them.

A dispatcher delivers them after commit (the Notificaties register routes each row to its
abonnementen, or forwards it to a remote router); a rolled-back change rolls its rows back too,
so nothing is sent for it, and nothing committed is lost before delivery.

A commit that wrote outbox rows (or other work for a dispatcher, `mark_work`) calls the
listeners registered with `on_commit`, so a dispatcher in the same process starts at once
instead of at its next poll.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, String, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from mijnzaken.core import clock
from mijnzaken.core.db import Base, UtcDateTime


class OutboxMessage(Base):
    """One notification waiting for delivery, in the Notificaties API message format."""

    __tablename__ = "core_outbox"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    kanaal: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


_WORK = "mijnzaken.outbox.work"
_listeners: list[Callable[[], None]] = []


def on_commit(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after every commit that wrote work for a dispatcher; returns the
    function that unregisters it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def mark_work(session: AsyncSession) -> None:
    """Note that this transaction creates work for a dispatcher (woken when it commits)."""
    session.info[_WORK] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_WORK, False):
        for listener in list(_listeners):
            listener()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_WORK, None)


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
    mark_work(session)
    return message
