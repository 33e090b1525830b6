"""Typed factories for Catalogi test data, written straight through the ORM.

They do not go through the API, so tests of one resource do not depend on another resource's
endpoints. Each returns the stored object; `url()` gives its API URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mijnzaken.catalogi import models as m
from mijnzaken.core.db import Database

BASE = "http://testserver/catalogi/api/v1"

COLLECTIONS = {
    m.Catalogus: "catalogussen",
    m.ZaakType: "zaaktypen",
    m.StatusType: "statustypen",
    m.RolType: "roltypen",
    m.ResultaatType: "resultaattypen",
    m.Eigenschap: "eigenschappen",
    m.ZaakObjectType: "zaakobjecttypen",
    m.ZaakTypeInformatieObjectType: "zaaktype-informatieobjecttypen",
    m.InformatieObjectType: "informatieobjecttypen",
    m.BesluitType: "besluittypen",
}


def url(obj: Any) -> str:
    return f"{BASE}/{COLLECTIONS[type(obj)]}/{obj.uuid}"


async def _store(database: Database, obj: Any) -> Any:
    async with database.transaction() as session:
        session.add(obj)
        await session.flush()
    return obj


async def create_catalogus(database: Database, **over: Any) -> m.Catalogus:
    fields: dict[str, Any] = {
        "domein": "TEST",
        "rsin": "002220647",
        "contactpersoon_beheer_naam": "Beheerder",
    }
    fields.update(over)
    return await _store(database, m.Catalogus(**fields))


async def create_zaaktype(
    database: Database, catalogus: m.Catalogus | None = None, **over: Any
) -> m.ZaakType:
    catalogus = catalogus or await create_catalogus(database)
    fields: dict[str, Any] = {
        "catalogus_id": catalogus.id,
        "identificatie": "ZT-1",
        "omschrijving": "Parkeervergunning",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Vergunning verlenen",
        "aanleiding": "Aanvraag",
        "indicatie_intern_of_extern": "extern",
        "handeling_initiator": "aanvragen",
        "onderwerp": "Parkeren",
        "handeling_behandelaar": "behandelen",
        "doorlooptijd": "P30D",
        "opschorting_en_aanhouding_mogelijk": False,
        "verlenging_mogelijk": False,
        "publicatie_indicatie": False,
        "producten_of_diensten": ["https://producten.example.nl/parkeervergunning"],
        "referentieproces": {"naam": "Vergunningverlening", "link": ""},
        "verantwoordelijke": "Afdeling Parkeren",
        "begin_geldigheid": dt.date(2024, 1, 1),
        "versiedatum": dt.date(2024, 1, 1),
        "concept": True,
    }
    fields.update(over)
    return await _store(database, m.ZaakType(**fields))


async def create_statustype(database: Database, zaaktype: m.ZaakType, **over: Any) -> m.StatusType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": "Ontvangen",
        "volgnummer": 1,
        "begin_geldigheid": zaaktype.begin_geldigheid,
    }
    fields.update(over)
    return await _store(database, m.StatusType(**fields))


async def create_roltype(database: Database, zaaktype: m.ZaakType, **over: Any) -> m.RolType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": "Aanvrager",
        "omschrijving_generiek": "initiator",
    }
    fields.update(over)
    return await _store(database, m.RolType(**fields))


async def create_informatieobjecttype(
    database: Database, catalogus: m.Catalogus, **over: Any
) -> m.InformatieObjectType:
    fields: dict[str, Any] = {
        "catalogus_id": catalogus.id,
        "omschrijving": "Aanvraagformulier",
        "vertrouwelijkheidaanduiding": "openbaar",
        "informatieobjectcategorie": "Aanvraag",
        "begin_geldigheid": dt.date(2024, 1, 1),
        "concept": True,
    }
    fields.update(over)
    return await _store(database, m.InformatieObjectType(**fields))


async def create_besluittype(
    database: Database, catalogus: m.Catalogus, **over: Any
) -> m.BesluitType:
    fields: dict[str, Any] = {
        "catalogus_id": catalogus.id,
        "omschrijving": "Vergunningsbesluit",
        "publicatie_indicatie": False,
        "begin_geldigheid": dt.date(2024, 1, 1),
        "concept": True,
    }
    fields.update(over)
    return await _store(database, m.BesluitType(**fields))


async def create_resultaattype(
    database: Database, zaaktype: m.ZaakType, **over: Any
) -> m.ResultaatType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": "Verleend",
        "resultaattypeomschrijving": "https://selectielijst.example.nl/resultaattypeomschrijvingen/1",
        "selectielijstklasse": "https://selectielijst.example.nl/resultaten/1",
        "archiefnominatie": "vernietigen",
        "archiefactietermijn": "P10Y",
        "brondatum_archiefprocedure": {"afleidingswijze": "afgehandeld"},
        "begin_geldigheid": zaaktype.begin_geldigheid,
    }
    fields.update(over)
    return await _store(database, m.ResultaatType(**fields))


async def create_eigenschap(
    database: Database, zaaktype: m.ZaakType, naam: str = "kenteken", **over: Any
) -> m.Eigenschap:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "naam": naam,
        "definitie": "Een eigenschap",
        "specificatie": {"groep": "", "formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
    }
    fields.update(over)
    return await _store(database, m.Eigenschap(**fields))
