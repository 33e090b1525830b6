"""Endpoints of /zaaktypen."""

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
    Body,
    cached,
    iso,
    list_body,
    read_ctx,
    split_in,
    url,
)
from mijnzaken.catalogi.models import ZaakType
from mijnzaken.catalogi.repository import zaaktype as repository
from mijnzaken.catalogi.schemas.zaaktype import (
    ZaakType as ZaakTypeOut,
)
from mijnzaken.catalogi.schemas.zaaktype import (
    ZaakTypeCreate,
    ZaakTypeExpanded,
    ZaakTypeFilter,
    ZaakTypePatch,
    ZaakTypeUpdate,
)
from mijnzaken.catalogi.services import zaaktype as service
from mijnzaken.catalogi.services.common import uuid_of
from mijnzaken.core import clock
from mijnzaken.core import expand as expansion
from mijnzaken.core.api import etag_response, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.outbox import notify
from mijnzaken.core.pagination import Paginated
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

router = APIRouter(tags=["zaaktypen"])
COLLECTION = "zaaktypen"
READ_SCOPES = security("catalogi.lezen", "documenten.lezen", "zaken.lezen")
UPDATE_SCOPES = security("catalogi.schrijven", "catalogi.geforceerd-schrijven")

Expand = Annotated[str | None, Query()]  # the related resources to inline (core/expand.py)
DatumGeldigheid = Annotated[
    dt.date | None,
    Query(alias="datumGeldigheid", description="De datum waarop verwijzingen geldig zijn."),
]


def render(z: ZaakType, urls: Urls, refs: service.References) -> dict[str, Any]:
    """The ZaakType body; name references become the URLs `refs` holds for them."""
    c = z.catalogus_id
    informatieobjecttypen = list(
        dict.fromkeys(
            link.informatieobjecttype_omschrijving for link in z.informatieobjecttype_links
        )
    )
    body: dict[str, Any] = {
        "url": url(urls, COLLECTION, z.uuid),
        "identificatie": z.identificatie,
        "omschrijving": z.omschrijving,
        "omschrijvingGeneriek": z.omschrijving_generiek,
        "vertrouwelijkheidaanduiding": z.vertrouwelijkheidaanduiding,
        "doel": z.doel,
        "aanleiding": z.aanleiding,
        "toelichting": z.toelichting,
        "indicatieInternOfExtern": z.indicatie_intern_of_extern,
        "handelingInitiator": z.handeling_initiator,
        "onderwerp": z.onderwerp,
        "handelingBehandelaar": z.handeling_behandelaar,
        "doorlooptijd": z.doorlooptijd,
        "servicenorm": z.servicenorm,
        "opschortingEnAanhoudingMogelijk": z.opschorting_en_aanhouding_mogelijk,
        "verlengingMogelijk": z.verlenging_mogelijk,
        "verlengingstermijn": z.verlengingstermijn,
        "trefwoorden": list(z.trefwoorden),
        "publicatieIndicatie": z.publicatie_indicatie,
        "publicatietekst": z.publicatietekst,
        "verantwoordingsrelatie": list(z.verantwoordingsrelatie),
        "productenOfDiensten": list(z.producten_of_diensten),
        "selectielijstProcestype": z.selectielijst_procestype,
        "referentieproces": {
            "naam": z.referentieproces.get("naam", ""),
            "link": z.referentieproces.get("link", ""),
        },
        "verantwoordelijke": z.verantwoordelijke,
        "zaakobjecttypen": [url(urls, "zaakobjecttypen", o.uuid) for o in z.zaakobjecttypen],
        "catalogus": url(urls, "catalogussen", z.catalogus.uuid),
        "statustypen": [url(urls, "statustypen", s.uuid) for s in z.statustypen],
        "resultaattypen": [url(urls, "resultaattypen", r.uuid) for r in z.resultaattypen],
        # listed as required (not described) by ZaakType in 1.3.3
        "resultaattypeOmschrijving": sorted({r.omschrijving for r in z.resultaattypen}),
        "eigenschappen": [url(urls, "eigenschappen", e.uuid) for e in z.eigenschappen],
        "informatieobjecttypen": [
            u for n in informatieobjecttypen for u in refs.informatieobjecttypen.get((c, n), [])
        ],
        "informatieobjecttypeOmschrijving": informatieobjecttypen,
        "roltypen": [url(urls, "roltypen", r.uuid) for r in z.roltypen],
        "besluittypen": [
            u for n in z.besluittype_omschrijvingen for u in refs.besluittypen.get((c, n), [])
        ],
        "besluittypeOmschrijving": list(z.besluittype_omschrijvingen),
        "deelzaaktypen": [
            u for n in z.deelzaaktype_identificaties for u in refs.zaaktypen.get((c, n), [])
        ],
        "deelzaaktypeIdentificaties": list(z.deelzaaktype_identificaties),
        # as for besluittypen (gedrag.md): one entry per valid published version
        "gerelateerdeZaaktypen": [
            {
                "zaaktype": u,
                "zaaktypeIdentificatie": r["zaaktype"],
                "aardRelatie": r["aardRelatie"],
                "toelichting": r.get("toelichting", ""),
            }
            for r in z.gerelateerde_zaaktypen
            for u in refs.zaaktypen.get((c, r["zaaktype"]), [])
        ],
        "beginGeldigheid": iso(z.begin_geldigheid),
        "eindeGeldigheid": iso(z.einde_geldigheid),
        "beginObject": iso(z.begin_object),
        "eindeObject": iso(z.einde_object),
        "versiedatum": iso(z.versiedatum or z.begin_geldigheid),
        "concept": z.concept,
    }
    # not nullable in the standard: left out when not set
    if z.broncatalogus is not None:
        body["broncatalogus"] = z.broncatalogus
    if z.bronzaaktype is not None:
        body["bronzaaktype"] = z.bronzaaktype
    return body


async def render_one(
    session: AsyncSession, urls: Urls, z: ZaakType, date: dt.date | None = None
) -> dict[str, Any]:
    refs = await service.references(session, urls, [z], date or clock.today())
    return render(z, urls, refs)


def _notify(session: AsyncSession, body: dict[str, Any], actie: str) -> None:
    notify(
        session,
        kanaal=COLLECTION,
        hoofd_object=body["url"],
        resource="zaaktype",
        resource_url=body["url"],
        actie=actie,
        kenmerken={"catalogus": body["catalogus"]},
    )


@router.get(
    f"/{COLLECTION}",
    operation_id="zaaktype_list",
    summary="Alle ZAAKTYPEn opvragen.",
    response_model=Paginated[ZaakTypeExpanded],
    openapi_extra=READ_SCOPES,
)
async def zaaktype_list(
    request: Request,
    filters: Annotated[ZaakTypeFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(filters.expand, API, COLLECTION)  # a wrong path fails first
    catalogus = None
    if filters.catalogus is not None:
        catalogus = uuid_of(urls, filters.catalogus, "catalogussen")
        if catalogus is None:
            raise ValidationFailed.field(
                "catalogus", "invalid", "Geef de URL van een catalogus van deze API."
            )
    stmt = repository.list_stmt(
        dialect=session.get_bind().dialect.name,
        catalogus=catalogus,
        identificatie=filters.identificatie,
        trefwoorden=split_in(filters.trefwoorden),
        status=filters.status,
        datum_geldigheid=filters.datum_geldigheid,
    )
    # paginate renders synchronously; the name look-ups are async, so render after it
    page: list[ZaakType] = []

    def collect(items: Sequence[ZaakType]) -> list[dict[str, Any]]:
        page.extend(items)
        return []

    async def rendered() -> list[Body]:
        date = filters.datum_geldigheid or clock.today()
        refs = await service.references(session, urls, page, date)
        return [render(z, urls, refs) for z in page]

    # what is kept: references valid today
    body = await list_body(
        ctx,
        COLLECTION,
        ZaakType,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        render=collect,
        rendered=rendered,
        kept=filters.datum_geldigheid in (None, clock.today()),
    )
    await expansion.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="zaaktype_create",
    summary="Maak een ZAAKTYPE aan.",
    status_code=201,
    response_model=ZaakTypeOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def zaaktype_create(
    data: ZaakTypeCreate, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(WRITE)
) -> Response:
    zaaktype = await service.create(session, urls, data.model_dump())
    body = await render_one(session, urls, zaaktype)
    _notify(session, body, "create")
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaktype_retrieve",
    summary="Een specifieke ZAAKTYPE opvragen.",
    response_model=ZaakTypeExpanded,
    openapi_extra=READ_SCOPES,
)
async def zaaktype_retrieve(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    datum_geldigheid: DatumGeldigheid = None,
    expand: Expand = None,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    tree = expansion.paths(expand, API, COLLECTION)  # a wrong path fails first
    body = None
    if datum_geldigheid in (None, clock.today()):  # what is kept: references valid today
        body = await cached(ctx, COLLECTION, uuid)
    if body is None:
        zaaktype = await service.get(session, uuid)
        body = await render_one(session, urls, zaaktype, datum_geldigheid)
    await expansion.expand(ctx, [body], API, COLLECTION, tree)
    return etag_response(request, body)  # the ETag covers the expansion


@router.head(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaktype_headers",
    summary="De headers voor een specifiek(e) ZAAKTYPE opvragen.",
    openapi_extra=READ_SCOPES,
)
async def zaaktype_headers(
    uuid: uuid.UUID,
    request: Request,
    session: Session,
    urls: UrlsDep,
    ctx: Ctx = Depends(read_ctx),
) -> Response:
    body = await cached(ctx, COLLECTION, uuid)
    if body is None:
        body = await render_one(session, urls, await service.get(session, uuid))
    return etag_response(request, body)


@router.put(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaktype_update",
    summary="Werk een ZAAKTYPE in zijn geheel bij.",
    response_model=ZaakTypeOut,
    openapi_extra=UPDATE_SCOPES,
)
async def zaaktype_update(
    uuid: uuid.UUID,
    data: ZaakTypeUpdate,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    zaaktype = await service.get(session, uuid)
    zaaktype = await service.update(
        session, urls, zaaktype, data.model_dump(), auth, fields=ZaakTypeUpdate.model_fields
    )
    body = await render_one(session, urls, zaaktype)
    _notify(session, body, "update")
    return json_response(body)


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaktype_partial_update",
    summary="Werk een ZAAKTYPE deels bij.",
    response_model=dict[str, Any],  # the standard leaves this body unspecified
    openapi_extra=UPDATE_SCOPES,
)
async def zaaktype_partial_update(
    uuid: uuid.UUID,
    data: ZaakTypePatch,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(UPDATE),
) -> Response:
    zaaktype = await service.get(session, uuid)
    current = service.write_representation(
        zaaktype, url(urls, "catalogussen", zaaktype.catalogus.uuid)
    )
    merged = merge_patch(ZaakTypeUpdate, current, data)
    zaaktype = await service.update(
        session, urls, zaaktype, merged.model_dump(), auth, fields=data.model_fields_set
    )
    body = await render_one(session, urls, zaaktype)
    _notify(session, body, "partial_update")
    return json_response(body)


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="zaaktype_destroy",
    summary="Verwijder een ZAAKTYPE.",
    status_code=200,
    openapi_extra=security("catalogi.schrijven", "catalogi.geforceerd-verwijderen"),
)
async def zaaktype_destroy(
    uuid: uuid.UUID,
    session: Session,
    urls: UrlsDep,
    auth: AuthContext = Depends(DELETE),
) -> Response:
    zaaktype = await service.get(session, uuid)
    body = {
        "url": url(urls, COLLECTION, zaaktype.uuid),
        "catalogus": url(urls, "catalogussen", zaaktype.catalogus.uuid),
    }
    await service.delete(session, zaaktype, auth)
    _notify(session, body, "destroy")
    # Catalogi 1.3.3 documents 200 with an (unspecified) JSON object for this operation
    return json_response({})


@router.post(
    f"/{COLLECTION}/{{uuid}}/publish",
    operation_id="zaaktype_publish",
    summary="Publiceer het concept ZAAKTYPE.",
    response_model=ZaakTypeOut,
    openapi_extra=security("catalogi.schrijven"),
)
async def zaaktype_publish(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(WRITE)
) -> Response:
    zaaktype = await service.get(session, uuid)
    published = await service.publish(session, zaaktype)
    body = await render_one(session, urls, zaaktype)
    if published:
        _notify(session, body, "publish")
    return json_response(body)
