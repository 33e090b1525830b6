"""Typed factories for Besluiten test data, written through the ORM (no dependency on the
endpoints under test)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from mijnzaken.besluiten import models as m
from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from tests.catalogi import factories as cf
from tests.zaken import factories as zf

BASE = "http://testserver/besluiten/api/v1"
API = f"{BASE}/besluiten"
BIO_API = f"{BASE}/besluitinformatieobjecten"
RSIN = "002220647"
OTHER_RSIN = "517439943"


def url(obj: m.Besluit) -> str:
    return f"{API}/{obj.uuid}"


async def published_besluittype(
    database: Database, catalogus: cm.Catalogus | None = None, **over: Any
) -> cm.BesluitType:
    catalogus = catalogus or await cf.create_catalogus(database)
    fields: dict[str, Any] = {"concept": False}
    fields.update(over)
    return await cf.create_besluittype(database, catalogus, **fields)


async def zaaktype_allowing(database: Database, besluittype: cm.BesluitType) -> cm.ZaakType:
    """A published zaaktype in the besluittype's catalogus that lists the besluittype."""
    return await zf.published_zaaktype(
        database,
        catalogus=await _catalogus(database, besluittype.catalogus_id),
        besluittype_omschrijvingen=[besluittype.omschrijving],
    )


async def zaak_allowing(database: Database, besluittype: cm.BesluitType, **over: Any) -> Any:
    """A zaak whose zaaktype (in the besluittype's catalogus) lists the besluittype."""
    return await zf.create_zaak(database, await zaaktype_allowing(database, besluittype), **over)


async def _catalogus(database: Database, ident: int) -> cm.Catalogus:
    async with database.transaction() as session:
        found = await session.get(cm.Catalogus, ident)
        assert found is not None
        return found


async def create_besluit(
    database: Database, besluittype: cm.BesluitType, zaak: Any = None, **over: Any
) -> m.Besluit:
    fields: dict[str, Any] = {
        "uuid": uuid.uuid4(),
        "identificatie": f"B-{uuid.uuid4().hex[:12]}",
        "verantwoordelijke_organisatie": RSIN,
        "besluittype_id": besluittype.id,
        "besluittype_uuid": besluittype.uuid,
        "zaak_id": zaak.id if zaak is not None else None,
        "datum": dt.date(2024, 5, 1),
        "ingangsdatum": dt.date(2024, 5, 2),
    }
    fields.update(over)
    async with database.transaction() as session:
        besluit = m.Besluit(**fields)
        session.add(besluit)
        await session.flush()
    return besluit


def body(besluittype: cm.BesluitType, /, **over: Any) -> dict[str, Any]:
    """A valid besluit_create body."""
    data: dict[str, Any] = {
        "verantwoordelijkeOrganisatie": RSIN,
        "besluittype": cf.url(besluittype),
        "datum": "2024-05-01",
        "ingangsdatum": "2024-05-02",
    }
    data.update(over)
    return data


def brc_autorisatie(besluittype: cm.BesluitType, *scopes: str) -> dict[str, Any]:
    """An autorisatie for the `register` fixture: these scopes on this besluittype."""
    return {"component": "brc", "scopes": list(scopes), "besluittype": cf.url(besluittype)}
