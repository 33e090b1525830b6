"""/besluiten: the besluit itself (standard operations) and its audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Select, false
from starlette.responses import Response

from mijnzaken.besluiten import repository as repo
from mijnzaken.besluiten.api.common import API, AUDIT, CREATE, DELETE, READ, UPDATE, operation_id
from mijnzaken.besluiten.models import Besluit
from mijnzaken.besluiten.schemas import (
    READ_ONLY,
    VERVALREDEN_WEERGAVE,
    BesluitFilter,
    BesluitPatch,
    BesluitWrite,
    RetrieveQuery,
)
from mijnzaken.besluiten.schemas import Besluit as BesluitOut
from mijnzaken.besluiten.services import access
from mijnzaken.besluiten.services import besluit as service
from mijnzaken.catalogi.services import refs
from mijnzaken.core import audit
from mijnzaken.core.api import json_response, with_expand
from mijnzaken.core.errors import NotFound
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations, context
from mijnzaken.zaken.services import zaakbesluiten

router = APIRouter(tags=["besluiten"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Besluit:
    return await service.get(ctx, ident)


async def query(ctx: Ctx, filters: BesluitFilter) -> Select[Any]:
    stmt = repo.besluiten_stmt((await access.access(ctx, access.READ)).where())
    if filters.identificatie is not None:
        stmt = stmt.where(Besluit.identificatie == filters.identificatie)
    if filters.verantwoordelijkeOrganisatie is not None:
        stmt = stmt.where(
            Besluit.verantwoordelijke_organisatie == filters.verantwoordelijkeOrganisatie
        )
    if filters.besluittype is not None:
        found = await refs.ids_for_urls(
            ctx.session, ctx.urls, "besluittypen", [filters.besluittype]
        )
        # a URL that is not one of our besluittypen matches nothing
        ids = list(found.values())
        stmt = stmt.where(Besluit.besluittype_id == ids[0]) if ids else stmt.where(false())
    if filters.zaak is not None:
        zaak_id = await zaakbesluiten.zaak_id_of(ctx, filters.zaak)
        # not one of our zaken: a zaak of a remote Zaken API, stored as given
        stmt = (
            stmt.where(Besluit.zaak_id == zaak_id)
            if zaak_id
            else stmt.where(Besluit.zaak_url == filters.zaak)
        )
    return stmt


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def render(ctx: Ctx, items: Sequence[Besluit]) -> list[dict[str, Any]]:
    zaken = await zaakbesluiten.zaak_uuids(ctx, [b.zaak_id for b in items if b.zaak_id])
    out = []
    for b in items:
        zaak = zaken.get(b.zaak_id) if b.zaak_id is not None else None
        zaak_url = ctx.urls.resource("zaken", "zaken", zaak) if zaak is not None else b.zaak_url
        item: dict[str, Any] = {
            "url": service.besluit_url(ctx, b.uuid),
            "identificatie": b.identificatie,
            "verantwoordelijkeOrganisatie": b.verantwoordelijke_organisatie,
            "besluittype": ctx.urls.resource("catalogi", "besluittypen", b.besluittype_uuid),
            "zaak": zaak_url or "",
            "datum": b.datum.isoformat(),
            "toelichting": b.toelichting,
            "bestuursorgaan": b.bestuursorgaan,
            "ingangsdatum": b.ingangsdatum.isoformat(),
            "vervaldatum": _date(b.vervaldatum),
            "publicatiedatum": _date(b.publicatiedatum),
            "verzenddatum": _date(b.verzenddatum),
            "uiterlijkeReactiedatum": _date(b.uiterlijke_reactiedatum),
        }
        # the spec's vervalreden is an enum without an empty value: no reden, no member
        if b.vervalreden:
            item["vervalreden"] = b.vervalreden
            item["vervalredenWeergave"] = VERVALREDEN_WEERGAVE[b.vervalreden]
        out.append(item)
    return out


def writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


def event(ctx: Ctx, besluit: Besluit, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["url"],
        kanaal="besluiten",
        kenmerken=service.kenmerken(ctx, besluit),
        bron="BRC",
        weergave=besluit.identificatie,
    )


RESOURCE: Resource[Besluit] = Resource(
    api=API,
    collection="besluiten",
    name="besluit",
    out=BesluitOut,
    list_out=with_expand(BesluitOut),
    model=Besluit,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=BesluitFilter,
    write=BesluitWrite,
    patch=BesluitPatch,
    create=service.create,
    create_scopes=CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE,
    writable=writable,
    event=event,
    retrieve_query=RetrieveQuery,
    expandable=True,
    headers_operation=False,
    operation_id=operation_id("besluit"),
    summaries={
        "list": "Alle BESLUITen opvragen.",
        "create": "Maak een BESLUIT aan.",
        "retrieve": "Een specifiek BESLUIT opvragen.",
        "update": "Werk een BESLUIT in zijn geheel bij.",
        "partial_update": "Werk een BESLUIT deels bij.",
        "destroy": "Verwijder een BESLUIT.",
    },
)
add_operations(router, RESOURCE)


async def _besluit_for_audit(ctx: Ctx, besluit_uuid: uuid.UUID) -> Besluit:
    return await service.get(ctx, besluit_uuid, scope=access.AUDIT)


@router.get(
    "/besluiten/{besluit_uuid}/audittrail",
    operation_id="audittrail_list",
    summary="Alle audit trail regels behorend bij het BESLUIT.",
    response_model=list[audit.AuditTrailOut],
    openapi_extra=AUDIT.doc,
)
async def audittrail_list(besluit_uuid: uuid.UUID, ctx: Ctx = Depends(context(AUDIT))) -> Response:
    besluit = await _besluit_for_audit(ctx, besluit_uuid)
    entries = await audit.for_object(ctx.session, service.besluit_url(ctx, besluit.uuid))
    return json_response([audit.render(e) for e in entries])


@router.get(
    "/besluiten/{besluit_uuid}/audittrail/{uuid}",
    operation_id="audittrail_read",
    summary="Een specifieke audit trail regel opvragen.",
    response_model=audit.AuditTrailOut,
    openapi_extra=AUDIT.doc,
)
async def audittrail_read(
    besluit_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Ctx = Depends(context(AUDIT))
) -> Response:
    besluit = await _besluit_for_audit(ctx, besluit_uuid)
    entry = await repo.audit_entry(ctx.session, service.besluit_url(ctx, besluit.uuid), uuid)
    if entry is None:
        raise NotFound()
    return json_response(audit.render(entry))
