"""The hash chain: sealing links every committed entry in order, `verify` names a row that was
changed, deleted or inserted behind the log's back, and the purge keeps the chain whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, text, update
from typer.testing import CliRunner

from mijnzaken.verwerkingen import keten, service
from mijnzaken.verwerkingen.models import Keten, Verwerkingsactie, VerwerktObject

BSN = "999993653"


async def _log(database: Any, n: int, **kwargs: Any) -> None:
    async with database.transaction() as session:
        for i in range(n):
            service.log(
                session,
                activiteit=f"dossier ingezien {i}",
                betrokkenen=[service.Betrokkene("BSN", BSN)],
                systeem="zaaksysteem",
                **kwargs,
            )


async def _seal(database: Any) -> int:
    async with database.transaction() as session:
        return await keten.seal(session)


async def _verify(database: Any) -> keten.Rapport:
    async with database.transaction() as session:
        return await keten.verify(session)


async def test_sealing_links_every_entry_in_order_and_verify_is_green(database: Any) -> None:
    await _log(database, 3)
    assert await _seal(database) == 3
    await _log(database, 2)
    assert await _seal(database) == 2
    assert await _seal(database) == 0
    rapport = await _verify(database)
    assert rapport.in_orde, rapport.bevindingen
    assert (rapport.gecontroleerd, rapport.kop_volgnummer, rapport.niet_verzegeld) == (5, 5, 0)
    async with database.transaction() as session:
        rows = (
            await session.execute(select(Verwerkingsactie).order_by(Verwerkingsactie.id))
        ).scalars()
        assert [r.volgnummer for r in rows] == [1, 2, 3, 4, 5]


async def test_a_rolled_back_request_leaves_no_entry(database: Any) -> None:
    try:
        async with database.transaction() as session:
            service.log(
                session,
                activiteit="ingezien",
                betrokkenen=[service.Betrokkene("BSN", BSN)],
                systeem="x",
            )
            await session.flush()
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    async with database.transaction() as session:
        assert (await session.execute(select(Verwerkingsactie))).first() is None


async def test_verify_names_a_row_changed_behind_the_logs_back(database: Any) -> None:
    await _log(database, 4)
    await _seal(database)
    async with database.transaction() as session:
        target = (
            await session.execute(select(Verwerkingsactie).where(Verwerkingsactie.volgnummer == 2))
        ).scalar_one()
        await session.execute(
            text(
                "UPDATE verwerkingen_verwerkingsactie SET systeem = 'iemand anders' WHERE id = :i"
            ),
            {"i": target.id},
        )
    rapport = await _verify(database)
    assert not rapport.in_orde
    assert [(b.soort, b.volgnummer, b.rij) for b in rapport.bevindingen] == [
        ("gewijzigd", 2, target.id)
    ]


async def test_verify_names_a_changed_data_subject(database: Any) -> None:
    await _log(database, 2)
    await _seal(database)
    async with database.transaction() as session:
        await session.execute(update(VerwerktObject).values(object_id="999990019"))
    rapport = await _verify(database)
    assert {b.soort for b in rapport.bevindingen} == {"gewijzigd"}
    assert len(rapport.bevindingen) == 2


async def test_verify_names_deleted_rows_in_the_middle_and_at_the_end(database: Any) -> None:
    await _log(database, 5)
    await _seal(database)
    async with database.transaction() as session:
        await session.execute(
            delete(Verwerkingsactie).where(Verwerkingsactie.volgnummer.in_([3, 5]))
        )
    rapport = await _verify(database)
    soorten = [(b.soort, b.volgnummer) for b in rapport.bevindingen]
    assert ("verwijderd", 3) in soorten
    assert ("kop", 5) in soorten


async def test_verify_names_a_row_inserted_with_a_forged_link(database: Any) -> None:
    await _log(database, 3)
    await _seal(database)
    async with database.transaction() as session:
        # shift the last link up and put a forged row in its place
        await session.execute(
            update(Verwerkingsactie).where(Verwerkingsactie.volgnummer == 3).values(volgnummer=4)
        )
        await session.execute(update(Keten).values(volgnummer=4))
        service.log(
            session,
            activiteit="vals",
            betrokkenen=[service.Betrokkene("BSN", BSN)],
            systeem="x",
        )
    async with database.transaction() as session:
        await session.execute(
            update(Verwerkingsactie)
            .where(Verwerkingsactie.volgnummer.is_(None))
            .values(volgnummer=3, keten_hash="f" * 64)
        )
    rapport = await _verify(database)
    assert [(b.soort, b.volgnummer) for b in rapport.bevindingen] == [
        ("ingevoegd", 3),
        ("ingevoegd", 4),
    ]


async def test_purge_erases_expired_entries_and_keeps_the_chain_verifiable(
    database: Any,
) -> None:
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    await _log(database, 2, bewaartermijn="P1Y", tijdstip=long_ago)
    await _log(database, 1, bewaartermijn="P10Y", tijdstip=long_ago)
    await _log(database, 1)
    await _seal(database)
    async with database.transaction() as session:
        assert await keten.purge(session) == 2
    async with database.transaction() as session:
        rows = list(
            (
                await session.execute(select(Verwerkingsactie).order_by(Verwerkingsactie.id))
            ).scalars()
        )
        assert [r.gewist_op is not None for r in rows] == [True, True, False, False]
        assert rows[0].systeem == ""
        objects = (await session.execute(select(VerwerktObject.actie_versie_id))).scalars()
        assert set(objects) == {rows[2].id, rows[3].id}
    rapport = await _verify(database)
    assert rapport.in_orde, rapport.bevindingen
    assert rapport.gewist == 2
    async with database.transaction() as session:
        assert await keten.purge(session) == 0


async def test_purge_waits_for_an_entry_to_be_sealed(database: Any) -> None:
    await _log(database, 1, bewaartermijn="P1D", tijdstip=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    async with database.transaction() as session:
        assert await keten.purge(session) == 0
    await _seal(database)
    async with database.transaction() as session:
        assert await keten.purge(session) == 1


def test_cli_verify_exits_non_zero_and_names_the_row(
    database_url: str, monkeypatch: Any, database: Any
) -> None:
    import asyncio

    from mijnzaken.cli import app

    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", database_url)
    runner = CliRunner()
    asyncio.run(_cli_setup(database_url))
    ok = runner.invoke(app, ["verwerkingen", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "in orde" in ok.output
    asyncio.run(_tamper(database_url))
    bad = runner.invoke(app, ["verwerkingen", "verify"])
    assert bad.exit_code == 1
    assert "volgnummer 1" in bad.output
    assert "gewijzigd" in bad.output
    assert BSN not in bad.output
    purged = runner.invoke(app, ["verwerkingen", "purge"])
    assert purged.exit_code == 0, purged.output


async def _cli_setup(url: str) -> None:
    from mijnzaken.core.db import Database

    db = Database(url)
    try:
        await _log(db, 2)
    finally:
        await db.dispose()


async def _tamper(url: str) -> None:
    from mijnzaken.core.db import Database

    db = Database(url)
    try:
        async with db.transaction() as session:
            await session.execute(
                update(Verwerkingsactie)
                .where(Verwerkingsactie.volgnummer == 1)
                .values(actie_naam="niets gezien")
            )
    finally:
        await db.dispose()


async def test_concurrent_writers_and_sealers_do_not_fork_the_chain(database: Any) -> None:
    import asyncio

    from mijnzaken.verwerkingen import sealer

    async def writer(n: int) -> None:
        for _ in range(n):
            await _log(database, 2)

    async with sealer.running(database, 0.005), sealer.running(database, 0.005):
        await asyncio.gather(*(writer(5) for _ in range(6)))
    await sealer.seal_all(database)
    rapport = await _verify(database)
    assert rapport.in_orde, rapport.bevindingen
    assert (rapport.gecontroleerd, rapport.kop_volgnummer, rapport.niet_verzegeld) == (60, 60, 0)
    async with database.transaction() as session:
        nummers = (await session.execute(select(Verwerkingsactie.volgnummer))).scalars()
        assert sorted(nummers) == list(range(1, 61))


async def test_a_background_round_skips_while_another_sealer_holds_the_head(
    database: Any,
) -> None:
    """The serving processes' sealers do not queue on the head, each holding a pool
    connection: a round without `wait` that finds the head locked links nothing, and the
    rows are linked by a later round. `verify`, `purge` and the command wait for it."""
    import asyncio

    import pytest

    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: a sealer waits for the write lock")
    await _log(database, 1)
    async with database.transaction() as session:  # no head yet: the first round makes it
        assert await keten.seal(session, wait=False) == 1
    await _log(database, 3)
    async with database.engine.connect() as other:  # another process's sealer at work
        await other.execute(text("SELECT id FROM verwerkingen_keten WHERE id = 1 FOR UPDATE"))
        async with database.transaction() as session:
            assert await asyncio.wait_for(keten.seal(session, wait=False), 5) == 0
        waiting = asyncio.create_task(_seal(database))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await other.rollback()
    assert await asyncio.wait_for(waiting, 10) == 3
    rapport = await _verify(database)
    assert rapport.in_orde, rapport.bevindingen
    assert (rapport.gecontroleerd, rapport.kop_volgnummer) == (4, 4)


async def test_a_round_that_cannot_link_every_row_it_read_links_none(
    database: Any, caplog: Any
) -> None:
    """PostgreSQL links a round in one UPDATE, which must reach every row the round read; a
    row it missed (here a trigger skips it, as a row deleted meanwhile would be missed)
    fails the round and leaves the chain as it was. The background sealer logs the failure
    and keeps running."""
    import asyncio

    import pytest

    from mijnzaken.verwerkingen import sealer

    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite links a round row by row")
    await _log(database, 3)
    async with database.engine.begin() as conn:
        skipped = (
            await conn.execute(text("SELECT max(id) FROM verwerkingen_verwerkingsactie"))
        ).scalar_one()
        await conn.execute(
            text(
                "CREATE FUNCTION mz_test_skip() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN IF OLD.id = {skipped} THEN RETURN NULL; END IF; RETURN NEW; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE TRIGGER mz_test_skip BEFORE UPDATE ON verwerkingen_verwerkingsactie"
                " FOR EACH ROW EXECUTE FUNCTION mz_test_skip()"
            )
        )
    try:
        with pytest.raises(RuntimeError, match="linked 2 of 3 rows"):
            await _seal(database)
        with caplog.at_level("ERROR", logger="mijnzaken.verwerkingen"):
            async with sealer.running(database, 0.01):
                await asyncio.sleep(0.2)
        assert "sealer round failed" in caplog.text
        rapport = await _verify(database)
        assert (rapport.gecontroleerd, rapport.niet_verzegeld) == (0, 3)
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER mz_test_skip ON verwerkingen_verwerkingsactie"))
            await conn.execute(text("DROP FUNCTION mz_test_skip()"))
    assert await _seal(database) == 3
