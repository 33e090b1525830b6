"""The operating interface: `mijnzaken serve | worker | migrate | applicatie … | demo … |
notificaties … | berichten … | verwerkingen … | zaken …`."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Annotated, Any

import typer
import uvicorn

from mijnzaken.berichten.cli import berichten_app
from mijnzaken.core.settings import get_settings
from mijnzaken.notificaties.cli import notificaties_app
from mijnzaken.verwerkingen.cli import verwerkingen_app
from mijnzaken.zaken.cli import zaken_app

app = typer.Typer(
    help="MijnZaken: zaken, documenten en status voor gemeenten.", no_args_is_help=True
)
applicatie_app = typer.Typer(help="API-clients registreren en hun JWT-secrets beheren.")
demo_app = typer.Typer(help="Demonstratiegegevens.")
documenten_app = typer.Typer(help="Documenten: de opslag van de inhoud onderhouden.")
app.add_typer(applicatie_app, name="applicatie")
app.add_typer(demo_app, name="demo")
app.add_typer(documenten_app, name="documenten")
app.add_typer(notificaties_app, name="notificaties")
app.add_typer(berichten_app, name="berichten")
app.add_typer(verwerkingen_app, name="verwerkingen")
app.add_typer(zaken_app, name="zaken")


@app.command()
def worker(
    metrics_port: Annotated[
        int, typer.Option("--metrics-port", help="Prometheus-metrics op deze poort (0: geen).")
    ] = 0,
) -> None:
    """Run the background work alone, until stopped: route the outbox and deliver
    notificaties, deliver citizens' messages, mirror zaak relations and links to remote
    documents in their registers, and seal the processing log's new entries."""
    from mijnzaken import achtergrond
    from mijnzaken.core.db import Database

    settings = get_settings()
    if metrics_port:
        from prometheus_client import start_http_server

        from mijnzaken.notificaties.metrics import REGISTRY

        start_http_server(metrics_port, addr="127.0.0.1", registry=REGISTRY)

    async def run() -> None:
        database = Database(settings.database_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            async with achtergrond.running(settings, database):
                await stop.wait()
        finally:
            await database.dispose()

    typer.echo("Achtergrondwerk gestart (stoppen met Ctrl-C of SIGTERM).")
    _run_fast(run())
    typer.echo("Achtergrondwerk gestopt; onderhanden werk afgerond of vrijgegeven.")


def _run_fast(main: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop where it is installed (as `serve` does through uvicorn): the worker's
    event loop handles several wake-ups per delivery, and uvloop does that in less CPU."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a platform without uvloop
        asyncio.run(main)
        return
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(main)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adres om op te luisteren.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Poort.")] = 8000,
    workers: Annotated[int, typer.Option(help="Aantal processen.")] = 1,
) -> None:
    """Serve every register (and the web pages) over HTTP."""
    from mijnzaken.app import REGISTERS

    base = get_settings().base_url or f"http://{host}:{port}"
    typer.echo(f"MijnZaken op {base}/")
    for path, title, _factory in REGISTERS:
        typer.echo(f"  {title:<20} {base}{path}/   documentatie: {base}{path}/schema/")
    uvicorn.run(
        "mijnzaken.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )


@app.command()
def migrate() -> None:
    """Bring the configured database to the newest schema."""
    from mijnzaken.core.migrate import upgrade

    upgrade(get_settings().database_url)
    typer.echo("Database bijgewerkt.")


@documenten_app.command("opruimen")
def documenten_opruimen(
    minuten: Annotated[
        int, typer.Option("--ouder-dan", help="Alleen inhoud ouder dan zoveel minuten.")
    ] = 60,
    proef: Annotated[
        bool, typer.Option("--proef", help="Alleen tonen, niets verwijderen.")
    ] = False,
) -> None:
    """Remove stored content that no document refers to (left by a crashed process)."""
    import datetime as dt

    from mijnzaken.core.db import Database
    from mijnzaken.documenten import opslag
    from mijnzaken.documenten.opruimen import opruimen

    settings = get_settings()

    async def run() -> None:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                result = await opruimen(
                    session,
                    opslag.voor(settings),
                    ouder_dan=dt.timedelta(minutes=minuten),
                    proef=proef,
                )
        finally:
            await database.dispose()
        actie = "zou verwijderen" if proef else "verwijderd"
        typer.echo(
            f"{len(result.verwijderd)} onbekende inhoud {actie}, {result.bewaard} bewaard, "
            f"{result.staging} onafgemaakte uploads {actie}."
        )

    asyncio.run(run())


@documenten_app.command("spiegels")
def documenten_spiegels(
    opnieuw: Annotated[
        bool,
        typer.Option("--opnieuw", help="Geparkeerde spiegelingen nu opnieuw proberen."),
    ] = False,
) -> None:
    """Links to documents of remote Documenten APIs still to be mirrored there: how many
    wait and how many are parked; `--opnieuw` makes the parked ones due now."""
    from mijnzaken.core.db import Database
    from mijnzaken.core.jobs import PARKED
    from mijnzaken.documenten import mirror
    from mijnzaken.documenten.models import RemoteRelatie

    settings = get_settings()
    queue = mirror.mirror_queue(settings)

    async def run() -> None:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                requeued = (
                    await queue.requeue(session, [RemoteRelatie.state == PARKED]) if opnieuw else 0
                )
                stats = await queue.stats(session)
        finally:
            await database.dispose()
        if opnieuw:
            typer.echo(f"{requeued} geparkeerde spiegelingen opnieuw ingepland.")
        oldest = stats.oldest_pending.isoformat() if stats.oldest_pending else "-"
        typer.echo(f"wachtend: {stats.pending}, geparkeerd: {stats.parked}, oudste: {oldest}")

    asyncio.run(run())


@applicatie_app.command("create")
def applicatie_create(
    client_id: Annotated[str, typer.Option("--client-id", help="De client_id in de JWT.")],
    secret: Annotated[str, typer.Option("--secret", help="Het gedeelde geheim (HS256).")],
    label: Annotated[str | None, typer.Option("--label", help="Leesbare naam.")] = None,
    alle_autorisaties: Annotated[
        bool, typer.Option("--alle-autorisaties", help="Geef alle rechten.")
    ] = False,
) -> None:
    """Register a client's secret and an Applicatie for it (again: update it)."""
    from mijnzaken.operations import ensure_applicatie

    _warn_short(secret)

    try:
        asyncio.run(ensure_applicatie(client_id, secret, label or client_id, alle_autorisaties))
    except ValueError as exc:  # a client id reserved for employee roles
        typer.echo(f"Niet opgeslagen: {exc}.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Applicatie voor client_id {client_id!r} geregistreerd.")


def _warn_short(secret: str) -> None:
    if len(secret.encode()) < 32:
        typer.echo(
            "Let op: een secret korter dan 32 bytes is zwak (RFC 7518 3.2); kies een langer.",
            err=True,
        )


@applicatie_app.command("secret")
def applicatie_secret(
    client_id: Annotated[str, typer.Option("--client-id", help="De client_id in de JWT.")],
    secret: Annotated[str, typer.Option("--secret", help="Het gedeelde geheim (HS256).")],
) -> None:
    """Register or rotate only the JWT secret of a client id."""
    from mijnzaken.operations import set_secret

    _warn_short(secret)

    try:
        asyncio.run(set_secret(client_id, secret))
    except ValueError as exc:  # a client id reserved for employee roles
        typer.echo(f"Niet opgeslagen: {exc}.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Secret voor client_id {client_id!r} opgeslagen.")


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo municipality (idempotent: a second run adds nothing)."""
    from mijnzaken.demo import load

    created = asyncio.run(load())
    typer.echo("Demogegevens geladen." if created else "Demogegevens waren al geladen.")


@demo_app.command("generate")
def demo_generate(
    citizens: Annotated[int, typer.Option("--citizens", min=1, help="Aantal burgers.")] = 1000,
    zaken: Annotated[int, typer.Option("--zaken", min=0, help="Aantal zaken.")] = 10000,
    seed: Annotated[int, typer.Option("--seed", help="Startwaarde voor herhaalbare data.")] = 1,
    documenten: Annotated[
        int, typer.Option("--documenten", min=0, help="Aantal documenten per zaak.")
    ] = 0,
    portaal_burgers: Annotated[
        int,
        typer.Option(
            "--portaal-burgers",
            min=0,
            help="Extra burgers van wie het portaal alles toont (zaken en documenten).",
        ),
    ] = 0,
    portaal_zaken: Annotated[
        int, typer.Option("--portaal-zaken", min=1, help="Zaken per portaalburger.")
    ] = 50,
    portaal_documenten: Annotated[
        int, typer.Option("--portaal-documenten", min=0, help="Documenten per portaalburger.")
    ] = 200,
) -> None:
    """Fill the register with generated zaken (and documents) for load tests (bulk inserts)."""
    from mijnzaken.core.db import Database
    from mijnzaken.generate import Portaal, generate

    settings = get_settings()
    portaal = Portaal(portaal_burgers, portaal_zaken, portaal_documenten)

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            total = zaken + portaal_burgers * portaal_zaken
            with typer.progressbar(length=total, label="Zaken genereren") as bar:
                return await generate(
                    settings,
                    database,
                    citizens=citizens,
                    zaken=zaken,
                    seed=seed,
                    documenten=documenten,
                    portaal=portaal,
                    progress=bar.update,
                )
        finally:
            await database.dispose()

    added = asyncio.run(run())
    typer.echo(f"{added} zaken toegevoegd.")


if __name__ == "__main__":
    app()
