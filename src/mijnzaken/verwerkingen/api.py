"""The Verwerkingenlogging APIs, mounted at /verwerkingen/api/v1/: the write API 0.9.0
(`verwerkingsacties`) and the read (inzage) API 0.9.0 (`verwerkte-objecten`) in one router.

Append-only: PUT, the collection's PATCH and DELETE answer as the spec says, but each appends
a new version (service.py); the earlier ones stay in the log and in the hash chain.

Scopes of component `vrl` (our extension of the Autorisaties enumeration, ADR 0010), the
spec's `read|create|update|delete` × `normal|confidential`:
`verwerkingen.lezen`, `verwerkingen.aanmaken`, `verwerkingen.bijwerken`,
`verwerkingen.verwijderen` for entries with vertrouwelijkheid `normaal` or `opgeheven`, and
the same with `.vertrouwelijk` appended for `vertrouwelijk` entries too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query
from starlette.responses import Response

from mijnzaken.core.api import json_response, register_app
from mijnzaken.core.db import iso
from mijnzaken.core.errors import NotFound, PermissionDenied, ValidationFailed
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.resource import Ctx, Scopes, context
from mijnzaken.verwerkingen import repository, service
from mijnzaken.verwerkingen import schemas as s
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

VERSION = "0.9.0"
API = "verwerkingen"
COMPONENT = "vrl"
ACTIES = "verwerkingsacties"
OBJECTEN = "verwerkte-objecten"

LEZEN = "verwerkingen.lezen"
AANMAKEN = "verwerkingen.aanmaken"
BIJWERKEN = "verwerkingen.bijwerken"
VERWIJDEREN = "verwerkingen.verwijderen"
VERTROUWELIJK = ".vertrouwelijk"
SCOPES = tuple(
    scope + suffix
    for scope in (LEZEN, AANMAKEN, BIJWERKEN, VERWIJDEREN)
    for suffix in ("", VERTROUWELIJK)
)


def _scopes(scope: str) -> Scopes:
    return Scopes.of(COMPONENT, scope, scope + VERTROUWELIJK)


READ, CREATE, UPDATE, DELETE = (_scopes(x) for x in (LEZEN, AANMAKEN, BIJWERKEN, VERWIJDEREN))

router = APIRouter()


def _levels(ctx: Ctx, scope: str) -> tuple[str, ...]:
    """The vertrouwelijkheid of the entries the caller may touch with `scope`."""
    if ctx.auth.has_scope(COMPONENT, scope + VERTROUWELIJK):
        return service.VERTROUWELIJKHEID
    return service.NIET_VERTROUWELIJK


def _page(ctx: Ctx) -> int:
    raw = ctx.request.query_params.get("page", "1")
    if not raw.isdigit():
        raise ValidationFailed.field("page", "invalid", "Een paginanummer is een geheel getal.")
    return int(raw)


# --- rendering ---------------------------------------------------------------------------------

_OPTIONAL = (
    "actie_naam",
    "handeling_naam",
    "verwerking_naam",
    "verwerking_id",
    "verwerkingsactiviteit_id",
    "verwerkingsactiviteit_url",
    "bewaartermijn",
    "uitvoerder",
    "systeem",
    "gebruiker",
    "gegevensbron",
    "soort_afnemer_id",
    "afnemer_id",
    "verwerkingsactiviteit_id_afnemer",
    "verwerkingsactiviteit_url_afnemer",
    "verwerking_id_afnemer",
)
_NOT_FOR_INZAGE = {"systeem", "gebruiker", "gegevensbron"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def render_object(ctx: Ctx, obj: VerwerktObject) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": ctx.urls.resource(API, OBJECTEN, obj.uuid),
        "verwerktObjectId": str(obj.uuid),
        "objecttype": obj.objecttype,
        "soortObjectId": obj.soort_object_id,
        "objectId": obj.object_id,
        "verwerkteSoortenGegevens": list(obj.soorten_gegevens or []),
    }
    if obj.betrokkenheid:
        body["betrokkenheid"] = obj.betrokkenheid
    return body


def render_actie(
    ctx: Ctx, row: Verwerkingsactie, objecten: Sequence[VerwerktObject], *, beperkt: bool = False
) -> dict[str, Any]:
    """VerwerkingsactieUitgebreid; `beperkt`: VerwerkingsactieBeperkt of the inzage API."""
    body: dict[str, Any] = {
        "url": ctx.urls.resource(API, ACTIES, row.actie_id),
        "actieId": str(row.actie_id),
        "vertrouwelijkheid": row.vertrouwelijkheid,
        "tijdstip": iso(row.tijdstip),
        "tijdstipRegistratie": iso(row.tijdstip_registratie),
    }
    for name in _OPTIONAL:
        if beperkt and name in _NOT_FOR_INZAGE:
            continue
        value = getattr(row, name)
        if value not in (None, ""):
            body[_camel(name)] = str(value)
    body["verwerkteObjecten"] = [render_object(ctx, o) for o in objecten]
    return body


# --- verwerkingsacties (write API) ---------------------------------------------------------------


@router.get(
    f"/{ACTIES}",
    operation_id="verwerkingsactie_list",
    tags=[ACTIES],
    response_model=Paginated[s.Verwerkingsactie],
    openapi_extra=READ.doc,
)
async def verwerkingsactie_list(
    filters: Annotated[s.ActieFilter, Query()], ctx: Ctx = Depends(context(READ))
) -> Response:
    levels = _levels(ctx, LEZEN)
    if filters.vertrouwelijkheid:
        levels = tuple(v for v in levels if v in filters.vertrouwelijkheid)
    f = repository.Filter(
        filters.objecttype,
        filters.soort_object_id,
        filters.object_id,
        levels,
        filters.begin_datum,
        filters.eind_datum,
        filters.verwerkingsactiviteit_id,
    )
    body = await paginate(
        ctx.session,
        repository.acties_query(f, dialect=ctx.session.get_bind().dialect.name),
        page=_page(ctx),
        page_size=ctx.settings.page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, ACTIES),
        render=lambda rows: [render_actie(ctx, r, r.objecten) for r in rows],
    )
    return json_response(body)


def _objecten(data: s.VerwerkingsactieCreate | s.VerwerkingsactieUpdate) -> list[dict[str, Any]]:
    out = []
    for o in data.verwerkte_objecten:
        item: dict[str, Any] = {
            "objecttype": o.objecttype,
            "soort_object_id": o.soort_object_id,
            "object_id": o.object_id,
            "betrokkenheid": o.betrokkenheid,
            "soorten_gegevens": [
                {"soortGegeven": g.soort_gegeven} for g in o.verwerkte_soorten_gegevens
            ],
        }
        if isinstance(o, s.VerwerktObjectIn):
            item["uuid"] = o.verwerkt_object_id
        out.append(item)
    return out


def _may_write(ctx: Ctx, scope: str, *vertrouwelijkheden: str) -> None:
    if "vertrouwelijk" in vertrouwelijkheden and not ctx.auth.has_scope(
        COMPONENT, scope + VERTROUWELIJK
    ):
        raise PermissionDenied(
            f"Voor vertrouwelijke verwerkingsacties is de scope {scope}{VERTROUWELIJK} nodig."
        )


@router.post(
    f"/{ACTIES}",
    operation_id="verwerkingsactie_create",
    tags=[ACTIES],
    status_code=201,
    response_model=s.Verwerkingsactie,
    openapi_extra=CREATE.doc,
)
async def verwerkingsactie_create(
    data: s.VerwerkingsactieCreate, ctx: Ctx = Depends(context(CREATE))
) -> Response:
    _may_write(ctx, AANMAKEN, data.vertrouwelijkheid)
    values = data.values()
    values["trace_id"] = service.trace_id_from(ctx.request.headers.get("traceparent"))
    row = service.create(ctx.session, values, _objecten(data))
    await ctx.session.flush()
    body = render_actie(ctx, row, row.objecten)
    return json_response(body, 201, {"Location": body["url"]})


@router.patch(
    f"/{ACTIES}",
    operation_id="verwerkingsactie_list_patch",
    tags=[ACTIES],
    status_code=204,
    openapi_extra=UPDATE.doc,
)
async def verwerkingsactie_list_patch(
    query: Annotated[s.PatchQuery, Query()],
    data: s.PatchRequestBody,
    ctx: Ctx = Depends(context(UPDATE)),
) -> Response:
    changes = data.model_dump(exclude_none=True)
    if "vertrouwelijkheid" in changes and not ctx.auth.has_scope(
        COMPONENT, BIJWERKEN + VERTROUWELIJK
    ):
        raise PermissionDenied(
            f"Voor het wijzigen van de vertrouwelijkheid is de scope {BIJWERKEN}"
            f"{VERTROUWELIJK} nodig."
        )
    levels = _levels(ctx, BIJWERKEN)
    rows = [
        r
        for r in await repository.current_of_verwerking(ctx.session, query.verwerking_id)
        if r.vertrouwelijkheid in levels
    ]
    if not rows:
        raise NotFound("Er zijn geen verwerkingsacties van deze verwerking.")
    if changes:
        for row in rows:
            await service.wijzig(ctx.session, row, changes)
    return Response(status_code=204)


async def _current(ctx: Ctx, actie_id: uuid.UUID, scope: str) -> Verwerkingsactie:
    row = await repository.current(ctx.session, actie_id, _levels(ctx, scope))
    if row is None:
        raise NotFound("Verwerkingsactie niet gevonden.")
    return row


@router.get(
    f"/{ACTIES}/{{actieId}}",
    operation_id="verwerkingsactie_read",
    tags=[ACTIES],
    response_model=s.Verwerkingsactie,
    openapi_extra=READ.doc,
)
async def verwerkingsactie_read(actieId: uuid.UUID, ctx: Ctx = Depends(context(READ))) -> Response:  # noqa: N803
    row = await _current(ctx, actieId, LEZEN)
    return json_response(render_actie(ctx, row, row.objecten))


@router.put(
    f"/{ACTIES}/{{actieId}}",
    operation_id="verwerkingsactie_update",
    tags=[ACTIES],
    response_model=s.Verwerkingsactie,
    openapi_extra=UPDATE.doc,
)
async def verwerkingsactie_update(
    actieId: uuid.UUID,  # noqa: N803
    data: s.VerwerkingsactieUpdate,
    ctx: Ctx = Depends(context(UPDATE)),
) -> Response:
    row = await _current(ctx, actieId, BIJWERKEN)
    _may_write(ctx, BIJWERKEN, row.vertrouwelijkheid, data.vertrouwelijkheid)
    known = {o.uuid for o in row.objecten}
    unknown = [
        str(o.verwerkt_object_id)
        for o in data.verwerkte_objecten
        if o.verwerkt_object_id not in known
    ]
    if unknown or len({o.verwerkt_object_id for o in data.verwerkte_objecten}) != len(
        data.verwerkte_objecten
    ):
        raise ValidationFailed.field(
            "verwerkteObjecten",
            "invalid",
            "Elk verwerkt object moet één keer voorkomen met het verwerktObjectId dat het bij "
            "het aanmaken kreeg.",
        )
    new = await service.replace(ctx.session, row, data.values(), _objecten(data))
    await ctx.session.flush()
    return json_response(render_actie(ctx, new, new.objecten))


@router.delete(
    f"/{ACTIES}/{{actieId}}",
    operation_id="verwerkingsactie_delete",
    tags=[ACTIES],
    status_code=204,
    openapi_extra=DELETE.doc,
)
async def verwerkingsactie_delete(
    actieId: uuid.UUID,  # noqa: N803
    ctx: Ctx = Depends(context(DELETE)),
) -> Response:
    row = await _current(ctx, actieId, VERWIJDEREN)
    await service.vervallen(ctx.session, row)
    return Response(status_code=204)


# --- verwerkte-objecten (read API) ---------------------------------------------------------------


def _object_uitgebreid(ctx: Ctx, obj: VerwerktObject, row: Verwerkingsactie) -> dict[str, Any]:
    body = render_object(ctx, obj)
    # the actie shows only the subject asked about: the inzage of one person never names another
    body["verwerkingsactie"] = render_actie(ctx, row, [obj], beperkt=True)
    return body


@router.get(
    f"/{OBJECTEN}",
    operation_id="verwerkte-objecten_list",
    tags=[OBJECTEN],
    response_model=Paginated[s.VerwerktObjectUitgebreid],
    openapi_extra=READ.doc,
)
async def verwerkte_objecten_list(
    filters: Annotated[s.ObjectFilter, Query()], ctx: Ctx = Depends(context(READ))
) -> Response:
    f = repository.Filter(
        filters.objecttype,
        filters.soort_object_id,
        filters.object_id,
        _levels(ctx, LEZEN),
        filters.begin_datum,
        filters.eind_datum,
        filters.verwerkingsactiviteit_id,
    )
    body = await paginate(
        ctx.session,
        repository.objecten_query(f),
        page=_page(ctx),
        page_size=ctx.settings.page_size,
        request=ctx.request,
        collection_url=ctx.urls.collection(API, OBJECTEN),
        render=lambda rows: [_object_uitgebreid(ctx, o, r) for o, r in rows],
        rows=True,
    )
    return json_response(body)


@router.get(
    f"/{OBJECTEN}/{{verwerktObjectId}}",
    operation_id="verwerktobject_read",
    tags=[OBJECTEN],
    response_model=s.VerwerktObjectUitgebreid,
    openapi_extra=READ.doc,
)
async def verwerktobject_read(
    verwerktObjectId: uuid.UUID,  # noqa: N803
    ctx: Ctx = Depends(context(READ)),
) -> Response:
    found = await repository.verwerkt_object(ctx.session, verwerktObjectId, _levels(ctx, LEZEN))
    if found is None:
        raise NotFound("Verwerkt object niet gevonden.")
    return json_response(_object_uitgebreid(ctx, *found))


def create_app() -> FastAPI:
    return register_app(
        title="Verwerkingenlogging API",
        version=VERSION,
        description=(
            "De Bewerking API (verwerkingsacties) en de Inzage API (verwerkte-objecten) voor "
            "logging van verwerkingen, 0.9.0. Alleen toevoegen: wijzigen en verwijderen voegen "
            "een nieuwe versie toe. Scopes van component `vrl`: " + ", ".join(SCOPES) + "."
        ),
        routers=[router],
    )
