"""Rules of ZaakBesluit.

In the standard the Besluiten register keeps this relation: when a besluit names a zaak, the
Besluiten API creates the ZaakBesluit here (and removes it with the besluit). This
installation has no Besluiten register yet, so a client links a besluit by URL and it is
stored as given; once the register exists it will use these same functions.
"""

from __future__ import annotations

from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak, ZaakBesluit
from mijnzaken.zaken.schemas.zaakbesluiten import ZaakBesluitWrite
from mijnzaken.zaken.services import common

SCOPES = (common.UPDATE,)


async def create(ctx: Ctx, zaak: Zaak, data: ZaakBesluitWrite) -> ZaakBesluit:
    """Record that a besluit was taken on the zaak."""
    await common.ensure_may_change(ctx, zaak, SCOPES)
    obj = ZaakBesluit(zaak=zaak, zaak_id=zaak.id, besluit=data.besluit)
    ctx.session.add(obj)
    return obj


async def delete(ctx: Ctx, obj: ZaakBesluit) -> None:
    """Remove the relation (the besluit itself is not touched)."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)
