"""/rekeningnummers: bank accounts of partijen (all operations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Partij, Rekeningnummer
from mijnzaken.klantinteracties.repository import adres as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import adres as schemas
from mijnzaken.klantinteracties.services import adres as service
from mijnzaken.klantinteracties.services import common, verwerking

router = APIRouter(tags=["rekeningnummers"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Rekeningnummer:
    return await common.get(ctx.session, Rekeningnummer, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.rekeningnummers(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Rekeningnummer]) -> list[dict[str, Any]]:
    partijen = await uuids(ctx.session, Partij, (r.partij_id for r in items))
    out = []
    for r in items:
        body: dict[str, Any] = {
            "uuid": str(r.uuid),
            "url": common.url(ctx, "rekeningnummers", r.uuid),
            "partij": common.ref(ctx, "partijen", partijen.get(r.partij_id or 0)),
            "iban": r.iban,
        }
        if r.bic:  # the spec's pattern and length admit no empty bic
            body["bic"] = r.bic
        out.append(body)
    await verwerking.gelezen(ctx, "rekeningnummer", out)
    return out


def event(ctx: Ctx, obj: Rekeningnummer, body: dict[str, Any]) -> Event:
    partij = body.get("partij")
    return Event(
        hoofd_object=partij["url"] if partij else body["url"], bron=BRON, weergave="rekeningnummer"
    )


RESOURCE = declare(
    "rekeningnummers",
    "rekeningnummer",
    "rekeningnummers",
    out=schemas.Rekeningnummer,
    model=Rekeningnummer,
    get=get,
    render=render,
    query=query,
    filters=schemas.RekeningnummerFilter,
    write=schemas.RekeningnummerWrite,
    patch=schemas.RekeningnummerPatch,
    create=service.create_rekeningnummer,
    update=service.update_rekeningnummer,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
