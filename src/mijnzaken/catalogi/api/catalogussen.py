"""Endpoints of /catalogussen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from mijnzaken.catalogi.api.common import (
    API,
    UPDATE,
    WRITE,
    cached,
    iso,
    list_body,
    read_ctx,
    split_in,
    url,
)
from mijnzaken.catalogi.models import Catalogus
from mijnzaken.catalogi.repository import catalogus as repository
from mijnzaken.catalogi.schemas.catalogus import (
    Catalogus as CatalogusOut,
)
from mijnzaken.catalogi.schemas.catalogus import (
    CatalogusExpanded,
    CatalogusFilter,
    CatalogusPatch,
    CatalogusWrite,
)
from mijnzaken.catalogi.services import catalogus as service
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["catalogussen"])
COLLECTION = "catalogussen"


def render(c: Catalogus, urls: Urls) -> dict[str, Any]:
    body = {
        "url": url(urls, COLLECTION, c.uuid),
        "domein": c.domein,
        "rsin": c.rsin,
        "contactpersoonBeheerNaam": c.contactpersoon_beheer_naam,
        "contactpersoonBeheerTelefoonnummer": c.contactpersoon_beheer_telefoonnummer,
        "zaaktypen": [url(urls, "zaaktypen", z.uuid) for z in c.zaaktypen],
        "besluittypen": [url(urls, "besluittypen", b.uuid) for b in c.besluittypen],
        "besluittypeOmschrijving": sorted({b.omschrijving for b in c.besluittypen}),
        "informatieobjecttypen": [
            url(urls, "informatieobjecttypen", i.uuid) for i in c.informatieobjecttypen
        ],
        "informatieobjecttypeOmschrijving": sorted(
            {i.omschrijving for i in c.informatieobjecttypen}
        ),
        "naam": c.naam,
        "versie": c.versie,
        "begindatumVersie": iso(c.begindatum_versie),
    }
    if c.contactpersoon_beheer_emailadres:  # format email: an empty string is no address
        body["contactpersoonBeheerEmailadres"] = c.contactpersoon_beheer_emailadres
    return body


@router.get(
    f"/{COLLECTION}",
    operation_id="catalogus_list",
    summary="Alle CATALOGUSsen opvragen.",
    response_model=Paginated[CatalogusExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def catalogus_list(
    request: Request,
    filters: Annotated[CatalogusFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    domein = split_in(filters.domein__in) if filters.domein__in is not None else None
    if filters.domein is not None:
        domein = [filters.domein] if domein is None else [d for d in domein if d == filters.domein]
    rsin = split_in(filters.rsin__in) if filters.rsin__in is not None else None
    if filters.rsin is not None:
        rsin = [filters.rsin] if rsin is None else [r for r in rsin if r == filters.rsin]

    def render_page(items: Sequence[Catalogus]) -> list[dict[str, Any]]:
        return [render(c, urls) for c in items]

    stmt = repository.list_stmt(domein=domein, rsin=rsin)
    body = await list_body(
        ctx,
        COLLECTION,
        Catalogus,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=render_page,
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="catalogus_create",
    summary="Maak een CATALOGUS aan.",
    status_code=201,
    response_model=CatalogusOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def catalogus_create(
    data: CatalogusWrite, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(WRITE)
) -> Response:
    catalogus = await service.create(session, data.model_dump())
    body = render(catalogus, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="catalogus_retrieve",
    summary="Een specifieke CATALOGUS opvragen.",
    response_model=CatalogusExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def catalogus_retrieve(
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
    operation_id="catalogus_headers",
    summary="De headers voor een specifiek(e) CATALOGUS opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def catalogus_headers(
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
    operation_id="catalogus_update",
    summary="Werk een CATALOGUS in zijn geheel bij.",
    response_model=CatalogusOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def catalogus_update(
    uuid: uuid.UUID,
    data: CatalogusWrite,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(UPDATE),
) -> Response:
    catalogus = await service.update(session, uuid, data.model_dump())
    return json_response(render(catalogus, urls))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="catalogus_partial_update",
    summary="Werk een CATALOGUS deels bij.",
    response_model=CatalogusOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def catalogus_partial_update(
    uuid: uuid.UUID,
    data: CatalogusPatch,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = render(await service.get(session, uuid), urls)
    merged = merge_patch(CatalogusWrite, current, data)
    catalogus = await service.update(session, uuid, merged.model_dump())
    return json_response(render(catalogus, urls))
