"""Endpoints of /zaaktype-informatieobjecttypen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from mijnzaken.catalogi.api.common import API, DELETE, UPDATE, cached, list_body, read_ctx, url
from mijnzaken.catalogi.models import InformatieObjectType, ZaakTypeInformatieObjectType
from mijnzaken.catalogi.repository import resultaattype as types
from mijnzaken.catalogi.repository import ztiot as repository
from mijnzaken.catalogi.schemas.ztiot import (
    ZaakTypeInformatieObjectType as ZaakTypeInformatieObjectTypeOut,
)
from mijnzaken.catalogi.schemas.ztiot import (
    ZaakTypeInformatieObjectTypeExpanded,
    ZaakTypeInformatieObjectTypeFilter,
    ZaakTypeInformatieObjectTypePatch,
    ZaakTypeInformatieObjectTypeWrite,
)
from mijnzaken.catalogi.services import ztiot as service
from mijnzaken.catalogi.services.common import urls_by_name, uuid_of
from mijnzaken.core import clock
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls
from mijnzaken.core.validators import check_url

router = APIRouter(tags=["zaaktype-informatieobjecttypen"])
COLLECTION = "zaaktype-informatieobjecttypen"


async def render_many(
    session: AsyncSession,
    urls: Urls,
    items: Sequence[ZaakTypeInformatieObjectType],
    date: dt.date,
) -> list[dict[str, Any]]:
    """The response bodies of `items`; the informatieobjecttypen resolved in one query."""
    found = await urls_by_name(
        session,
        urls,
        InformatieObjectType,
        InformatieObjectType.omschrijving,
        "informatieobjecttypen",
        ((z.zaaktype.catalogus_id, z.informatieobjecttype_omschrijving) for z in items),
        date,
    )
    # No published version valid on the day: point at the newest version rather than at
    # nothing (the field is a required string); at most one more query for the whole page.
    missing = {(z.zaaktype.catalogus_id, z.informatieobjecttype_omschrijving) for z in items} - {
        k for k, v in found.items() if v
    }
    latest = await repository.latest_versions(session, missing)

    def render(z: ZaakTypeInformatieObjectType) -> dict[str, Any]:
        # the published version valid on the day (gedrag.md)
        key = (z.zaaktype.catalogus_id, z.informatieobjecttype_omschrijving)
        versions = found.get(key)
        if versions:
            informatieobjecttype = versions[0]
        elif key in latest:
            informatieobjecttype = url(urls, "informatieobjecttypen", latest[key])
        else:  # the type was deleted since: the name is all we have
            informatieobjecttype = z.informatieobjecttype_omschrijving
        return {
            "url": url(urls, COLLECTION, z.uuid),
            "zaaktype": url(urls, "zaaktypen", z.zaaktype.uuid),
            "zaaktypeIdentificatie": z.zaaktype.identificatie,
            "catalogus": url(urls, "catalogussen", z.zaaktype.catalogus.uuid),
            "informatieobjecttype": informatieobjecttype,
            "volgnummer": z.volgnummer,
            "richting": z.richting,
            "statustype": url(urls, "statustypen", z.statustype.uuid) if z.statustype else None,
        }

    return [render(z) for z in items]


def writable(z: ZaakTypeInformatieObjectType, urls: Urls) -> dict[str, Any]:
    """The stored representation in request form (the omschrijving): the base of a PATCH."""
    return {
        "zaaktype": url(urls, "zaaktypen", z.zaaktype.uuid),
        "informatieobjecttype": z.informatieobjecttype_omschrijving,
        "volgnummer": z.volgnummer,
        "richting": z.richting,
        "statustype": url(urls, "statustypen", z.statustype.uuid) if z.statustype else None,
    }


async def render_one(
    session: AsyncSession, urls: Urls, z: ZaakTypeInformatieObjectType
) -> dict[str, Any]:
    return (await render_many(session, urls, [z], clock.today()))[0]


@router.get(
    f"/{COLLECTION}",
    operation_id="zaakinformatieobjecttype_list",
    summary="Alle ZAAKTYPE-INFORMATIEOBJECTTYPE relaties opvragen.",
    response_model=Paginated[ZaakTypeInformatieObjectTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def zaakinformatieobjecttype_list(
    request: Request,
    filters: Annotated[ZaakTypeInformatieObjectTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    zaaktype = None
    no_match = False
    if filters.zaaktype is not None:
        try:
            check_url(filters.zaaktype)
        except ValueError as exc:
            raise ValidationFailed.field("zaaktype", "invalid", "Voer een geldige URL in.") from exc
        zaaktype = uuid_of(urls, filters.zaaktype, "zaaktypen")
        no_match = zaaktype is None
    iot_name = filters.informatieobjecttype
    iot_catalogus = None
    if iot_name is not None and iot_name.startswith(("http://", "https://")):
        # a 1.0-1.2 client filters by URL: the links to that type's omschrijving in its catalogus
        ident = uuid_of(urls, iot_name, "informatieobjecttypen")
        hit = (await types.names_of(session, InformatieObjectType, [ident] if ident else [])).get(
            ident  # type: ignore[arg-type]
        )
        if hit is None:
            no_match = True
        else:
            iot_catalogus, iot_name = hit
    page: list[ZaakTypeInformatieObjectType] = []

    def keep_page(items: Sequence[ZaakTypeInformatieObjectType]) -> list[dict[str, Any]]:
        page.extend(items)
        return []

    stmt = repository.list_stmt(
        zaaktype=zaaktype,
        no_match=no_match,
        informatieobjecttype=iot_name,
        informatieobjecttype_catalogus=iot_catalogus,
        richting=filters.richting,
        status=filters.status,
    )
    body = await list_body(
        ctx,
        COLLECTION,
        ZaakTypeInformatieObjectType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=keep_page,
        rendered=lambda: render_many(session, urls, page, clock.today()),
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="zaakinformatieobjecttype_create",
    summary="Maak een ZAAKTYPE-INFORMATIEOBJECTTYPE relatie aan.",
    status_code=201,
    response_model=ZaakTypeInformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakinformatieobjecttype_create(
    data: ZaakTypeInformatieObjectTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    link = await service.create(session, urls, auth, data.model_dump())
    body = await render_one(session, urls, link)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakinformatieobjecttype_retrieve",
    summary="Een specifieke ZAAKTYPE-INFORMATIEOBJECTTYPE relatie opvragen.",
    response_model=ZaakTypeInformatieObjectTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def zaakinformatieobjecttype_retrieve(
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
    operation_id="zaakinformatieobjecttype_headers",
    summary="De headers voor een specifiek(e) ZAAKTYPE-INFORMATIEOBJECTTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def zaakinformatieobjecttype_headers(
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
    operation_id="zaakinformatieobjecttype_update",
    summary="Werk een ZAAKTYPE-INFORMATIEOBJECTTYPE relatie in zijn geheel bij.",
    response_model=ZaakTypeInformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakinformatieobjecttype_update(
    uuid: uuid.UUID,
    data: ZaakTypeInformatieObjectTypeWrite,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    link = await service.update(session, urls, auth, uuid, data.model_dump())
    return json_response(await render_one(session, urls, link))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakinformatieobjecttype_partial_update",
    summary="Werk een ZAAKTYPE-INFORMATIEOBJECTTYPE relatie deels bij.",
    response_model=ZaakTypeInformatieObjectTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def zaakinformatieobjecttype_partial_update(
    uuid: uuid.UUID,
    data: ZaakTypeInformatieObjectTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = writable(await service.get(session, uuid), urls)
    merged = merge_patch(ZaakTypeInformatieObjectTypeWrite, current, data)
    link = await service.update(session, urls, auth, uuid, merged.model_dump())
    return json_response(await render_one(session, urls, link))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaakinformatieobjecttype_destroy",
    summary="Verwijder een ZAAKTYPE-INFORMATIEOBJECTTYPE relatie.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def zaakinformatieobjecttype_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
