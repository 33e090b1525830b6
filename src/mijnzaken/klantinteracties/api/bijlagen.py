"""/bijlagen: documents that are part of a klantcontact (all operations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Bijlage, Klantcontact
from mijnzaken.klantinteracties.repository import klantcontact as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.schemas.common import identificator_body
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import klantcontact as service

router = APIRouter(tags=["bijlagen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Bijlage:
    return await common.get(ctx.session, Bijlage, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.bijlagen(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Bijlage]) -> list[dict[str, Any]]:
    klantcontacten = await uuids(ctx.session, Klantcontact, (b.klantcontact_id for b in items))
    return [
        {
            "uuid": str(b.uuid),
            "url": common.url(ctx, "bijlagen", b.uuid),
            "wasBijlageVanKlantcontact": common.ref(
                ctx, "klantcontacten", klantcontacten.get(b.klantcontact_id or 0)
            ),
            "bijlageidentificator": identificator_body(b),
        }
        for b in items
    ]


def event(ctx: Ctx, obj: Bijlage, body: dict[str, Any]) -> Event:
    klantcontact = body.get("wasBijlageVanKlantcontact")
    return Event(
        hoofd_object=klantcontact["url"] if klantcontact else body["url"],
        bron=BRON,
        weergave="bijlage",
    )


RESOURCE = declare(
    "bijlagen",
    "bijlage",
    "bijlagen",
    out=schemas.Bijlage,
    model=Bijlage,
    get=get,
    render=render,
    query=query,
    filters=schemas.BijlageFilter,
    write=schemas.BijlageWrite,
    patch=schemas.BijlagePatch,
    create=service.create_bijlage,
    update=service.update_bijlage,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
