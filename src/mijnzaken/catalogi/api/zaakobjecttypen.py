"""Endpoints of /zaakobjecttypen."""

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
from mijnzaken.catalogi.models import ZaakObjectType
from mijnzaken.catalogi.repository import zaakobjecttype as repository
from mijnzaken.catalogi.schemas.zaakobjecttype import ZaakObjectType as ZaakObjectTypeOut
from mijnzaken.catalogi.schemas.zaakobjecttype import (
    ZaakObjectTypeExpanded,
    ZaakObjectTypeFilter,
    ZaakObjectTypePatch,
    ZaakObjectTypeWrite,
)
from mijnzaken.catalogi.services import zaakobjecttype as service
from mijnzaken.catalogi.services.common import uuid_of
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["zaakobjecttypen"])
COLLECTION = "zaakobjecttypen"
# The spec grants create, like update, to (catalogi.schrijven | catalogi.geforceerd-schrijven).
CREATE = UPDATE


def render(z: ZaakObjectType, urls: Urls) -> dict[str, Any]:
    zaaktype = z.zaaktype
    return {
        "url": url(urls, COLLECTION, z.uuid),
        "anderObjecttype": z.ander_objecttype,
        "beginGeldigheid": iso(z.begin_geldigheid or zaaktype.begin_geldigheid),
        "eindeGeldigheid": iso(z.einde_geldigheid or zaaktype.einde_geldigheid),
        "beginObject": iso(z.begin_object),
        "eindeObject": iso(z.einde_object),
        "objecttype": z.objecttype,
        "relatieOmschrijving": z.relatie_omschrijving,
        "zaaktype": url(urls, "zaaktypen", zaaktype.uuid),
        "zaaktypeIdentificatie": zaaktype.identificatie,
        # The models hold no link from resultaattypen or statustypen to a zaakobjecttype yet.
        "resultaattypen": [],
        "resultaattypeOmschrijving": [],
        "statustypen": [],
        "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
    }


def _uuids(urls: Urls, value: str | None, collection: str) -> list[uuid.UUID] | None:
    """A URL filter as UUIDs: None when absent, empty (matches nothing) when not ours."""
    if value is None:
        return None
    ident = uuid_of(urls, value, collection)
    return [ident] if ident is not None else []


@router.get(
    f"/{COLLECTION}",
    operation_id="zaakobjecttype_list",
    summary="Alle ZAAKOBJECTTYPEn opvragen.",
    response_model=Paginated[ZaakObjectTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def zaakobjecttype_list(
    request: Request,
    filters: Annotated[ZaakObjectTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first

    def render_page(items: Sequence[ZaakObjectType]) -> list[dict[str, Any]]:
        return [render(z, urls) for z in items]

    stmt = repository.list_stmt(
        ander_objecttype=filters.ander_objecttype,
        catalogus=_uuids(urls, filters.catalogus, "catalogussen"),
        datum_begin_geldigheid=filters.datum_begin_geldigheid,
        datum_einde_geldigheid=filters.datum_einde_geldigheid,
        datum_geldigheid=filters.datum_geldigheid,
        objecttype=filters.objecttype,
        relatie_omschrijving=filters.relatie_omschrijving,
        zaaktype=_uuids(urls, filters.zaaktype, "zaaktypen"),
        zaaktype_identificatie=filters.zaaktype_identificatie,
    )
    body = await list_body(
        ctx,
        COLLECTION,
        ZaakObjectType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=render_page,
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="zaakobjecttype_create",
    summary="Maak een ZAAKOBJECTTYPE aan.",
    status_code=201,
    response_model=ZaakObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakobjecttype_create(
    data: ZaakObjectTypeWrite, session: Session, urls: UrlsDep, auth: AuthContext = Depends(CREATE)
) -> Response:
    zaakobjecttype = await service.create(session, urls, auth, data.model_dump())
    body = render(zaakobjecttype, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakobjecttype_retrieve",
    summary="Een specifieke ZAAKOBJECTTYPE opvragen.",
    response_model=ZaakObjectTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def zaakobjecttype_retrieve(
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
    operation_id="zaakobjecttype_headers",
    summary="De headers voor een specifiek(e) ZAAKOBJECTTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def zaakobjecttype_headers(
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
    operation_id="zaakobjecttype_update",
    summary="Werk een ZAAKOBJECTTYPE in zijn geheel bij.",
    response_model=ZaakObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakobjecttype_update(
    uuid: uuid.UUID,
    data: ZaakObjectTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    zaakobjecttype = await service.update(session, urls, auth, uuid, data.model_dump())
    return json_response(render(zaakobjecttype, urls))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakobjecttype_partial_update",
    summary="Werk een ZAAKOBJECTTYPE deels bij.",
    response_model=ZaakObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakobjecttype_partial_update(
    uuid: uuid.UUID,
    data: ZaakObjectTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = render(await service.get(session, uuid), urls)
    merged = merge_patch(ZaakObjectTypeWrite, current, data)
    zaakobjecttype = await service.update(session, urls, auth, uuid, merged.model_dump())
    return json_response(render(zaakobjecttype, urls))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakobjecttype_destroy",
    summary="Verwijder een ZAAKOBJECTTYPE.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def zaakobjecttype_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
