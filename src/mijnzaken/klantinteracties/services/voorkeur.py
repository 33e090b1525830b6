"""Channel preferences (extension): per partij and topic the channel it wants — e-mail, SMS,
post, Berichtenbox or none — with a consent history, and the resolution the portal and the
message senders use (`bepaal_kanaal`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import (
    Categorie,
    DigitaalAdres,
    Kanaalvoorkeur,
    Partij,
    PartijIdentificator,
    Toestemming,
)
from mijnzaken.klantinteracties.schemas import voorkeur as schemas
from mijnzaken.klantinteracties.schemas.common import Ref
from mijnzaken.klantinteracties.services import common

SOORT_VOOR_KANAAL = {"email": "email", "sms": "telefoonnummer"}


def _invalid(name: str, reason: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


async def _adres(ctx: Ctx, partij: Partij, kanaal: str, given: Ref | None) -> DigitaalAdres | None:
    """The verified address of the partij that e-mail or SMS goes to."""
    soort = SOORT_VOOR_KANAAL.get(kanaal)
    if soort is None:
        return None  # post, Berichtenbox and geen use no digital address
    if given is not None:
        adres = await common.resolve(
            ctx.session, DigitaalAdres, given, "digitaalAdres.uuid", "DigitaalAdres"
        )
        assert adres is not None
        if adres.partij_id != partij.id or adres.soort_digitaal_adres != soort:
            raise _invalid(
                "digitaalAdres", f"Geef een digitaal adres van soort {soort} van deze partij."
            )
    else:
        stmt = (
            select(DigitaalAdres)
            .where(
                DigitaalAdres.partij_id == partij.id, DigitaalAdres.soort_digitaal_adres == soort
            )
            .order_by(DigitaalAdres.is_standaard_adres.desc(), DigitaalAdres.id)
        )
        adres = (await ctx.session.execute(stmt.limit(1))).scalar_one_or_none()
        if adres is None:
            raise _invalid(
                "digitaalAdres",
                f"De partij heeft geen digitaal adres van soort {soort}.",
                "required",
            )
    if adres.verificatie_datum is None:
        raise _invalid(
            "digitaalAdres",
            "Het digitaal adres is niet geverifieerd; verifieer het eerst met een code.",
            "niet-geverifieerd",
        )
    return adres


async def _onderwerp(ctx: Ctx, data: schemas.KanaalvoorkeurWrite) -> str:
    if data.onderwerp is None:
        return ""
    if data.onderwerp_soort == "categorie":
        ident = ctx.urls.parse(data.onderwerp, common.API, "categorieen")
        found = (
            ident is not None
            and (
                await ctx.session.execute(select(Categorie.id).where(Categorie.uuid == ident))
            ).first()
        )
        if not found:
            raise _invalid(
                "onderwerp", "Geef de URL van een categorie van deze API.", "does_not_exist"
            )
    return data.onderwerp


def _historie(ctx: Ctx, obj: Kanaalvoorkeur, actie: str, adres_url: str, toelichting: str) -> None:
    ctx.session.add(
        Toestemming(
            partij_id=obj.partij_id,
            kanaalvoorkeur_uuid=str(obj.uuid),
            onderwerp_soort=obj.onderwerp_soort,
            onderwerp=obj.onderwerp,
            actie=actie,
            kanaal=obj.kanaal if actie != "ingetrokken" else "",
            digitaal_adres=adres_url,
            moment=clock.now(),
            applicatie=ctx.auth.client_id,
            gebruiker=ctx.auth.user_representation or ctx.auth.user_id,
            toelichting=toelichting,
        )
    )


async def save(
    ctx: Ctx, obj: Kanaalvoorkeur | None, data: schemas.KanaalvoorkeurWrite
) -> Kanaalvoorkeur:
    """Give (obj None) or change a preference, and record it in the consent history."""
    partij = await common.resolve(ctx.session, Partij, data.partij, "partij.uuid", "Partij")
    assert partij is not None
    onderwerp = await _onderwerp(ctx, data)
    same = select(Kanaalvoorkeur.id).where(
        Kanaalvoorkeur.partij_id == partij.id,
        Kanaalvoorkeur.onderwerp_soort == data.onderwerp_soort,
        Kanaalvoorkeur.onderwerp == onderwerp,
    )
    if obj is not None:
        same = same.where(Kanaalvoorkeur.id != obj.id)
    if (await ctx.session.execute(same.limit(1))).first() is not None:
        raise _invalid(
            "onderwerp", "De partij heeft voor dit onderwerp al een kanaalvoorkeur.", "unique"
        )
    adres = await _adres(ctx, partij, data.kanaal, data.digitaal_adres)
    creating = obj is None
    if obj is None:
        obj = Kanaalvoorkeur(uuid=uuid.uuid4())
        ctx.session.add(obj)
    obj.partij_id = partij.id
    obj.onderwerp_soort = data.onderwerp_soort
    obj.onderwerp = onderwerp
    obj.kanaal = data.kanaal
    obj.digitaal_adres_id = adres.id if adres is not None else None
    obj.gewijzigd_op = clock.now()
    await ctx.session.flush()
    adres_url = common.url(ctx, "digitaleadressen", adres.uuid) if adres else ""
    _historie(ctx, obj, "gegeven" if creating else "gewijzigd", adres_url, data.toelichting)
    return obj


async def create(ctx: Ctx, data: schemas.KanaalvoorkeurWrite) -> Kanaalvoorkeur:
    return await save(ctx, None, data)


async def update(
    ctx: Ctx, obj: Kanaalvoorkeur, data: schemas.KanaalvoorkeurWrite
) -> Kanaalvoorkeur:
    return await save(ctx, obj, data)


async def delete(ctx: Ctx, obj: Kanaalvoorkeur) -> None:
    """Withdraw a preference; the history keeps that it was withdrawn, and by whom."""
    _historie(ctx, obj, "ingetrokken", "", "")
    await ctx.session.delete(obj)


@dataclass(frozen=True)
class Kanaalkeuze:
    """The outcome of `bepaal_kanaal`."""

    kanaal: str | None  # email | sms | post | berichtenbox | geen; None: no preference at all
    adres: str | None  # the e-mail address or phone number, for email and sms
    digitaal_adres: uuid.UUID | None
    bron: str | None  # which preference decided: zaaktype | categorie | standaard
    kanaalvoorkeur: uuid.UUID | None


GEEN_VOORKEUR = Kanaalkeuze(None, None, None, None, None)


async def bepaal_kanaal(
    session: AsyncSession,
    partij: uuid.UUID,
    *,
    zaaktype: str | None = None,
    categorie: str | None = None,
) -> Kanaalkeuze:
    """Which channel to use for `partij` on a topic.

    The most specific preference wins: the one for this `zaaktype` (its URL), else the one for
    this `categorie` (URL of a /categorieen resource), else the partij's `standaard`
    preference. `kanaal == "geen"` means the partij asked for no messages on this topic;
    `kanaal is None` (GEEN_VOORKEUR) that it stated no preference, so the caller applies its
    own default. For `email` and `sms` the verified address is given; a preference whose
    address was removed counts as none. One query, whatever the number of preferences.
    """
    wanted = [("standaard", "")]
    if zaaktype:
        wanted.append(("zaaktype", zaaktype))
    if categorie:
        wanted.append(("categorie", categorie))
    stmt = (
        select(Kanaalvoorkeur, DigitaalAdres)
        .join(Partij, Partij.id == Kanaalvoorkeur.partij_id)
        .outerjoin(DigitaalAdres, DigitaalAdres.id == Kanaalvoorkeur.digitaal_adres_id)
        .where(Partij.uuid == partij)
    )
    found = {
        (v.onderwerp_soort, v.onderwerp): (v, a) for v, a in (await session.execute(stmt)).all()
    }
    for key in sorted(wanted, key=lambda k: ("zaaktype", "categorie", "standaard").index(k[0])):
        if key not in found:
            continue
        voorkeur, adres = found[key]
        if voorkeur.kanaal in SOORT_VOOR_KANAAL and (
            adres is None or adres.verificatie_datum is None
        ):
            continue  # the address it named is gone or no longer verified
        return Kanaalkeuze(
            kanaal=voorkeur.kanaal,
            adres=adres.adres if adres is not None else None,
            digitaal_adres=adres.uuid if adres is not None else None,
            bron=voorkeur.onderwerp_soort,
            kanaalvoorkeur=voorkeur.uuid,
        )
    return GEEN_VOORKEUR


async def partij_met_bsn(session: AsyncSession, bsn: str) -> uuid.UUID | None:
    """The partij identified by this BSN, if the register knows one (for the portal, which
    knows the citizen by the BSN from DigiD)."""
    stmt = (
        select(Partij.uuid)
        .join(PartijIdentificator, PartijIdentificator.partij_id == Partij.id)
        .where(
            PartijIdentificator.code_soort_object_id == "bsn",
            PartijIdentificator.object_id == bsn,
        )
    )
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()
