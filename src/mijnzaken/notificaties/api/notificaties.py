"""POST /notificaties: an external component publishes a message, routed to the abonnementen."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from mijnzaken.core.api import json_response, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.jobs import JobQueue
from mijnzaken.core.runtime import Session
from mijnzaken.notificaties import service
from mijnzaken.notificaties.api.common import PUBLISH, queue
from mijnzaken.notificaties.schemas import Message

router = APIRouter(tags=["notificaties"])


@router.post(
    "/notificaties",
    operation_id="notificaties_create",
    summary="Publiceer een notificatie.",
    status_code=200,
    response_model=Message,
    openapi_extra=security("notificaties.publiceren"),
)
async def notificaties_create(
    data: Message,
    session: Session,
    jobs: JobQueue = Depends(queue),
    auth: AuthContext = Depends(PUBLISH),
) -> Response:
    message = data.as_sent()
    await service.publish(session, jobs, message, auth)
    return json_response(message)
