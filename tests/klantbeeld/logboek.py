"""What the klantbeeld and KCC tests check in the processing log and in the log lines: the
entries about one data subject (with what each says was shown), and that no log line names a
BSN or KvK-nummer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import select

from mijnzaken.verwerkingen import service as verwerkingen
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject
from tests.klantbeeld import factories as kf

# the database drivers trace query parameters at DEBUG (a BSN is one): not our log lines
DATABASE_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy")


async def acties(
    database: Any, nummer: str = kf.BSN_A, soort: str = "BSN"
) -> list[Verwerkingsactie]:
    """The entries about the subject `soort` `nummer` that they are shown, newest first."""
    async with database.transaction() as session:
        return await verwerkingen.voor_betrokkene(session, soort, nummer)


async def entries(
    database: Any, nummer: str = kf.BSN_A, soort: str = "BSN"
) -> list[tuple[Verwerkingsactie, set[str]]]:
    """The entries about the subject, newest first, each with the soorten gegevens it says
    were shown of that subject."""
    async with database.transaction() as session:
        found = await verwerkingen.voor_betrokkene(session, soort, nummer)
        result = []
        for entry in found:
            objecten = (
                await session.execute(
                    select(VerwerktObject).where(
                        VerwerktObject.actie_versie_id == entry.id,
                        VerwerktObject.soort_object_id == soort,
                        VerwerktObject.object_id == nummer,
                    )
                )
            ).scalars()
            result.append(
                (entry, {g["soortGegeven"] for o in objecten for g in o.soorten_gegevens})
            )
        return result


def geen_nummer_gelogd(
    caplog: pytest.LogCaptureFixture, nummers: Iterable[str] = (kf.BSN_A,)
) -> None:
    """No log line (down to the level `caplog` was set to: ours, aiohttp's, httpx's) names
    one of `nummers`; the database drivers' own parameter tracing aside."""
    nummers = list(nummers)
    for record in caplog.records:
        if record.name.startswith(DATABASE_LOGGERS):
            continue
        text = record.getMessage() + repr(record.args)
        for nummer in nummers:
            assert nummer not in text, record.name
