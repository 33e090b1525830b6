"""Rules of ZaakVerzoek: a verzoek of the Verzoeken API linked to a zaak.

The URL is stored as given: this installation has no Verzoeken API and makes no outbound calls.
zrc-024 (mirror the relation as an objectverzoek in the Verzoeken API) applies once that
register is reachable; it belongs in `create` and `delete` here, in the same transaction as
the link for a register of our own.
"""

from __future__ import annotations

from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import ZaakVerzoek
from mijnzaken.zaken.schemas.zaakverzoeken import ZaakVerzoekWrite
from mijnzaken.zaken.services import common

SCOPES = (common.UPDATE,)


async def create(ctx: Ctx, data: ZaakVerzoekWrite) -> ZaakVerzoek:
    """Link a verzoek to a zaak."""
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, SCOPES)
    obj = ZaakVerzoek(zaak=zaak, zaak_id=zaak.id, verzoek=data.verzoek)
    ctx.session.add(obj)
    return obj


async def delete(ctx: Ctx, obj: ZaakVerzoek) -> None:
    """Remove the link (the verzoek itself is not touched)."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)
