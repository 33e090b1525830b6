"""Endpoints of /roltypen."""

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
from mijnzaken.catalogi.models import RolType
from mijnzaken.catalogi.repository import roltype as repository
from mijnzaken.catalogi.schemas.roltype import RolType as RolTypeOut
from mijnzaken.catalogi.schemas.roltype import (
    RolTypeExpanded,
    RolTypeFilter,
    RolTypePatch,
    RolTypeWrite,
)
from mijnzaken.catalogi.services import roltype as service
from mijnzaken.catalogi.services.common import uuid_of
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["roltypen"])
COLLECTION = "roltypen"
# The spec grants create, like update, to (catalogi.schrijven | catalogi.geforceerd-schrijven).
CREATE = UPDATE


def render(r: RolType, urls: Urls) -> dict[str, Any]:
    zaaktype = r.zaaktype
    return {
        "url": url(urls, COLLECTION, r.uuid),
        "zaaktype": url(urls, "zaaktypen", zaaktype.uuid),
        "zaaktypeIdentificatie": zaaktype.identificatie,
        "omschrijving": r.omschrijving,
        "omschrijvingGeneriek": r.omschrijving_generiek,
        "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
        "beginGeldigheid": iso(r.begin_geldigheid or zaaktype.begin_geldigheid),
        "eindeGeldigheid": iso(r.einde_geldigheid or zaaktype.einde_geldigheid),
        "beginObject": iso(r.begin_object),
        "eindeObject": iso(r.einde_object),
    }


@router.get(
    f"/{COLLECTION}",
    operation_id="roltype_list",
    summary="Alle ROLTYPEn opvragen.",
    response_model=Paginated[RolTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def roltype_list(
    request: Request,
    filters: Annotated[RolTypeFilter, Query()],
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

    def render_page(items: Sequence[RolType]) -> list[dict[str, Any]]:
        return [render(r, urls) for r in items]

    stmt = repository.list_stmt(
        zaaktype=zaaktype,
        zaaktype_identificatie=filters.zaaktype_identificatie,
        omschrijving_generiek=filters.omschrijving_generiek,
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
    )
    body = await list_body(
        ctx,
        COLLECTION,
        RolType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=render_page,
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="roltype_create",
    summary="Maak een ROLTYPE aan.",
    status_code=201,
    response_model=RolTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def roltype_create(
    data: RolTypeWrite, session: Session, urls: UrlsDep, auth: AuthContext = Depends(CREATE)
) -> Response:
    roltype = await service.create(session, urls, auth, data.model_dump())
    body = render(roltype, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="roltype_retrieve",
    summary="Een specifieke ROLTYPE opvragen.",
    response_model=RolTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def roltype_retrieve(
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
    operation_id="roltype_headers",
    summary="De headers voor een specifiek(e) ROLTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def roltype_headers(
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
    operation_id="roltype_update",
    summary="Werk een ROLTYPE in zijn geheel bij.",
    response_model=RolTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def roltype_update(
    uuid: uuid.UUID,
    data: RolTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    roltype = await service.update(session, urls, auth, uuid, data.model_dump())
    return json_response(render(roltype, urls))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="roltype_partial_update",
    summary="Werk een ROLTYPE deels bij.",
    response_model=RolTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def roltype_partial_update(
    uuid: uuid.UUID,
    data: RolTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = render(await service.get(session, uuid), urls)
    merged = merge_patch(RolTypeWrite, current, data)
    roltype = await service.update(session, urls, auth, uuid, merged.model_dump())
    return json_response(render(roltype, urls))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="roltype_destroy",
    summary="Verwijder een ROLTYPE.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def roltype_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
