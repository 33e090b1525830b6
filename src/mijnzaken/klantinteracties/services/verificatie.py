"""Verifying a digital address with a one-time code (extension).

A code is six random digits, sent to the address as an outgoing message (berichten) queued in
the same transaction; only a salted PBKDF2 hash is stored. A code expires after
MIJNZAKEN_VERIFICATIE_GELDIGHEID seconds and is void after MIJNZAKEN_VERIFICATIE_MAX_POGINGEN
wrong tries; at most MIJNZAKEN_VERIFICATIE_MAX_PER_UUR codes go to one address per hour. A new
code voids the previous one; a changed address voids every code sent to the old value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update

from mijnzaken.berichten import service as berichten
from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, TooManyRequests, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import DigitaalAdres, Verificatie
from mijnzaken.klantinteracties.services import adres as adres_service
from mijnzaken.klantinteracties.services import common

KANAAL = {"email": "email", "telefoonnummer": "sms"}
ITERATIONS = 100_000


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), ITERATIONS).hex()


@dataclass(frozen=True)
class Verzonden:
    verloopt_op: dt.datetime
    pogingen_over: int


async def start(ctx: Ctx, adres: DigitaalAdres) -> Verzonden:
    """Send a new code to `adres` (429 when too many were sent this hour)."""
    kanaal = KANAAL.get(adres.soort_digitaal_adres)
    if kanaal is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    "soortDigitaalAdres",
                    "invalid",
                    "Alleen een e-mailadres of telefoonnummer kan worden geverifieerd.",
                )
            ]
        )
    now = clock.now()
    sent = select(func.count()).where(
        Verificatie.digitaal_adres_id == adres.id,
        Verificatie.aangemaakt_op > now - dt.timedelta(hours=1),
    )
    if (await ctx.session.execute(sent)).scalar_one() >= ctx.settings.verificatie_max_per_uur:
        raise TooManyRequests(
            "Er zijn het afgelopen uur te veel codes naar dit adres gestuurd; probeer het later."
        )
    await ctx.session.execute(  # a new code voids the open ones
        update(Verificatie)
        .where(Verificatie.digitaal_adres_id == adres.id, Verificatie.bevestigd_op.is_(None))
        .values(verloopt_op=now)
    )
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    verloopt = now + dt.timedelta(seconds=ctx.settings.verificatie_geldigheid)
    ctx.session.add(
        Verificatie(
            digitaal_adres_id=adres.id,
            adres=adres.adres,
            code_hash=_hash(code, salt),
            salt=salt,
            aangemaakt_op=now,
            verloopt_op=verloopt,
            pogingen=0,
        )
    )
    minuten = max(1, ctx.settings.verificatie_geldigheid // 60)
    berichten.queue(
        ctx.session,
        kanaal="email" if kanaal == "email" else "sms",
        ontvanger=adres.adres,
        onderwerp="Uw verificatiecode",
        tekst=f"Uw verificatiecode is {code}. De code is {minuten} minuten geldig. "
        "Heeft u deze code niet aangevraagd? Dan kunt u dit bericht negeren.",
        bron="klantinteracties.verificatie",
        referentie=common.url(ctx, "digitaleadressen", adres.uuid),
    )
    return Verzonden(verloopt, ctx.settings.verificatie_max_pogingen)


def _fout(code: str, reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam("code", code, reason)])


async def bevestig(ctx: Ctx, adres: DigitaalAdres, code: str) -> ValidationFailed | None:
    """Check `code` against the open code of `adres`; on success the address is verified.

    A wrong code is counted, so the caller must keep this transaction even when it answers
    with the returned error (it returns the error instead of raising it for that reason).
    """
    stmt = (
        select(Verificatie)
        .where(Verificatie.digitaal_adres_id == adres.id, Verificatie.bevestigd_op.is_(None))
        .order_by(Verificatie.id.desc())
        .limit(1)
        .with_for_update()
    )
    open_code = (await ctx.session.execute(stmt)).scalar_one_or_none()
    now = clock.now()
    if open_code is None or open_code.adres != adres.adres:
        return _fout("geen-code", "Er is geen code verstuurd naar dit adres; vraag een code aan.")
    if open_code.verloopt_op <= now:
        return _fout("verlopen", "De code is verlopen; vraag een nieuwe code aan.")
    maximum = ctx.settings.verificatie_max_pogingen
    if open_code.pogingen >= maximum:
        return _fout("te-veel-pogingen", "De code is te vaak fout ingevoerd; vraag een nieuwe aan.")
    if not hmac.compare_digest(_hash(code.strip(), open_code.salt), open_code.code_hash):
        open_code.pogingen += 1
        over = maximum - open_code.pogingen
        if over <= 0:
            return _fout(
                "te-veel-pogingen", "De code is te vaak fout ingevoerd; vraag een nieuwe aan."
            )
        return _fout("ongeldige-code", f"De code klopt niet; nog {over} poging(en).")
    open_code.bevestigd_op = now
    adres_service.mark_verified(adres)
    return None
