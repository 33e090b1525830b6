"""The hash chain over the processing log: canonical content, sealing, verification, purge.

A row's `inhoud_hash` is SHA-256 over its canonical content (a sorted-key JSON of every field
the API or the log function gave it, with its verwerkte objecten), computed when the row is
written. The sealer (ADR 0010) gives committed rows that have no place yet the next
`volgnummer` and `keten_hash = sha256(previous keten_hash + inhoud_hash)`, one sealer at a
time: the head row is locked (`FOR UPDATE` on PostgreSQL; SQLite has one writer) and
`volgnummer` is unique, so the chain cannot fork. The purge erases the content of expired
entries but keeps their link, so the chain stays verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.db import iso
from mijnzaken.verwerkingen.models import Keten, Verwerkingsactie, VerwerktObject

GENESIS = "0" * 64
HEAD_ID = 1

# the fields of a row that its content hash covers, in the order of the model
INHOUD = (
    "actie_id",
    "versie",
    "mutatie",
    "vervallen",
    "actie_naam",
    "handeling_naam",
    "verwerking_naam",
    "verwerking_id",
    "verwerkingsactiviteit_id",
    "verwerkingsactiviteit_url",
    "vertrouwelijkheid",
    "bewaartermijn",
    "bewaar_tot",
    "uitvoerder",
    "systeem",
    "gebruiker",
    "gegevensbron",
    "soort_afnemer_id",
    "afnemer_id",
    "verwerkingsactiviteit_id_afnemer",
    "verwerkingsactiviteit_url_afnemer",
    "verwerking_id_afnemer",
    "tijdstip",
    "tijdstip_registratie",
    "namens",
    "grondslag",
    "actor_weergave",
    "trace_id",
    "operation_id",
)
OBJECT_INHOUD = (
    "uuid",
    "objecttype",
    "soort_object_id",
    "object_id",
    "betrokkenheid",
    "soorten_gegevens",
)
# erased by the purge (the rest of a row names no person)
GEWIST = {
    "actie_naam": "",
    "handeling_naam": "",
    "verwerking_naam": "",
    "systeem": "",
    "gebruiker": "",
    "gegevensbron": "",
    "soort_afnemer_id": "",
    "afnemer_id": "",
    "namens": "",
    "grondslag": "",
    "actor_weergave": "",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)  # UUID


# Most values are already what JSON writes (texts, numbers, None): those skip `_plain`, whose
# isinstance checks were a third of building a logged read's entry. Only exact types: a
# subclass (a str enum, say) still goes through `_plain`, so the bytes stay the same.
_AS_IS = frozenset({str, int, float, bool, list, dict, type(None)})
# what json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds per call
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(values: dict[str, Any], objecten: Sequence[dict[str, Any]]) -> bytes:
    """The bytes a row's content hash is taken over."""
    body: dict[str, Any] = {}
    for name in INHOUD:
        value = values.get(name)
        body[name] = value if type(value) in _AS_IS else _plain(value)
    body["objecten"] = [
        {
            name: value if type(value := o.get(name)) in _AS_IS else _plain(value)
            for name in OBJECT_INHOUD
        }
        for o in objecten
    ]
    return _ENCODER.encode(body).encode()


def inhoud_hash(values: dict[str, Any], objecten: Sequence[dict[str, Any]]) -> str:
    return hashlib.sha256(canonical(values, objecten)).hexdigest()


def schakel(vorige: str, inhoud: str) -> str:
    """The hash of a link: the previous link's hash followed by this row's content hash."""
    return hashlib.sha256((vorige + inhoud).encode()).hexdigest()


def row_values(row: Verwerkingsactie) -> dict[str, Any]:
    return {name: getattr(row, name) for name in INHOUD}


def object_values(obj: VerwerktObject) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in OBJECT_INHOUD}


async def _head(session: AsyncSession, *, wait: bool = True) -> Keten | None:
    """The head, locked against other sealers until this transaction ends. Without `wait`,
    None when another sealer holds it (PostgreSQL; on SQLite, with one writer, it waits)."""
    stmt = select(Keten).where(Keten.id == HEAD_ID)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=not wait)
    else:
        # SQLite has no row locks, and its driver starts a transaction only at the first
        # write: a no-op write takes the database's write lock first, so every read below
        # sees the last committed head and no other sealer commits before this one
        await session.execute(update(Keten).where(Keten.id == HEAD_ID).values(id=Keten.id))
    head = (await session.execute(stmt)).scalar_one_or_none()
    if head is None:
        exists = select(Keten.id).where(Keten.id == HEAD_ID)
        if not wait and (await session.execute(exists)).first() is not None:
            return None  # locked: its sealer, or a later round, links these rows
        head = Keten(id=HEAD_ID, volgnummer=0, keten_hash=GENESIS)
        session.add(head)
        await session.flush()
    return head


# PostgreSQL: the links of a round in one statement. As an executemany every row was a
# statement of its own, while the head stayed locked and the other process's sealer waited
# for it holding a pool connection.
_LINK = text(
    f"UPDATE {Verwerkingsactie.__tablename__} AS a"
    " SET volgnummer = v.volgnummer, keten_hash = v.keten_hash"
    " FROM unnest(CAST(:ids AS BIGINT[]), CAST(:volgnummers AS BIGINT[]),"
    " CAST(:hashes AS VARCHAR[])) AS v(id, volgnummer, keten_hash)"
    " WHERE a.id = v.id AND a.volgnummer IS NULL"
)


def unsealed(limit: int) -> Select[int, str]:
    """The first `limit` rows not yet linked, in id order (the partial index of the
    unsealed rows serves it)."""
    return (
        select(Verwerkingsactie.id, Verwerkingsactie.inhoud_hash)
        .where(Verwerkingsactie.volgnummer.is_(None))
        .order_by(Verwerkingsactie.id)
        .limit(limit)
    )


async def seal(session: AsyncSession, *, limit: int = 5000, wait: bool = True) -> int:
    """Link committed unsealed rows into the chain, in the order of their ids; how many.
    Without `wait` a round that finds another sealer at work links nothing (0) and leaves
    the rows to that sealer or a later round. `verify`, `purge` and `mijnzaken verwerkingen
    seal` wait.

    Run in a transaction of its own (the sealer job, `mijnzaken verwerkingen seal`, verify)."""
    head = await _head(session, wait=wait)  # locks out any other sealer until this commits
    if head is None:
        return 0
    rows = (await session.execute(unsealed(limit))).all()
    if not rows:
        return 0
    volgnummer, vorige = head.volgnummer, head.keten_hash
    ids, volgnummers, hashes = [], [], []
    for row_id, inhoud in rows:
        volgnummer += 1
        vorige = schakel(vorige, inhoud)
        ids.append(row_id)
        volgnummers.append(volgnummer)
        hashes.append(vorige)
    if session.get_bind().dialect.name == "postgresql":
        params = {"ids": ids, "volgnummers": volgnummers, "hashes": hashes}
        linked: int = (await session.execute(_LINK, params)).rowcount  # type: ignore[attr-defined]
        if linked != len(ids):
            # a row read above is gone or was linked meanwhile: with the head locked only a
            # deletion behind the log's back does that; the round's transaction is undone
            raise RuntimeError(f"sealing linked {linked} of {len(ids)} rows")
    else:
        links = zip(ids, volgnummers, hashes, strict=True)
        await session.execute(
            update(Verwerkingsactie),
            [{"id": i, "volgnummer": n, "keten_hash": h} for i, n, h in links],
        )
    head.volgnummer, head.keten_hash, head.bijgewerkt = volgnummer, vorige, clock.now()
    await session.flush()
    return len(ids)


@dataclass(frozen=True)
class Bevinding:
    """One finding of `verify`: which row (by id and volgnummer) and what is wrong."""

    soort: str  # gewijzigd | verwijderd | ingevoegd | kop
    volgnummer: int | None
    rij: int | None
    toelichting: str


@dataclass
class Rapport:
    gecontroleerd: int = 0
    gewist: int = 0
    niet_verzegeld: int = 0
    kop_volgnummer: int = 0
    kop_hash: str = GENESIS
    bevindingen: list[Bevinding] = field(default_factory=list)

    @property
    def in_orde(self) -> bool:
        return not self.bevindingen


async def verify(session: AsyncSession, *, batch: int = 2000) -> Rapport:
    """Walk the chain in order and name every row that was changed, deleted or inserted
    behind the log's back; and check the head."""
    rapport = Rapport()
    head = (await session.execute(select(Keten).where(Keten.id == HEAD_ID))).scalar_one_or_none()
    verwacht_nummer = 1
    vorige: str | None = GENESIS
    last_seen = 0
    while True:
        rows = list(
            (
                await session.execute(
                    select(Verwerkingsactie)
                    .where(
                        Verwerkingsactie.volgnummer.is_not(None),
                        Verwerkingsactie.volgnummer > last_seen,
                    )
                    .order_by(Verwerkingsactie.volgnummer)
                    .limit(batch)
                )
            ).scalars()
        )
        if not rows:
            break
        objecten = await _objecten(session, [r.id for r in rows])
        for row in rows:
            assert row.volgnummer is not None
            nummer = row.volgnummer
            last_seen = nummer
            if nummer > verwacht_nummer:
                rapport.bevindingen.append(
                    Bevinding(
                        "verwijderd",
                        verwacht_nummer,
                        None,
                        f"volgnummers {verwacht_nummer} t/m {nummer - 1} ontbreken",
                    )
                )
                # continue from what the missing rows must have ended in: unknown, so the
                # next link is judged on its own content only
                vorige = None
            rapport.gecontroleerd += 1
            if row.gewist_op is not None:
                rapport.gewist += 1
            else:
                berekend = inhoud_hash(
                    row_values(row), [object_values(o) for o in objecten.get(row.id, [])]
                )
                if berekend != row.inhoud_hash:
                    rapport.bevindingen.append(
                        Bevinding(
                            "gewijzigd",
                            nummer,
                            row.id,
                            f"de inhoud van rij {row.id} (actie {row.actie_id}) is gewijzigd",
                        )
                    )
            if vorige is not None and schakel(vorige, row.inhoud_hash) != row.keten_hash:
                rapport.bevindingen.append(
                    Bevinding(
                        "ingevoegd",
                        nummer,
                        row.id,
                        f"rij {row.id} sluit niet aan op de vorige schakel "
                        "(ingevoegd, of een hash is overschreven)",
                    )
                )
            vorige = row.keten_hash or GENESIS
            verwacht_nummer = nummer + 1
    rapport.niet_verzegeld = len(
        (
            await session.execute(
                select(Verwerkingsactie.id).where(Verwerkingsactie.volgnummer.is_(None))
            )
        ).all()
    )
    if head is not None:
        rapport.kop_volgnummer, rapport.kop_hash = head.volgnummer, head.keten_hash
        if head.volgnummer != verwacht_nummer - 1 or (
            head.volgnummer > 0 and head.keten_hash != vorige
        ):
            rapport.bevindingen.append(
                Bevinding(
                    "kop",
                    head.volgnummer,
                    None,
                    f"de keten eindigt bij volgnummer {verwacht_nummer - 1}, de kop wijst "
                    f"naar {head.volgnummer}: de laatste schakels zijn verwijderd of vervangen",
                )
            )
    elif verwacht_nummer > 1:
        rapport.bevindingen.append(Bevinding("kop", None, None, "de kop van de keten ontbreekt"))
    return rapport


async def _objecten(session: AsyncSession, row_ids: list[int]) -> dict[int, list[VerwerktObject]]:
    found: dict[int, list[VerwerktObject]] = {}
    if not row_ids:
        return found
    stmt = (
        select(VerwerktObject)
        .where(VerwerktObject.actie_versie_id.in_(row_ids))
        .order_by(VerwerktObject.actie_versie_id, VerwerktObject.volgorde)
    )
    for obj in (await session.execute(stmt)).scalars():
        found.setdefault(obj.actie_versie_id, []).append(obj)
    return found


async def purge(session: AsyncSession, *, now: dt.datetime | None = None) -> int:
    """Erase the acties whose retention ended (judged on their newest version), with all
    their versions and verwerkte objecten, keeping each row's link in the chain; how many
    acties. Only sealed rows are erased: their place in the chain is fixed."""
    moment = now or clock.now()
    expired = select(Verwerkingsactie.actie_id).where(
        Verwerkingsactie.actueel.is_(True),
        Verwerkingsactie.bewaar_tot.is_not(None),
        Verwerkingsactie.bewaar_tot < moment,
        Verwerkingsactie.gewist_op.is_(None),
    )
    actie_ids = list((await session.execute(expired)).scalars())
    if not actie_ids:
        return 0
    unsealed = (
        await session.execute(
            select(Verwerkingsactie.actie_id).where(
                Verwerkingsactie.actie_id.in_(actie_ids), Verwerkingsactie.volgnummer.is_(None)
            )
        )
    ).scalars()
    wait = set(unsealed)
    actie_ids = [a for a in actie_ids if a not in wait]
    if not actie_ids:
        return 0
    row_ids = select(Verwerkingsactie.id).where(Verwerkingsactie.actie_id.in_(actie_ids))
    await session.execute(delete(VerwerktObject).where(VerwerktObject.actie_versie_id.in_(row_ids)))
    await session.execute(
        update(Verwerkingsactie)
        .where(Verwerkingsactie.actie_id.in_(actie_ids))
        .values(gewist_op=moment, **GEWIST)
    )
    return len(actie_ids)
