"""/zaken: the zaak itself (standard operations, `_zoek`, the audit trail) and
/zaaknummer_reserveren."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.routing import APIRoute
from sqlalchemy import Select
from starlette.responses import Response

from mijnzaken.core import audit, expand
from mijnzaken.core.api import json_response
from mijnzaken.core.db import iso
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.resource import (
    Ctx,
    Event,
    Resource,
    Scopes,
    add_operations,
    context,
    fresh,
)
from mijnzaken.zaken.api.common import (
    API,
    CREATE,
    DELETE,
    READ,
    UPDATE,
    accept_crs,
    content_crs,
    with_crs,
)
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.repository import zaak as repo
from mijnzaken.zaken.schemas.zaak import (
    BETALINGSINDICATIE_WEERGAVE,
    READ_ONLY,
    ReserveZaakIdentificatie,
    RetrieveQuery,
    ZaakExpanded,
    ZaakFilter,
    ZaakPatch,
    ZaakWrite,
    ZaakZoek,
    ZoekQuery,
)
from mijnzaken.zaken.schemas.zaak import Zaak as ZaakOut
from mijnzaken.zaken.services import geometrie, verwerking
from mijnzaken.zaken.services import zaak as service


def crs_of_success(response: Response) -> Response:
    """Zaak responses carry geometry in WGS 84: their successful answers say so."""
    if response.status_code in (200, 201):
        with_crs(response)
    return response


class CrsRoute(APIRoute):
    """A route whose answers get `crs_of_success`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_content_crs(request: Request) -> Response:
            return crs_of_success(await handler(request))

        return with_content_crs


async def check_accept_crs(request: Request) -> None:
    """`accept_crs` on the request's header, for the lean retrieve (ADR 0023)."""
    await accept_crs(request.headers.get("accept-crs"))


router = APIRouter(tags=["zaken"])
zaak_router = APIRouter(tags=["zaken"], route_class=CrsRoute)
AUDIT = Scopes.of("zrc", "audittrails.lezen")


async def get(ctx: Ctx, ident: uuid.UUID) -> Zaak:
    return await service.get(ctx, ident)


async def query(ctx: Ctx, filters: ZaakFilter) -> Select[Any]:
    ordering = repo.check_ordering(filters.ordering)
    found = await service.criteria(ctx, filters, ordering=ordering)
    stmt: Select[Any] = await service.search_stmt(ctx, found)
    return stmt


async def list_page(ctx: Ctx, filters: ZaakFilter) -> tuple[Select[Any], dict[str, Any] | None]:
    """The list's page select of plain rows: a kept one with its parameters where the search
    allows (`service.prepared_search`), else built for this request."""
    ordering = repo.check_ordering(filters.ordering)
    found = await service.criteria(ctx, filters, ordering=ordering)
    prepared = await service.prepared_search(ctx, found)
    if prepared is not None:
        return prepared
    return repo.as_rows(await service.search_stmt(ctx, found)), None


class _Attributes:
    """An ORM zaak read by column name, as `render` reads a row's mapping (reading the
    attributes loads what a flush expired)."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, name: str) -> Any:
        return getattr(self.obj, name)


def _columns(z: Any) -> Any:
    """What `render` reads of a zaak, by column name: a row's mapping (a page, a retrieve;
    reading a row by attribute costs ten times a mapping's item), or an object's attributes."""
    mapping = getattr(z, "_mapping", None)
    return mapping if mapping is not None else _Attributes(z)


async def read_one(ctx: Ctx, ident: uuid.UUID) -> dict[str, Any]:
    """A zaak for retrieve: the zaak and its relations read together."""
    zaak, rel = await service.get_to_render(ctx, ident)
    return (await render(ctx, [zaak], rel))[0]


async def render(
    ctx: Ctx, items: Sequence[Zaak], rel: repo.Relations | None = None
) -> list[dict[str, Any]]:
    """The representations of `items`; `rel`: their relations, when read already."""
    bsns: set[str] | None = None  # looked up by the processing log when not read here
    if rel is not None:
        bsns = rel.bsns
    elif all(fresh(ctx, z) and z.hoofdzaak_id is None for z in items):
        rel = repo.Relations()  # a zaak just created: nothing refers to it yet
    else:
        rel = await repo.relations(ctx.session, items)
        bsns = rel.bsns
    # the URLs of a page differ only in their last segment: their prefixes are built once
    zaken = ctx.urls.collection(API, "zaken") + "/"
    rollen = ctx.urls.collection(API, "rollen") + "/"
    statussen = ctx.urls.collection(API, "statussen") + "/"
    resultaten = ctx.urls.collection(API, "resultaten") + "/"
    documenten = ctx.urls.collection(API, "zaakinformatieobjecten") + "/"
    objecten = ctx.urls.collection(API, "zaakobjecten") + "/"
    zaaktypen = ctx.urls.collection("catalogi", "zaaktypen") + "/"
    out = []
    for obj in items:
        z = _columns(obj)
        pk = z["id"]
        hoofdzaak_id = z["hoofdzaak_id"]
        hoofdzaak = rel.hoofdzaak.get(hoofdzaak_id) if hoofdzaak_id is not None else None
        status = rel.status.get(pk)
        resultaat = rel.resultaat.get(pk)
        zaak_url = f"{zaken}{z['uuid']}"
        betalingsindicatie = z["betalingsindicatie"]
        item: dict[str, Any] = {
            "url": zaak_url,
            "uuid": str(z["uuid"]),
            "identificatie": z["identificatie"],
            "bronorganisatie": z["bronorganisatie"],
            "omschrijving": z["omschrijving"],
            "toelichting": z["toelichting"],
            "zaaktype": f"{zaaktypen}{z['zaaktype_uuid']}",
            "registratiedatum": z["registratiedatum"].isoformat(),
            "verantwoordelijkeOrganisatie": z["verantwoordelijke_organisatie"],
            "startdatum": z["startdatum"].isoformat(),
            "einddatum": _date(z["einddatum"]),
            "einddatumGepland": _date(z["einddatum_gepland"]),
            "uiterlijkeEinddatumAfdoening": _date(z["uiterlijke_einddatum_afdoening"]),
            "publicatiedatum": _date(z["publicatiedatum"]),
            "communicatiekanaal": z["communicatiekanaal"],
            "productenOfDiensten": list(z["producten_of_diensten"] or []),
            "vertrouwelijkheidaanduiding": z["vertrouwelijkheidaanduiding"],
            "betalingsindicatie": betalingsindicatie,
            "betalingsindicatieWeergave": BETALINGSINDICATIE_WEERGAVE.get(betalingsindicatie, ""),
            "laatsteBetaaldatum": iso(z["laatste_betaaldatum"]),
            "verlenging": z["verlenging"],
            "opschorting": z["opschorting"],
            "selectielijstklasse": z["selectielijstklasse"],
            "hoofdzaak": f"{zaken}{hoofdzaak}" if hoofdzaak is not None else None,
            "deelzaken": [f"{zaken}{i}" for i in rel.deelzaken.get(pk, ())],
            "relevanteAndereZaken": list(z["relevante_andere_zaken"] or []),
            "eigenschappen": [
                f"{zaak_url}/zaakeigenschappen/{i}" for i in rel.eigenschappen.get(pk, ())
            ],
            "rollen": [f"{rollen}{i}" for i in rel.rollen.get(pk, ())],
            "status": f"{statussen}{status}" if status is not None else None,
            "zaakinformatieobjecten": [
                f"{documenten}{i}" for i in rel.zaakinformatieobjecten.get(pk, ())
            ],
            "zaakobjecten": [f"{objecten}{i}" for i in rel.zaakobjecten.get(pk, ())],
            "kenmerken": list(z["kenmerken"] or []),
            "archiefnominatie": z["archiefnominatie"],
            "archiefstatus": z["archiefstatus"],
            "archiefactiedatum": _date(z["archiefactiedatum"]),
            "resultaat": f"{resultaten}{resultaat}" if resultaat is not None else None,
            "opdrachtgevendeOrganisatie": z["opdrachtgevende_organisatie"],
            "processobjectaard": z["processobjectaard"],
            "startdatumBewaartermijn": _date(z["startdatum_bewaartermijn"]),
            "processobject": z["processobject"],
        }
        # The spec's zaakgeometrie is `allOf: [GeoJSONGeometry]` + nullable, which OAS 3.0
        # validators read as "never null": a zaak without geometry leaves the key out.
        zaakgeometrie = z["zaakgeometrie"]
        if zaakgeometrie is not None:
            item["zaakgeometrie"] = zaakgeometrie
        out.append(item)
    await verwerking.zaken_gelezen(ctx, items, bsns)
    return out


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in READ_ONLY}


async def create(ctx: Ctx, data: ZaakWrite) -> Zaak:
    await content_crs(ctx.request.headers.get("content-crs"))
    return await service.create(ctx, data)


async def update(ctx: Ctx, zaak: Zaak, data: ZaakWrite) -> Zaak:
    await content_crs(ctx.request.headers.get("content-crs"))
    return await service.update(ctx, zaak, data)


async def destroy(ctx: Ctx, zaak: Zaak) -> None:
    await service.ensure_may_delete(ctx, zaak)
    await service.delete(ctx, zaak)


def event(ctx: Ctx, zaak: Zaak, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["url"],
        kanaal="zaken",
        kenmerken=service.kenmerken(ctx, zaak),
        bron="ZRC",
        weergave=zaak.identificatie,
    )


RESOURCE: Resource[Zaak] = Resource(
    api=API,
    collection="zaken",
    name="zaak",
    out=ZaakOut,
    list_out=ZaakExpanded,
    model=Zaak,
    read=READ,
    get=get,
    render=render,
    read_one=read_one,
    query=query,
    list_page=list_page,
    filters=ZaakFilter,
    write=ZaakWrite,
    patch=ZaakPatch,
    create=create,
    create_scopes=CREATE,
    update=update,
    update_scopes=UPDATE,
    delete=destroy,
    delete_scopes=DELETE,
    writable=writable,
    event=event,
    retrieve_query=RetrieveQuery,
    expandable=True,
    list_rows=repo.as_rows,
    dependencies=[Depends(accept_crs)],
    checks=[check_accept_crs],
    finish=crs_of_success,
    summaries={
        "list": "Alle ZAAKen opvragen.",
        "create": "Maak een ZAAK aan.",
        "retrieve": "Een specifieke ZAAK opvragen.",
        "headers": "De headers voor een specifiek(e) ZAAK opvragen.",
        "update": "Werk een ZAAK in zijn geheel bij.",
        "partial_update": "Werk een ZAAK deels bij.",
        "destroy": "Verwijder een ZAAK.",
    },
)


# zrc-029: attributes of a zaak that are groups, not references: `fields` selects their
# sub-elements ({"processobject": ["identificatie"]}) instead of expanding them
GROUPS: dict[expand.Key, frozenset[str]] = {
    (API, "zaken"): frozenset({"processobject", "verlenging", "opschorting"})
}


def _bad_fields(reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam("fields", "invalid", reason)])


def _check_fields(fields: Sequence[Any]) -> None:
    """`fields` is a list of attribute names and {name: [fields]} objects (zrc-029)."""
    for item in fields:
        if isinstance(item, dict):
            for name, sub in item.items():
                if not isinstance(sub, list):
                    raise _bad_fields(f"{name}: geef een lijst van velden.")
                _check_fields(sub)
        elif not isinstance(item, str) or not item:
            raise _bad_fields("Een veld is een attribuutnaam of een object {naam: [velden]}.")


def _expansions(fields: Sequence[Any], where: expand.Key) -> list[Any]:
    """`fields` as the expand engine reads it: a group's sub-selection becomes its name."""
    out: list[Any] = []
    for item in fields:
        if not isinstance(item, dict):
            out.append(item)
            continue
        links: dict[str, Any] = {}
        for name, sub in item.items():
            link = expand.LINKS.get(where, {}).get(name)
            if name in GROUPS.get(where, ()):
                out.append(name)
            elif link is not None and link.target is not None:
                links[name] = _expansions(sub, link.target)
            else:
                links[name] = sub  # the engine answers 404 (zrc-027) or 400 (zrc-025)
        if links:
            out.append(links)
    return out


def _select_groups(body: dict[str, Any], fields: Sequence[Any], where: expand.Key) -> None:
    """Reduce the groups `fields` selects sub-elements of, in `body` and its `_expand`."""
    for item in fields:
        if not isinstance(item, dict):
            continue
        for name, sub in item.items():
            if name in GROUPS.get(where, ()):
                value = body.get(name)
                if isinstance(value, dict) and "*" not in sub:
                    body[name] = {k: v for k, v in value.items() if k in sub}
                continue
            link = expand.LINKS[where][name]
            assert link.target is not None
            embedded = body.get("_expand", {}).get(name)
            for obj in embedded if isinstance(embedded, list) else [embedded]:
                if isinstance(obj, dict) and obj:
                    _select_groups(obj, sub, link.target)


@zaak_router.post(
    "/zaken/_zoek",
    operation_id="zaak__zoek",
    summary="Voer een (geo)-zoekopdracht uit op ZAAKen.",
    response_model=Paginated[ZaakExpanded],
    openapi_extra=READ.doc,
    dependencies=[Depends(accept_crs)],
)
async def zoek(
    data: ZaakZoek,
    params: Annotated[ZoekQuery, Query()],
    ctx: Ctx = Depends(context(READ)),
) -> Response:
    # `expand` as query parameter or (deprecated) body element; `fields` excludes both
    wanted = ",".join(v for v in (params.expand, data.expand) if v)
    fields = data.fields or None
    where = (API, "zaken")
    if fields is not None:
        if wanted:
            raise _bad_fields("Gebruik fields of expand, niet allebei.")
        _check_fields(fields)
        tree = expand.fields_paths(_expansions(fields, where), *where)
    else:
        tree = expand.paths(wanted, *where)  # a wrong expand fails before any work
    area = None
    if data.zaakgeometrie is not None:
        await content_crs(ctx.request.headers.get("content-crs"))
        area = geometrie.search_area(data.zaakgeometrie)
    ordering = repo.check_ordering([data.ordering] if data.ordering else None)
    found = await service.criteria(
        ctx,
        data,
        ordering=ordering,
        zaaktype__in=data.zaaktype__in,
        uuid__in=data.uuid__in,
    )
    prepared = await service.prepared_search(ctx, found) if area is None else None
    if prepared is not None:
        stmt, parameters = prepared
    else:
        stmt = await service.search_stmt(ctx, found)
        if area is not None:
            stmt = await geometrie.within(ctx, area, stmt)
        stmt, parameters = repo.as_rows(stmt), None

    async def render_page(items: Sequence[Any]) -> list[dict[str, Any]]:
        return await render(ctx, items)

    body = await paginate(
        ctx.session,
        stmt,
        page=params.page,
        page_size=ctx.settings.page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, "zaken/_zoek"),
        render=render_page,
        rows=True,
        columns=True,
        parameters=parameters,
    )
    await expand.expand(ctx, body["results"], *where, tree)
    if fields is not None:
        selection = _expansions(fields, where)
        results = [expand.select_fields(b, selection) for b in body["results"]]
        for item in results:
            _select_groups(item, fields, where)
        body["results"] = results
    return json_response(body)


add_operations(zaak_router, RESOURCE)


@router.post(
    "/zaaknummer_reserveren",
    operation_id="zaaknummer_reserveren",
    summary="Reserveer een zaaknummer.",
    status_code=201,
    openapi_extra=CREATE.doc,
)
async def zaaknummer_reserveren(
    data: ReserveZaakIdentificatie, ctx: Ctx = Depends(context(CREATE))
) -> Response:
    await service.may_reserve(ctx)
    values = await service.issue_identificaties(ctx, data.bronorganisatie, data.aantal)
    items = [{"zaaknummer": v} for v in values]
    # the operation's description: one object for one number, a list for more
    return json_response(items[0] if data.aantal == 1 else items, 201)


def _audit_body(entry: audit.AuditTrail) -> dict[str, Any]:
    return audit.render(entry)


async def _zaak_for_audit(ctx: Ctx, zaak_uuid: uuid.UUID) -> Zaak:
    return await service.get(ctx, zaak_uuid, scope="audittrails.lezen")


@router.get(
    "/zaken/{zaak_uuid}/audittrail",
    operation_id="audittrail_list",
    summary="Alle audit trail regels behorend bij de ZAAK.",
    response_model=list[audit.AuditTrailOut],
    openapi_extra=AUDIT.doc,
)
async def audittrail_list(zaak_uuid: uuid.UUID, ctx: Ctx = Depends(context(AUDIT))) -> Response:
    zaak = await _zaak_for_audit(ctx, zaak_uuid)
    entries = await audit.for_object(ctx.session, ctx.urls.resource(API, "zaken", zaak.uuid))
    return json_response([_audit_body(e) for e in entries])


@router.get(
    "/zaken/{zaak_uuid}/audittrail/{uuid}",
    operation_id="audittrail_retrieve",
    summary="Een specifieke audit trail regel opvragen.",
    response_model=audit.AuditTrailOut,
    openapi_extra=AUDIT.doc,
)
async def audittrail_retrieve(
    zaak_uuid: uuid.UUID, uuid: uuid.UUID, ctx: Ctx = Depends(context(AUDIT))
) -> Response:
    zaak = await _zaak_for_audit(ctx, zaak_uuid)
    hoofd_object = ctx.urls.resource(API, "zaken", zaak.uuid)
    entry = await repo.audit_entry(ctx.session, hoofd_object, uuid)
    if entry is None:
        raise NotFound()
    return json_response(_audit_body(entry))


router.include_router(zaak_router)
