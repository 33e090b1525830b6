"""Rules of ZaakContactMoment: a contactmoment of the Contactmomenten API linked to a zaak.

The URL is stored as given: this installation has no Contactmomenten API and makes no
outbound calls. zrc-025 (mirror the relation as an objectcontactmoment in the Contactmomenten
API) applies once that register is reachable; it belongs in `create` and `delete` here, in the
same transaction as the link for a register of our own.
"""

from __future__ import annotations

from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import ZaakContactMoment
from mijnzaken.zaken.schemas.zaakcontactmomenten import ZaakContactMomentWrite
from mijnzaken.zaken.services import common

SCOPES = (common.UPDATE,)


async def create(ctx: Ctx, data: ZaakContactMomentWrite) -> ZaakContactMoment:
    """Link a contactmoment to a zaak."""
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, SCOPES)
    obj = ZaakContactMoment(zaak=zaak, zaak_id=zaak.id, contactmoment=data.contactmoment)
    ctx.session.add(obj)
    return obj


async def delete(ctx: Ctx, obj: ZaakContactMoment) -> None:
    """Remove the link (the contactmoment itself is not touched)."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)
