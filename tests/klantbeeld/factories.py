"""Typed factories for customer-view test data: zaaktypen as a citizen meets them and zaken
in which a citizen (BSN) or a business has a rol, with statussen and a resultaat. Written
through the ORM, like the Zaken factories they build on."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.documenten import factories as df
from tests.zaken import factories as zf

BSN_A = "999993653"
BSN_B = "999990019"
BSN_C = "999991905"
KVK = "69599084"
_numbers = itertools.count(1)


async def zaaktype(database: Database, **over: Any) -> cm.ZaakType:
    """A published, extern zaaktype with three statustypen (with citizen texts), an
    initiator and a behandelaar roltype, and a resultaattype."""
    n = next(_numbers)
    fields: dict[str, Any] = {
        "concept": False,
        "identificatie": f"ZT-{n}",
        "omschrijving": f"Parkeervergunning {n}",
    }
    fields.update(over)
    zt = await cf.create_zaaktype(database, **fields)
    for volgnummer, (omschrijving, tekst) in enumerate(
        [
            ("Ontvangen", "We hebben uw aanvraag ontvangen."),
            ("In behandeling", "Een medewerker beoordeelt uw aanvraag."),
            ("Afgehandeld", "Uw aanvraag is afgehandeld."),
        ],
        start=1,
    ):
        await cf.create_statustype(
            database, zt, volgnummer=volgnummer, omschrijving=omschrijving, statustekst=tekst
        )
    return zt


async def _roltype(database: Database, zt: cm.ZaakType, generiek: str) -> cm.RolType:
    return await cf.create_roltype(
        database, zt, omschrijving=generiek.capitalize(), omschrijving_generiek=generiek
    )


async def _store(database: Database, *objs: Any) -> None:
    async with database.transaction() as session:
        session.add_all(objs)
        await session.flush()


async def statustypen(database: Database, zt: cm.ZaakType) -> list[cm.StatusType]:
    from sqlalchemy import select

    async with database.transaction() as session:
        rows = await session.execute(
            select(cm.StatusType)
            .where(cm.StatusType.zaaktype_id == zt.id)
            .order_by(cm.StatusType.volgnummer)
        )
        return list(rows.scalars())


async def zaak(
    database: Database,
    zt: cm.ZaakType,
    *,
    bsn: str | None = BSN_A,
    kvk: str | None = None,
    rol: str = "initiator",
    stappen: int = 1,
    afgehandeld: bool = False,
    **over: Any,
) -> m.Zaak:
    """A zaak of the citizen `bsn` (or the business `kvk`) in role `rol`, with the first
    `stappen` statussen set (the last one current); `afgehandeld` closes it with a
    resultaat."""
    over.setdefault("producten_of_diensten", list(zt.producten_of_diensten))
    if afgehandeld:
        over.setdefault("einddatum", dt.date(2024, 4, 1))
    created = await zf.create_zaak(database, zt, **over)
    roltype = await _roltype(database, zt, rol)
    betrokkene: dict[str, Any] = {
        "zaak_id": created.id,
        "roltype_id": roltype.id,
        "omschrijving": roltype.omschrijving,
        "omschrijving_generiek": rol,
        "registratiedatum": dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    }
    if bsn is not None:
        betrokkene.update(betrokkene_type="natuurlijk_persoon", inp_bsn=bsn)
    else:
        betrokkene.update(betrokkene_type="niet_natuurlijk_persoon", inn_nnp_id=kvk)
    await _store(database, m.Rol(**betrokkene))
    steps = (await statustypen(database, zt))[:stappen]
    statussen = [
        m.Status(
            zaak_id=created.id,
            statustype_id=st.id,
            datum_status_gezet=dt.datetime(2024, 3, 1 + i, 10, tzinfo=dt.UTC),
        )
        for i, st in enumerate(steps)
    ]
    objs: list[Any] = list(statussen)
    if afgehandeld:
        resultaattype = cm.ResultaatType(
            zaaktype_id=zt.id,
            omschrijving="Toegekend",
            resultaattypeomschrijving="https://referentielijsten.example.nl/resultaattypeomschrijvingen/1",
            selectielijstklasse="https://selectielijst.example.nl/resultaten/1",
        )
        await _store(database, resultaattype)
        objs.append(m.Resultaat(zaak_id=created.id, resultaattype_id=resultaattype.id))
    await _store(database, *objs)
    if statussen:
        async with database.transaction() as session:
            stored = await session.get(m.Zaak, created.id)
            assert stored is not None
            stored.status_id = statussen[-1].id
        created.status_id = statussen[-1].id
    return created


async def documenttype(database: Database, zt: cm.ZaakType, **over: Any) -> cm.InformatieObjectType:
    """A published informatieobjecttype in the zaaktype's catalogus, linked to the zaaktype
    (so its documents can be linked to the zaaktype's zaken)."""
    fields: dict[str, Any] = {"catalogus_id": zt.catalogus_id, "concept": False}
    fields.update(over)
    iot = await _store_one(database, cm.InformatieObjectType, fields)
    await _store(
        database,
        cm.ZaakTypeInformatieObjectType(
            zaaktype_id=zt.id,
            informatieobjecttype_omschrijving=iot.omschrijving,
            volgnummer=next(_numbers),
            richting="uitgaand",
        ),
    )
    return iot


async def _store_one(database: Database, model: Any, fields: dict[str, Any]) -> Any:
    defaults: dict[str, Any] = {
        "omschrijving": f"Brief {next(_numbers)}",
        "vertrouwelijkheidaanduiding": "openbaar",
        "informatieobjectcategorie": "Brief",
        "begin_geldigheid": dt.date(2024, 1, 1),
    }
    obj = model(**(defaults | fields))
    await _store(database, obj)
    return obj


async def document(
    client: Any,
    headers: dict[str, str],
    iot: cm.InformatieObjectType,
    zaak: m.Zaak,
    inhoud: bytes | None = b"%PDF-1.4 besluit",
    *,
    basis: str = zf.BASE.split("/zaken/")[0],
    **over: Any,
) -> dict[str, Any]:
    """A document registered through the Documenten API (content in the test's storage
    directory) and linked to `zaak` through the Zaken API; definitief unless `status` says
    otherwise. `basis`: the origin `client` talks to. The Documenten API's answer."""
    fields: dict[str, Any] = {
        "titel": "Besluit op uw aanvraag",
        "bestandsnaam": "besluit.pdf",
        "formaat": "application/pdf",
        "status": "definitief",
    }
    fields.update(over)
    body_in = df.eio_body(iot, inhoud=inhoud, **fields)
    body_in["informatieobjecttype"] = _op(basis, body_in["informatieobjecttype"])
    created = await client.post(df.EIO, json=body_in, headers=headers)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    link = await client.post(
        "/zaken/api/v1/zaakinformatieobjecten",
        json={"zaak": _op(basis, zf.url(zaak)), "informatieobject": body["url"]},
        headers=headers,
    )
    assert link.status_code == 201, link.text
    return body


def _op(basis: str, url: str) -> str:
    """`url` (made for the test client's origin) at origin `basis`."""
    return basis + url.removeprefix(zf.BASE.split("/zaken/")[0])
