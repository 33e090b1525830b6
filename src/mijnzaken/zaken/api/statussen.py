"""/statussen: the statussen a zaak has reached (list, create, retrieve, headers).

Setting a status may close or reopen its zaak; the rules are in zaken/services/status.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select, false, or_

from mijnzaken.catalogi.services import refs
from mijnzaken.core.db import iso
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx, Event, Resource, Scopes, add_operations, fresh
from mijnzaken.zaken.api.common import API, READ
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import Status, Zaak
from mijnzaken.zaken.repository import status as repo
from mijnzaken.zaken.repository.aggregate import uuids
from mijnzaken.zaken.schemas.status import Status as StatusOut
from mijnzaken.zaken.schemas.status import (
    StatusExpanded,
    StatusFilter,
    StatusRetrieveQuery,
    StatusWrite,
)
from mijnzaken.zaken.services import common
from mijnzaken.zaken.services import status as service

router = APIRouter(tags=["statussen"])

SET = Scopes.of("zrc", *service.SETTING)
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


async def get(ctx: Ctx, ident: uuid.UUID) -> Status:
    obj: Status = await common.get_child(ctx, Status, ident)
    return obj


async def query(ctx: Ctx, filters: StatusFilter) -> Select[Any]:
    stmt = await common.children_stmt(ctx, Status, filters.zaak)
    if filters.statustype is not None:
        ids = await refs.ids_for_urls(ctx.session, ctx.urls, "statustypen", [filters.statustype])
        statustype_id = ids.get(filters.statustype)
        stmt = stmt.where(
            Status.statustype_id == statustype_id if statustype_id is not None else false()
        )
    if filters.indicatie_laatst_gezette_status is not None:
        wanted = BOOLEANS.get(filters.indicatie_laatst_gezette_status.lower())
        if wanted is None:
            raise ValidationFailed.field(
                "indicatieLaatstGezetteStatus", "invalid", "Gebruik true of false."
            )
        # the zaak points at its latest status, so this is the same test render() makes
        stmt = stmt.where(
            Zaak.status_id == Status.id
            if wanted
            else or_(Zaak.status_id.is_(None), Zaak.status_id != Status.id)
        )
    return stmt


async def render(ctx: Ctx, items: Sequence[Status]) -> list[dict[str, Any]]:
    if all(fresh(ctx, s) for s in items):
        documenten: dict[int, list[uuid.UUID]] = {}  # no document can point at it yet
    else:
        documenten = await repo.zaakinformatieobjecten_of(ctx.session, [s.id for s in items])
    return await _bodies(ctx, items, [documenten.get(s.id, []) for s in items])


async def _expand_rows(ctx: Ctx, idents: Sequence[uuid.UUID]) -> Sequence[Any]:
    """The statussen `expand` asks for, with their documents, in one statement."""
    return await common.children_rows(ctx, Status, idents, repo.documenten_column)


async def _render_rows(ctx: Ctx, rows: Sequence[Any]) -> list[dict[str, Any]]:
    return await _bodies(ctx, rows, [uuids(r.documenten) for r in rows])


async def _bodies(
    ctx: Ctx, items: Sequence[Any], documenten: Sequence[Sequence[uuid.UUID]]
) -> list[dict[str, Any]]:
    """`items` rendered, each with the UUIDs of its zaakinformatieobjecten."""
    statustypen = await refs.uuids_by_ids(
        ctx.session, "statustypen", {s.statustype_id for s in items}
    )
    statussen = ctx.urls.collection(API, "statussen") + "/"
    zaken = ctx.urls.collection(API, "zaken") + "/"
    links = ctx.urls.collection(API, "zaakinformatieobjecten") + "/"
    return [
        {
            "url": f"{statussen}{s.uuid}",
            "uuid": str(s.uuid),
            "zaak": f"{zaken}{s.zaak_uuid}",
            "statustype": refs.url_of_uuid(ctx.urls, "statustypen", statustypen[s.statustype_id]),
            "datumStatusGezet": iso(s.datum_status_gezet),
            "statustoelichting": s.statustoelichting,
            "indicatieLaatstGezetteStatus": s.zaak_status_id == s.id,
            "gezetdoor": s.gezetdoor,
            "zaakinformatieobjecten": [f"{links}{ident}" for ident in ids],
        }
        for s, ids in zip(items, documenten, strict=True)
    ]


def event(ctx: Ctx, obj: Status, _body: dict[str, Any]) -> Event:
    zaak = obj.zaak
    weergave = f"{zaak.bronorganisatie} - {zaak.identificatie} - {iso(obj.datum_status_gezet)}"
    return zaak_event(ctx, zaak, weergave)


RESOURCE: Resource[Status] = Resource(
    api=API,
    collection="statussen",
    name="status",
    out=StatusOut,
    list_out=StatusExpanded,
    model=Status,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=StatusFilter,
    retrieve_query=StatusRetrieveQuery,
    write=StatusWrite,
    create=service.create,
    create_scopes=SET,
    event=event,
    expandable=True,
    expand_rows=_expand_rows,
    expand_render=_render_rows,
    summaries={
        "list": "Alle STATUSsen bij ZAAKen opvragen.",
        "create": "Maak een STATUS aan voor een ZAAK.",
        "retrieve": "Een specifieke STATUS van een ZAAK opvragen.",
        "headers": "De headers voor een specifiek(e) STATUS opvragen ",
    },
)
add_operations(router, RESOURCE)
