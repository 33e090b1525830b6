"""/bestandsdelen/{uuid}: upload one part of a large document (multipart: `inhoud`, `lock`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx, context
from mijnzaken.documenten import opslag
from mijnzaken.documenten.api.common import API, UPDATE
from mijnzaken.documenten.schemas import BestandsDeelResponse
from mijnzaken.documenten.services import bestandsdelen as service

router = APIRouter(tags=["bestandsdelen"])


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    # the multipart parser has spooled the part to a temporary file; read it back in chunks
    while chunk := await upload.read(opslag.CHUNK):
        yield chunk


@router.put(
    "/bestandsdelen/{uuid}",
    operation_id="bestandsdeel_update",
    summary="Upload een bestandsdeel.",
    response_model=BestandsDeelResponse,
    openapi_extra=UPDATE.doc,
)
async def update(
    uuid: uuid.UUID,
    lock: Annotated[str, Form(min_length=1)],
    inhoud: Annotated[UploadFile | None, File()] = None,
    ctx: Ctx = Depends(context(UPDATE)),
) -> Response:
    if inhoud is None:
        raise ValidationFailed.field("inhoud", "required", "Dit veld is vereist.")
    deel = await service.upload_deel(ctx, uuid, lock, _chunks(inhoud))
    return json_response(
        {
            "url": ctx.urls.resource(API, "bestandsdelen", deel.uuid),
            "volgnummer": deel.volgnummer,
            "omvang": deel.omvang,
            "voltooid": deel.inhoud_key is not None,
            "lock": lock,  # the uploader's own lock, which it just sent
        }
    )
