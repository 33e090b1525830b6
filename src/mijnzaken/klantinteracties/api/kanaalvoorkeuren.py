"""Extension (not in the Klantinteracties standard), documented in
schema/extensie/openapi.yaml: /kanaalvoorkeuren — a partij's preferred channel per zaaktype,
categorie or by default — with its consent history (/kanaalvoorkeuren/historie) and the
resolved channel for a topic (/kanaalvoorkeuren/_bepaal)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Select, select
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.db import iso
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.resource import Ctx, Event, add_operations, context
from mijnzaken.klantinteracties.api.common import BRON, VOORKEUR_READ, VOORKEUR_WRITE, declare
from mijnzaken.klantinteracties.models import DigitaalAdres, Kanaalvoorkeur, Partij, Toestemming
from mijnzaken.klantinteracties.repository.common import uuids
from mijnzaken.klantinteracties.schemas import voorkeur as schemas
from mijnzaken.klantinteracties.schemas.common import ListFilter
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import voorkeur as service

router = APIRouter(tags=["kanaalvoorkeuren (extensie)"])


@router.get(
    "/kanaalvoorkeuren/_bepaal",
    operation_id="kanaalvoorkeurenBepaal",
    summary="Het kanaal voor een partij over een zaaktype of categorie.",
    response_model=schemas.Bepaling,
    openapi_extra=VOORKEUR_READ.doc,
)
async def bepaal(
    query: Annotated[schemas.BepaalQuery, Query()], ctx: Ctx = Depends(context(VOORKEUR_READ))
) -> Response:
    """The zaaktype's preference, else the categorie's, else the default; `kanaal` null when
    the partij stated none (services.voorkeur.bepaal_kanaal)."""
    await common.get(ctx.session, Partij, query.partij)
    keuze = await service.bepaal_kanaal(
        ctx.session, query.partij, zaaktype=query.zaaktype, categorie=query.categorie
    )
    return json_response(
        {
            "kanaal": keuze.kanaal,
            "digitaalAdres": common.ref(ctx, "digitaleadressen", keuze.digitaal_adres),
            "adres": keuze.adres,
            "bron": keuze.bron,
            "kanaalvoorkeur": common.url(ctx, "kanaalvoorkeuren", keuze.kanaalvoorkeur)
            if keuze.kanaalvoorkeur
            else None,
        }
    )


@router.get(
    "/kanaalvoorkeuren/historie",
    operation_id="kanaalvoorkeurenHistorie",
    summary="De toestemmingshistorie: gegeven, gewijzigd en ingetrokken voorkeuren.",
    response_model=Paginated[schemas.Toestemming],
    openapi_extra=VOORKEUR_READ.doc,
)
async def historie(
    filters: Annotated[schemas.ToestemmingFilter, Query()],  # type: ignore[valid-type]
    ctx: Ctx = Depends(context(VOORKEUR_READ)),
) -> Response:
    """Oldest first; filter on `partij__uuid`."""
    flt: ListFilter = filters
    stmt = select(Toestemming)
    wanted = flt.given().get("partij__uuid")
    if wanted is not None:
        stmt = stmt.join(Partij, Partij.id == Toestemming.partij_id).where(Partij.uuid == wanted)
    stmt = stmt.order_by(Toestemming.id)

    async def render(items: Sequence[Toestemming]) -> list[dict[str, Any]]:
        partijen = await uuids(ctx.session, Partij, (t.partij_id for t in items))
        return [
            {
                "uuid": str(t.uuid),
                "kanaalvoorkeur": common.url(ctx, "kanaalvoorkeuren", t.kanaalvoorkeur_uuid),
                "partij": common.ref(ctx, "partijen", partijen[t.partij_id]),
                "onderwerpSoort": t.onderwerp_soort,
                "onderwerp": t.onderwerp or None,
                "actie": t.actie,
                "kanaal": t.kanaal,
                "digitaalAdres": t.digitaal_adres or None,
                "moment": iso(t.moment),
                "applicatie": t.applicatie,
                "gebruiker": t.gebruiker,
                "toelichting": t.toelichting,
            }
            for t in items
        ]

    body = await paginate(
        ctx.session,
        stmt,
        page=flt.page,
        page_size=flt.page_size or ctx.settings.page_size,
        request=ctx.request,
        collection_url=common.url(ctx, "kanaalvoorkeuren", "historie"),
        render=render,
    )
    return json_response(body)


async def get(ctx: Ctx, ident: uuid.UUID) -> Kanaalvoorkeur:
    return await common.get(ctx.session, Kanaalvoorkeur, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    stmt = select(Kanaalvoorkeur)
    given = filters.given()
    if "partij__uuid" in given:
        stmt = stmt.join(Partij, Partij.id == Kanaalvoorkeur.partij_id).where(
            Partij.uuid == given["partij__uuid"]
        )
    if "onderwerpSoort" in given:
        stmt = stmt.where(Kanaalvoorkeur.onderwerp_soort == given["onderwerpSoort"])
    if "kanaal" in given:
        stmt = stmt.where(Kanaalvoorkeur.kanaal == given["kanaal"])
    return stmt.order_by(Kanaalvoorkeur.id)


async def render(ctx: Ctx, items: Sequence[Kanaalvoorkeur]) -> list[dict[str, Any]]:
    partijen = await uuids(ctx.session, Partij, (v.partij_id for v in items))
    adressen = await uuids(ctx.session, DigitaalAdres, (v.digitaal_adres_id for v in items))
    return [
        {
            "uuid": str(v.uuid),
            "url": common.url(ctx, "kanaalvoorkeuren", v.uuid),
            "partij": common.ref(ctx, "partijen", partijen[v.partij_id]),
            "onderwerpSoort": v.onderwerp_soort,
            "onderwerp": v.onderwerp or None,
            "kanaal": v.kanaal,
            "digitaalAdres": common.ref(
                ctx, "digitaleadressen", adressen.get(v.digitaal_adres_id or 0)
            ),
            "gewijzigdOp": iso(v.gewijzigd_op),
        }
        for v in items
    ]


def event(ctx: Ctx, obj: Kanaalvoorkeur, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["partij"]["url"], bron=BRON, weergave=f"kanaalvoorkeur {obj.kanaal}"
    )


RESOURCE = declare(
    "kanaalvoorkeuren",
    "kanaalvoorkeur",
    "kanaalvoorkeuren",
    read=VOORKEUR_READ,
    create_scopes=VOORKEUR_WRITE,
    update_scopes=VOORKEUR_WRITE,
    delete_scopes=VOORKEUR_WRITE,
    out=schemas.Kanaalvoorkeur,
    model=Kanaalvoorkeur,
    get=get,
    render=render,
    query=query,
    filters=schemas.KanaalvoorkeurFilter,
    write=schemas.KanaalvoorkeurWrite,
    patch=schemas.KanaalvoorkeurPatch,
    create=service.create,
    update=service.update,
    delete=service.delete,
    event=event,
    writable=lambda body: {
        **body,
        "onderwerp": body.get("onderwerp"),
        "partij": {"uuid": body["partij"]["uuid"]},
    },
)
add_operations(router, RESOURCE)
