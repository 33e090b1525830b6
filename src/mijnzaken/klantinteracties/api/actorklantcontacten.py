"""/actorklantcontacten: which actor took part in which klantcontact (all operations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Actor, ActorKlantcontact, Klantcontact
from mijnzaken.klantinteracties.repository import actor as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import actor as schemas
from mijnzaken.klantinteracties.services import actor as service
from mijnzaken.klantinteracties.services import common

router = APIRouter(tags=["actor klantcontacten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> ActorKlantcontact:
    return await common.get(ctx.session, ActorKlantcontact, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.actorklantcontacten(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[ActorKlantcontact]) -> list[dict[str, Any]]:
    actoren = await uuids(ctx.session, Actor, (a.actor_id for a in items))
    klantcontacten = await uuids(ctx.session, Klantcontact, (a.klantcontact_id for a in items))
    return [
        {
            "uuid": str(a.uuid),
            "url": common.url(ctx, "actorklantcontacten", a.uuid),
            "actor": common.ref(ctx, "actoren", actoren[a.actor_id]),
            "klantcontact": common.ref(ctx, "klantcontacten", klantcontacten[a.klantcontact_id]),
        }
        for a in items
    ]


def event(ctx: Ctx, obj: ActorKlantcontact, body: dict[str, Any]) -> Event:
    return Event(hoofd_object=body["klantcontact"]["url"], bron=BRON, weergave="actor")


RESOURCE = declare(
    "actorklantcontacten",
    "actorklantcontact",
    "actorklantcontacten",
    out=schemas.ActorKlantcontact,
    model=ActorKlantcontact,
    get=get,
    render=render,
    query=query,
    filters=schemas.ActorKlantcontactFilter,
    write=schemas.ActorKlantcontactWrite,
    patch=schemas.ActorKlantcontactPatch,
    create=service.create_actorklantcontact,
    update=service.update_actorklantcontact,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
