"""Queue a message to a citizen (delivery is the runner's work, after commit: bezorging.py),
and the operator's view of the queue."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.berichten.models import WACHTRIJ, Bericht, Verzending
from mijnzaken.core import clock, outbox
from mijnzaken.core.jobs import PENDING

Kanaal = Literal["email", "sms"]
LOCK_NAME = "berichten"  # the runner's lock and the kind of work that wakes it
# how long a message is retried before it is parked as `mislukt` (an operator can retry it)
PARK_AFTER = dt.timedelta(hours=24)


def queue(
    session: AsyncSession,
    *,
    kanaal: Kanaal,
    ontvanger: str,
    tekst: str,
    bron: str,
    onderwerp: str = "",
    referentie: str = "",
) -> Bericht:
    """Add an outgoing message and its delivery job to the current transaction, status
    `wachtrij`: nothing is sent for a change that rolls back, nothing is lost after commit."""
    now = clock.now()
    bericht = Bericht(
        kanaal=kanaal,
        ontvanger=ontvanger,
        onderwerp=onderwerp,
        tekst=tekst,
        bron=bron,
        referentie=referentie,
        aangemaakt_op=now,
        status=WACHTRIJ,
        pogingen=0,
    )
    session.add(bericht)
    session.add(
        Verzending(
            bericht=bericht,
            state=PENDING,
            attempts=0,
            created_at=now,
            available_at=now,
            park_after=now + PARK_AFTER,
            last_error="",
        )
    )
    outbox.mark_work(session, LOCK_NAME)  # wakes this process's runner when the transaction commits
    return bericht


async def lijst(
    session: AsyncSession, *, status: str | None = None, limit: int = 50
) -> list[Bericht]:
    """The newest outgoing messages (all, or those with `status`), newest first: for the
    operator's `mijnzaken berichten lijst` and for tests that read a code as the citizen."""
    stmt = select(Bericht).order_by(Bericht.id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(Bericht.status == status)
    return list((await session.execute(stmt)).scalars())
