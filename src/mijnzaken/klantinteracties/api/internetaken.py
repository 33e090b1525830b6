"""/internetaken: follow-up work a klantcontact led to (all operations). Notifications on
kanaal `internetaken`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare, kenmerk
from mijnzaken.klantinteracties.models import InterneTaak, Klantcontact
from mijnzaken.klantinteracties.repository import actor as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import actor as schemas
from mijnzaken.klantinteracties.services import actor as service
from mijnzaken.klantinteracties.services import common

router = APIRouter(tags=["interne taken"])


async def get(ctx: Ctx, ident: uuid.UUID) -> InterneTaak:
    return await common.get(ctx.session, InterneTaak, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.internetaken(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[InterneTaak]) -> list[dict[str, Any]]:
    klantcontacten = await uuids(ctx.session, Klantcontact, (t.klantcontact_id for t in items))
    actoren = await repo.actoren_van(ctx.session, items)
    out = []
    for t in items:
        toegewezen = [row[1] for row in actoren.get(t.id, [])]
        body: dict[str, Any] = {
            "uuid": str(t.uuid),
            "url": common.url(ctx, "internetaken", t.uuid),
            "nummer": t.nummer,
            "referentienummer": t.referentienummer,
            "gevraagdeHandeling": t.gevraagde_handeling,
            "aanleidinggevendKlantcontact": common.ref(
                ctx, "klantcontacten", klantcontacten[t.klantcontact_id]
            ),
            "toegewezenAanActoren": common.refs(ctx, "actoren", toegewezen),
            "toelichting": t.toelichting,
            "status": t.status,
            "toegewezenOp": iso(t.toegewezen_op),
            "afgehandeldOp": iso(t.afgehandeld_op),
        }
        if toegewezen:  # the first actor, for clients of the deprecated single field
            body["toegewezenAanActor"] = common.ref(ctx, "actoren", toegewezen[0])
        out.append(body)
    return out


def event(ctx: Ctx, obj: InterneTaak, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["url"],
        kanaal="internetaken",
        kenmerken={
            "nummer": kenmerk(obj.nummer),
            "gevraagdeHandeling": kenmerk(obj.gevraagde_handeling),
            "toelichting": kenmerk(obj.toelichting),
            "status": kenmerk(obj.status),
        },
        bron=BRON,
        weergave=f"interne taak {obj.nummer}",
    )


RESOURCE = declare(
    "internetaken",
    "internetaak",
    "internetaken",
    out=schemas.InterneTaak,
    model=InterneTaak,
    get=get,
    render=render,
    query=query,
    filters=schemas.InterneTaakFilter,
    write=schemas.InterneTaakWrite,
    patch=schemas.InterneTaakPatch,
    create=service.create_internetaak,
    update=service.update_internetaak,
    delete=service.delete,
    event=event,
    # a PATCH assigns only when it names an actor field itself
    writable=lambda body: {
        k: v for k, v in body.items() if k not in ("toegewezenAanActor", "toegewezenAanActoren")
    },
)
add_operations(router, RESOURCE)
