"""The Autorisaties API (ZGW Autorisaties 1.1.0), mounted at /autorisaties/api/v1/."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from pydantic.alias_generators import to_camel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from mijnzaken.autorisaties import repository, service
from mijnzaken.autorisaties.models import Applicatie
from mijnzaken.autorisaties.schemas import (
    Applicatie as ApplicatieOut,
)
from mijnzaken.autorisaties.schemas import (
    ApplicatieFilter,
    ApplicatiePatch,
    ApplicatieWrite,
    ConsumerFilter,
)
from mijnzaken.core.api import json_response, merge_patch, register_app, security
from mijnzaken.core.auth import AuthContext, require
from mijnzaken.core.outbox import notify
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

VERSION = "1.1.0"
API = "autorisaties"
COLLECTION = "applicaties"
READ = require(("ac", "autorisaties.lezen"))
WRITE = require(("ac", "autorisaties.bijwerken"))

COMPONENT_WEERGAVE = {
    "ac": "Autorisaties API",
    "nrc": "Notificaties API",
    "zrc": "Zaken API",
    "ztc": "Catalogi API",
    "drc": "Documenten API",
    "brc": "Besluiten API",
    "kic": "Klantinteracties API",  # extension: not in the standard's enumeration
    "vrl": "Verwerkingenlogging API",  # extension: not in the standard's enumeration
}

router = APIRouter(tags=["applicaties"])


def render(a: Applicatie, urls: Urls) -> dict[str, Any]:
    autorisaties = []
    for aut in a.autorisaties:
        item: dict[str, Any] = {
            "component": aut.component,
            "componentWeergave": COMPONENT_WEERGAVE.get(aut.component, aut.component),
            "scopes": aut.scopes,
        }
        fields = {
            "zrc": ("zaaktype", "max_vertrouwelijkheidaanduiding"),
            "drc": ("informatieobjecttype", "max_vertrouwelijkheidaanduiding"),
            "brc": ("besluittype",),
        }.get(aut.component, ())
        for name in fields:
            value = getattr(aut, name)
            if value:  # an unset limit is left out, not sent as an empty string
                item[to_camel(name)] = value
        autorisaties.append(item)
    return {
        "url": urls.resource(API, COLLECTION, a.uuid),
        "clientIds": [c.client_id for c in a.client_ids],
        "label": a.label,
        "heeftAlleAutorisaties": a.heeft_alle_autorisaties,
        "autorisaties": autorisaties,
        "alleenIsGereedVoorPublicatie": a.alleen_is_gereed_voor_publicatie,
    }


def _notify(session: AsyncSession, body: dict[str, Any], actie: str) -> None:
    notify(
        session,
        kanaal="autorisaties",
        hoofd_object=body["url"],
        resource="applicatie",
        resource_url=body["url"],
        actie=actie,
    )


@router.get(
    f"/{COLLECTION}",
    operation_id="applicatie_list",
    summary="Geef een collectie van applicaties, met ingesloten autorisaties.",
    response_model=Paginated[ApplicatieOut],
    openapi_extra=security("autorisaties.lezen"),
)
async def applicatie_list(
    request: Request,
    filters: Annotated[ApplicatieFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    _auth: AuthContext = Depends(READ),
) -> Response:
    def render_page(items: Sequence[Applicatie]) -> list[dict[str, Any]]:
        return [render(a, urls) for a in items]

    body = await paginate(
        session,
        repository.list_stmt(client_id=filters.client_ids),
        page=filters.page,
        page_size=runtime.settings.page_size,
        request=request,
        collection_url=urls.collection(API, COLLECTION),
        render=render_page,
    )
    return json_response(body)


@router.post(
    f"/{COLLECTION}",
    operation_id="applicatie_create",
    summary="Registreer een applicatie met een of meer client ids en autorisaties.",
    status_code=201,
    response_model=ApplicatieOut,
    openapi_extra=security("autorisaties.bijwerken"),
)
async def applicatie_create(
    data: ApplicatieWrite, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(WRITE)
) -> Response:
    applicatie = await service.create(session, data.model_dump())
    body = render(applicatie, urls)
    _notify(session, body, "create")
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    f"/{COLLECTION}/consumer",
    operation_id="applicatie_consumer",
    summary="Vraag een applicatie op, op basis van een client_id.",
    response_model=ApplicatieOut,
    openapi_extra=security("autorisaties.lezen"),
)
async def applicatie_consumer(
    filters: Annotated[ConsumerFilter, Query()],
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(READ),
) -> Response:
    return json_response(render(await service.get_by_client_id(session, filters.client_id), urls))


@router.get(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="applicatie_read",
    summary="Vraag een applicatie op, met de geldende autorisaties.",
    response_model=ApplicatieOut,
    openapi_extra=security("autorisaties.lezen"),
)
async def applicatie_read(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(READ)
) -> Response:
    return json_response(render(await service.get(session, uuid), urls))


@router.put(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="applicatie_update",
    summary="Werk de applicatie bij.",
    response_model=ApplicatieOut,
    openapi_extra=security("autorisaties.bijwerken"),
)
async def applicatie_update(
    uuid: uuid.UUID,
    data: ApplicatieWrite,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(WRITE),
) -> Response:
    applicatie = await service.update(session, await service.get(session, uuid), data.model_dump())
    body = render(applicatie, urls)
    _notify(session, body, "update")
    return json_response(body)


@router.patch(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="applicatie_partial_update",
    summary="Werk (een deel van) de applicatie bij.",
    response_model=ApplicatieOut,
    openapi_extra=security("autorisaties.bijwerken"),
)
async def applicatie_partial_update(
    uuid: uuid.UUID,
    data: ApplicatiePatch,
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(WRITE),
) -> Response:
    applicatie = await service.get(session, uuid)
    merged = merge_patch(ApplicatieWrite, render(applicatie, urls), data)
    applicatie = await service.update(session, applicatie, merged.model_dump())
    body = render(applicatie, urls)
    _notify(session, body, "partial_update")
    return json_response(body)


@router.delete(
    f"/{COLLECTION}/{{uuid}}",
    operation_id="applicatie_delete",
    summary="Verwijder een applicatie met de bijhorende autorisaties.",
    status_code=204,
    openapi_extra=security("autorisaties.bijwerken"),
)
async def applicatie_delete(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(WRITE)
) -> Response:
    applicatie = await service.get(session, uuid)
    body = render(applicatie, urls)
    await service.delete(session, applicatie)
    _notify(session, body, "destroy")
    return Response(status_code=204)


def create_app() -> FastAPI:
    return register_app(
        title="Autorisaties API",
        version=VERSION,
        description="Applicaties met hun client ids en autorisaties, voor alle registers.",
        routers=[router],
    )
