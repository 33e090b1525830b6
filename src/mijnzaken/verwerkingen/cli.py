"""`mijnzaken verwerkingen seal | verify | purge`: the operator's tools for the processing log."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from mijnzaken.core.db import Database
from mijnzaken.core.settings import get_settings

verwerkingen_app = typer.Typer(
    help="Verwerkingenlogging: de hashketen verzegelen en controleren, bewaartermijnen handhaven."
)


def _database() -> Database:
    return Database(get_settings().database_url)


@verwerkingen_app.command("seal")
def seal() -> None:
    """Link every committed entry that has no place in the chain yet."""

    async def run() -> int:
        database = _database()
        try:
            from mijnzaken.verwerkingen import sealer

            return await sealer.seal_all(database)
        finally:
            await database.dispose()

    typer.echo(f"{asyncio.run(run())} verwerkingsacties verzegeld.")


@verwerkingen_app.command("verify")
def verify(
    seal_first: Annotated[
        bool, typer.Option("--seal/--no-seal", help="Eerst openstaande regels verzegelen.")
    ] = True,
) -> None:
    """Walk the hash chain and name every changed, deleted or inserted row (exit 1 if any)."""
    from mijnzaken.verwerkingen import keten, sealer

    async def run() -> keten.Rapport:
        database = _database()
        try:
            if seal_first:
                await sealer.seal_all(database)
            async with database.transaction() as session:
                return await keten.verify(session)
        finally:
            await database.dispose()

    rapport = asyncio.run(run())
    typer.echo(
        f"{rapport.gecontroleerd} schakels gecontroleerd ({rapport.gewist} gewist na hun "
        f"bewaartermijn), {rapport.niet_verzegeld} nog niet verzegeld; kop: volgnummer "
        f"{rapport.kop_volgnummer}, hash {rapport.kop_hash}."
    )
    if rapport.in_orde:
        typer.echo("De keten is in orde.")
        return
    for b in rapport.bevindingen:
        waar = f"volgnummer {b.volgnummer}" if b.volgnummer is not None else "de kop"
        typer.echo(f"FOUT [{b.soort}] {waar}: {b.toelichting}", err=False)
    raise typer.Exit(1)


@verwerkingen_app.command("purge")
def purge() -> None:
    """Erase the entries whose bewaartermijn has passed, keeping the chain verifiable."""
    from mijnzaken.verwerkingen import keten, sealer

    async def run() -> int:
        database = _database()
        try:
            await sealer.seal_all(database)
            async with database.transaction() as session:
                return await keten.purge(session)
        finally:
            await database.dispose()

    typer.echo(f"{asyncio.run(run())} verwerkingsacties gewist na hun bewaartermijn.")
