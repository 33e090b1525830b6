"""/digitaleadressen: e-mail addresses, phone numbers and other digital addresses (all
operations; `expand`). Their verification is our extension, see api/verificatie.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Betrokkene, DigitaalAdres, Partij
from mijnzaken.klantinteracties.repository import adres as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import adres as schemas
from mijnzaken.klantinteracties.services import adres as service
from mijnzaken.klantinteracties.services import common, verwerking

router = APIRouter(tags=["digitale adressen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> DigitaalAdres:
    return await common.get(ctx.session, DigitaalAdres, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.digitale_adressen(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[DigitaalAdres]) -> list[dict[str, Any]]:
    betrokkenen = await uuids(ctx.session, Betrokkene, (d.betrokkene_id for d in items))
    partijen = await uuids(ctx.session, Partij, (d.partij_id for d in items))
    out = []
    for d in items:
        body: dict[str, Any] = {
            "uuid": str(d.uuid),
            "url": common.url(ctx, "digitaleadressen", d.uuid),
            "verstrektDoorBetrokkene": common.ref(
                ctx, "betrokkenen", betrokkenen.get(d.betrokkene_id or 0)
            ),
            "verstrektDoorPartij": common.ref(ctx, "partijen", partijen.get(d.partij_id or 0)),
            "adres": d.adres,
            "soortDigitaalAdres": d.soort_digitaal_adres,
            "isStandaardAdres": d.is_standaard_adres,
            "omschrijving": d.omschrijving,
            "verificatieDatum": d.verificatie_datum.isoformat() if d.verificatie_datum else None,
        }
        if d.referentie:  # the spec's pattern admits no empty referentie
            body["referentie"] = d.referentie
        out.append(body)
    await verwerking.gelezen(ctx, "digitaaladres", out)
    return out


def event(ctx: Ctx, obj: DigitaalAdres, body: dict[str, Any]) -> Event:
    partij = body.get("verstrektDoorPartij")
    return Event(
        hoofd_object=partij["url"] if partij else body["url"],
        bron=BRON,
        weergave=obj.soort_digitaal_adres,
    )


RESOURCE = declare(
    "digitaleadressen",
    "digitaaladres",
    "digitaleadressen",
    out=schemas.DigitaalAdres,
    list_out=schemas.DigitaalAdresExpanded,
    model=DigitaalAdres,
    get=get,
    render=render,
    query=query,
    filters=schemas.DigitaalAdresFilter,
    retrieve_query=schemas.ExpandQuery,
    expandable=True,
    write=schemas.DigitaalAdresWrite,
    patch=schemas.DigitaalAdresPatch,
    create=service.create_digitaal_adres,
    update=service.update_digitaal_adres,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
