"""The processing log's rules: the one function every register and front end logs with, the
append-only versions behind the API's PUT/PATCH/DELETE, and the reads by data subject.

`log` runs no query. The entry of a read-only request goes to the process's writer
(schrijver.py), which stores it in a batch with those of other requests; the request's
transaction does not answer before that batch committed, and fails (503) when it cannot be
written. The entry of a request that writes anyway goes out with its commit, atomic with
the change (ADR 0013). A read without a transaction (ADR 0022) has no commit to go out
with: when no writer runs, its entry is stored in a transaction of its own. The chain link
is made after commit by the sealer (keten.py, ADR 0010).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import re
import secrets
import uuid as uuid_lib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import isodate
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session as OrmSession

from mijnzaken.core import clock
from mijnzaken.core.db import Database, has_written, wait_before_commit
from mijnzaken.verwerkingen import keten, repository, schrijver
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

# how long an entry written by `log` is kept unless the caller says otherwise
STANDAARD_BEWAARTERMIJN = "P2Y"
VERTROUWELIJKHEID = ("normaal", "vertrouwelijk", "opgeheven")
# what a caller without the right to read confidential entries may see
NIET_VERTROUWELIJK = ("normaal", "opgeheven")

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class Betrokkene:
    """The data subject of a processing: e.g. `Betrokkene("BSN", "999993653")`. The number
    is left out of `repr`, so it cannot slip into a log line."""

    soort: str  # soortObjectId: BSN, KVK, ...
    nummer: str = field(repr=False)
    betrokkenheid: str = ""
    soorten_gegevens: tuple[str, ...] = ()
    objecttype: str = "persoon"


def trace_id_from(traceparent: str | None) -> str:
    """The trace id of a W3C `traceparent` header, or a new one (Logboek Dataverwerkingen)."""
    if traceparent:
        match = _TRACEPARENT.match(traceparent.strip().lower())
        if match and match.group(1) != "0" * 32:
            return match.group(1)
    return secrets.token_hex(16)


# Every logged read parses the same period or two; parsing one costs more than the rest of
# building the entry's row. A period that does not parse raises again (errors are not kept).
_duration = functools.lru_cache(maxsize=64)(isodate.parse_duration)


def bewaar_tot(tijdstip: dt.datetime, bewaartermijn: str) -> dt.datetime | None:
    """The moment the retention of an entry ends; None when no (valid) period is given."""
    if not bewaartermijn:
        return None
    duration = _duration(bewaartermijn)
    try:
        end = tijdstip + duration
    except OverflowError:
        return None
    assert isinstance(end, dt.datetime)
    return end


_NULLABLE = {
    "verwerking_id",
    "verwerkingsactiviteit_id",
    "verwerkingsactiviteit_id_afnemer",
    "verwerking_id_afnemer",
    "bewaar_tot",
}


def _row(values: Mapping[str, Any], objecten: Sequence[Mapping[str, Any]]) -> Verwerkingsactie:
    """A new row with its objecten and content hash (not added to a session)."""
    objs = [dict(o) for o in objecten]
    for o in objs:
        o.setdefault("uuid", uuid_lib.uuid4())
        o.setdefault("objecttype", "persoon")
        o.setdefault("betrokkenheid", "")
        o["soorten_gegevens"] = list(o.get("soorten_gegevens") or [])
    full = dict(values)
    for name in keten.INHOUD:  # what the caller left out is stored (and hashed) as empty
        full.setdefault(name, None if name in _NULLABLE else "")
    full["inhoud_hash"] = keten.inhoud_hash(full, objs)
    row = Verwerkingsactie(**full, actueel=True)
    # each object keeps a copy of its version's moment (the inzage's index), not hashed
    row.objecten = [
        VerwerktObject(**o, volgorde=i, tijdstip=full["tijdstip"]) for i, o in enumerate(objs)
    ]
    return row


def entry(
    *,
    activiteit: str,
    betrokkenen: Iterable[Betrokkene],
    systeem: str,
    gebruiker: str = "",
    actor_weergave: str = "",
    namens: str = "",
    grondslag: str = "",
    verwerking_naam: str = "",
    handeling_naam: str = "",
    verwerkingsactiviteit_id: uuid_lib.UUID | None = None,
    verwerkingsactiviteit_url: str = "",
    vertrouwelijkheid: str = "normaal",
    bewaartermijn: str = STANDAARD_BEWAARTERMIJN,
    trace_id: str = "",
    tijdstip: dt.datetime | None = None,
) -> schrijver.Entry | None:
    """The columns of one processing-log entry, content hash included, as `log` stores it;
    None when it names no data subject."""
    subjects = list(dict.fromkeys(betrokkenen))
    if not subjects:
        return None
    if vertrouwelijkheid not in VERTROUWELIJKHEID:
        raise ValueError(f"unknown vertrouwelijkheid {vertrouwelijkheid!r}")
    moment = tijdstip or clock.now()
    values: dict[str, Any] = {
        "actie_id": uuid_lib.uuid4(),
        "versie": 1,
        "mutatie": "aangemaakt",
        "vervallen": False,
        "actie_naam": activiteit[:242],
        "handeling_naam": handeling_naam[:242],
        "verwerking_naam": verwerking_naam[:242],
        "verwerking_id": None,
        "verwerkingsactiviteit_id": verwerkingsactiviteit_id,
        "verwerkingsactiviteit_url": verwerkingsactiviteit_url,
        "vertrouwelijkheid": vertrouwelijkheid,
        "bewaartermijn": bewaartermijn,
        "bewaar_tot": bewaar_tot(moment, bewaartermijn),
        "uitvoerder": "",
        "systeem": systeem[:242],
        "gebruiker": gebruiker[:40],
        "gegevensbron": "",
        "soort_afnemer_id": "",
        "afnemer_id": "",
        "verwerkingsactiviteit_id_afnemer": None,
        "verwerkingsactiviteit_url_afnemer": "",
        "verwerking_id_afnemer": None,
        "tijdstip": moment,
        "tijdstip_registratie": clock.now(),
        "namens": namens[:242],
        "grondslag": grondslag[:242],
        "actor_weergave": actor_weergave[:242],
        "trace_id": trace_id or secrets.token_hex(16),
        "operation_id": secrets.token_hex(8),
    }
    objecten = [
        {
            "uuid": uuid_lib.uuid4(),
            "volgorde": i,
            "objecttype": b.objecttype,
            "soort_object_id": b.soort,
            "object_id": b.nummer,
            "betrokkenheid": b.betrokkenheid,
            "soorten_gegevens": [{"soortGegeven": g} for g in b.soorten_gegevens],
        }
        for i, b in enumerate(subjects)
    ]
    values["inhoud_hash"] = keten.inhoud_hash(values, objecten)
    return values, objecten


def log(
    session: AsyncSession,
    *,
    activiteit: str,
    betrokkenen: Iterable[Betrokkene],
    systeem: str,
    gebruiker: str = "",
    actor_weergave: str = "",
    namens: str = "",
    grondslag: str = "",
    verwerking_naam: str = "",
    handeling_naam: str = "",
    verwerkingsactiviteit_id: uuid_lib.UUID | None = None,
    verwerkingsactiviteit_url: str = "",
    vertrouwelijkheid: str = "normaal",
    bewaartermijn: str = STANDAARD_BEWAARTERMIJN,
    trace_id: str = "",
    tijdstip: dt.datetime | None = None,
) -> uuid_lib.UUID | None:
    """Log one processing of personal data; the actie's id, or None when it names no data
    subject. Stored before the caller's transaction answers: by the writer when that
    transaction has written nothing (then also when it rolls back: the data was read), else
    with its commit (nothing when it rolls back).

    Who acted (`systeem`: the application or front end; `gebruiker`: the person, if known;
    `actor_weergave`: how the citizen sees them), on whose behalf (`namens`), which activity
    and legal ground, and which data subjects (`betrokkenen`, one entry for all of them)."""
    made = entry(
        activiteit=activiteit,
        betrokkenen=betrokkenen,
        systeem=systeem,
        gebruiker=gebruiker,
        actor_weergave=actor_weergave,
        namens=namens,
        grondslag=grondslag,
        verwerking_naam=verwerking_naam,
        handeling_naam=handeling_naam,
        verwerkingsactiviteit_id=verwerkingsactiviteit_id,
        verwerkingsactiviteit_url=verwerkingsactiviteit_url,
        vertrouwelijkheid=vertrouwelijkheid,
        bewaartermijn=bewaartermijn,
        trace_id=trace_id,
        tijdstip=tijdstip,
    )
    if made is None:
        return None
    values, objecten = made
    writer = schrijver.voor(session)
    if writer is not None and not has_written(session):
        # a read: its transaction stays read-only; the writer stores the entry in a batch
        # with those of other requests, while this request goes on, and the request's
        # transaction does not answer before that batch committed
        wait_before_commit(session, writer.submit([(values, objecten)]))
    elif Database.is_reading(session):
        # a read without a transaction (ADR 0022) and no writer running: the entry is
        # stored in a transaction of its own, awaited before the read answers
        wait_before_commit(session, _store_alone(session, [(values, objecten)]))
    else:
        session.info.setdefault(_PENDING, []).append((values, objecten))
    return values["actie_id"]  # type: ignore[no-any-return]


_ALONE: set[asyncio.Task[None]] = set()  # held until done (the loop keeps weak references)


def _store_alone(session: AsyncSession, entries: list[schrijver.Entry]) -> asyncio.Task[None]:
    """Store entries in a transaction of their own, started now: like the writer's batch,
    also when the read fails after this (the data was read)."""
    engine = session.bind
    assert isinstance(engine, AsyncEngine)

    async def store() -> None:
        try:
            if engine.dialect.name == "postgresql":
                # one statement (see `schrijver.write`), which commits itself in autocommit:
                # one round trip instead of BEGIN, two INSERTs and COMMIT
                async with engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await connection.run_sync(schrijver.write, entries)
            else:
                async with engine.begin() as connection:
                    await connection.run_sync(schrijver.write, entries)
        except Exception as exc:  # unreachable, full, locked too long: refused, as the writer
            raise schrijver.LogboekOnbeschikbaar() from exc

    task = asyncio.ensure_future(store())
    _ALONE.add(task)
    task.add_done_callback(_stored)
    return task


def _stored(task: asyncio.Task[None]) -> None:
    _ALONE.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a read that failed first does not await it


# Entries of a request that writes anyway (or runs without a writer) wait in the session
# until its commit, then go out with it, atomic with its change (`schrijver.write`: one
# statement on PostgreSQL). On SQLite the write lock is taken only at the very end of the
# transaction.
_PENDING = "verwerkingen.pending"


@event.listens_for(OrmSession, "before_commit")
def _write_pending(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        schrijver.write(session.connection(), pending)


@event.listens_for(OrmSession, "after_rollback")
def _drop_pending(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


# --- the API's writes: every change appends a version --------------------------------------


def create(
    session: AsyncSession, values: Mapping[str, Any], objecten: Sequence[Mapping[str, Any]]
) -> Verwerkingsactie:
    """A new verwerkingsactie from the write API (values in model field names)."""
    now = clock.now()
    full = {
        **values,
        "actie_id": uuid_lib.uuid4(),
        "versie": 1,
        "mutatie": "aangemaakt",
        "vervallen": False,
        "tijdstip_registratie": now,
        "bewaar_tot": bewaar_tot(values["tijdstip"], values.get("bewaartermijn", "")),
    }
    full.setdefault("operation_id", secrets.token_hex(8))
    row = _row(full, objecten)
    session.add(row)
    return row


async def _next_version(
    session: AsyncSession,
    current: Verwerkingsactie,
    changes: Mapping[str, Any],
    objecten: Sequence[Mapping[str, Any]] | None,
    mutatie: str,
) -> Verwerkingsactie:
    old_objects = [keten.object_values(o) for o in current.objecten]
    values = keten.row_values(current)
    values.update(changes)
    values.update(
        versie=current.versie + 1,
        mutatie=mutatie,
        tijdstip_registratie=clock.now(),
        operation_id=secrets.token_hex(8),
    )
    values["bewaar_tot"] = bewaar_tot(values["tijdstip"], values["bewaartermijn"])
    await session.execute(
        update(Verwerkingsactie)
        .where(Verwerkingsactie.id == current.id)
        .values(actueel=False)
        .execution_options(synchronize_session=False)
    )
    current.actueel = False
    row = _row(values, old_objects if objecten is None else objecten)
    session.add(row)
    return row


async def replace(
    session: AsyncSession,
    current: Verwerkingsactie,
    values: Mapping[str, Any],
    objecten: Sequence[Mapping[str, Any]],
) -> Verwerkingsactie:
    """PUT: a new version with the given content; the earlier one stays in the log."""
    return await _next_version(session, current, values, objecten, "gewijzigd")


async def wijzig(
    session: AsyncSession, current: Verwerkingsactie, changes: Mapping[str, Any]
) -> Verwerkingsactie:
    """A new version with some fields changed (bewaartermijn, vertrouwelijkheid)."""
    return await _next_version(session, current, changes, None, "gewijzigd")


async def vervallen(session: AsyncSession, current: Verwerkingsactie) -> Verwerkingsactie:
    """DELETE: a new version marked vervallen; the inzage no longer returns it."""
    return await _next_version(session, current, {"vervallen": True}, None, "vervallen")


async def wijzig_verwerking(
    session: AsyncSession, verwerking_id: uuid_lib.UUID, changes: Mapping[str, Any]
) -> int:
    """PATCH of the collection: a new version of every acties of one verwerking with a
    changed bewaartermijn and/or vertrouwelijkheid; how many."""
    rows = await repository.current_of_verwerking(session, verwerking_id)
    for row in rows:
        await wijzig(session, row, changes)
    return len(rows)


# --- reads ---------------------------------------------------------------------------------


async def voor_betrokkene(
    session: AsyncSession, soort: str, nummer: str, *, limit: int = 200
) -> list[Verwerkingsactie]:
    """What the data subject themselves is shown: the newest non-confidential entries about
    them (their own views included)."""
    f = repository.Filter("persoon", soort, nummer, NIET_VERTROUWELIJK)
    return await repository.acties(session, f, limit=limit)
