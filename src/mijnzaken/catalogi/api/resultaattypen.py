"""Endpoints of /resultaattypen."""

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
    cached,
    iso,
    list_body,
    read_ctx,
    url,
)
from mijnzaken.catalogi.models import BesluitType, InformatieObjectType, ResultaatType
from mijnzaken.catalogi.repository import resultaattype as repository
from mijnzaken.catalogi.schemas.resultaattype import (
    ResultaatType as ResultaatTypeOut,
)
from mijnzaken.catalogi.schemas.resultaattype import (
    ResultaatTypeExpanded,
    ResultaatTypeFilter,
    ResultaatTypePatch,
    ResultaatTypeWrite,
)
from mijnzaken.catalogi.services import resultaattype as service
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

router = APIRouter(tags=["resultaattypen"])
COLLECTION = "resultaattypen"


async def render_many(
    session: AsyncSession, urls: Urls, items: Sequence[ResultaatType], date: dt.date
) -> list[dict[str, Any]]:
    """The response bodies of `items`, with the names resolved in two queries for all."""
    besluittypen = await urls_by_name(
        session,
        urls,
        BesluitType,
        BesluitType.omschrijving,
        "besluittypen",
        ((r.zaaktype.catalogus_id, n) for r in items for n in r.besluittype_omschrijvingen),
        date,
    )
    informatieobjecttypen = await urls_by_name(
        session,
        urls,
        InformatieObjectType,
        InformatieObjectType.omschrijving,
        "informatieobjecttypen",
        (
            (r.zaaktype.catalogus_id, n)
            for r in items
            for n in r.informatieobjecttype_omschrijvingen
        ),
        date,
    )

    def render(r: ResultaatType) -> dict[str, Any]:
        zaaktype = r.zaaktype
        catalogus = zaaktype.catalogus_id
        body = writable(r, urls)
        return {
            "url": url(urls, COLLECTION, r.uuid),
            "zaaktype": body["zaaktype"],
            "zaaktypeIdentificatie": zaaktype.identificatie,
            "omschrijving": r.omschrijving,
            "resultaattypeomschrijving": r.resultaattypeomschrijving,
            "omschrijvingGeneriek": r.omschrijving_generiek,
            "selectielijstklasse": r.selectielijstklasse,
            "toelichting": r.toelichting,
            "archiefnominatie": r.archiefnominatie,
            "archiefactietermijn": r.archiefactietermijn,
            "brondatumArchiefprocedure": body["brondatumArchiefprocedure"],
            "procesobjectaard": r.procesobjectaard,
            "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
            "beginGeldigheid": body["beginGeldigheid"],
            "eindeGeldigheid": iso(r.einde_geldigheid or zaaktype.einde_geldigheid),
            "beginObject": body["beginObject"],
            "eindeObject": body["eindeObject"],
            "indicatieSpecifiek": r.indicatie_specifiek,
            "procestermijn": r.procestermijn,
            "besluittypen": [
                u
                for n in r.besluittype_omschrijvingen
                for u in besluittypen.get((catalogus, n), [])
            ],
            "besluittypeOmschrijving": list(r.besluittype_omschrijvingen),
            "informatieobjecttypen": [
                u
                for n in r.informatieobjecttype_omschrijvingen
                for u in informatieobjecttypen.get((catalogus, n), [])
            ],
            "informatieobjecttypeOmschrijving": list(r.informatieobjecttype_omschrijvingen),
        }

    return [render(r) for r in items]


def writable(r: ResultaatType, urls: Urls) -> dict[str, Any]:
    """The stored representation in request form (names, not URLs): the base of a PATCH."""
    brondatum = r.brondatum_archiefprocedure
    return {
        "zaaktype": url(urls, "zaaktypen", r.zaaktype.uuid),
        "omschrijving": r.omschrijving,
        "resultaattypeomschrijving": r.resultaattypeomschrijving,
        "selectielijstklasse": r.selectielijstklasse,
        "toelichting": r.toelichting,
        "archiefnominatie": r.archiefnominatie,
        "archiefactietermijn": r.archiefactietermijn,
        "brondatumArchiefprocedure": dict(brondatum) if brondatum is not None else None,
        "procesobjectaard": r.procesobjectaard,
        "beginGeldigheid": iso(r.begin_geldigheid or r.zaaktype.begin_geldigheid),
        "eindeGeldigheid": iso(r.einde_geldigheid),
        "beginObject": iso(r.begin_object),
        "eindeObject": iso(r.einde_object),
        "indicatieSpecifiek": r.indicatie_specifiek,
        "procestermijn": r.procestermijn,
        "besluittypen": list(r.besluittype_omschrijvingen),
        "informatieobjecttypen": list(r.informatieobjecttype_omschrijvingen),
    }


async def render_one(session: AsyncSession, urls: Urls, r: ResultaatType) -> dict[str, Any]:
    return (await render_many(session, urls, [r], clock.today()))[0]


@router.get(
    f"/{COLLECTION}",
    operation_id="resultaattype_list",
    summary="Alle RESULTAATTYPEn opvragen.",
    response_model=Paginated[ResultaatTypeExpanded],
    openapi_extra=security("catalogi.lezen"),
)
async def resultaattype_list(
    request: Request,
    filters: Annotated[ResultaatTypeFilter, Query()],
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
        no_match = zaaktype is None  # not one of ours: nothing here refers to it
    datum = filters.datum_geldigheid_camel or filters.datum_geldigheid
    page: list[ResultaatType] = []

    def keep_page(items: Sequence[ResultaatType]) -> list[dict[str, Any]]:
        page.extend(items)
        return []

    stmt = repository.list_stmt(
        zaaktype=zaaktype,
        no_match=no_match,
        zaaktype_identificatie=filters.zaaktype_identificatie_camel
        or filters.zaaktype_identificatie,
        status=filters.status,
        datum_geldigheid=datum,
    )
    # what is kept: references valid today
    body = await list_body(
        ctx,
        COLLECTION,
        ResultaatType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=keep_page,
        rendered=lambda: render_many(session, urls, page, datum or clock.today()),
        kept=datum in (None, clock.today()),
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="resultaattype_create",
    summary="Maak een RESULTAATTYPE aan.",
    status_code=201,
    response_model=ResultaatTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def resultaattype_create(
    data: ResultaatTypeWrite,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    resultaattype = await service.create(session, urls, runtime.settings, auth, data.model_dump())
    body = await render_one(session, urls, resultaattype)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="resultaattype_retrieve",
    summary="Een specifieke RESULTAATTYPE opvragen.",
    response_model=ResultaatTypeExpanded,
    openapi_extra=security("catalogi.lezen"),
)
async def resultaattype_retrieve(
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
    operation_id="resultaattype_headers",
    summary="De headers voor een specifiek(e) RESULTAATTYPE opvragen.",
    openapi_extra=security("catalogi.lezen"),
)
async def resultaattype_headers(
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
    operation_id="resultaattype_update",
    summary="Werk een RESULTAATTYPE in zijn geheel bij.",
    response_model=ResultaatTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def resultaattype_update(
    uuid: uuid.UUID,
    data: ResultaatTypeWrite,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    resultaattype = await service.update(
        session, urls, runtime.settings, auth, uuid, data.model_dump()
    )
    return json_response(await render_one(session, urls, resultaattype))


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="resultaattype_partial_update",
    summary="Werk een RESULTAATTYPE deels bij.",
    response_model=ResultaatTypeOut,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-schrijven"),
)
async def resultaattype_partial_update(
    uuid: uuid.UUID,
    data: ResultaatTypePatch,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    current = writable(await service.get(session, uuid), urls)
    merged = merge_patch(ResultaatTypeWrite, current, data)
    resultaattype = await service.update(
        session, urls, runtime.settings, auth, uuid, merged.model_dump()
    )
    return json_response(await render_one(session, urls, resultaattype))


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="resultaattype_destroy",
    summary="Verwijder een RESULTAATTYPE.",
    status_code=204,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def resultaattype_destroy(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(DELETE)
) -> Response:
    await service.delete(session, auth, uuid)
    return Response(status_code=204)
