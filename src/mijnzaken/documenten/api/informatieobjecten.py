"""/enkelvoudiginformatieobjecten: documents (standard operations, versions, `download`,
`lock`/`unlock`, `_zoek`, the audit trail)."""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Select, String, cast, exists, false, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from mijnzaken.core import audit, expand
from mijnzaken.core.api import json_response, with_expand
from mijnzaken.core.errors import ApiError, NotFound
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations, context, emit
from mijnzaken.documenten import opslag, repository
from mijnzaken.documenten.api.common import (
    API,
    AUDIT,
    CREATE,
    DELETE,
    LOCK,
    READ,
    UNLOCK,
    UPDATE_OR_FORCED,
)
from mijnzaken.documenten.models import InformatieObject, ObjectInformatieObject
from mijnzaken.documenten.schemas import (
    DownloadQuery,
    EIOZoek,
    EnkelvoudigInformatieObject,
    EnkelvoudigInformatieObjectCreateLock,
    EnkelvoudigInformatieObjectFilter,
    EnkelvoudigInformatieObjectPatch,
    EnkelvoudigInformatieObjectRetrieveQuery,
    EnkelvoudigInformatieObjectWrite,
    Lock,
    Unlock,
    ZoekQuery,
)
from mijnzaken.documenten.services import access
from mijnzaken.documenten.services import informatieobjecten as service
from mijnzaken.documenten.services.informatieobjecten import Weergave

router = APIRouter(tags=["enkelvoudiginformatieobjecten"])
logger = logging.getLogger("mijnzaken.documenten")


class InhoudOntbreekt(ApiError):
    """The register refers to content its store does not hold: a fault of this service."""

    status = 500
    code = "inhoud_ontbreekt"
    title = "De inhoud van dit informatieobject ontbreekt in de opslag van deze dienst."


COLLECTION = service.COLLECTION
READ_ONLY = frozenset(
    {"url", "versie", "beginRegistratie", "locked", "bestandsdelen", "_expand", "lock"}
)


async def get(ctx: Ctx, ident: uuid.UUID) -> InformatieObject | Weergave:
    document = await service.get(ctx, ident)
    if ctx.request.method in ("GET", "HEAD"):
        params = ctx.request.query_params
        nummer, op = params.get("versie"), params.get("registratieOp")
        if nummer or op:
            try:
                versie = int(nummer) if nummer else None
            except ValueError as exc:
                raise NotFound("Deze versie van het informatieobject bestaat niet.") from exc
            return Weergave(document, await service.versie_van(ctx, document, versie, op))
    return document


async def visible(ctx: Ctx) -> Select[Any]:
    """Every document the caller may read (documenten.lezen per type and vertrouwelijkheid)."""
    stmt = select(InformatieObject)
    condition = (await access.access(ctx, service.READ)).where()
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt


async def query(ctx: Ctx, filters: EnkelvoudigInformatieObjectFilter) -> Select[Any]:
    stmt = await visible(ctx)
    if filters.identificatie is not None:
        stmt = stmt.where(InformatieObject.identificatie == filters.identificatie)
    if filters.bronorganisatie is not None:
        stmt = stmt.where(InformatieObject.bronorganisatie == filters.bronorganisatie)
    for woord in filters.trefwoorden or []:
        # every given keyword must be one of the document's (JSON array of strings)
        quoted = '"' + woord.replace("\\", "\\\\").replace('"', '\\"') + '"'
        escaped = quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        stmt = stmt.where(
            cast(InformatieObject.trefwoorden, String).like(f"%{escaped}%", escape="!")
        )
    if filters.objectinformatieobjecten_object is not None or (
        filters.objectinformatieobjecten_object_type is not None
    ):
        relatie = select(ObjectInformatieObject.id).where(
            ObjectInformatieObject.informatieobject_id == InformatieObject.id
        )
        if filters.objectinformatieobjecten_object is not None:
            relatie = relatie.where(
                ObjectInformatieObject.object == filters.objectinformatieobjecten_object
            )
        if filters.objectinformatieobjecten_object_type is not None:
            relatie = relatie.where(
                ObjectInformatieObject.object_type == filters.objectinformatieobjecten_object_type
            )
        stmt = stmt.where(exists(relatie))
    return stmt.order_by(InformatieObject.id)


def _download(ctx: Ctx, document: InformatieObject, versie: int, heeft_inhoud: bool) -> str | None:
    if not heeft_inhoud:
        return None
    return f"{service.url(ctx, document)}/download?versie={versie}"


async def render(ctx: Ctx, items: Sequence[InformatieObject | Weergave]) -> list[dict[str, Any]]:
    documents = [i.document if isinstance(i, Weergave) else i for i in items]
    # bestandsdelen exist only while the document is locked (planned by a create or update
    # under its lock, joined or dropped by the unlock): an unlocked page needs no query
    delen = await repository.bestandsdelen(ctx.session, [d.id for d in documents if d.lock])
    out = []
    for item, document in zip(items, documents, strict=True):
        if isinstance(item, Weergave):
            body = dict(item.versie.gegevens)
            inhoud = _download(
                ctx, document, item.versie.versie, item.versie.inhoud_key is not None
            )
        else:
            body = service.gegevens(document, service.type_url(ctx, document))
            inhoud = _download(ctx, document, document.versie, document.inhoud_key is not None)
        body["url"] = service.url(ctx, document)
        body["inhoud"] = inhoud
        body["locked"] = bool(document.lock)
        body["bestandsdelen"] = [
            {
                "url": ctx.urls.resource(API, "bestandsdelen", d.uuid),
                "volgnummer": d.volgnummer,
                "omvang": d.omvang,
                "voltooid": d.inhoud_key is not None,
                "lock": "",
            }
            for d in delen.get(document.id, [])
        ]
        out.append(body)
    return out


def writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


def event(ctx: Ctx, obj: InformatieObject | Weergave, body: dict[str, Any]) -> Event:
    document = obj.document if isinstance(obj, Weergave) else obj
    return Event(
        hoofd_object=body["url"],
        kanaal="documenten",
        kenmerken=service.kenmerken(ctx, document),
        # drc-008: a destroyed document takes its audit trail with it; no new record
        bron=None if ctx.request.method == "DELETE" else "DRC",
        weergave=document.identificatie,
    )


RESOURCE: Resource[Any] = Resource(
    api=API,
    collection=COLLECTION,
    name="enkelvoudiginformatieobject",
    out=EnkelvoudigInformatieObject,
    list_out=with_expand(EnkelvoudigInformatieObject),
    model=InformatieObject,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=EnkelvoudigInformatieObjectFilter,
    write=EnkelvoudigInformatieObjectWrite,
    patch=EnkelvoudigInformatieObjectPatch,
    update=service.update,
    update_scopes=UPDATE_OR_FORCED,
    delete=service.delete,
    delete_scopes=DELETE,
    writable=writable,
    event=event,
    retrieve_query=EnkelvoudigInformatieObjectRetrieveQuery,
    expandable=True,
    summaries={
        "list": "Alle (ENKELVOUDIGe) INFORMATIEOBJECTen opvragen.",
        "create": "Maak een (ENKELVOUDIG) INFORMATIEOBJECT aan.",
        "retrieve": "Een specifiek (ENKELVOUDIG) INFORMATIEOBJECT opvragen.",
        "headers": "De headers voor een specifiek(e) ENKELVOUDIG INFORMATIEOBJECT opvragen",
        "update": "Werk een (ENKELVOUDIG) INFORMATIEOBJECT in zijn geheel bij.",
        "partial_update": "Werk een (ENKELVOUDIG) INFORMATIEOBJECT deels bij.",
        "destroy": "Verwijder een (ENKELVOUDIG) INFORMATIEOBJECT.",
    },
)


@router.post(
    f"/{COLLECTION}/_zoek",
    operation_id="enkelvoudiginformatieobject__zoek",
    summary="Voer een zoekopdracht uit op (ENKELVOUDIG) INFORMATIEOBJECTen.",
    response_model=Paginated[with_expand(EnkelvoudigInformatieObject)],  # type: ignore[misc]
    openapi_extra=READ.doc,
)
async def zoek(
    data: EIOZoek, params: Annotated[ZoekQuery, Query()], ctx: Ctx = Depends(context(READ))
) -> Response:
    tree = expand.paths(data.expand, API, COLLECTION)
    idents = []
    for value in data.uuid__in:
        try:
            idents.append(uuid.UUID(value))
        except ValueError:
            continue  # an invalid UUID names no document
    stmt = await visible(ctx)
    stmt = stmt.where(InformatieObject.uuid.in_(idents)) if idents else stmt.where(false())
    if data.identificatie is not None:
        stmt = stmt.where(InformatieObject.identificatie == data.identificatie)
    if data.bronorganisatie is not None:
        stmt = stmt.where(InformatieObject.bronorganisatie == data.bronorganisatie)

    async def render_page(items: Sequence[Any]) -> list[dict[str, Any]]:
        return await render(ctx, items)

    body = await paginate(
        ctx.session,
        stmt.order_by(InformatieObject.id),
        page=params.page,
        page_size=ctx.settings.page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, f"{COLLECTION}/_zoek"),
        render=render_page,
    )
    await expand.expand(ctx, body["results"], API, COLLECTION, tree)
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="enkelvoudiginformatieobject_create",
    summary=RESOURCE.summaries["create"],
    status_code=201,
    response_model=EnkelvoudigInformatieObjectCreateLock,
    openapi_extra=CREATE.doc,
)
async def create(
    data: EnkelvoudigInformatieObjectWrite, ctx: Ctx = Depends(context(CREATE))
) -> Response:
    document = await service.create(ctx, data)
    await ctx.session.flush()
    body = (await render(ctx, [document]))[0]
    emit(ctx, RESOURCE, event(ctx, document, body), "create", 201, None, body)
    # the lock of a document that awaits its bestandsdelen ("" otherwise), only in this answer
    return json_response({**body, "lock": document.lock}, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/{{uuid}}/download",
    operation_id="enkelvoudiginformatieobject_download",
    summary="Download de binaire data van het (ENKELVOUDIG) INFORMATIEOBJECT.",
    response_class=StreamingResponse,
    openapi_extra=READ.doc,
)
async def download(
    uuid: uuid.UUID, params: Annotated[DownloadQuery, Query()], ctx: Ctx = Depends(context(READ))
) -> Response:
    document = await service.get(ctx, uuid)
    key, omvang = document.inhoud_key, document.bestandsomvang
    if params.versie is not None or params.registratie_op:
        versie = await service.versie_van(ctx, document, params.versie, params.registratie_op)
        key, omvang = versie.inhoud_key, versie.gegevens.get("bestandsomvang")
    naam = document.bestandsnaam or f"{document.identificatie}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(naam)}"}
    if key is None:
        if omvang:  # announced, but the bestandsdelen are not all there yet
            raise NotFound("De inhoud van dit informatieobject is (nog) niet beschikbaar.")
        return Response(b"", media_type="application/octet-stream", headers=headers)
    store = opslag.voor(ctx.settings)
    if omvang is not None:
        headers["Content-Length"] = str(omvang)
    chunks: Iterator[bytes] = store.lees(key)
    # the store is opened before the status line goes out: content missing from it is an
    # error answer, not a 200 that breaks off
    try:
        first = await run_in_threadpool(next, chunks, b"")
    except opslag.Ontbreekt as exc:
        logger.error("De inhoud van informatieobject %s ontbreekt in de opslag.", document.uuid)
        raise InhoudOntbreekt() from exc
    # a sync iterator: Starlette reads it chunk by chunk in a worker thread
    return StreamingResponse(
        itertools.chain((first,), chunks), media_type="application/octet-stream", headers=headers
    )


@router.post(
    f"/{COLLECTION}/{{uuid}}/lock",
    operation_id="enkelvoudiginformatieobject_lock",
    summary="Vergrendel een (ENKELVOUDIG) INFORMATIEOBJECT.",
    response_model=Lock,
    openapi_extra=LOCK.doc,
)
async def lock(uuid: uuid.UUID, ctx: Ctx = Depends(context(LOCK))) -> Response:
    return json_response({"lock": await service.lock(ctx, uuid)})


@router.post(
    f"/{COLLECTION}/{{uuid}}/unlock",
    operation_id="enkelvoudiginformatieobject_unlock",
    summary="Ontgrendel een (ENKELVOUDIG) INFORMATIEOBJECT.",
    status_code=204,
    openapi_extra=UNLOCK.doc,
)
async def unlock(
    uuid: uuid.UUID, data: Unlock | None = None, ctx: Ctx = Depends(context(UNLOCK))
) -> Response:
    document, joined = await service.unlock(ctx, uuid, data.lock if data is not None else "")
    if joined:
        # joined bestandsdelen: the document's content is now there
        await ctx.session.flush()
        body = (await render(ctx, [document]))[0]
        emit(ctx, RESOURCE, event(ctx, document, body), "partial_update", 200, None, body)
    return Response(status_code=204)


async def _for_audit(ctx: Ctx, ident: uuid.UUID) -> str:
    document = await service.get(ctx, ident, scopes=("audittrails.lezen",))
    return service.url(ctx, document)


@router.get(
    f"/{COLLECTION}/{{enkelvoudiginformatieobject_uuid}}/audittrail",
    operation_id="audittrail_list",
    summary="Alle audit trail regels behorend bij het INFORMATIEOBJECT.",
    response_model=list[audit.AuditTrailOut],
    openapi_extra=AUDIT.doc,
)
async def audittrail_list(
    enkelvoudiginformatieobject_uuid: uuid.UUID, ctx: Ctx = Depends(context(AUDIT))
) -> Response:
    hoofd = await _for_audit(ctx, enkelvoudiginformatieobject_uuid)
    return json_response([audit.render(e) for e in await audit.for_object(ctx.session, hoofd)])


@router.get(
    f"/{COLLECTION}/{{enkelvoudiginformatieobject_uuid}}/audittrail/{{uuid}}",
    operation_id="audittrail_retrieve",
    summary="Een specifieke audit trail regel opvragen.",
    response_model=audit.AuditTrailOut,
    openapi_extra=AUDIT.doc,
)
async def audittrail_retrieve(
    enkelvoudiginformatieobject_uuid: uuid.UUID,
    uuid: uuid.UUID,
    ctx: Ctx = Depends(context(AUDIT)),
) -> Response:
    hoofd = await _for_audit(ctx, enkelvoudiginformatieobject_uuid)
    for entry in await audit.for_object(ctx.session, hoofd):
        if entry.uuid == uuid:
            return json_response(audit.render(entry))
    raise NotFound()


add_operations(router, RESOURCE)
