"""Queue a message to a citizen (delivery is the dispatcher's work, after commit)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.berichten.models import Bericht
from mijnzaken.core import clock

Kanaal = Literal["email", "sms"]


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
    """Add an outgoing message to the current transaction, status `wachtrij`."""
    bericht = Bericht(
        kanaal=kanaal,
        ontvanger=ontvanger,
        onderwerp=onderwerp,
        tekst=tekst,
        bron=bron,
        referentie=referentie,
        aangemaakt_op=clock.now(),
        status="wachtrij",
        pogingen=0,
    )
    session.add(bericht)
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
