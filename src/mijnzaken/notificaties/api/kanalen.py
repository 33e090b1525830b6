"""KANAAL: list (with the `naam` filter), create and read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from mijnzaken.core.api import json_response, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.runtime import Session, UrlsDep
from mijnzaken.notificaties import service
from mijnzaken.notificaties.api.common import PUBLISH, READ, render_kanaal
from mijnzaken.notificaties.schemas import Kanaal, KanaalFilter, KanaalWrite

router = APIRouter(tags=["kanaal"])


@router.get(
    "/kanaal",
    operation_id="kanaal_list",
    summary="Alle KANAALen opvragen.",
    response_model=list[Kanaal],
    openapi_extra=security("notificaties.publiceren", "notificaties.consumeren"),
)
async def kanaal_list(
    filters: Annotated[KanaalFilter, Query()],
    session: Session,
    urls: UrlsDep,
    _auth: AuthContext = Depends(READ),
) -> Response:
    found = await service.list_kanalen(session, filters.naam)
    return json_response([render_kanaal(k, urls) for k in found])


@router.post(
    "/kanaal",
    operation_id="kanaal_create",
    summary="Maak een KANAAL aan.",
    status_code=201,
    response_model=Kanaal,
    openapi_extra=security("notificaties.publiceren"),
)
async def kanaal_create(
    data: KanaalWrite, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(PUBLISH)
) -> Response:
    kanaal = await service.create_kanaal(session, data.model_dump())
    body = render_kanaal(kanaal, urls)
    return json_response(body, 201, {"Location": body["url"]})


@router.get(
    "/kanaal/{uuid}",
    operation_id="kanaal_read",
    summary="Een specifiek KANAAL opvragen.",
    response_model=Kanaal,
    openapi_extra=security("notificaties.publiceren", "notificaties.consumeren"),
)
async def kanaal_read(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(READ)
) -> Response:
    return json_response(render_kanaal(await service.get_kanaal(session, uuid), urls))
