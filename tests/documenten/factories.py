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
