"""/maak-klantcontact: a klantcontact with its betrokkene and onderwerpobject in one request."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.responses import Response

from mijnzaken.core.api import json_response
from mijnzaken.core.resource import Ctx, context, emit
from mijnzaken.klantinteracties.api import betrokkenen, klantcontacten, onderwerpobjecten
from mijnzaken.klantinteracties.api.common import CREATE
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.services import klantcontact as service

router = APIRouter(tags=["maak-klantcontact"])


@router.post(
    "/maak-klantcontact",
    operation_id="maakKlantcontactCreate",
    summary="Maak een KlantContact, Betrokkene en een OnderwerpObject aan.",
    status_code=201,
    response_model=schemas.MaakKlantcontact,
    openapi_extra=CREATE.doc,
)
async def maak_klantcontact(
    data: schemas.MaakKlantcontactWrite, ctx: Ctx = Depends(context(CREATE))
) -> Response:
    """All three are stored in one transaction, or none; each change is announced and
    recorded as if made on its own resource."""
    klantcontact, betrokkene, onderwerpobject = await service.maak_klantcontact(ctx, data)
    await ctx.session.flush()
    body: dict[str, object] = {}
    for key, resource, module, obj in (
        ("klantcontact", klantcontacten.RESOURCE, klantcontacten, klantcontact),
        ("betrokkene", betrokkenen.RESOURCE, betrokkenen, betrokkene),
        ("onderwerpobject", onderwerpobjecten.RESOURCE, onderwerpobjecten, onderwerpobject),
    ):
        if obj is None:
            continue
        rendered = (await module.render(ctx, [obj]))[0]
        emit(ctx, resource, module.event(ctx, obj, rendered), "create", 201, None, rendered)
        body[key] = rendered
    return json_response(body, 201)
