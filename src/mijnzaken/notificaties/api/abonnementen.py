"""ABONNEMENT: list, create, read, update, partial update and delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import ConfigDict
from starlette.responses import Response

from mijnzaken.core.api import ApiModel, json_response, merge_patch, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import error_response
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.notificaties import service
from mijnzaken.notificaties.api.common import CONSUME, READ, render_abonnement
from mijnzaken.notificaties.schemas import Abonnement, AbonnementPatch, AbonnementWrite

router = APIRouter(tags=["abonnement"])
READ_DOC = security("notificaties.consumeren", "notificaties.publiceren")
WRITE_DOC = security("notificaties.consumeren")


class NoFilters(ApiModel):
    model_config = ConfigDict(extra="forbid")


@router.get(
    "/abonnement",
    operation_id="abonnement_list",
    summary="Alle ABONNEMENTen opvragen.",
    response_model=list[Abonnement],
    openapi_extra=READ_DOC,
)
async def abonnement_list(
    _filters: Annotated[NoFilters, Query()],
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(READ),
) -> Response:
    found = await service.list_abonnementen(session)
    return json_response([render_abonnement(a, urls) for a in found])


@router.post(
    "/abonnement",
    operation_id="abonnement_create",
    summary="Maak een ABONNEMENT aan.",
    status_code=201,
    response_model=Abonnement,
    openapi_extra=WRITE_DOC,
)
async def abonnement_create(
    data: AbonnementWrite,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(CONSUME),
) -> Response:
    abonnement = await service.create_abonnement(session, data.model_dump(), auth, runtime.settings)
    body = render_abonnement(abonnement, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    "/abonnement/{uuid}",
    operation_id="abonnement_read",
    summary="Een specifiek ABONNEMENT opvragen.",
    response_model=Abonnement,
    openapi_extra=READ_DOC,
)
async def abonnement_read(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(READ)
) -> Response:
    return json_response(render_abonnement(await service.get_abonnement(session, uuid), urls))


@router.put(
    "/abonnement/{uuid}",
    operation_id="abonnement_update",
    summary="Werk een ABONNEMENT in zijn geheel bij.",
    response_model=Abonnement,
    openapi_extra=WRITE_DOC,
)
async def abonnement_update(
    uuid: uuid.UUID,
    data: AbonnementWrite,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(CONSUME),
) -> Response:
    abonnement = await service.get_abonnement(session, uuid)
    abonnement = await service.update_abonnement(
        session, abonnement, data.model_dump(), auth, runtime.settings
    )
    return json_response(render_abonnement(abonnement, urls))


@router.patch(
    "/abonnement/{uuid}",
    operation_id="abonnement_partial_update",
    summary="Werk een ABONNEMENT deels bij.",
    response_model=Abonnement,
    openapi_extra=WRITE_DOC,
)
async def abonnement_partial_update(
    uuid: uuid.UUID,
    data: AbonnementPatch,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(CONSUME),
) -> Response:
    abonnement = await service.get_abonnement(session, uuid)
    merged = merge_patch(AbonnementWrite, service.writable(abonnement), data)
    abonnement = await service.update_abonnement(
        session, abonnement, merged.model_dump(), auth, runtime.settings
    )
    return json_response(render_abonnement(abonnement, urls))


@router.delete(
    "/abonnement/{uuid}",
    operation_id="abonnement_delete",
    summary="Verwijder een ABONNEMENT.",
    status_code=204,
    openapi_extra=WRITE_DOC,
)
async def abonnement_delete(
    uuid: uuid.UUID, session: Session, auth: AuthContext = Depends(CONSUME)
) -> Response:
    abonnement = await service.get_abonnement(session, uuid)
    try:
        await service.delete_abonnement(session, abonnement, auth)
    except service.AbonnementBezet as exc:
        return error_response(exc, {"Retry-After": str(exc.retry_after)})
    return Response(status_code=204)
