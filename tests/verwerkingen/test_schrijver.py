"""The processing log's writer (ADR 0013): the entry of a read is stored in a batch with those
of other requests, outside the request's own (read-only) transaction, and before the
response is sent; a request whose entry cannot be stored fails; shutdown writes what was
handed over; a request that writes keeps its entry in its own transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import selectinload

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.db import Database, has_written
from mijnzaken.verwerkingen import schrijver, service
from mijnzaken.verwerkingen.models import Verwerkingsactie
from tests.zaken import factories as zf

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
BSN = "999993653"


async def _entries(database: Database) -> list[Verwerkingsactie]:
    async with database.transaction() as session:
        stmt = (
            select(Verwerkingsactie)
            .options(selectinload(Verwerkingsactie.objecten))
            .order_by(Verwerkingsactie.id)
        )
        return list((await session.execute(stmt)).scalars())


async def _count(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(select(func.count(Verwerkingsactie.id)))).scalar_one())


@pytest.fixture
async def writer(client: Any, database: Database) -> AsyncIterator[schrijver.Schrijver]:
    """The writer the test client's app logs through."""
    async with schrijver.running(database) as running:
        yield running


def _log(session: Any, bsn: str = BSN) -> None:
    service.log(
        session,
        activiteit="dossier inzien",
        betrokkenen=[service.Betrokkene("BSN", bsn)],
        systeem="zaaksysteem",
    )


async def test_a_read_is_logged_by_the_writer_before_its_response_is_received(
    client: Any, superuser: dict[str, str], database: Database, writer: schrijver.Schrijver
) -> None:
    zaak = await zf.create_zaak_of_citizen(database, BSN)
    before = writer.entries
    response = await client.get(zf.url(zaak), headers={**superuser, **CRS})
    assert response.status_code == 200
    # stored by the writer, not by the request's own transaction, and there already
    assert writer.entries == before + 1
    [entry] = await _entries(database)
    assert [o.object_id for o in entry.objecten] == [BSN]
    assert entry.actie_naam == "zaken lezen"


async def test_concurrent_reads_leave_exactly_one_entry_each_in_fewer_batches(
    client: Any, superuser: dict[str, str], database: Database, writer: schrijver.Schrijver
) -> None:
    bsns = [f"99990{i:04d}" for i in range(24)]
    zaken = [await zf.create_zaak_of_citizen(database, bsn) for bsn in bsns]
    batches, entries = writer.batches, writer.entries
    responses = await asyncio.gather(
        *(client.get(zf.url(zaak), headers={**superuser, **CRS}) for zaak in zaken)
    )
    assert [r.status_code for r in responses] == [200] * len(zaken)
    found = await _entries(database)
    assert sorted(o.object_id for e in found for o in e.objecten) == sorted(bsns)
    assert len({e.actie_id for e in found}) == len(bsns)
    assert writer.entries - entries == len(bsns)
    # group commit: requests that arrived while a batch was written share the next one
    assert writer.batches - batches < len(bsns)


async def test_a_read_whose_entry_cannot_be_stored_fails_with_503_and_shows_nothing(
    client: Any, superuser: dict[str, str], database: Database, writer: schrijver.Schrijver
) -> None:
    zaak = await zf.create_zaak_of_citizen(database, BSN)
    # a real failure of the batch's transaction: the table of the data subjects is gone
    async with database.engine.begin() as conn:
        await conn.execute(
            text("ALTER TABLE verwerkingen_verwerktobject RENAME TO verwerktobject_weg")
        )
    try:
        response = await client.get(zf.url(zaak), headers={**superuser, **CRS})
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(
                text("ALTER TABLE verwerktobject_weg RENAME TO verwerkingen_verwerktobject")
            )
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "verwerkingenlog_onbeschikbaar"
    assert body["status"] == 503
    assert str(zaak.uuid) not in response.text
    assert BSN not in response.text
    # the batch was one transaction: no half entry (an actie without its data subject)
    assert await _count(database) == 0
    # the writer goes on with the next batch
    assert (await client.get(zf.url(zaak), headers={**superuser, **CRS})).status_code == 200
    assert await _count(database) == 1


async def test_shutdown_of_the_app_writes_every_entry_handed_over(
    app: Any, database: Database
) -> None:
    sessions = [database.sessionmaker() for _ in range(20)]
    async with app.router.lifespan_context(app):
        writer = schrijver.voor(sessions[0])
        assert writer is not None
        for i, session in enumerate(sessions):
            _log(session, f"99991{i:04d}")
        # nobody awaits the batches: the lifespan's end must write them
    assert writer.entries == len(sessions)
    assert schrijver.voor(sessions[0]) is None
    for session in sessions:
        await session.close()
    assert await _count(database) == len(sessions)


def _audit() -> Any:
    return insert(AuditTrail).values(
        uuid=uuid.uuid4(),
        bron="ZRC",
        actie="update",
        resultaat=200,
        hoofd_object="x",
        resource="zaak",
        resource_url="x",
        aanmaakdatum=dt.datetime.now(dt.UTC),
    )


async def _write_log_and_fail(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(_audit())
        _log(session)
        raise RuntimeError("the change fails")


async def _log_and_fail(database: Database) -> None:
    async with database.transaction() as session:
        _log(session)
        raise RuntimeError("the request fails")


async def test_a_writing_transaction_keeps_its_entry_atomic_with_its_change(
    database: Database,
) -> None:
    async with schrijver.running(database) as writer:
        async with database.transaction() as session:
            await session.execute(_audit())
            assert has_written(session)
            _log(session)
        assert writer.entries == 0
        assert await _count(database) == 1
        with pytest.raises(RuntimeError):
            await _write_log_and_fail(database)
        assert writer.entries == 0
        assert await _count(database) == 1


async def test_a_read_only_transaction_stays_read_only_and_awaits_its_batch(
    database: Database,
) -> None:
    async with schrijver.running(database) as writer:
        async with database.transaction() as session:
            await session.execute(select(func.count(AuditTrail.id)))
            _log(session)
            assert not has_written(session)
        # the transaction answered after the batch committed
        assert writer.entries == 1
        assert await _count(database) == 1


async def test_a_transaction_that_writes_after_handing_its_entry_over_does_not_block_it(
    database: Database,
) -> None:
    """A page that logs its read and then writes (a session row, say) holds its locks until
    it commits; the writer's batch must not wait behind them (on SQLite: one write lock)."""
    async with schrijver.running(database) as writer:
        async with asyncio.timeout(5):
            async with database.transaction() as session:
                await session.execute(select(func.count(AuditTrail.id)))
                _log(session)
                await session.execute(_audit())
                assert has_written(session)
        assert writer.entries == 1
        assert await _count(database) == 1


async def test_without_a_writer_the_entry_goes_out_with_the_commit(database: Database) -> None:
    async with database.transaction() as session:
        _log(session)
        assert schrijver.voor(session) is None
    assert await _count(database) == 1
    with pytest.raises(RuntimeError):
        await _log_and_fail(database)
    assert await _count(database) == 1


def _entry(bsn: str) -> schrijver.Entry:
    made = service.entry(
        activiteit="dossier inzien",
        betrokkenen=[service.Betrokkene("BSN", bsn)],
        systeem="zaaksysteem",
    )
    assert made is not None
    return made


async def test_a_batch_with_one_refused_entry_still_stores_the_others(
    database: Database,
) -> None:
    first, second = _entry("999920001"), _entry("999920002")
    twice = ({**first[0]}, [{**o, "uuid": uuid.uuid4()} for o in first[1]])
    async with schrijver.running(database) as writer:
        # handed over before the writer runs: one batch. The copy repeats the first actie's
        # (actie_id, versie), which the database refuses: only that request fails
        futures = [writer.submit([first]), writer.submit([second]), writer.submit([twice])]
        done = await asyncio.gather(*futures, return_exceptions=True)
    assert done[:2] == [None, None]
    assert isinstance(done[2], schrijver.LogboekOnbeschikbaar)
    assert await _count(database) == 2
