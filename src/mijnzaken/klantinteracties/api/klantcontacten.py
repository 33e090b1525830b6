"""/klantcontacten: contact between the municipality and a customer about a subject (all
operations; `expand`). Notifications on kanaal `klantcontacten`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.actoren import actor_body
from mijnzaken.klantinteracties.api.common import BRON, declare, kenmerk
from mijnzaken.klantinteracties.models import Klantcontact
from mijnzaken.klantinteracties.repository import klantcontact as repo
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.services import common, verwerking
from mijnzaken.klantinteracties.services import klantcontact as service

router = APIRouter(tags=["klanten contacten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Klantcontact:
    return await common.get(ctx.session, Klantcontact, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.klantcontacten(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Klantcontact]) -> list[dict[str, Any]]:
    rel = await repo.related(ctx.session, items)

    def uuids(group: dict[int, list[Any]], k: Klantcontact) -> list[uuid.UUID]:
        return [row[1] for row in group.get(k.id, [])]

    out = []
    for k in items:
        body: dict[str, Any] = {
            "uuid": str(k.uuid),
            "url": common.url(ctx, "klantcontacten", k.uuid),
            "gingOverOnderwerpobjecten": common.refs(
                ctx, "onderwerpobjecten", uuids(rel.onderwerpobjecten, k)
            ),
            "hadBetrokkenActoren": [actor_body(ctx, row[1]) for row in rel.actoren.get(k.id, [])],
            "omvatteBijlagen": common.refs(ctx, "bijlagen", uuids(rel.bijlagen, k)),
            "hadBetrokkenen": common.refs(ctx, "betrokkenen", uuids(rel.betrokkenen, k)),
            "leiddeTotInterneTaken": common.refs(ctx, "internetaken", uuids(rel.internetaken, k)),
            "nummer": k.nummer,
            "referentienummer": k.referentienummer,
            "kanaal": k.kanaal,
            "onderwerp": k.onderwerp,
            "inhoud": k.inhoud,
            "reactie": k.reactie,
            "indicatieContactGelukt": k.indicatie_contact_gelukt,
            "verdereActieOndernomen": k.verdere_actie_ondernomen,
            "taal": k.taal,
            "vertrouwelijk": k.vertrouwelijk,
            "plaatsgevondenOp": iso(k.plaatsgevonden_op),
            "metadata": k.meta or {},
        }
        if k.hoofd_onderwerp_type:  # format uri: an empty one is left out
            body["hoofdOnderwerpType"] = k.hoofd_onderwerp_type
        out.append(body)
    await verwerking.gelezen(ctx, "klantcontact", out)
    return out


def event(ctx: Ctx, obj: Klantcontact, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["url"],
        kanaal="klantcontacten",
        kenmerken={
            "hoofdOnderwerpType": kenmerk(obj.hoofd_onderwerp_type),
            "indicatieContactGelukt": kenmerk(obj.indicatie_contact_gelukt),
            "verdereActieOndernomen": kenmerk(obj.verdere_actie_ondernomen),
        },
        bron=BRON,
        weergave=f"klantcontact {obj.nummer}",
    )


RESOURCE = declare(
    "klantcontacten",
    "klantcontact",
    "klantcontacten",
    out=schemas.Klantcontact,
    list_out=schemas.KlantcontactExpanded,
    model=Klantcontact,
    get=get,
    render=render,
    query=query,
    filters=schemas.KlantcontactFilter,
    retrieve_query=schemas.ExpandQuery,
    expandable=True,
    write=schemas.KlantcontactWrite,
    patch=schemas.KlantcontactPatch,
    create=service.create_klantcontact,
    update=service.update_klantcontact,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
