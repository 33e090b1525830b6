"""/actoren: medewerkers, geautomatiseerde actoren and organisatorische eenheden (all
operations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Actor
from mijnzaken.klantinteracties.repository import actor as repo
from mijnzaken.klantinteracties.schemas import actor as schemas
from mijnzaken.klantinteracties.schemas.common import identificator_body
from mijnzaken.klantinteracties.services import actor as service
from mijnzaken.klantinteracties.services import common

router = APIRouter(tags=["actoren"])


def actor_body(ctx: Ctx, a: Actor) -> dict[str, Any]:
    body = {
        "uuid": str(a.uuid),
        "url": common.url(ctx, "actoren", a.uuid),
        "naam": a.naam,
        "soortActor": a.soort_actor,
        "indicatieActief": a.indicatie_actief,
        "actoridentificator": identificator_body(a),
    }
    if a.actor_identificatie is not None:  # the spec's shapes are objects, never null
        body["actorIdentificatie"] = a.actor_identificatie
    return body


async def get(ctx: Ctx, ident: uuid.UUID) -> Actor:
    return await common.get(ctx.session, Actor, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.actoren(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Actor]) -> list[dict[str, Any]]:
    return [actor_body(ctx, a) for a in items]


def event(ctx: Ctx, obj: Actor, body: dict[str, Any]) -> Event:
    return Event(hoofd_object=body["url"], bron=BRON, weergave=obj.naam[:200])


RESOURCE = declare(
    "actoren",
    "actor",
    "actoren",
    out=schemas.Actor,
    model=Actor,
    get=get,
    render=render,
    query=query,
    filters=schemas.ActorFilter,
    write=schemas.ActorWrite,
    patch=schemas.ActorPatch,
    create=service.create_actor,
    update=service.update_actor,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
