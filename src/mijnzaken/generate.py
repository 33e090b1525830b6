"""Bulk data for load tests: `mijnzaken demo generate --citizens N --zaken M`.

Written with multi-row inserts straight into the tables (the APIs would take hours for a
million zaken); the catalogue comes from the demo data, which is loaded first when missing.
Every generated BSN passes the eleven-test; zaken are spread over the demo zaaktypen and
citizens, with an initiator rol and one to three statussen each. With `--documenten K` every
zaak also gets K documents (metadata and version 1, no content: a load test uploads the content
it downloads), linked to the zaak as zaakinformatieobject and objectinformatieobject.

With `--portaal-burgers P` the run adds P more citizens shaped like the portal's heaviest
users: each has `--portaal-zaken` zaken (default 50) holding `--portaal-documenten` documents
(default 200) between them, all of them what the citizen portal shows under the configured
rules (`MIJNZAKEN_KLANTBEELD_*`: an extern zaaktype and a vertrouwelijkheidaanduiding within
the maximum, documents definitief and within the maximum). Their zaken are numbered
`GEN-P-…`, so a later run adds new citizens after the ones already there.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
from mijnzaken.klantbeeld.identiteit import Regels
from mijnzaken.zaken.models import Rol, Status, Zaak, ZaakInformatieObject

BATCH = 2000
PORTAAL_PREFIX = "GEN-P-"
PORTAAL_REEKS = 5_000_000  # the portal citizens' BSNs: bsn(PORTAAL_REEKS + i)
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


def portaal_bsn(i: int) -> str:
    """The BSN of the i-th portal citizen (a range apart from the ordinary citizens')."""
    return bsn(PORTAAL_REEKS + i)


@dataclass(frozen=True)
class Portaal:
    """Citizens the portal shows everything of: `burgers` of them, each with `zaken` zaken
    and `documenten` documents spread over those zaken."""

    burgers: int = 0
    zaken: int = 50
    documenten: int = 200


Plan = tuple[ZaakType, str, list[InformatieObjectType], int, str]


def _plans(
    rnd: random.Random,
    zaaktypen: list[ZaakType],
    documenttypen: dict[int, list[InformatieObjectType]],
    regels: Regels,
    *,
    citizens: int,
    zaken: int,
    documenten: int,
    portaal: Portaal,
    portaal_start: int,
) -> Iterator[Plan]:
    """Per zaak to write: its zaaktype, the initiator's BSN, the informatieobjecttypen and
    number of its documents, and the prefix of its identificatie."""
    bsns = citizen_bsns(citizens)
    for _ in range(zaken):
        zaaktype = zaaktypen[rnd.randrange(len(zaaktypen))]
        types = documenttypen[zaaktype.id]
        yield zaaktype, bsns[rnd.randrange(len(bsns))], types, documenten if types else 0, "GEN-"
    if not portaal.burgers:
        return
    if "initiator" not in regels.rollen:
        raise ValueError("the portal shows no initiators (MIJNZAKEN_KLANTBEELD_ROLLEN)")
    zichtbaar = {
        z.id: [
            t
            for t in documenttypen[z.id]
            if regels.document_zichtbaar("definitief", t.vertrouwelijkheidaanduiding)
        ]
        for z in zaaktypen
        if regels.zaak_zichtbaar(z.indicatie_intern_of_extern, z.vertrouwelijkheidaanduiding)
    }
    shown = [z for z in zaaktypen if zichtbaar.get(z.id)]
    if not shown:
        raise ValueError("no zaaktype of the catalogue has documents the portal shows")
    per_zaak, rest = divmod(portaal.documenten, portaal.zaken)
    for i in range(portaal_start, portaal_start + portaal.burgers):
        citizen = portaal_bsn(i)
        for k in range(portaal.zaken):
            zaaktype = shown[rnd.randrange(len(shown))]
            count = per_zaak + (1 if k < rest else 0)
            yield zaaktype, citizen, zichtbaar[zaaktype.id], count, PORTAAL_PREFIX


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
    portaal: Portaal | None = None,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Add `zaken` zaken for `citizens` citizens, each with `documenten` documents, then the
    portal citizens of `portaal`; returns the number of zaken added."""
    portaal = portaal or Portaal()
    if portaal.burgers and portaal.zaken < 1:
        raise ValueError("a portal citizen needs at least one zaak")
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
        # portal citizens of earlier runs: the new ones follow them
        portaal_start = int(
            (
                await session.execute(
                    select(func.count(func.distinct(Rol.inp_bsn)))
                    .join(Zaak, Zaak.id == Rol.zaak_id)
                    .where(Zaak.identificatie.startswith(PORTAAL_PREFIX))
                )
            ).scalar_one()
        )

    # documents are referred to by URL: the configured public base (as the API would write it)
    base_url = (settings.base_url or "http://127.0.0.1:8000").rstrip("/")
    plans = _plans(
        rnd,
        zaaktypen,
        documenttypen,
        Regels.from_settings(settings),
        citizens=citizens,
        zaken=zaken,
        documenten=documenten,
        portaal=portaal,
        portaal_start=portaal_start,
    )
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    done = 0
    total = zaken + portaal.burgers * portaal.zaken
    for batch in _batches(total):
        zaak_rows, rol_rows, status_rows = [], [], []
        document_rows: list[dict[str, Any]] = []
        versie_rows: list[dict[str, Any]] = []
        zio_rows: list[dict[str, Any]] = []
        oio_rows: list[dict[str, Any]] = []
        for _ in batch:
            zaaktype, citizen, types, count, prefix = next(plans)
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
                    "identificatie": f"{prefix}{zaak_id:010d}",
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
            for n in range(count):
                iot = types[n % len(types)]
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
