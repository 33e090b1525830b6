"""`mijnzaken berichten …`: the operator's view of outgoing messages, retrying parked ones,
and a delivery process of its own. In demo mode without a channel configured, this is where
verification codes can be read: they are stored, never printed by the server."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer
from sqlalchemy import select

from mijnzaken.core.db import Database, iso
from mijnzaken.core.settings import get_settings

berichten_app = typer.Typer(help="Berichten aan inwoners: de wachtrij bekijken en versturen.")


@berichten_app.command("lijst")
def lijst(
    status: Annotated[
        str | None,
        typer.Option(help="Alleen berichten met deze status: wachtrij, verzonden of mislukt."),
    ] = None,
    limit: Annotated[int, typer.Option("--max", min=1, help="Hoeveel er ten hoogste.")] = 20,
) -> None:
    """The newest outgoing messages with their status and text (for the operator only)."""
    from mijnzaken.berichten import service

    settings = get_settings()

    async def run() -> list[tuple[str, ...]]:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                found = await service.lijst(session, status=status, limit=limit)
                return [
                    (
                        str(b.uuid),
                        iso(b.aangemaakt_op) or "",
                        b.kanaal,
                        b.ontvanger,
                        b.status,
                        str(b.pogingen),
                        b.tekst,
                    )
                    for b in found
                ]
        finally:
            await database.dispose()

    rows = asyncio.run(run())
    for ident, moment, kanaal, ontvanger, stand, pogingen, tekst in rows:
        typer.echo(f"{ident}  {moment}  {kanaal}  {ontvanger}  {stand} ({pogingen} pogingen)")
        typer.echo(f"    {tekst}")
    typer.echo(f"{len(rows)} berichten getoond.")


@berichten_app.command("opnieuw")
def opnieuw() -> None:
    """Offer the messages that failed (status mislukt) again now."""
    from mijnzaken.berichten.bezorging import bericht_queue, sync_status
    from mijnzaken.berichten.models import Verzending
    from mijnzaken.core.jobs import PARKED

    settings = get_settings()

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                parked = list(
                    (
                        await session.execute(
                            select(Verzending.id).where(Verzending.state == PARKED)
                        )
                    ).scalars()
                )
                count = await bericht_queue(settings).requeue(session, [Verzending.id.in_(parked)])
                await sync_status(session, parked)
                return count
        finally:
            await database.dispose()

    typer.echo(f"{asyncio.run(run())} berichten staan weer in de wachtrij.")


@berichten_app.command("bezorger")
def bezorger() -> None:
    """Deliver messages until stopped (`serve` does this in-process unless
    MIJNZAKEN_DISPATCHER=false)."""
    from mijnzaken.berichten.bezorging import Bezorger, ingesteld

    settings = get_settings()
    if not ingesteld(settings):
        typer.echo(
            "Geen kanaal ingesteld (MIJNZAKEN_SMTP_HOST of MIJNZAKEN_NOTIFY_API_URL): berichten "
            "blijven in de wachtrij; bekijk ze met `mijnzaken berichten lijst`.",
            err=True,
        )
        raise typer.Exit(1)

    async def run() -> None:
        database = Database(settings.database_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            await Bezorger(settings, database).run(stop)
        finally:
            await database.dispose()

    typer.echo("Bezorger gestart (stoppen met Ctrl-C of SIGTERM).")
    asyncio.run(run())
    typer.echo("Bezorger gestopt.")
