"""/vertegenwoordigingen: one partij represents another (all operations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, add_operations
from mijnzaken.klantinteracties.api.common import BRON, declare
from mijnzaken.klantinteracties.models import Partij, Vertegenwoordiging
from mijnzaken.klantinteracties.repository import partij as repo
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import partij as schemas
from mijnzaken.klantinteracties.services import adres as service
from mijnzaken.klantinteracties.services import common

router = APIRouter(tags=["vertegenwoordigingen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Vertegenwoordiging:
    return await common.get(ctx.session, Vertegenwoordiging, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.vertegenwoordigingen(ctx.urls, filters.given())


async def render(ctx: Ctx, items: Sequence[Vertegenwoordiging]) -> list[dict[str, Any]]:
    partijen = await uuids(
        ctx.session,
        Partij,
        [v.vertegenwoordigende_partij_id for v in items]
        + [v.vertegenwoordigde_partij_id for v in items],
    )
    return [
        {
            "uuid": str(v.uuid),
            "url": common.url(ctx, "vertegenwoordigingen", v.uuid),
            "vertegenwoordigendePartij": common.ref(
                ctx, "partijen", partijen[v.vertegenwoordigende_partij_id]
            ),
            "vertegenwoordigdePartij": common.ref(
                ctx, "partijen", partijen[v.vertegenwoordigde_partij_id]
            ),
        }
        for v in items
    ]


def event(ctx: Ctx, obj: Vertegenwoordiging, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["vertegenwoordigdePartij"]["url"],
        bron=BRON,
        weergave="vertegenwoordiging",
    )


RESOURCE = declare(
    "vertegenwoordigingen",
    "vertegenwoordiging",
    "vertegenwoordigingen",
    out=schemas.Vertegenwoordiging,
    model=Vertegenwoordiging,
    get=get,
    render=render,
    query=query,
    filters=schemas.VertegenwoordigingFilter,
    write=schemas.VertegenwoordigingWrite,
    patch=schemas.VertegenwoordigingPatch,
    create=service.create_vertegenwoordiging,
    update=service.update_vertegenwoordiging,
    delete=service.delete,
    event=event,
)
add_operations(router, RESOURCE)
