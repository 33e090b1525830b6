"""`mijnzaken zaken spiegels`: the operator's view of the relations that are mirrored in remote
registers (zrc-024, zrc-025), and offering the parked ones again."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from sqlalchemy import select

from mijnzaken.core.db import Database, iso
from mijnzaken.core.settings import get_settings

zaken_app = typer.Typer(help="Zaken: de synchronisatie van relaties met andere registers.")


@zaken_app.command("spiegels")
def spiegels(
    opnieuw: Annotated[
        bool, typer.Option("--opnieuw", help="Geparkeerde spiegelingen nu opnieuw aanbieden.")
    ] = False,
    limit: Annotated[int, typer.Option("--max", min=1, help="Hoeveel er ten hoogste.")] = 20,
) -> None:
    """Waiting and parked mirror jobs: how many, the oldest, and the latest error of each."""
    from mijnzaken.core.jobs import DONE, PARKED
    from mijnzaken.zaken.models import Spiegeling
    from mijnzaken.zaken.spiegeling import spiegel_queue

    settings = get_settings()

    async def run() -> tuple[int, int, int, str, list[tuple[str, ...]]]:
        database = Database(settings.database_url)
        queue = spiegel_queue(settings)
        try:
            async with database.transaction() as session:
                again = 0
                if opnieuw:
                    again = await queue.requeue(session, [Spiegeling.state == PARKED])
                stats = await queue.stats(session)
                open_jobs = (
                    await session.execute(
                        select(Spiegeling)
                        .where(Spiegeling.state != DONE)
                        .order_by(Spiegeling.created_at, Spiegeling.id)
                        .limit(limit)
                    )
                ).scalars()
                return (
                    again,
                    stats.pending,
                    stats.parked,
                    iso(stats.oldest_pending) or "-",
                    [
                        (
                            f"{j.id}  {j.soort} {j.actie}  {j.state} ({j.attempts} pogingen)  "
                            f"{j.doel}",
                            j.last_error,
                        )
                        for j in open_jobs
                    ],
                )
        finally:
            await database.dispose()

    again, pending, parked, oldest, jobs = asyncio.run(run())
    if opnieuw:
        typer.echo(f"{again} spiegelingen staan weer in de wachtrij.")
    typer.echo(f"wachtend:     {pending}")
    typer.echo(f"geparkeerd:   {parked}")
    typer.echo(f"oudste:       {oldest}")
    for line, error in jobs:
        typer.echo(line)
        if error:
            typer.echo(f"    laatste fout: {error}")
