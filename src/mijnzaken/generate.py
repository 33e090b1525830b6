"""Bulk data for load tests: `mijnzaken demo generate --citizens N --zaken M`.

Written with multi-row inserts straight into the tables (the APIs would take hours for a
million zaken); the catalogue comes from the demo data, which is loaded first when missing.
Every generated BSN passes the eleven-test; zaken are spread over the demo zaaktypen and
citizens, with an initiator rol and one to three statussen each.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import Catalogus, RolType, StatusType, ZaakType
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.zaken.models import Rol, Status, Zaak

BATCH = 2000
NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder")


def bsn(n: int) -> str:
    """The n-th valid BSN of a deterministic series (eleven-test), starting at 100000009."""
    base = 10_000_000 + n  # eight digits, then the check digit that makes the sum divisible
    digits = [int(d) for d in f"{base:08d}"]
    total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
    check = total % 11  # the last weight is -1: the last digit must equal the sum mod 11
    if check == 10:
        return bsn(n + 50_000_000)  # no single digit fits; take one from another range
    return f"{base:08d}{check}"


def citizen_bsns(count: int) -> list[str]:
    return [bsn(i) for i in range(count)]


async def _max_id(session: AsyncSession, model: Any) -> int:
    return int((await session.execute(select(func.coalesce(func.max(model.id), 0)))).scalar_one())


async def _analyze(session: AsyncSession) -> None:
    """Fresh planner statistics for the tables just filled: without them (autovacuum may be
    off, or not have run yet) the planner takes the big tables for empty and scans them
    instead of using their indexes."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("ANALYZE zaken_zaak, zaken_rol, zaken_status"))
    else:
        await session.execute(text("ANALYZE"))


async def _reset_sequences(session: AsyncSession) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("zaken_zaak", "zaken_rol", "zaken_status"):
        await session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _batches(total: int) -> Iterator[range]:
    for start in range(0, total, BATCH):
        yield range(start, min(total, start + BATCH))


async def generate(
    settings: Settings,
    database: Database,
    *,
    citizens: int,
    zaken: int,
    seed: int = 1,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Add `zaken` zaken for `citizens` citizens; returns the number added."""
    from mijnzaken.demo import DEMO_DOMEIN, DEMO_RSIN, load

    await load(settings, database)
    rnd = random.Random(seed)
    async with database.transaction() as session:
        catalogus_id = (
            await session.execute(
                select(Catalogus.id).where(
                    Catalogus.rsin == DEMO_RSIN, Catalogus.domein == DEMO_DOMEIN
                )
            )
        ).scalar_one()
        zaaktypen = list(
            (
                await session.execute(
                    select(ZaakType).where(
                        ZaakType.catalogus_id == catalogus_id, ZaakType.concept.is_(False)
                    )
                )
            ).scalars()
        )
        statustypen: dict[int, list[StatusType]] = {z.id: [] for z in zaaktypen}
        for st in (
            await session.execute(
                select(StatusType)
                .where(StatusType.zaaktype_id.in_(statustypen))
                .order_by(StatusType.volgnummer)
            )
        ).scalars():
            statustypen[st.zaaktype_id].append(st)
        initiator = {
            r.zaaktype_id: r.id
            for r in (
                await session.execute(
                    select(RolType).where(
                        RolType.zaaktype_id.in_(statustypen),
                        RolType.omschrijving_generiek == "initiator",
                    )
                )
            ).scalars()
        }
        next_zaak = await _max_id(session, Zaak) + 1
        next_rol = await _max_id(session, Rol) + 1
        next_status = await _max_id(session, Status) + 1

    bsns = citizen_bsns(citizens)
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    done = 0
    for batch in _batches(zaken):
        zaak_rows, rol_rows, status_rows = [], [], []
        for _ in batch:
            zaaktype = zaaktypen[rnd.randrange(len(zaaktypen))]
            zaak_id = next_zaak
            next_zaak += 1
            start = now - dt.timedelta(days=rnd.randrange(1, 900))
            steps = statustypen[zaaktype.id][: rnd.randint(1, len(statustypen[zaaktype.id]))]
            last_status_id = None
            for i, st in enumerate(steps):
                last_status_id = next_status
                status_rows.append(
                    {
                        "id": next_status,
                        "uuid": uuid.UUID(int=rnd.getrandbits(128), version=4),
                        "zaak_id": zaak_id,
                        "statustype_id": st.id,
                        "datum_status_gezet": start + dt.timedelta(days=3 * i),
                        "statustoelichting": "",
                        "gezetdoor": "",
                    }
                )
                next_status += 1
            closed = len(steps) == len(statustypen[zaaktype.id])
            zaak_rows.append(
                {
                    "id": zaak_id,
                    "uuid": uuid.UUID(int=rnd.getrandbits(128), version=4),
                    "identificatie": f"GEN-{zaak_id:010d}",
                    "bronorganisatie": DEMO_RSIN,
                    "omschrijving": zaaktype.omschrijving,
                    "zaaktype_id": zaaktype.id,
                    "zaaktype_uuid": zaaktype.uuid,
                    "registratiedatum": start.date(),
                    "verantwoordelijke_organisatie": DEMO_RSIN,
                    "startdatum": start.date(),
                    "einddatum": (start + dt.timedelta(days=3 * (len(steps) - 1))).date()
                    if closed
                    else None,
                    "vertrouwelijkheidaanduiding": zaaktype.vertrouwelijkheidaanduiding,
                    "status_id": last_status_id,
                }
            )
            citizen = bsns[rnd.randrange(len(bsns))]
            rol_rows.append(
                {
                    "id": next_rol,
                    "uuid": uuid.UUID(int=rnd.getrandbits(128), version=4),
                    "zaak_id": zaak_id,
                    "roltype_id": initiator[zaaktype.id],
                    "betrokkene_type": "natuurlijk_persoon",
                    "roltoelichting": "Aanvrager",
                    "registratiedatum": start,
                    "betrokkene_identificatie": {
                        "inpBsn": citizen,
                        "geslachtsnaam": NAMES[int(citizen) % len(NAMES)],
                        "voorletters": "A.",
                    },
                    "inp_bsn": citizen,
                    "omschrijving": "Aanvrager",
                    "omschrijving_generiek": "initiator",
                }
            )
            next_rol += 1
        async with database.transaction() as session:
            await session.execute(insert(Zaak), zaak_rows)
            await session.execute(insert(Rol), rol_rows)
            await session.execute(insert(Status), status_rows)
        done += len(batch)
        progress(len(batch))
    async with database.transaction() as session:
        await _reset_sequences(session)
        await _analyze(session)
    return done
