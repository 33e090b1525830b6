"""Endpoints of /eigenschappen."""

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
from mijnzaken.catalogi.models import Eigenschap
from mijnzaken.catalogi.repository import eigenschap as repository
from mijnzaken.catalogi.schemas.eigenschap import Eigenschap as EigenschapOut
from mijnzaken.catalogi.schemas.eigenschap import (
    EigenschapExpanded,
    EigenschapFilter,
    EigenschapPatch,
    EigenschapWrite,
)
from mijnzaken.catalogi.services import eigenschap as service
from mijnzaken.catalogi.services.common import uuid_of
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["eigenschappen"])
COLLECTION = "eigenschappen"
# The spec grants create, like update, to (catalogi.schrijven | catalogi.geforceerd-schrijven).
CREATE = UPDATE


def render(e: Eigenschap, urls: Urls) -> dict[str, Any]:
    zaaktype = e.zaaktype
    spec = e.specificatie or {}
    return {
        "url": url(urls, COLLECTION, e.uuid),
        "naam": e.naam,
        "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
        "definitie": e.definitie,
        "specificatie": {
            "groep": spec.get("groep") or "",
            "formaat": spec.get("formaat"),
            "lengte": spec.get("lengte"),
            "kardinaliteit": spec.get("kardinaliteit"),
            "waardenverzameling": list(spec.get("waardenverzameling") or []),
        },
        "toelichting": e.toelichting,
        "zaaktype": url(urls, "zaaktypen", zaaktype.uuid),
        "zaaktypeIdentificatie": zaaktype.identificatie,
        "statustype": url(urls, "statustypen", e.statustype.uuid) if e.statustype else None,
        "beginGeldigheid": iso(e.begin_geldigheid or zaaktype.begin_geldigheid),
        "eindeGeldigheid": iso(e.einde_geldigheid or zaaktype.einde_geldigheid),
        "beginObject": iso(e.begin_object),
        "eindeObject": iso(e.einde_object),
    }


@router.get(
    f"/{COLLECTION}",
    operation_id="eigenschap_list",
    summary="Alle EIGENSCHAPpen opvragen.",
    response_model=Paginated[EigenschapExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def eigenschap_list(
    request: Request,
    filters: Annotated[EigenschapFilter, Query()],
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

    def render_page(items: Sequence[Eigenschap]) -> list[dict[str, Any]]:
        return [render(e, urls) for e in items]

    stmt = repository.list_stmt(
        zaaktype=zaaktype,
        zaaktype_identificatie=filters.zaaktype_identificatie,
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
    )
    body = await list_body(
        ctx,
        COLLECTION,
        Eigenschap,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=render_page,
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="eigenschap_create",
    summary="Maak een EIGENSCHAP aan.",
    status_code=201,
    response_model=EigenschapOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def eigenschap_create(
    data: EigenschapWrite, session: Session, urls: UrlsDep, auth: AuthContext = Depends(CREATE)
) -> Response:
    eigenschap = await service.create(session, urls, auth, data.model_dump())
    body = render(eigenschap, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="eigenschap_retrieve",
    summary="Een specifieke EIGENSCHAP opvragen.",
    response_model=EigenschapExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def eigenschap_retrieve(
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
    operation_id="eigenschap_headers",
    summary="De headers voor een specifiek(e) EIGENSCHAP opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def eigenschap_headers(
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
    operation_id="eigenschap_update",
    summary="Werk een EIGENSCHAP in zijn geheel bij.",
    response_model=EigenschapOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def eigenschap_update(
    uuid: uuid.UUID,
    data: EigenschapWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    eigenschap = await service.update(session, urls, auth, uuid, data.model_dump())
    return json_response(render(eigenschap, urls))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="eigenschap_partial_update",
    summary="Werk een EIGENSCHAP deels bij.",
    response_model=EigenschapOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def eigenschap_partial_update(
    uuid: uuid.UUID,
    data: EigenschapPatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = render(await service.get(session, uuid), urls)
    merged = merge_patch(EigenschapWrite, current, data)
    eigenschap = await service.update(session, urls, auth, uuid, merged.model_dump())
    return json_response(render(eigenschap, urls))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="eigenschap_destroy",
    summary="Verwijder een EIGENSCHAP.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def eigenschap_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
