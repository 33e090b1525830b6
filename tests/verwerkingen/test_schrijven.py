"""How the processing log's entries reach the database: on PostgreSQL the acties and their
objecten of a batch go in one statement, and the writer's batch (or a read's own entry) is
that one statement in autocommit, without BEGIN and COMMIT; on every database the rows hold
exactly what a plain INSERT of the entry's values would store."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import Connection, event, insert, select, text

from mijnzaken.core.db import Database
from mijnzaken.verwerkingen import keten, schrijver, service
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject
from tests.zaken import factories as zf

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
BSN = "999993653"


def _postgresql(database: Database) -> bool:
    return database.engine.dialect.name == "postgresql"


def _entry(bsn: str = BSN, **kwargs: Any) -> schrijver.Entry:
    made = service.entry(
        activiteit="dossier inzien",
        betrokkenen=[service.Betrokkene("BSN", bsn)],
        systeem="zaaksysteem",
        **kwargs,
    )
    assert made is not None
    return made


class Traffic:
    """What the processing log sent to the database while it was recorded: its statements
    (on the engine and on the writer's own SQLite engine) and, on PostgreSQL, the BEGINs and
    COMMITs asyncpg sent (each a round trip)."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.transactions: list[str] = []

    @property
    def log_statements(self) -> list[str]:
        return [s for s in self.statements if "verwerkingen_" in s]


@pytest.fixture
def traffic(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Callable[[], Awaitable[Any]]], Awaitable[Traffic]]:
    async def record(send: Callable[[], Awaitable[Any]]) -> Traffic:
        seen = Traffic()

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            seen.statements.append(statement)

        engines = [database.engine.sync_engine]
        blocking = schrijver.blocking_engine(database)
        if blocking is not None:
            engines.append(blocking)
        if _postgresql(database):
            import asyncpg.transaction

            start = asyncpg.transaction.Transaction.start
            commit = asyncpg.transaction.Transaction.commit

            async def counted_start(self: Any) -> None:
                seen.transactions.append("BEGIN")
                await start(self)

            async def counted_commit(self: Any) -> None:
                seen.transactions.append("COMMIT")
                await commit(self)

            monkeypatch.setattr(asyncpg.transaction.Transaction, "start", counted_start)
            monkeypatch.setattr(asyncpg.transaction.Transaction, "commit", counted_commit)
        for engine in engines:
            event.listen(engine, "before_cursor_execute", before)
        try:
            await send()
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", before)
            monkeypatch.undo()
        return seen

    return record


async def _count(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int(
            (await conn.execute(text("SELECT count(*) FROM verwerkingen_verwerktobject"))).scalar()
            or 0
        )


async def test_the_writers_batch_is_one_statement_without_begin_or_commit_on_postgresql(
    client: Any, superuser: dict[str, str], database: Database, traffic: Any
) -> None:
    zaak = await zf.create_zaak_of_citizen(database, BSN)
    await client.get(zf.url(zaak), headers={**superuser, **CRS})  # warm: catalogue cache

    async def read() -> None:
        response = await client.get(zf.url(zaak), headers={**superuser, **CRS})
        assert response.status_code == 200

    seen = await traffic(read)
    assert await _count(database) == 2
    if _postgresql(database):
        # the acties and their objecten in one statement, which commits itself: one round
        # trip for the entry (it was BEGIN, two INSERTs and COMMIT)
        assert len(seen.log_statements) == 1, seen.log_statements
        assert seen.transactions == []
    else:
        # SQLite cannot INSERT in a WITH: the acties, then their objecten
        assert len(seen.log_statements) == 2, seen.log_statements


async def test_a_read_without_a_writer_stores_its_entry_in_one_statement_on_postgresql(
    database: Database, traffic: Any
) -> None:
    async def read() -> None:
        async with database.reading() as session:
            service.log(
                session,
                activiteit="dossier inzien",
                betrokkenen=[service.Betrokkene("BSN", BSN)],
                systeem="zaaksysteem",
            )
            assert schrijver.voor(session) is None

    seen = await traffic(read)
    assert await _count(database) == 1
    if _postgresql(database):
        assert len(seen.log_statements) == 1, seen.log_statements
        assert seen.transactions == []
    else:
        assert len(seen.log_statements) == 2, seen.log_statements


async def test_a_writing_transaction_sends_its_entries_in_a_fixed_number_of_statements(
    database: Database, traffic: Any
) -> None:
    async def change() -> None:
        async with database.transaction() as session:
            for bsn in ("999920001", "999920002", "999920003", "999920004"):
                service.log(
                    session,
                    activiteit="dossier inzien",
                    betrokkenen=[service.Betrokkene("BSN", bsn)],
                    systeem="zaaksysteem",
                )

    seen = await traffic(change)
    assert await _count(database) == 4
    # SQLite: the acties in one executemany, their ids in one query, then the objecten (not
    # an INSERT per actie, which matching the ids to a multi-row RETURNING would take)
    assert len(seen.log_statements) == (1 if _postgresql(database) else 3), seen.log_statements


def _unusual_entries() -> list[schrijver.Entry]:
    """Entries with what a plain text parameter carries but JSON has to escape, moments in
    another zone than UTC, empty and several data subjects' kinds of data, and the nullable
    columns both empty and filled."""
    odd = 'quote " backslash \\ slash / newline \n tab \t bell \x07 é ü € 😀 \u2028 end'
    first = _entry(
        "999920001",
        actor_weergave=odd,
        namens=odd[:40],
        grondslag="Art. 6 lid 1 sub e AVG",
        verwerking_naam="Zaken",
        handeling_naam=odd,
        verwerkingsactiviteit_id=uuid.uuid4(),
        verwerkingsactiviteit_url="https://example.nl/activiteit?x=1&y=ü",
        vertrouwelijkheid="vertrouwelijk",
        bewaartermijn="P1Y6M",
        trace_id="0af7651916cd43dd8448eb211c80319c",
        tijdstip=dt.datetime(
            2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=2))
        ),
    )
    several = service.entry(
        activiteit="klantbeeld bekijken",
        betrokkenen=[
            service.Betrokkene(
                "BSN", "999920002", betrokkenheid="rol", soorten_gegevens=("naam", odd)
            ),
            service.Betrokkene("KVK", "12345678", objecttype="organisatie"),
        ],
        systeem="portaal",
        bewaartermijn="",
    )
    assert several is not None
    return [first, several]


def _reference_insert(connection: Connection, entries: list[schrijver.Entry]) -> None:
    """The entries as SQLAlchemy inserts their values one row at a time (the reference);
    each object with its copy of its actie's moment."""
    actie_table: Any = Verwerkingsactie.__table__
    object_table: Any = VerwerktObject.__table__
    for values, objecten in entries:
        row_id = connection.execute(
            insert(actie_table).values(**values, actueel=True).returning(actie_table.c.id)
        ).scalar_one()
        for o in objecten:
            connection.execute(
                insert(object_table).values(
                    **o, actie_versie_id=row_id, tijdstip=values["tijdstip"]
                )
            )


async def _stored(database: Database) -> dict[Any, Any]:
    """Every stored column of every row (json as the database holds its text), by actie."""
    json_text = (
        "soorten_gegevens::text" if _postgresql(database) else "CAST(soorten_gegevens AS TEXT)"
    )
    async with database.engine.connect() as conn:
        acties = (await conn.execute(select(Verwerkingsactie.__table__))).mappings().all()
        objecten = (
            await conn.execute(
                text(
                    "SELECT actie_versie_id, uuid, volgorde, objecttype, soort_object_id, "
                    f"object_id, betrokkenheid, {json_text} AS soorten_gegevens, tijdstip "
                    "FROM verwerkingen_verwerktobject ORDER BY actie_versie_id, volgorde"
                )
            )
        ).all()
        kinds = {}
        if _postgresql(database):
            # the moments and identifiers as the database itself writes them
            kinds = dict(
                (
                    await conn.execute(
                        text(
                            "SELECT actie_id::text, tijdstip::text || ' ' || "
                            "coalesce(bewaar_tot::text, '-') FROM verwerkingen_verwerkingsactie"
                        )
                    )
                ).all()
            )
    by_id = {a["id"]: a["actie_id"] for a in acties}
    stored: dict[Any, Any] = {}
    for a in acties:
        row = {k: v for k, v in a.items() if k != "id"}
        row["objecten"] = [
            tuple(o)[1:] for o in objecten if by_id[o.actie_versie_id] == a["actie_id"]
        ]
        row["as text"] = kinds.get(str(a["actie_id"]))
        stored[a["actie_id"]] = row
    return stored


async def _delete_all(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM verwerkingen_verwerktobject"))
        await conn.execute(text("DELETE FROM verwerkingen_verwerkingsactie"))


async def test_write_stores_what_a_plain_insert_of_the_entry_stores(database: Database) -> None:
    entries = _unusual_entries()
    async with database.engine.begin() as conn:
        await conn.run_sync(_reference_insert, entries)
    reference = await _stored(database)
    await _delete_all(database)

    async with schrijver.running(database) as writer:
        await writer.submit(entries)
    assert await _stored(database) == reference

    # and the content hash of each row still matches what is stored: the chain verifies
    async with database.transaction() as session:
        assert await keten.seal(session) == 2
    async with database.transaction() as session:
        rapport = await keten.verify(session)
    assert rapport.in_orde, rapport.bevindingen
    assert rapport.gecontroleerd == 2


async def test_a_batch_numbers_its_acties_in_the_order_it_was_given(database: Database) -> None:
    entries = [_entry(f"99993000{i}") for i in range(6)]
    async with database.engine.begin() as conn:
        await conn.run_sync(schrijver.write, entries)
    async with database.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(Verwerkingsactie.id, Verwerkingsactie.actie_id).order_by(Verwerkingsactie.id)
            )
        ).all()
        objecten = (
            await conn.execute(select(VerwerktObject.actie_versie_id, VerwerktObject.object_id))
        ).all()
    assert [actie_id for _id, actie_id in rows] == [values["actie_id"] for values, _o in entries]
    # each data subject with its own actie
    of_row = dict(objecten)
    assert [of_row[row_id] for row_id, _a in rows] == [f"99993000{i}" for i in range(6)]


async def test_an_entry_with_a_moment_without_zone_is_refused_alone(
    database: Database,
) -> None:
    good = _entry("999940001")
    naive = _entry("999940002")
    naive[0]["tijdstip"] = dt.datetime(2024, 1, 1, 12, 0)  # no zone: which moment is unknown
    async with schrijver.running(database) as writer:
        # handed over together: one batch, of which only the naive entry is refused
        futures = [writer.submit([good]), writer.submit([naive])]
        results = await asyncio.gather(*futures, return_exceptions=True)
    assert results[0] is None
    assert isinstance(results[1], schrijver.LogboekOnbeschikbaar)
    assert await _count(database) == 1


async def test_a_handed_over_entry_is_sent_in_the_next_event_loop_turn_on_postgresql(
    database: Database,
) -> None:
    """The request's entry starts its batch itself, not through a task of the writer that
    has to be woken first: one turn of the event loop less for every logged read."""
    if not _postgresql(database):
        pytest.skip("on SQLite the batch is written in a thread, whose start is not a turn")
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    async with schrijver.running(database) as writer:
        await writer.submit([_entry("999950001")])  # the writer's connection is open now
        event.listen(database.engine.sync_engine, "before_cursor_execute", before)
        try:
            future = writer.submit([_entry("999950002")])
            await asyncio.sleep(0)  # one turn: the batch's statement is on its way
            assert len(sent) == 1, sent
            await future
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", before)
    assert await _count(database) == 2
