"""Typed factories for Zaken test data, written through the ORM (no dependency on the
endpoints under test). Each returns the stored object; `url()` gives its API URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mijnzaken.catalogi import models as cm
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf

BASE = "http://testserver/zaken/api/v1"

COLLECTIONS = {
    m.Zaak: "zaken",
    m.Status: "statussen",
    m.Resultaat: "resultaten",
    m.Rol: "rollen",
    m.ZaakObject: "zaakobjecten",
    m.ZaakInformatieObject: "zaakinformatieobjecten",
    m.KlantContact: "klantcontacten",
    m.ZaakContactMoment: "zaakcontactmomenten",
    m.ZaakVerzoek: "zaakverzoeken",
}


def url(obj: Any) -> str:
    if isinstance(obj, m.ZaakEigenschap | m.ZaakBesluit):
        raise TypeError("nested resources: build their URL from the zaak")
    return f"{BASE}/{COLLECTIONS[type(obj)]}/{obj.uuid}"


async def _store(database: Database, obj: Any) -> Any:
    async with database.transaction() as session:
        session.add(obj)
        await session.flush()
    return obj


async def published_zaaktype(database: Database, **over: Any) -> cm.ZaakType:
    """A published zaaktype with statustypen 1 (Ontvangen) and 2 (Afgehandeld), an initiator
    roltype and a resultaattype."""
    fields: dict[str, Any] = {"concept": False}
    fields.update(over)
    zaaktype = await cf.create_zaaktype(database, **fields)
    await cf.create_statustype(database, zaaktype, volgnummer=1, omschrijving="Ontvangen")
    await cf.create_statustype(database, zaaktype, volgnummer=2, omschrijving="Afgehandeld")
    await cf.create_roltype(database, zaaktype)
    return zaaktype


async def create_zaak(database: Database, zaaktype: cm.ZaakType, **over: Any) -> m.Zaak:
    fields: dict[str, Any] = {
        "identificatie": f"ZAAK-{clock.now().timestamp():.6f}",
        "bronorganisatie": "002220647",
        "zaaktype_id": zaaktype.id,
        "zaaktype_uuid": zaaktype.uuid,
        "registratiedatum": dt.date(2024, 3, 1),
        "verantwoordelijke_organisatie": "002220647",
        "startdatum": dt.date(2024, 3, 1),
        "vertrouwelijkheidaanduiding": zaaktype.vertrouwelijkheidaanduiding,
    }
    fields.update(over)
    return await _store(database, m.Zaak(**fields))


def zrc_autorisatie(
    zaaktype: cm.ZaakType, *scopes: str, maximum: str = "openbaar"
) -> dict[str, Any]:
    """An autorisatie for the `register` fixture: these scopes on this zaaktype."""
    return {
        "component": "zrc",
        "scopes": list(scopes),
        "zaaktype": cf.url(zaaktype),
        "max_vertrouwelijkheidaanduiding": maximum,
    }


async def create_rol(
    database: Database, zaak: m.Zaak, roltype: cm.RolType, bsn: str | None = None, **over: Any
) -> m.Rol:
    """A natuurlijk persoon in `roltype`, identified by `bsn` when given."""
    fields: dict[str, Any] = {
        "zaak_id": zaak.id,
        "roltype_id": roltype.id,
        "omschrijving": roltype.omschrijving,
        "omschrijving_generiek": roltype.omschrijving_generiek,
        "betrokkene_type": "natuurlijk_persoon",
        "roltoelichting": "Aanvrager",
        "registratiedatum": dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC),
    }
    if bsn is not None:
        fields["inp_bsn"] = bsn
        fields["betrokkene_identificatie"] = {"inpBsn": bsn, "geslachtsnaam": "Jansen"}
    fields.update(over)
    return await _store(database, m.Rol(**fields))


async def create_status(
    database: Database, zaak: m.Zaak, statustype: cm.StatusType, **over: Any
) -> m.Status:
    """A status of `zaak`, which becomes the zaak's current status."""
    fields: dict[str, Any] = {
        "zaak_id": zaak.id,
        "statustype_id": statustype.id,
        "datum_status_gezet": dt.datetime(2024, 3, 2, 9, tzinfo=dt.UTC),
    }
    fields.update(over)
    async with database.transaction() as session:
        status = m.Status(**fields)
        session.add(status)
        await session.flush()
        stored = await session.get(m.Zaak, zaak.id)
        assert stored is not None
        stored.status_id = status.id
    zaak.status_id = status.id
    return status


async def create_resultaat(
    database: Database, zaak: m.Zaak, resultaattype: cm.ResultaatType, **over: Any
) -> m.Resultaat:
    fields: dict[str, Any] = {"zaak_id": zaak.id, "resultaattype_id": resultaattype.id}
    fields.update(over)
    return await _store(database, m.Resultaat(**fields))


async def create_zaak_of_citizen(database: Database, bsn: str) -> m.Zaak:
    """A zaak of a published zaaktype with one rol of the citizen `bsn`."""
    zaaktype = await published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    zaak = await create_zaak(database, zaaktype)
    await create_rol(database, zaak, roltype, bsn=bsn)
    return zaak
