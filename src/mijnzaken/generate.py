"""Bulk data for load tests: `mijnzaken demo generate --citizens N --zaken M`.

Written with multi-row inserts straight into the tables (the APIs would take hours for a
million zaken); the catalogue comes from the demo data, which is loaded first when missing.
Every generated BSN passes the eleven-test; zaken are spread over the demo zaaktypen and
citizens, with an initiator rol and one to three statussen each. With `--documenten K` every
zaak also gets K documents (metadata and version 1, no content: a load test uploads the content
it downloads), linked to the zaak as zaakinformatieobject and objectinformatieobject.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.models import (
    Catalogus,
    InformatieObjectType,
    RolType,
    StatusType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from mijnzaken.core.db import Database, iso
from mijnzaken.core.settings import Settings
from mijnzaken.documenten.models import InformatieObject, ObjectInformatieObject, Versie
from mijnzaken.zaken.models import Rol, Status, Zaak, ZaakInformatieObject

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
        await session.execute(
            text(
                "ANALYZE zaken_zaak, zaken_rol, zaken_status, zaken_zaakinformatieobject, "
                "documenten_informatieobject, documenten_versie, documenten_objectinformatieobject"
            )
        )
    else:
        await session.execute(text("ANALYZE"))


async def _reset_sequences(session: AsyncSession) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in (
        "zaken_zaak",
        "zaken_rol",
        "zaken_status",
        "zaken_zaakinformatieobject",
        "documenten_informatieobject",
        "documenten_versie",
        "documenten_objectinformatieobject",
    ):
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
    documenten: int = 0,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Add `zaken` zaken for `citizens` citizens, each with `documenten` documents; returns
    the number of zaken added."""
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
        # per zaaktype the published informatieobjecttypen it lists (zrc-017)
        documenttypen: dict[int, list[InformatieObjectType]] = {z.id: [] for z in zaaktypen}
        links = await session.execute(
            select(ZaakTypeInformatieObjectType.zaaktype_id, InformatieObjectType)
            .join(
                InformatieObjectType,
                InformatieObjectType.omschrijving
                == ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving,
            )
            .where(
                ZaakTypeInformatieObjectType.zaaktype_id.in_(documenttypen),
                InformatieObjectType.catalogus_id == catalogus_id,
                InformatieObjectType.concept.is_(False),
            )
        )
        for zaaktype_id, iot in links.all():
            documenttypen[zaaktype_id].append(iot)
        next_zaak = await _max_id(session, Zaak) + 1
        next_document = await _max_id(session, InformatieObject) + 1
        next_rol = await _max_id(session, Rol) + 1
        next_status = await _max_id(session, Status) + 1

    # documents are referred to by URL: the configured public base (as the API would write it)
    base_url = (settings.base_url or "http://127.0.0.1:8000").rstrip("/")
    bsns = citizen_bsns(citizens)
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    done = 0
    for batch in _batches(zaken):
        zaak_rows, rol_rows, status_rows = [], [], []
        document_rows: list[dict[str, Any]] = []
        versie_rows: list[dict[str, Any]] = []
        zio_rows: list[dict[str, Any]] = []
        oio_rows: list[dict[str, Any]] = []
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
            zaak_uuid = zaak_rows[-1]["uuid"]
            for n in range(documenten if documenttypen[zaaktype.id] else 0):
                iot = documenttypen[zaaktype.id][n % len(documenttypen[zaaktype.id])]
                document_uuid = uuid.UUID(int=rnd.getrandbits(128), version=4)
                document = {
                    "id": next_document,
                    "uuid": document_uuid,
                    "identificatie": f"GEN-DOC-{next_document:010d}",
                    "bronorganisatie": DEMO_RSIN,
                    "creatiedatum": start.date(),
                    "titel": f"{iot.omschrijving} {n + 1}",
                    "vertrouwelijkheidaanduiding": iot.vertrouwelijkheidaanduiding,
                    "tonen_aan_initiator": True,
                    "auteur": "Gemeente",
                    "status": "definitief",
                    "formaat": "application/pdf",
                    "taal": "nld",
                    "versie": 1,
                    "begin_registratie": start,
                    "bestandsnaam": f"document-{n + 1}.pdf",
                    "bestandsomvang": 0,
                    "link": "",
                    "beschrijving": "",
                    "verschijningsvorm": "",
                    "trefwoorden": [],
                    "informatieobjecttype_id": iot.id,
                    "informatieobjecttype_uuid": iot.uuid,
                    "lock": "",
                }
                document_rows.append(document)
                versie_rows.append(
                    {
                        "informatieobject_id": next_document,
                        "versie": 1,
                        "begin_registratie": start,
                        "gegevens": _versie_gegevens(
                            document,
                            f"{base_url}/catalogi/api/v1/informatieobjecttypen/{iot.uuid}",
                        ),
                    }
                )
                zio_rows.append(
                    {
                        "uuid": uuid.UUID(int=rnd.getrandbits(128), version=4),
                        "zaak_id": zaak_id,
                        "informatieobject": f"{base_url}/documenten/api/v1/"
                        f"enkelvoudiginformatieobjecten/{document_uuid}",
                        "aard_relatie": "hoort_bij",
                        "titel": document["titel"],
                        "beschrijving": "",
                        "registratiedatum": start,
                    }
                )
                oio_rows.append(
                    {
                        "uuid": uuid.UUID(int=rnd.getrandbits(128), version=4),
                        "informatieobject_id": next_document,
                        "object": f"{base_url}/zaken/api/v1/zaken/{zaak_uuid}",
                        "object_type": "zaak",
                    }
                )
                next_document += 1
        async with database.transaction() as session:
            await session.execute(insert(Zaak), zaak_rows)
            await session.execute(insert(Rol), rol_rows)
            await session.execute(insert(Status), status_rows)
            if document_rows:
                await session.execute(insert(InformatieObject), document_rows)
                await session.execute(insert(Versie), versie_rows)
                await session.execute(insert(ZaakInformatieObject), zio_rows)
                await session.execute(insert(ObjectInformatieObject), oio_rows)
        done += len(batch)
        progress(len(batch))
    async with database.transaction() as session:
        await _reset_sequences(session)
        await _analyze(session)
    return done


def _versie_gegevens(document: dict[str, Any], type_url: str) -> dict[str, Any]:
    """Version 1's metadata as the Documenten API renders it (what `?versie=1` reads)."""
    return {
        "identificatie": document["identificatie"],
        "bronorganisatie": document["bronorganisatie"],
        "creatiedatum": document["creatiedatum"].isoformat(),
        "titel": document["titel"],
        "vertrouwelijkheidaanduiding": document["vertrouwelijkheidaanduiding"],
        "isGereedVoorPublicatie": None,
        "tonenAanInitiator": True,
        "auteur": document["auteur"],
        "status": document["status"],
        "inhoudIsVervallen": None,
        "formaat": document["formaat"],
        "taal": document["taal"],
        "versie": 1,
        "beginRegistratie": iso(document["begin_registratie"]),
        "bestandsnaam": document["bestandsnaam"],
        "bestandsomvang": 0,
        "link": "",
        "beschrijving": "",
        "ontvangstdatum": None,
        "verzenddatum": None,
        "indicatieGebruiksrecht": None,
        "verschijningsvorm": "",
        "ondertekening": None,
        "integriteit": None,
        "informatieobjecttype": type_url,
        "trefwoorden": [],
    }
