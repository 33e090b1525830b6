"""Extension, not part of the standard: the operator's view of deliveries, with retry and
replay, under /notificaties/api/v1/beheer/ and the scope `notificaties.beheer`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from mijnzaken.core.api import json_response, security
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.db import iso
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.jobs import JobQueue
from mijnzaken.core.pagination import Paginated, paginate
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls
from mijnzaken.notificaties import beheer
from mijnzaken.notificaties.api.common import API, OPERATE, queue
from mijnzaken.notificaties.schemas import Aantal, Aflevering, AfleveringFilter, Opnieuw, Status

router = APIRouter(prefix="/beheer", tags=["beheer (extensie)"])
DOC = {**security("notificaties.beheer"), "x-extensie": True}
COLLECTION = "beheer/afleveringen"


def _abonnement_uuid(urls: Urls, value: str | None, field: str) -> uuid.UUID | None:
    if value is None:
        return None
    ident = urls.parse(value, API, "abonnement")
    if ident is None:
        try:
            ident = uuid.UUID(value)
        except ValueError:
            raise ValidationFailed.field(
                field, "no_match", "Geef de URL of de UUID van een abonnement."
            ) from None
    return ident


def _abonnement_url(urls: Urls, ident: uuid.UUID | None) -> str | None:
    return urls.resource(API, "abonnement", ident) if ident else None


@router.get(
    "/status",
    operation_id="beheer_status",
    summary="Wachtrij: aantal wachtend en geparkeerd, oudste wachtende, falende abonnementen.",
    response_model=Status,
    openapi_extra=DOC,
)
async def beheer_status(
    session: Session,
    urls: UrlsDep,
    jobs: JobQueue = Depends(queue),
    _auth: AuthContext = Depends(OPERATE),
) -> Response:
    state = await beheer.status(session, jobs)
    return json_response(
        {
            "wachtend": state.pending,
            "geparkeerd": state.parked,
            "oudsteWachtend": iso(state.oldest_pending),
            "wachttijdSeconden": round(state.oldest_age, 3) if state.oldest_pending else None,
            "falendeAbonnementen": [
                {
                    "abonnement": _abonnement_url(urls, f.abonnement),
                    "callbackUrl": f.callback_url,
                    "wachtend": f.waiting,
                    "sinds": iso(f.since),
                    "laatsteFout": f.last_error,
                }
                for f in state.failing
            ],
        }
    )


@router.get(
    "/afleveringen",
    operation_id="beheer_aflevering_list",
    summary="Afleveringen van notificaties, te filteren op status en abonnement.",
    response_model=Paginated[Aflevering],
    openapi_extra=DOC,
)
async def aflevering_list(
    request: Request,
    filters: Annotated[AfleveringFilter, Query()],
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    _auth: AuthContext = Depends(OPERATE),
) -> Response:
    state = beheer.STATES_BY_NAME[filters.status] if filters.status else None
    ident = _abonnement_uuid(urls, filters.abonnement, "abonnement")
    stmt = beheer.deliveries(state, await beheer.abonnement_id(session, ident))

    def render_page(rows: Sequence[Any]) -> list[dict[str, Any]]:
        return [
            beheer.render_delivery(
                d, n, _abonnement_url(urls, a), urls.resource(API, COLLECTION, d.uuid)
            )
            for d, n, a in rows
        ]

    body = await paginate(
        session,
        stmt,
        page=filters.page,
        page_size=runtime.settings.page_size,
        request=request,
        collection_url=urls.collection(API, COLLECTION),
        render=render_page,
        rows=True,
    )
    return json_response(body)


@router.get(
    "/afleveringen/{uuid}",
    operation_id="beheer_aflevering_read",
    summary="Een aflevering met al haar pogingen (tijdstip, status, fout, duur).",
    response_model=Aflevering,
    openapi_extra=DOC,
)
async def aflevering_read(
    uuid: uuid.UUID, session: Session, urls: UrlsDep, _auth: AuthContext = Depends(OPERATE)
) -> Response:
    d, n, a, attempts = await beheer.delivery(session, uuid)
    url = urls.resource(API, COLLECTION, d.uuid)
    return json_response(beheer.render_delivery(d, n, _abonnement_url(urls, a), url, attempts))


@router.post(
    "/afleveringen/{uuid}/opnieuw",
    operation_id="beheer_aflevering_opnieuw",
    summary="Bied één aflevering nu opnieuw aan (geparkeerd, wachtend of al afgeleverd).",
    response_model=Aflevering,
    openapi_extra=DOC,
)
async def aflevering_opnieuw(
    uuid: uuid.UUID,
    session: Session,
    urls: UrlsDep,
    jobs: JobQueue = Depends(queue),
    _auth: AuthContext = Depends(OPERATE),
) -> Response:
    d, _n, _a, _attempts = await beheer.delivery(session, uuid)
    await beheer.requeue(session, jobs, state=d.state, delivery=uuid)
    session.expire_all()
    d, n, a, attempts = await beheer.delivery(session, uuid)
    url = urls.resource(API, COLLECTION, d.uuid)
    return json_response(beheer.render_delivery(d, n, _abonnement_url(urls, a), url, attempts))


@router.post(
    "/opnieuw",
    operation_id="beheer_opnieuw",
    summary=(
        "Bied afleveringen opnieuw aan: geparkeerde (standaard) of al afgeleverde (opnieuw "
        "afspelen), eventueel van één abonnement, één notificatie of vanaf een tijdstip."
    ),
    response_model=Aantal,
    openapi_extra=DOC,
)
async def opnieuw(
    data: Opnieuw,
    session: Session,
    urls: UrlsDep,
    jobs: JobQueue = Depends(queue),
    _auth: AuthContext = Depends(OPERATE),
) -> Response:
    notificatie = None
    if data.notificatie:
        try:
            notificatie = uuid.UUID(data.notificatie)
        except ValueError:
            raise ValidationFailed.field(
                "notificatie", "invalid", "Geef de UUID van een notificatie."
            ) from None
    count = await beheer.requeue(
        session,
        jobs,
        state=beheer.STATES_BY_NAME[data.status],
        abonnement=_abonnement_uuid(urls, data.abonnement, "abonnement"),
        notificatie=notificatie,
        since=data.sinds,
    )
    return json_response({"aantal": count})
