"""Endpoints of /besluittypen.

Status codes follow the Catalogi 1.3.3 spec file to the letter: destroy answers 200 with an
empty JSON object (not 204).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
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
from mijnzaken.catalogi.models import BesluitType
from mijnzaken.catalogi.schemas.besluittype import BesluitType as BesluitTypeOut
from mijnzaken.catalogi.schemas.besluittype import (
    BesluitTypeCreate,
    BesluitTypeExpanded,
    BesluitTypeFilter,
    BesluitTypePatch,
    BesluitTypePostResponse,
    BesluitTypeUpdate,
)
from mijnzaken.catalogi.services import besluittype as service
from mijnzaken.core import clock
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.outbox import notify
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["besluittypen"])
COLLECTION = "besluittypen"


def render(o: BesluitType, rel: service.Relations, urls: Urls) -> dict[str, Any]:
    names = list(o.informatieobjecttype_omschrijvingen or [])
    return {
        "url": url(urls, COLLECTION, o.uuid),
        "catalogus": url(urls, "catalogussen", o.catalogus.uuid),
        "zaaktypen": sorted(rel.zaaktypen),
        "zaaktypeIdentificaties": sorted(rel.zaaktype_identificaties),
        "omschrijving": o.omschrijving,
        "omschrijvingGeneriek": o.omschrijving_generiek,
        "besluitcategorie": o.besluitcategorie,
        "reactietermijn": o.reactietermijn,
        "publicatieIndicatie": o.publicatie_indicatie,
        "publicatietekst": o.publicatietekst,
        "publicatietermijn": o.publicatietermijn,
        "toelichting": o.toelichting,
        "informatieobjecttypen": list(dict.fromkeys(rel.informatieobjecttypen)),
        "informatieobjecttypeOmschrijvingen": names,
        "beginGeldigheid": iso(o.begin_geldigheid),
        "eindeGeldigheid": iso(o.einde_geldigheid),
        "beginObject": iso(o.begin_object),
        "eindeObject": iso(o.einde_object),
        "concept": o.concept,
        "resultaattypen": sorted(rel.resultaattypen),
        "resultaattypenOmschrijving": sorted(rel.resultaattypen_omschrijving),
        "vastgelegdIn": names,
    }


async def render_many(
    session: AsyncSession, urls: Urls, items: Sequence[BesluitType], date: dt.date
) -> list[dict[str, Any]]:
    """Render a page (or one object) with the relations looked up in batch."""
    rels = await service.relations(session, urls, items, date)
    return [render(o, rels[o.id], urls) for o in items]


async def render_one(session: AsyncSession, urls: Urls, obj: BesluitType) -> dict[str, Any]:
    return (await render_many(session, urls, [obj], clock.today()))[0]


def _notify(session: AsyncSession, body: dict[str, Any], actie: str) -> None:
    notify(
        session,
        kanaal=COLLECTION,
        hoofd_object=body["url"],
        resource="besluittype",
        resource_url=body["url"],
        actie=actie,
        kenmerken={"catalogus": body["catalogus"]},
    )


@router.get(
    f"/{COLLECTION}",
    operation_id="besluittype_list",
    summary="Alle BESLUITTYPEn opvragen.",
    response_model=Paginated[BesluitTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def besluittype_list(
    request: Request,
    filters: Annotated[BesluitTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    page: list[BesluitType] = []

    def collect(items: Sequence[BesluitType]) -> list[dict[str, Any]]:
        page.extend(items)  # rendered below, where the batched look-ups can be awaited
        return []

    stmt = await service.list_stmt(
        session,
        urls,
        catalogus=filters.catalogus,
        zaaktype=filters.zaaktypen,
        informatieobjecttype=filters.informatieobjecttypen,
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
        omschrijving=filters.omschrijving,
    )
    # what is kept: references valid today
    body = await list_body(
        ctx,
        COLLECTION,
        BesluitType,
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
    operation_id="besluittype_create",
    summary="Maak een BESLUITTYPE aan.",
    status_code=201,
    response_model=BesluitTypePostResponse,
    openapi_extra=security("catalogi.schrijven"),
)
async def besluittype_create(
    data: BesluitTypeCreate,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(WRITE),
) -> Response:
    obj = await service.create(session, urls, data.model_dump())
    body = await render_one(session, urls, obj)
    body["informatieobjecttypeOmschrijving"] = body["informatieobjecttypeOmschrijvingen"]
    _notify(session, body, "create")
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="besluittype_retrieve",
    summary="Een specifieke BESLUITTYPE opvragen.",
    response_model=BesluitTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def besluittype_retrieve(
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
    operation_id="besluittype_headers",
    summary="De headers voor een specifiek(e) BESLUITTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def besluittype_headers(
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
    operation_id="besluittype_update",
    summary="Werk een BESLUITTYPE in zijn geheel bij.",
    response_model=BesluitTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def besluittype_update(
    uuid: uuid.UUID,
    data: BesluitTypeUpdate,
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
    operation_id="besluittype_partial_update",
    summary="Werk een BESLUITTYPE deels bij.",
    response_model=BesluitTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def besluittype_partial_update(
    uuid: uuid.UUID,
    data: BesluitTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = await render_one(session, urls, await service.get(session, uuid))
    # the representation has URLs under `informatieobjecttypen`; the request takes names
    current["informatieobjecttypen"] = current["informatieobjecttypeOmschrijvingen"]
    merged = merge_patch(BesluitTypeUpdate, current, data)
    obj = await service.update(session, urls, uuid, merged.model_dump(), auth, partial=True)
    body = await render_one(session, urls, obj)
    _notify(session, body, "partial_update")
    return json_response(body)


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="besluittype_destroy",
    summary="Verwijder een BESLUITTYPE.",
    status_code=200,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def besluittype_destroy(
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
    operation_id="besluittype_publish",
    summary="Publiceer het concept BESLUITTYPE.",
    status_code=200,
    response_model=BesluitTypeOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def besluittype_publish(
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
