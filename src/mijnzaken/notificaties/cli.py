"""`mijnzaken notificaties …`: the operator's view of deliveries (the same as the beheer
extension of the API)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Annotated

import typer

from mijnzaken.core.db import Database, iso
from mijnzaken.core.settings import get_settings

notificaties_app = typer.Typer(
    help="Notificaties: de wachtrij van afleveringen bekijken en beheren."
)


@notificaties_app.command("status")
def status() -> None:
    """Queue depth, oldest undelivered, parked count and failing subscribers."""
    from mijnzaken.notificaties import beheer
    from mijnzaken.notificaties.delivery import delivery_queue

    settings = get_settings()

    async def run() -> beheer.Status:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                return await beheer.status(session, delivery_queue(settings))
        finally:
            await database.dispose()

    state = asyncio.run(run())
    typer.echo(f"wachtend:   {state.pending}")
    oldest = (
        f"{iso(state.oldest_pending)} ({state.oldest_age:.0f} s)" if state.oldest_pending else "-"
    )
    typer.echo(f"oudste:     {oldest}")
    typer.echo(f"geparkeerd: {state.parked}")
    typer.echo(f"falende abonnementen: {len(state.failing)}")
    for f in state.failing:
        typer.echo(
            f"  {f.abonnement or '-'}  {f.callback_url}  wachtend {f.waiting}, "
            f"sinds {iso(f.since)}: {f.last_error}"
        )


@notificaties_app.command("geparkeerd")
def geparkeerd(
    limit: Annotated[int, typer.Option("--max", min=1, help="Hoeveel er ten hoogste.")] = 100,
) -> None:
    """List parked deliveries: id, abonnement, message and the last error."""
    from mijnzaken.notificaties import beheer

    settings = get_settings()

    async def run() -> list[tuple[str, str, str, str]]:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                return await beheer.parked(session, limit)
        finally:
            await database.dispose()

    rows = asyncio.run(run())
    for delivery, target, what, error in rows:
        typer.echo(f"{delivery}  {target}  {what}  {error}")
    typer.echo(f"{len(rows)} geparkeerde afleveringen getoond.")


@notificaties_app.command("opnieuw")
def opnieuw(
    afgeleverd: Annotated[
        bool,
        typer.Option("--afgeleverd", help="Speel al afgeleverde opnieuw af (anders: geparkeerde)."),
    ] = False,
    abonnement: Annotated[
        str | None, typer.Option("--abonnement", help="Alleen voor dit abonnement (UUID).")
    ] = None,
    notificatie: Annotated[
        str | None, typer.Option("--notificatie", help="Alleen deze notificatie (UUID).")
    ] = None,
    aflevering: Annotated[
        str | None, typer.Option("--aflevering", help="Alleen deze aflevering (UUID).")
    ] = None,
    sinds: Annotated[
        str | None, typer.Option("--sinds", help="Alleen vanaf dit tijdstip (ISO 8601).")
    ] = None,
) -> None:
    """Offer parked deliveries again now (or, with --afgeleverd, replay delivered ones)."""
    from mijnzaken.core.jobs import DONE, PARKED
    from mijnzaken.notificaties import beheer
    from mijnzaken.notificaties.delivery import delivery_queue

    settings = get_settings()
    try:
        since = dt.datetime.fromisoformat(sinds) if sinds else None
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        ids = [uuid.UUID(v) if v else None for v in (abonnement, notificatie, aflevering)]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                return await beheer.requeue(
                    session,
                    delivery_queue(settings),
                    state=DONE if afgeleverd else PARKED,
                    abonnement=ids[0],
                    notificatie=ids[1],
                    delivery=ids[2],
                    since=since,
                )
        finally:
            await database.dispose()

    typer.echo(f"{asyncio.run(run())} afleveringen opnieuw aangeboden.")
