"""The resultaat of a zaak: one per zaak, of a resultaattype of the zaak's zaaktype (zrc-020),
changed only while the zaak is open unless forced (zrc-007)."""

from __future__ import annotations

from typing import Any

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Resultaat, Zaak
from mijnzaken.zaken.repository import resultaat as repo
from mijnzaken.zaken.schemas.resultaat import ResultaatWrite
from mijnzaken.zaken.services import common

CHANGE = (common.UPDATE, common.FORCED_UPDATE)
IMMUTABLE = "wijzigen-niet-toegelaten"


async def _resultaattype(ctx: Ctx, zaak: Zaak, url: str) -> Any:
    """The resultaattype `url` names, which must belong to the zaak's zaaktype (zrc-020)."""
    resultaattype = await refs.by_url(ctx.session, ctx.urls, "resultaattypen", url, "resultaattype")
    if resultaattype.zaaktype_id != zaak.zaaktype_id:
        raise ValidationFailed.field(
            "resultaattype",
            "zaaktype-mismatch",
            "Het resultaattype hoort niet bij het zaaktype van de zaak.",
        )
    return resultaattype


async def create(ctx: Ctx, data: ResultaatWrite) -> Resultaat:
    """Give a zaak its resultaat."""
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, CHANGE)
    resultaattype = await _resultaattype(ctx, zaak, data.resultaattype)
    if await repo.of_zaak(ctx.session, zaak.id) is not None:
        raise ValidationFailed.field("zaak", "unique", "De zaak heeft al een resultaat.")
    obj = Resultaat(
        zaak=zaak,
        zaak_id=zaak.id,
        resultaattype_id=resultaattype.id,
        toelichting=data.toelichting,
    )
    ctx.session.add(obj)
    return obj


async def update(ctx: Ctx, obj: Resultaat, data: ResultaatWrite) -> Resultaat:
    """Change the toelichting. The resultaattype may not change (as the spec says), and a
    resultaat does not move to another zaak."""
    zaak = obj.zaak
    await common.ensure_may_change(ctx, zaak, CHANGE)
    if ctx.urls.reference(data.zaak, common.API, "zaken", "zaak") != zaak.uuid:
        raise ValidationFailed.field(
            "zaak", IMMUTABLE, "De zaak van een resultaat kan niet gewijzigd worden."
        )
    if (await _resultaattype(ctx, zaak, data.resultaattype)).id != obj.resultaattype_id:
        raise ValidationFailed.field(
            "resultaattype", IMMUTABLE, "Het resultaattype kan niet gewijzigd worden."
        )
    obj.toelichting = data.toelichting
    return obj


async def delete(ctx: Ctx, obj: Resultaat) -> None:
    """Remove the resultaat of a zaak."""
    await common.ensure_may_change(ctx, obj.zaak, CHANGE)
    await ctx.session.delete(obj)
