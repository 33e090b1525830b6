"""The changes a citizen makes to their own contact data and channel preferences, through the
customer register's rules (address checks, one-time codes, preference resolution).

Only the subject themselves may change these: a representative's mandate covers services,
not the contact data of the person represented, and a business login has no such form here.
Nothing is changed when the customer register is remote (ADR 12, addendum): the portal reads
it, the register's own channels change it.
A refused or failed change raises `Wijziging` with a Dutch message for the citizen (it never
repeats a BSN). Each change is written to the processing log through the service's `_log`.
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any

from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock
from mijnzaken.core.errors import TooManyRequests, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantbeeld import service
from mijnzaken.klantbeeld.identiteit import Kijker, Onderwerp
from mijnzaken.klantinteracties.services import inwoner
from mijnzaken.klantinteracties.services import verificatie as verificatie_service

KANALEN_ZONDER_ADRES = ("post", "berichtenbox", "geen")
# e-mail addresses and phone numbers one person may hold: with the hourly limit per address,
# this bounds the codes one login can have sent to addresses that are not theirs
MAX_ADRESSEN = 10
SOORT_VOOR_KANAAL = {"email": "email", "sms": "telefoonnummer"}
# a remote customer register (MIJNZAKEN_KLANTBEELD_KLANTINTERACTIES_API_URL) is read only
KLANTREGISTER_ELDERS = (
    "Uw contactgegevens kunt u hier alleen inzien, niet wijzigen. Wilt u iets wijzigen, neem "
    "dan contact op met de gemeente."
)

# the codes of the verification service, in the words the citizen reads
CODE_FOUTEN = {
    "verlopen": "De code is verlopen. Vraag hieronder een nieuwe code aan.",
    "te-veel-pogingen": "De code is te vaak verkeerd ingevoerd. Vraag hieronder een nieuwe "
    "code aan.",
    "geen-code": "Er is nog geen code verstuurd naar dit adres. Vraag hieronder een code aan.",
}


class Wijziging(Exception):
    """A change that cannot be made, with the message the citizen reads."""

    def __init__(self, melding: str, veld: str = "") -> None:
        self.melding = melding
        self.veld = veld
        super().__init__(melding)


class NietGevonden(Exception):
    """The address is not the subject's (or does not exist): the caller cannot tell which."""


@dataclass(frozen=True)
class CodeVerstuurd:
    adres: uuid_lib.UUID


def _eigen(ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker) -> None:
    if kijker.machtiging is not None or kijker.toegang is not None or onderwerp.soort != "bsn":
        raise Wijziging("U kunt deze gegevens hier niet wijzigen.")
    if ctx.settings.klantbeeld_klantinteracties_api_url:
        # the customer register is another installation's: read here, changed there
        raise Wijziging(KLANTREGISTER_ELDERS)


def _adres_fout(soort: str, exc: ValidationFailed) -> Wijziging:
    if exc.params and exc.params[0].code == "max_length":
        return Wijziging(exc.params[0].reason, veld="adres")
    if soort == "email":
        return Wijziging(
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.", veld="adres"
        )
    reason = exc.params[0].reason if exc.params else "Vul een geldig telefoonnummer in."
    return Wijziging(reason, veld="adres")


async def _log(ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, activiteit: str) -> None:
    verwerking = service.Verwerking(activiteit, onderwerp, kijker, clock.now(), ["sectie:gegevens"])
    await service._log(ctx.session, verwerking)


async def _stuur(ctx: Ctx, adres: Any) -> None:
    try:
        await verificatie_service.start(ctx, adres)
    except TooManyRequests as exc:
        raise Wijziging(
            "Er zijn het afgelopen uur te veel codes naar dit adres gestuurd. Probeer het later "
            "opnieuw."
        ) from exc


async def adres_toevoegen(
    ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, soort: str, waarde: str
) -> CodeVerstuurd:
    """Add an e-mail address or phone number and send it a one-time code."""
    _eigen(ctx, onderwerp, kijker)
    if soort not in SOORT_VOOR_KANAAL.values():
        raise Wijziging("Kies een e-mailadres of een telefoonnummer.", veld="soort")
    if not waarde.strip():
        raise Wijziging("Vul het adres of nummer in.", veld="adres")
    klant = await inwoner.klant(ctx.session, onderwerp.nummer)
    bekend = {a.adres for a in klant.adressen} if klant is not None else set()
    if len(bekend) >= MAX_ADRESSEN and waarde.strip() not in bekend:
        raise Wijziging(
            f"U kunt niet meer dan {MAX_ADRESSEN} e-mailadressen en telefoonnummers opgeven. "
            "Wijzig een adres dat u niet meer gebruikt.",
            veld="adres",
        )
    try:
        adres = await inwoner.adres_toevoegen(ctx, onderwerp.nummer, soort, waarde)
    except ValidationFailed as exc:
        raise _adres_fout(soort, exc) from exc
    await _log(ctx, onderwerp, kijker, "contactgegeven toevoegen")
    if adres.verificatie_datum is None:
        await _stuur(ctx, adres)
    return CodeVerstuurd(adres.uuid)


async def adres_wijzigen(
    ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, ident: uuid_lib.UUID, waarde: str
) -> CodeVerstuurd:
    """Give an address a new value; it must be confirmed again, so a code goes to it."""
    _eigen(ctx, onderwerp, kijker)
    adres = await inwoner.eigen_adres(ctx.session, onderwerp.nummer, ident)
    if adres is None:
        raise NietGevonden()
    if not waarde.strip():
        raise Wijziging("Vul het adres of nummer in.", veld="adres")
    try:
        await inwoner.adres_wijzigen(ctx, adres, waarde)
    except ValidationFailed as exc:
        raise _adres_fout(adres.soort_digitaal_adres, exc) from exc
    await _log(ctx, onderwerp, kijker, "contactgegeven wijzigen")
    if adres.verificatie_datum is None:
        try:
            await _stuur(ctx, adres)
        except Wijziging as exc:
            raise Wijziging(
                "Uw nieuwe adres is opgeslagen, maar er zijn het afgelopen uur te veel codes "
                "naar verstuurd. Vraag later een code aan om het te bevestigen."
            ) from exc
    return CodeVerstuurd(adres.uuid)


async def code_sturen(
    ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, ident: uuid_lib.UUID
) -> CodeVerstuurd:
    """Send a new one-time code to an address of the subject (the previous one is void)."""
    _eigen(ctx, onderwerp, kijker)
    adres = await inwoner.eigen_adres(ctx.session, onderwerp.nummer, ident)
    if adres is None:
        raise NietGevonden()
    await _stuur(ctx, adres)
    return CodeVerstuurd(adres.uuid)


async def code_bevestigen(
    ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, ident: uuid_lib.UUID, code: str
) -> str | None:
    """Check a one-time code; None when the address is now confirmed, else the message for
    the citizen. A wrong try is counted: the caller keeps (commits) this transaction."""
    _eigen(ctx, onderwerp, kijker)
    adres = await inwoner.eigen_adres(ctx.session, onderwerp.nummer, ident)
    if adres is None:
        raise NietGevonden()
    code = code.strip()
    if not (len(code) == 6 and code.isdigit()):
        return "Vul de code van 6 cijfers in die u heeft ontvangen."
    fout = await verificatie_service.bevestig(ctx, adres, code)
    if fout is None:
        await _log(ctx, onderwerp, kijker, "contactgegeven bevestigen")
        return None
    param = fout.params[0]
    if param.code in CODE_FOUTEN:
        return CODE_FOUTEN[param.code]
    over = re.search(r"\d+", param.reason)
    if over is None:
        return "De code klopt niet."
    keer = "1 keer" if over.group() == "1" else f"{over.group()} keer"
    return f"De code klopt niet. U kunt het nog {keer} proberen."


async def voorkeur_zetten(
    ctx: Ctx, onderwerp: Onderwerp, kijker: Kijker, zaaktype: str, keuze: str
) -> None:
    """Set the channel for a zaaktype (its URL) or, `zaaktype` empty, the default. `keuze`:
    `email:<uuid>` or `sms:<uuid>` of a confirmed address, `post`, `berichtenbox`, `geen`,
    or empty (no preference of its own)."""
    _eigen(ctx, onderwerp, kijker)
    if zaaktype and not await refs.ids_for_urls(ctx.session, ctx.urls, "zaaktypen", [zaaktype]):
        raise Wijziging("Kies een onderwerp uit de lijst.", veld="onderwerp")
    kanaal, _, adres_tekst = keuze.partition(":")
    adres: uuid_lib.UUID | None = None
    if kanaal in SOORT_VOOR_KANAAL:
        try:
            adres = uuid_lib.UUID(adres_tekst)
        except ValueError as exc:
            raise Wijziging("Kies een van de mogelijkheden.", veld="kanaal") from exc
        eigen = await inwoner.eigen_adres(ctx.session, onderwerp.nummer, adres)
        if eigen is None or eigen.soort_digitaal_adres != SOORT_VOOR_KANAAL[kanaal]:
            raise Wijziging("Kies een van de mogelijkheden.", veld="kanaal")
        if eigen.verificatie_datum is None:
            raise Wijziging(
                "Dit adres is nog niet bevestigd. Bevestig het eerst met de code die u heeft "
                "ontvangen.",
                veld="kanaal",
            )
    elif keuze not in (*KANALEN_ZONDER_ADRES, ""):
        raise Wijziging("Kies een van de mogelijkheden.", veld="kanaal")
    try:
        await inwoner.voorkeur_zetten(ctx, onderwerp.nummer, zaaktype or None, kanaal, adres)
    except ValidationFailed as exc:
        raise Wijziging("Deze keuze kan niet worden opgeslagen.", veld="kanaal") from exc
    await _log(ctx, onderwerp, kijker, "voorkeur wijzigen")
