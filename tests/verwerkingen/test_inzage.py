"""What a data subject is shown of the processing log (`service.voor_betrokkene`, behind the
klantbeeld and the portal): their newest entries by the moment of each, at most `limit`,
each actie once, and only what they may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, text

from mijnzaken.verwerkingen import keten, schrijver, service
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

BSN = "999993653"
ANDER = "999990019"
DAG = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def _entry(naam: str, dagen: float, *betrokkenen: service.Betrokkene, **kwargs: Any) -> Any:
    made = service.entry(
        activiteit=naam,
        betrokkenen=betrokkenen or [service.Betrokkene("BSN", BSN)],
        systeem="zaaksysteem",
        tijdstip=DAG + dt.timedelta(days=dagen),
        **kwargs,
    )
    assert made is not None
    return made


async def _write(database: Any, *entries: Any) -> None:
    async with database.engine.begin() as conn:
        await conn.run_sync(schrijver.write, list(entries))


async def _shown(database: Any, limit: int) -> list[str]:
    async with database.transaction() as session:
        found = await service.voor_betrokkene(session, "BSN", BSN, limit=limit)
        return [e.actie_naam for e in found]


async def test_the_newest_entries_by_their_moment_however_they_were_written(
    database: Any,
) -> None:
    # written in this order, one at a time: ids and moments disagree
    for naam, dagen in [("b", 2), ("d", 4), ("a", 1), ("e", 5), ("c", 3)]:
        await _write(database, _entry(naam, dagen))
    assert await _shown(database, 3) == ["e", "d", "c"]
    assert await _shown(database, 10) == ["e", "d", "c", "b", "a"]


async def test_entries_on_the_same_moment_come_newest_written_first(database: Any) -> None:
    await _write(database, _entry("eerst", 1), _entry("later", 1), _entry("ouder", 0))
    await _write(database, _entry("laatst", 1))
    assert await _shown(database, 3) == ["laatst", "later", "eerst"]


async def test_each_actie_once_also_when_it_names_the_subject_twice(database: Any) -> None:
    twice = _entry(
        "twee keer",
        2,
        service.Betrokkene("BSN", BSN, "aanvrager"),
        service.Betrokkene("BSN", ANDER, "partner"),
        service.Betrokkene("BSN", BSN, "partner van"),
    )
    await _write(database, _entry("eerder", 1), twice, _entry("later", 3))
    assert await _shown(database, 2) == ["later", "twee keer"]
    assert await _shown(database, 10) == ["later", "twee keer", "eerder"]


async def test_only_what_the_subject_may_see(database: Any) -> None:
    await _write(
        database,
        _entry("gewoon", 1),
        _entry("vertrouwelijk", 2, vertrouwelijkheid="vertrouwelijk"),
        _entry("van een ander", 3, service.Betrokkene("BSN", ANDER)),
        _entry("ook gewoon", 0),
    )
    assert await _shown(database, 2) == ["gewoon", "ook gewoon"]


async def test_every_object_keeps_its_actie_versions_moment_and_the_chain_verifies(
    database: Any,
) -> None:
    # the writer's batch, a transaction's own entries, and the retention purge
    await _write(database, _entry("batch", 1), _entry("batch", 2))
    async with database.transaction() as session:
        service.log(
            session,
            activiteit="met de transactie",
            betrokkenen=[service.Betrokkene("BSN", BSN), service.Betrokkene("BSN", ANDER)],
            systeem="zaaksysteem",
            tijdstip=DAG,
            bewaartermijn="P1D",
        )
    async with database.transaction() as session:
        assert await keten.seal(session) == 3
    async with database.transaction() as session:
        assert await keten.purge(session, now=DAG + dt.timedelta(days=1, hours=1)) == 1
    async with database.engine.connect() as conn:
        pairs = (
            await conn.execute(
                select(VerwerktObject.tijdstip, Verwerkingsactie.tijdstip).join(
                    Verwerkingsactie, Verwerkingsactie.id == VerwerktObject.actie_versie_id
                )
            )
        ).all()
        objects = await conn.execute(text("SELECT count(*) FROM verwerkingen_verwerktobject"))
        assert objects.scalar() == 2  # the purged entry's two objects are gone
    assert len(pairs) == 2
    assert all(copy == moment for copy, moment in pairs)
    async with database.transaction() as session:
        rapport = await keten.verify(session)
    assert rapport.in_orde, rapport.bevindingen
    assert (rapport.gecontroleerd, rapport.gewist) == (3, 1)
