"""/betrokkenen: who took part in a klantcontact, and how to reach them about it (all
operations; `expand`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Betrokkene, Klantcontact, Partij
from mijnzaken.klantinteracties.repository import klantcontact as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.schemas.common import volledige_naam
from mijnzaken.klantinteracties.services import common, verwerking
from mijnzaken.klantinteracties.services import klantcontact as service

router = APIRouter(tags=["betrokkenen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Betrokkene:
    return await common.get(ctx.session, Betrokkene, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.betrokkenen(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Betrokkene]) -> list[dict[str, Any]]:
    partijen = await uuids(ctx.session, Partij, (b.partij_id for b in items))
    klantcontacten = await uuids(ctx.session, Klantcontact, (b.klantcontact_id for b in items))
    adressen = await repo.digitale_adressen_van(ctx.session, [b.id for b in items])
    out = [
        {
            "uuid": str(b.uuid),
            "url": common.url(ctx, "betrokkenen", b.uuid),
            "wasPartij": common.ref(ctx, "partijen", partijen.get(b.partij_id or 0)),
            "hadKlantcontact": common.ref(ctx, "klantcontacten", klantcontacten[b.klantcontact_id]),
            "digitaleAdressen": common.refs(
                ctx, "digitaleadressen", (row[1] for row in adressen.get(b.id, []))
            ),
            "bezoekadres": b.bezoekadres,
            "correspondentieadres": b.correspondentieadres,
            "contactnaam": b.contactnaam,
            "volledigeNaam": volledige_naam(b.contactnaam),
            "rol": b.rol,
            "organisatienaam": b.organisatienaam,
            "initiator": b.initiator,
        }
        for b in items
    ]
    await verwerking.gelezen(ctx, "betrokkene", out)
    return out


def event(ctx: Ctx, obj: Betrokkene, body: dict[str, Any]) -> Event:
    return Event(hoofd_object=body["hadKlantcontact"]["url"], bron=BRON, weergave=obj.rol)


RESOURCE = declare(
    "betrokkenen",
    "betrokkene",
    "betrokkenen",
    out=schemas.Betrokkene,
    list_out=schemas.BetrokkeneExpanded,
    model=Betrokkene,
    get=get,
    render=render,
    query=query,
    filters=schemas.BetrokkeneFilter,
    retrieve_query=schemas.ExpandQuery,
    expandable=True,
    write=schemas.BetrokkeneWrite,
    patch=schemas.BetrokkenePatch,
    create=service.create_betrokkene,
    update=service.update_betrokkene,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
