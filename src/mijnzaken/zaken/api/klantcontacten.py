"""/klantcontacten: contact moments recorded on a zaak (list, create, retrieve)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.zaken.api.common import API, READ, UPDATE
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import KlantContact
from mijnzaken.zaken.schemas.klantcontact import KlantContact as KlantContactOut
from mijnzaken.zaken.schemas.klantcontact import KlantContactFilter, KlantContactWrite
from mijnzaken.zaken.services import common

router = APIRouter(tags=["klantcontacten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> KlantContact:
    obj: KlantContact = await common.get_child(ctx, KlantContact, ident)
    return obj


async def query(ctx: Ctx, filters: KlantContactFilter) -> Select[Any]:
    return await common.children_stmt(ctx, KlantContact, filters.zaak)


async def render(ctx: Ctx, items: Sequence[KlantContact]) -> list[dict[str, Any]]:
    return [
        {
            "url": ctx.urls.resource(API, "klantcontacten", k.uuid),
            "uuid": str(k.uuid),
            "zaak": common.zaak_url(ctx, k.zaak),
            "identificatie": k.identificatie,
            "datumtijd": iso(k.datumtijd),
            "kanaal": k.kanaal,
            "onderwerp": k.onderwerp,
            "toelichting": k.toelichting,
        }
        for k in items
    ]


async def create(ctx: Ctx, data: KlantContactWrite) -> KlantContact:
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, (common.UPDATE, common.FORCED_UPDATE))
    obj = KlantContact(
        zaak=zaak,
        zaak_id=zaak.id,
        identificatie=data.identificatie or secrets.token_hex(7).upper(),
        datumtijd=data.datumtijd,
        kanaal=data.kanaal,
        onderwerp=data.onderwerp,
        toelichting=data.toelichting,
    )
    ctx.session.add(obj)
    return obj


def event(ctx: Ctx, obj: KlantContact, _body: dict[str, Any]) -> Event:
    return zaak_event(ctx, obj.zaak, obj.identificatie)


RESOURCE: Resource[KlantContact] = Resource(
    api=API,
    collection="klantcontacten",
    name="klantcontact",
    out=KlantContactOut,
    model=KlantContact,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=KlantContactFilter,
    write=KlantContactWrite,
    create=create,
    create_scopes=UPDATE,
    event=event,
    headers_operation=False,
    summaries={
        "list": "Alle KLANTCONTACTen opvragen.",
        "create": "Maak een KLANTCONTACT bij een ZAAK aan.",
        "retrieve": "Een specifiek KLANTCONTACT bij een ZAAK opvragen.",
    },
)
add_operations(router, RESOURCE)
