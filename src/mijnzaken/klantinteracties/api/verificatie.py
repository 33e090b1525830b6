"""Extension (not in the Klantinteracties standard), documented in
schema/extensie/openapi.yaml: verifying a digital address with a one-time code.

POST /digitaleadressen/{uuid}/verificatie sends a code to the address; POST
/digitaleadressen/{uuid}/verificatie/bevestigen with `{"code": "123456"}` checks it and sets
the address's `verificatieDatum`. See services/verificatie.py for expiry and limits.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.db import iso
from mijnzaken.core.errors import error_response
from mijnzaken.core.resource import Ctx, context, emit
from mijnzaken.klantinteracties.api import digitaleadressen
from mijnzaken.klantinteracties.api.common import VERIFY
from mijnzaken.klantinteracties.models import DigitaalAdres
from mijnzaken.klantinteracties.schemas import adres as adres_schemas
from mijnzaken.klantinteracties.schemas import voorkeur as schemas
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import verificatie as service

router = APIRouter(tags=["verificatie (extensie)"])


@router.post(
    "/digitaleadressen/{uuid}/verificatie",
    operation_id="digitaleadressenVerificatieCreate",
    summary="Stuur een verificatiecode naar een digitaal adres.",
    status_code=201,
    response_model=schemas.Verificatieverzoek,
    openapi_extra=VERIFY.doc,
)
async def verificatie_starten(uuid: uuid.UUID, ctx: Ctx = Depends(context(VERIFY))) -> Response:
    """Queue a message with a new code to the address (e-mail or SMS)."""
    adres = await common.get(ctx.session, DigitaalAdres, uuid)
    verzonden = await service.start(ctx, adres)
    return json_response(
        {"verlooptOp": iso(verzonden.verloopt_op), "pogingenOver": verzonden.pogingen_over}, 201
    )


@router.post(
    "/digitaleadressen/{uuid}/verificatie/bevestigen",
    operation_id="digitaleadressenVerificatieBevestigen",
    summary="Bevestig een digitaal adres met de ontvangen code.",
    response_model=adres_schemas.DigitaalAdres,
    openapi_extra=VERIFY.doc,
)
async def verificatie_bevestigen(
    uuid: uuid.UUID, data: schemas.VerificatieCode, ctx: Ctx = Depends(context(VERIFY))
) -> Response:
    """200 with the verified address; 400 (code `ongeldige-code`, `verlopen`,
    `te-veel-pogingen` or `geen-code`) otherwise. A wrong try is counted: the 400 is answered
    without rolling back."""
    adres = await common.get(ctx.session, DigitaalAdres, uuid)
    old = (await digitaleadressen.render(ctx, [adres]))[0]
    fout = await service.bevestig(ctx, adres, data.code)
    if fout is not None:
        return error_response(fout)
    await ctx.session.flush()
    new = (await digitaleadressen.render(ctx, [adres]))[0]
    event = digitaleadressen.event(ctx, adres, new)
    emit(ctx, digitaleadressen.RESOURCE, event, "partial_update", 200, old, new)
    return json_response(new)
