"""Test data for the Documenten register: published informatieobjecttypen, request bodies,
autorisaties."""

from __future__ import annotations

import base64
from typing import Any

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from tests.catalogi import factories as cf

API = "/documenten/api/v1"
EIO = f"{API}/enkelvoudiginformatieobjecten"
BASE = "http://testserver"


async def informatieobjecttype(
    database: Database, catalogus: cm.Catalogus | None = None, **over: Any
) -> cm.InformatieObjectType:
    """A published informatieobjecttype (a new catalogus unless one is given)."""
    if catalogus is None:
        catalogus = await cf.create_catalogus(database)
    fields: dict[str, Any] = {"concept": False}
    fields.update(over)
    return await cf.create_informatieobjecttype(database, catalogus, **fields)


def eio_body(iot: cm.InformatieObjectType, inhoud: bytes | None = b"hallo", **over: Any) -> dict:
    data: dict[str, Any] = {
        "bronorganisatie": "002220647",
        "creatiedatum": "2024-03-01",
        "titel": "Aanvraag",
        "auteur": "Gemeente",
        "taal": "nld",
        "bestandsnaam": "aanvraag.txt",
        "informatieobjecttype": cf.url(iot),
    }
    if inhoud is not None:
        data["inhoud"] = base64.b64encode(inhoud).decode()
    data.update(over)
    return data


def drc_autorisatie(
    iot: cm.InformatieObjectType, *scopes: str, maximum: str = "openbaar"
) -> dict[str, Any]:
    """An autorisatie for the `register` fixture: these scopes on this informatieobjecttype."""
    return {
        "component": "drc",
        "scopes": list(scopes),
        "informatieobjecttype": cf.url(iot),
        "max_vertrouwelijkheidaanduiding": maximum,
    }


async def create_eio(client: Any, headers: dict[str, str], iot: Any, **over: Any) -> dict:
    resp = await client.post(EIO, json=eio_body(iot, **over), headers=headers)
    assert resp.status_code == 201, resp.text
    body: dict = resp.json()
    return body


async def linkable_documents(
    client: Any,
    headers: dict[str, str],
    database: Database,
    *,
    zaaktype: cm.ZaakType | None = None,
    besluittype: cm.BesluitType | None = None,
    count: int = 1,
    omschrijving: str = "Bijlage",
) -> list[str]:
    """URLs of `count` new documents of our register whose informatieobjecttype
    (`omschrijving`, in the type's catalogus) the zaaktype or besluittype lists, so they can
    be linked to its zaken or besluiten (zrc-017, brc-008)."""
    from sqlalchemy import select

    owner: Any = zaaktype if zaaktype is not None else besluittype
    assert owner is not None
    async with database.transaction() as session:
        iot = (
            await session.execute(
                select(cm.InformatieObjectType).where(
                    cm.InformatieObjectType.catalogus_id == owner.catalogus_id,
                    cm.InformatieObjectType.omschrijving == omschrijving,
                )
            )
        ).scalar_one_or_none()
    if iot is None:
        catalogus = await session_get(database, cm.Catalogus, owner.catalogus_id)
        iot = await informatieobjecttype(database, catalogus, omschrijving=omschrijving)
        async with database.transaction() as session:
            if zaaktype is not None:
                session.add(
                    cm.ZaakTypeInformatieObjectType(
                        zaaktype_id=zaaktype.id,
                        informatieobjecttype_omschrijving=omschrijving,
                        volgnummer=1,
                        richting="inkomend",
                    )
                )
            else:
                stored = await session.get(cm.BesluitType, owner.id)
                assert stored is not None
                stored.informatieobjecttype_omschrijvingen = [
                    *stored.informatieobjecttype_omschrijvingen,
                    omschrijving,
                ]
    return [str((await create_eio(client, headers, iot))["url"]) for _ in range(count)]


async def session_get(database: Database, model: Any, ident: int) -> Any:
    async with database.transaction() as session:
        return await session.get(model, ident)
