"""Rules of ZaakEigenschap: the eigenschap belongs to the zaak's zaaktype (zrc-018) and the
waarde fits the eigenschap's specificatie (formaat, lengte, waardenverzameling; ztc-015)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak, ZaakEigenschap
from mijnzaken.zaken.schemas.zaakeigenschappen import ZaakEigenschapWrite
from mijnzaken.zaken.services import common

SCOPES = (common.UPDATE, common.FORCED_UPDATE)
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def _invalid(code: str, reason: str) -> ValidationFailed:
    return ValidationFailed.field("waarde", code, reason)


def _max_length(lengte: str) -> tuple[int, int | None] | None:
    """`lengte` as (total, decimals): "20" -> (20, None), "8,2" -> (8, 2); None if unreadable."""
    whole, _sep, decimals = lengte.replace(".", ",").partition(",")
    if not whole.strip().isdigit() or (decimals and not decimals.strip().isdigit()):
        return None
    return int(whole), int(decimals) if decimals else None


def check_waarde(specificatie: dict[str, Any], waarde: str) -> None:
    """The waarde as the eigenschap specifies it, or a 400 naming `waarde`.

    tekst: at most `lengte` characters; getal: a number of at most `lengte` digits (with
    "n,d": at most d decimals); datum: YYYYMMDD; datum_tijd: YYYYMMDDhhmmss (ztc-015); and one
    of the `waardenverzameling` when the eigenschap has one.
    """
    formaat = specificatie.get("formaat")
    limit = _max_length(str(specificatie.get("lengte", "")))
    if formaat == "tekst":
        if limit is not None and len(waarde) > limit[0]:
            raise _invalid("max_length", f"De waarde mag hoogstens {limit[0]} tekens hebben.")
    elif formaat == "getal":
        if not _NUMBER.match(waarde):
            raise _invalid("invalid", "De waarde moet een getal zijn.")
        try:
            number = Decimal(waarde.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already guards
            raise _invalid("invalid", "De waarde moet een getal zijn.") from exc
        digits = number.as_tuple()
        exponent = digits.exponent if isinstance(digits.exponent, int) else 0
        decimals = max(0, -exponent)
        if limit is not None:
            if len(digits.digits) > limit[0]:
                raise _invalid("max_length", f"Het getal mag hoogstens {limit[0]} cijfers hebben.")
            if limit[1] is not None and decimals > limit[1]:
                raise _invalid(
                    "max_length", f"Het getal mag hoogstens {limit[1]} decimalen hebben."
                )
    elif formaat == "datum":
        _parse(waarde, "%Y%m%d", 8, "Een datum wordt geschreven als JJJJMMDD.")
    elif formaat == "datum_tijd":
        _parse(waarde, "%Y%m%d%H%M%S", 14, "Een datum-tijd wordt geschreven als JJJJMMDDuummss.")
    choices = specificatie.get("waardenverzameling") or []
    if choices and waarde not in choices:
        raise _invalid("invalid_choice", "De waarde komt niet voor in de waardenverzameling.")


def _parse(waarde: str, fmt: str, length: int, reason: str) -> None:
    if len(waarde) != length or not waarde.isdigit():
        raise _invalid("invalid", reason)
    try:
        dt.datetime.strptime(waarde, fmt)
    except ValueError as exc:
        raise _invalid("invalid", reason) from exc


async def _checked(ctx: Ctx, zaak: Zaak, data: ZaakEigenschapWrite) -> int:
    """The eigenschap's id, after every rule of a new value holds."""
    if ctx.urls.parse(data.zaak, common.API, "zaken") != zaak.uuid:
        raise ValidationFailed.field(
            "zaak", "zaak-mismatch", "De zaak moet de zaak uit de URL van dit verzoek zijn."
        )
    eigenschap = await refs.by_url(
        ctx.session, ctx.urls, "eigenschappen", data.eigenschap, "eigenschap"
    )
    if eigenschap.zaaktype_id != zaak.zaaktype_id:  # zrc-018
        raise ValidationFailed.field(
            "eigenschap",
            "zaaktype-mismatch",
            "De eigenschap hoort niet bij het zaaktype van de zaak.",
        )
    check_waarde(eigenschap.specificatie or {}, data.waarde)
    eigenschap_id: int = eigenschap.id
    return eigenschap_id


async def create(ctx: Ctx, zaak: Zaak, data: ZaakEigenschapWrite) -> ZaakEigenschap:
    """Give the zaak a value for one of its zaaktype's eigenschappen."""
    await common.ensure_may_change(ctx, zaak, SCOPES)
    obj = ZaakEigenschap(
        zaak=zaak,
        zaak_id=zaak.id,
        eigenschap_id=await _checked(ctx, zaak, data),
        waarde=data.waarde,
    )
    ctx.session.add(obj)
    return obj


async def update(ctx: Ctx, obj: ZaakEigenschap, data: ZaakEigenschapWrite) -> ZaakEigenschap:
    """Replace the value (and, within the zaaktype, the eigenschap)."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    obj.eigenschap_id = await _checked(ctx, obj.zaak, data)
    obj.waarde = data.waarde
    return obj


async def delete(ctx: Ctx, obj: ZaakEigenschap) -> None:
    """Remove the value."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)
