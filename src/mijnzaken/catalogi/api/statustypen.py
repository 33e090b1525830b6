"""Endpoints of /statustypen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from mijnzaken.catalogi.api.common import (
    API,
    DELETE,
    UPDATE,
    cached,
    iso,
    list_body,
    read_ctx,
    url,
)
from mijnzaken.catalogi.models import StatusType
from mijnzaken.catalogi.repository import statustype as repository
from mijnzaken.catalogi.schemas.statustype import StatusType as StatusTypeOut
from mijnzaken.catalogi.schemas.statustype import (
    StatusTypeExpanded,
    StatusTypeFilter,
    StatusTypePatch,
    StatusTypeWrite,
)
from mijnzaken.catalogi.services import statustype as service
from mijnzaken.catalogi.services.common import uuid_of
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["statustypen"])
COLLECTION = "statustypen"
# The spec grants create, like update, to (catalogi.schrijven | catalogi.geforceerd-schrijven).
CREATE = UPDATE


def render(s: StatusType, urls: Urls) -> dict[str, Any]:
    zaaktype = s.zaaktype
    hoogste = max((t.volgnummer for t in zaaktype.statustypen), default=s.volgnummer)
    return {
        "url": url(urls, COLLECTION, s.uuid),
        "omschrijving": s.omschrijving,
        "omschrijvingGeneriek": s.omschrijving_generiek,
        "statustekst": s.statustekst,
        "zaaktype": url(urls, "zaaktypen", zaaktype.uuid),
        "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
        "zaaktypeIdentificatie": zaaktype.identificatie,
        "volgnummer": s.volgnummer,
        "isEindstatus": s.volgnummer >= hoogste,
        "informeren": s.informeren,
        "doorlooptijd": s.doorlooptijd,
        "toelichting": s.toelichting,
        "checklistitemStatustype": [
            {
                "itemnaam": item.get("itemnaam", ""),
                "toelichting": item.get("toelichting"),
                "vraagstelling": item.get("vraagstelling", ""),
                "verplicht": bool(item.get("verplicht", False)),
            }
            for item in s.checklistitem_statustype or []
        ],
        "eigenschappen": _eigenschappen(s, urls),
        "beginGeldigheid": iso(s.begin_geldigheid or zaaktype.begin_geldigheid),
        "eindeGeldigheid": iso(s.einde_geldigheid or zaaktype.einde_geldigheid),
        "beginObject": iso(s.begin_object),
        "eindeObject": iso(s.einde_object),
    }


def _eigenschappen(s: StatusType, urls: Urls) -> list[str]:
    """The stored list, then the eigenschappen that name this statustype; only those that
    still are eigenschappen of the zaaktype, as URLs under the current base."""
    of_zaaktype = sorted(s.zaaktype.eigenschappen, key=lambda e: e.id)
    existing = {str(e.uuid) for e in of_zaaktype}
    idents: list[str] = []
    for stored in s.eigenschap_urls or []:
        ident = stored.rstrip("/").rsplit("/", 1)[-1]
        if ident in existing and ident not in idents:
            idents.append(ident)
    for e in of_zaaktype:
        if e.statustype_id == s.id and str(e.uuid) not in idents:
            idents.append(str(e.uuid))
    return [url(urls, "eigenschappen", ident) for ident in idents]


@router.get(
    f"/{COLLECTION}",
    operation_id="statustype_list",
    summary="Alle STATUSTYPEn opvragen.",
    response_model=Paginated[StatusTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def statustype_list(
    request: Request,
    filters: Annotated[StatusTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    zaaktype = None
    if filters.zaaktype is not None:
        ident = uuid_of(urls, filters.zaaktype, "zaaktypen")
        zaaktype = [ident] if ident is not None else []

    def render_page(items: Sequence[StatusType]) -> list[dict[str, Any]]:
        return [render(s, urls) for s in items]

    stmt = repository.list_stmt(
        zaaktype=zaaktype,
        zaaktype_identificatie=filters.zaaktype_identificatie,
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
    )
    body = await list_body(
        ctx,
        COLLECTION,
        StatusType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=render_page,
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="statustype_create",
    summary="Maak een STATUSTYPE aan.",
    status_code=201,
    response_model=StatusTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def statustype_create(
    data: StatusTypeWrite, session: Session, urls: UrlsDep, auth: AuthContext = Depends(CREATE)
) -> Response:
    statustype = await service.create(session, urls, auth, data.model_dump())
    body = render(statustype, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="statustype_retrieve",
    summary="Een specifieke STATUSTYPE opvragen.",
    response_model=StatusTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def statustype_retrieve(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    expand: Annotated[str | None, Query()] = None,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(expand, API, COLLECTION)  # a wrong path fails first
    body = await cached(ctx, COLLECTION, uuid) or render(await service.get(session, uuid), urls)
    await expansion.expand(ctx, [body], API, COLLECTION, tree)
    return etag_response(request, body)  # the ETag covers the expansion


@router.head(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="statustype_headers",
    summary="De headers voor een specifiek(e) STATUSTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def statustype_headers(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    body = await cached(ctx, COLLECTION, uuid) or render(await service.get(session, uuid), urls)
    return etag_response(request, body)


@router.put(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="statustype_update",
    summary="Werk een STATUSTYPE in zijn geheel bij.",
    response_model=StatusTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def statustype_update(
    uuid: uuid.UUID,
    data: StatusTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    statustype = await service.update(session, urls, auth, uuid, data.model_dump())
    return json_response(render(statustype, urls))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="statustype_partial_update",
    summary="Werk een STATUSTYPE deels bij.",
    response_model=StatusTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def statustype_partial_update(
    uuid: uuid.UUID,
    data: StatusTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = render(await service.get(session, uuid), urls)
    merged = merge_patch(StatusTypeWrite, current, data)
    statustype = await service.update(session, urls, auth, uuid, merged.model_dump())
    return json_response(render(statustype, urls))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="statustype_destroy",
    summary="Verwijder een STATUSTYPE.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def statustype_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
