"""Queue a message to a citizen (delivery is the dispatcher's work, after commit)."""

from __future__ import annotations

from typing import Literal

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
