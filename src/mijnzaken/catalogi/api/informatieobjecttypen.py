"""Endpoints of /informatieobjecttypen.

Status codes follow the Catalogi 1.3.3 spec file to the letter, including its oddities: create
answers 200 (not 201) and destroy answers 200 with an empty JSON object (not 204).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from mijnzaken.catalogi.api.common import (
    API,
    DELETE,
    UPDATE,
    WRITE,
    cached,
    iso,
    list_body,
    read_ctx,
    url,
)
from mijnzaken.catalogi.models import InformatieObjectType
from mijnzaken.catalogi.schemas.informatieobjecttype import (
    InformatieObjectType as InformatieObjectTypeOut,
)
from mijnzaken.catalogi.schemas.informatieobjecttype import (
    InformatieObjectTypeExpanded,
    InformatieObjectTypeFilter,
    InformatieObjectTypePatch,
    InformatieObjectTypeWrite,
    OmschrijvingGeneriek,
)
from mijnzaken.catalogi.services import informatieobjecttype as service
from mijnzaken.core import clock
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.outbox import notify
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["informatieobjecttypen"])
COLLECTION = "informatieobjecttypen"
_OPMERKING = "opmerking_informatieobjecttype_omschrijving_generiek"


def _generiek(value: dict[str, Any] | None) -> dict[str, Any]:
    """The group is always rendered (empty strings when unset), as the spec's schema wants."""
    value = value or {}
    return {
        to_camel(key): value.get(key) if key == _OPMERKING else value.get(key) or ""
        for key in OmschrijvingGeneriek.model_fields
    }


def render(o: InformatieObjectType, rel: service.Relations, urls: Urls) -> dict[str, Any]:
    return {
        "url": url(urls, COLLECTION, o.uuid),
        "catalogus": url(urls, "catalogussen", o.catalogus.uuid),
        "omschrijving": o.omschrijving,
        "vertrouwelijkheidaanduiding": o.vertrouwelijkheidaanduiding,
        "beginGeldigheid": iso(o.begin_geldigheid),
        "eindeGeldigheid": iso(o.einde_geldigheid),
        "beginObject": iso(o.begin_object),
        "eindeObject": iso(o.einde_object),
        "concept": o.concept,
        "besluittypen": sorted(rel.besluittypen),
        "besluittypeOmschrijving": sorted(rel.besluittype_omschrijvingen),
        "informatieobjectcategorie": o.informatieobjectcategorie,
        "trefwoord": list(o.trefwoord or []),
        "omschrijvingGeneriek": _generiek(o.omschrijving_generiek),
        "zaaktypen": sorted(rel.zaaktypen),
        "zaaktypeIdentificaties": sorted(rel.zaaktype_identificaties),
    }


async def render_many(
    session: AsyncSession, urls: Urls, items: Sequence[InformatieObjectType], date: dt.date
) -> list[dict[str, Any]]:
    """Render a page (or one object) with the relations looked up in batch."""
    rels = await service.relations(session, urls, items, date)
    return [render(o, rels[o.id], urls) for o in items]


async def render_one(
    session: AsyncSession, urls: Urls, obj: InformatieObjectType
) -> dict[str, Any]:
    return (await render_many(session, urls, [obj], clock.today()))[0]


def _notify(session: AsyncSession, body: dict[str, Any], actie: str) -> None:
    notify(
        session,
        kanaal=COLLECTION,
        hoofd_object=body["url"],
        resource="informatieobjecttype",
        resource_url=body["url"],
        actie=actie,
        kenmerken={"catalogus": body["catalogus"]},
    )


@router.get(
    f"/{COLLECTION}",
    operation_id="informatieobjecttype_list",
    summary="Alle INFORMATIEOBJECTTYPEn opvragen.",
    response_model=Paginated[InformatieObjectTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def informatieobjecttype_list(
    request: Request,
    filters: Annotated[InformatieObjectTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    page: list[InformatieObjectType] = []

    def collect(items: Sequence[InformatieObjectType]) -> list[dict[str, Any]]:
        page.extend(items)  # rendered below, where the batched look-ups can be awaited
        return []

    stmt = service.list_stmt(
        urls,
        catalogus=filters.catalogus,
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
        omschrijving=filters.omschrijving,
    )
    # what is kept: references valid today
    body = await list_body(
        ctx,
        COLLECTION,
        InformatieObjectType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=collect,
        rendered=lambda: render_many(
            session, urls, page, filters.datum_geldigheid or clock.today()
        ),
        kept=filters.datum_geldigheid in (None, clock.today()),
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="informatieobjecttype_create",
    summary="Maak een INFORMATIEOBJECTTYPE aan.",
    status_code=200,
    response_model=InformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def informatieobjecttype_create(
    data: InformatieObjectTypeWrite,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(WRITE),
) -> Response:
    obj = await service.create(session, urls, data.model_dump())
    body = await render_one(session, urls, obj)
    _notify(session, body, "create")
    return json_response(body, 200, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="informatieobjecttype_retrieve",
    summary="Een specifieke INFORMATIEOBJECTTYPE opvragen.",
    response_model=InformatieObjectTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def informatieobjecttype_retrieve(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    expand: Annotated[str | None, Query()] = None,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(expand, API, COLLECTION)  # a wrong path fails first
    body = await cached(ctx, COLLECTION, uuid) or await render_one(
        session, urls, await service.get(session, uuid)
    )
    await expansion.expand(ctx, [body], API, COLLECTION, tree)
    return etag_response(request, body)  # the ETag covers the expansion


@router.head(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="informatieobjecttype_headers",
    summary="De headers voor een specifiek(e) INFORMATIEOBJECTTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def informatieobjecttype_headers(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    body = await cached(ctx, COLLECTION, uuid) or await render_one(
        session, urls, await service.get(session, uuid)
    )
    return etag_response(request, body)


@router.put(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="informatieobjecttype_update",
    summary="Werk een INFORMATIEOBJECTTYPE in zijn geheel bij.",
    response_model=InformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def informatieobjecttype_update(
    uuid: uuid.UUID,
    data: InformatieObjectTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    obj = await service.update(session, urls, uuid, data.model_dump(), auth, partial=False)
    body = await render_one(session, urls, obj)
    _notify(session, body, "update")
    return json_response(body)


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="informatieobjecttype_partial_update",
    summary="Werk een INFORMATIEOBJECTTYPE deels bij.",
    response_model=InformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def informatieobjecttype_partial_update(
    uuid: uuid.UUID,
    data: InformatieObjectTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = await render_one(session, urls, await service.get(session, uuid))
    merged = merge_patch(InformatieObjectTypeWrite, current, data)
    obj = await service.update(session, urls, uuid, merged.model_dump(), auth, partial=True)
    body = await render_one(session, urls, obj)
    _notify(session, body, "partial_update")
    return json_response(body)


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="informatieobjecttype_destroy",
    summary="Verwijder een INFORMATIEOBJECTTYPE.",
    status_code=200,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def informatieobjecttype_destroy(
    uuid: uuid.UUID,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(DELETE),
) -> Response:
    obj = await service.get(session, uuid)
    body = await render_one(session, urls, obj)
    await service.delete(session, obj, auth)
    _notify(session, body, "destroy")
    return json_response({})


@router.post(
    f"/{COLLECTION}/{{uuid}}/publish",
    operation_id="informatieobjecttype_publish",
    summary="Publiceer het concept INFORMATIEOBJECTTYPE.",
    status_code=200,
    response_model=InformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def informatieobjecttype_publish(
    uuid: uuid.UUID,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(WRITE),
) -> Response:
    obj, published = await service.publish(session, uuid)
    body = await render_one(session, urls, obj)
    if published:
        _notify(session, body, "publish")
    return json_response(body)
