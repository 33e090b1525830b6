"""Rules of Klantcontact, Betrokkene, Onderwerpobject and Bijlage, and maak-klantcontact (a
klantcontact with its betrokkene and onderwerpobject in one transaction).

An onderwerpobject about a zaak of this installation (codeObjecttype `zaak`, codeSoortObjectId
`url`, objectId the zaak's URL) is checked against the Zaken register through the look-up the
application hands over at start-up (`configure_zaken`); the Zaken register is a floor higher
and is not imported here.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import (
    Betrokkene,
    Bijlage,
    DigitaalAdres,
    Klantcontact,
    Onderwerpobject,
    Partij,
)
from mijnzaken.klantinteracties.schemas import klantcontact as schemas
from mijnzaken.klantinteracties.schemas.common import identificator_columns
from mijnzaken.klantinteracties.services import common

ZaakLookup = Callable[[AsyncSession, uuid.UUID], Awaitable[bool]]
_zaak_bestaat: ZaakLookup | None = None


def configure_zaken(lookup: ZaakLookup) -> None:
    """Let onderwerpobjecten check references to local zaken with `lookup`."""
    global _zaak_bestaat
    _zaak_bestaat = lookup


KLANTCONTACT_FIELDS = {
    "referentienummer": "referentienummer",
    "kanaal": "kanaal",
    "onderwerp": "onderwerp",
    "inhoud": "inhoud",
    "reactie": "reactie",
    "indicatie_contact_gelukt": "indicatie_contact_gelukt",
    "hoofd_onderwerp_type": "hoofd_onderwerp_type",
    "verdere_actie_ondernomen": "verdere_actie_ondernomen",
    "taal": "taal",
    "vertrouwelijk": "vertrouwelijk",
    "metadata": "meta",
}


async def save_klantcontact(
    ctx: Ctx, obj: Klantcontact | None, data: schemas.KlantcontactWrite
) -> Klantcontact:
    creating = obj is None
    given = common.given_fields(data)
    if obj is None:
        obj = Klantcontact(nummer=await common.next_nummer(ctx.session, Klantcontact, data.nummer))
    elif "nummer" in given:
        obj.nummer = await common.check_nummer_on_update(
            ctx.session, Klantcontact, obj, data.nummer
        )
    common.apply(obj, data, KLANTCONTACT_FIELDS, creating=creating)
    if creating or "plaatsgevonden_op" in given:
        obj.plaatsgevonden_op = data.plaatsgevonden_op or obj.plaatsgevonden_op or clock.now()
    if creating:
        ctx.session.add(obj)
        await ctx.session.flush()
    return obj


async def create_klantcontact(ctx: Ctx, data: schemas.KlantcontactWrite) -> Klantcontact:
    return await save_klantcontact(ctx, None, data)


async def update_klantcontact(
    ctx: Ctx, obj: Klantcontact, data: schemas.KlantcontactWrite
) -> Klantcontact:
    return await save_klantcontact(ctx, obj, data)


async def save_betrokkene(
    ctx: Ctx,
    obj: Betrokkene | None,
    data: schemas.BetrokkeneWrite,
    klantcontact: Klantcontact | None = None,
    prefix: str = "",
) -> Betrokkene:
    creating = obj is None
    given = common.given_fields(data)
    if klantcontact is None:
        klantcontact = await common.resolve(
            ctx.session,
            Klantcontact,
            data.had_klantcontact,
            f"{prefix}hadKlantcontact.uuid",
            "Klantcontact",
        )
    partij = await common.resolve(
        ctx.session, Partij, data.was_partij, f"{prefix}wasPartij.uuid", "Partij"
    )
    obj = obj or Betrokkene()
    if klantcontact is not None:
        obj.klantcontact_id = klantcontact.id
    if creating or "was_partij" in given:
        obj.partij_id = partij.id if partij else None
    for group in ("bezoekadres", "correspondentieadres", "contactnaam"):
        if creating or group in given:
            value = getattr(data, group)
            setattr(obj, group, value.dump() if value is not None else None)
    common.apply(
        obj,
        data,
        {"rol": "rol", "organisatienaam": "organisatienaam", "initiator": "initiator"},
        creating=creating,
    )
    if creating:
        ctx.session.add(obj)
    await ctx.session.flush()
    return obj


async def create_betrokkene(ctx: Ctx, data: schemas.BetrokkeneWrite) -> Betrokkene:
    return await save_betrokkene(ctx, None, data)


async def update_betrokkene(ctx: Ctx, obj: Betrokkene, data: schemas.BetrokkeneWrite) -> Betrokkene:
    return await save_betrokkene(ctx, obj, data)


async def _check_zaak(ctx: Ctx, data: schemas.OnderwerpobjectWrite, prefix: str) -> None:
    """An onderwerpobject naming one of our zaken by URL must name an existing one."""
    ident = data.onderwerpobjectidentificator
    if ident is None or ident.code_objecttype.lower() != "zaak":
        return
    if ident.code_soort_object_id.lower() != "url" or _zaak_bestaat is None:
        return
    zaak = ctx.urls.parse(ident.object_id, "zaken", "zaken")
    if zaak is None:
        return  # a zaak in another register: stored as given
    if not await _zaak_bestaat(ctx.session, zaak):
        raise ValidationFailed(
            [
                InvalidParam(
                    f"{prefix}onderwerpobjectidentificator.objectId",
                    "does_not_exist",
                    "De zaak waar de URL naar verwijst bestaat niet.",
                )
            ]
        )


async def save_onderwerpobject(
    ctx: Ctx,
    obj: Onderwerpobject | None,
    data: schemas.OnderwerpobjectWrite,
    klantcontact: Klantcontact | None = None,
    prefix: str = "",
) -> Onderwerpobject:
    creating = obj is None
    given = common.given_fields(data)
    await _check_zaak(ctx, data, prefix)
    if klantcontact is None and (creating or "klantcontact" in given):
        klantcontact = await common.resolve(
            ctx.session,
            Klantcontact,
            data.klantcontact,
            f"{prefix}klantcontact.uuid",
            "Klantcontact",
        )
    was = await common.resolve(
        ctx.session,
        Klantcontact,
        data.was_klantcontact,
        f"{prefix}wasKlantcontact.uuid",
        "Klantcontact",
    )
    obj = obj or Onderwerpobject()
    if creating or "klantcontact" in given or klantcontact is not None:
        obj.klantcontact_id = klantcontact.id if klantcontact else None
    if creating or "was_klantcontact" in given:
        obj.was_klantcontact_id = was.id if was else None
    if creating or "onderwerpobjectidentificator" in given:
        for key, value in identificator_columns(data.onderwerpobjectidentificator).items():
            setattr(obj, key, value)
    if creating:
        ctx.session.add(obj)
    await ctx.session.flush()
    return obj


async def create_onderwerpobject(ctx: Ctx, data: schemas.OnderwerpobjectWrite) -> Onderwerpobject:
    return await save_onderwerpobject(ctx, None, data)


async def update_onderwerpobject(
    ctx: Ctx, obj: Onderwerpobject, data: schemas.OnderwerpobjectWrite
) -> Onderwerpobject:
    return await save_onderwerpobject(ctx, obj, data)


async def delete_onderwerpobject(
    ctx: Ctx, obj: Onderwerpobject, *, cascade: bool
) -> list[uuid.UUID]:
    """Remove an onderwerpobject. With `cascade` also its klantcontacten that no other
    onderwerpobject refers to (with the digitale adressen their betrokkenen gave that belong to
    no partij); the UUIDs of the klantcontacten that were kept are returned."""
    behouden: list[uuid.UUID] = []
    weg: list[Klantcontact] = []
    if cascade:
        for kc_id in dict.fromkeys(i for i in (obj.klantcontact_id, obj.was_klantcontact_id) if i):
            other = select(Onderwerpobject.id).where(
                or_(
                    Onderwerpobject.klantcontact_id == kc_id,
                    Onderwerpobject.was_klantcontact_id == kc_id,
                ),
                Onderwerpobject.id != obj.id,
            )
            kc = await ctx.session.get(Klantcontact, kc_id)
            assert kc is not None
            if (await ctx.session.execute(other.limit(1))).first() is not None:
                behouden.append(kc.uuid)
            else:
                weg.append(kc)
    await ctx.session.delete(obj)
    await ctx.session.flush()  # first: the klantcontacten below would take it along
    for kc in weg:
        betrokkenen = select(Betrokkene.id).where(Betrokkene.klantcontact_id == kc.id)
        loose = select(DigitaalAdres).where(
            DigitaalAdres.betrokkene_id.in_(betrokkenen), DigitaalAdres.partij_id.is_(None)
        )
        for adres in (await ctx.session.execute(loose)).scalars():
            await ctx.session.delete(adres)
        await ctx.session.delete(kc)
    return behouden


async def save_bijlage(ctx: Ctx, obj: Bijlage | None, data: schemas.BijlageWrite) -> Bijlage:
    creating = obj is None
    given = common.given_fields(data)
    klantcontact = await common.resolve(
        ctx.session,
        Klantcontact,
        data.was_bijlage_van_klantcontact,
        "wasBijlageVanKlantcontact.uuid",
        "Klantcontact",
    )
    obj = obj or Bijlage()
    if creating or "was_bijlage_van_klantcontact" in given:
        obj.klantcontact_id = klantcontact.id if klantcontact else None
    if creating or "bijlageidentificator" in given:
        for key, value in identificator_columns(data.bijlageidentificator).items():
            setattr(obj, key, value)
    if creating:
        ctx.session.add(obj)
    return obj


async def create_bijlage(ctx: Ctx, data: schemas.BijlageWrite) -> Bijlage:
    return await save_bijlage(ctx, None, data)


async def update_bijlage(ctx: Ctx, obj: Bijlage, data: schemas.BijlageWrite) -> Bijlage:
    return await save_bijlage(ctx, obj, data)


async def maak_klantcontact(
    ctx: Ctx, data: schemas.MaakKlantcontactWrite
) -> tuple[Klantcontact, Betrokkene | None, Onderwerpobject | None]:
    """A klantcontact with (optionally) its betrokkene and onderwerpobject, linked to it, in
    the request's one transaction: all three are stored, or none."""
    klantcontact = await save_klantcontact(ctx, None, data.klantcontact)
    betrokkene = None
    if data.betrokkene is not None:
        betrokkene = await save_betrokkene(
            ctx, None, data.betrokkene, klantcontact=klantcontact, prefix="betrokkene."
        )
    onderwerpobject = None
    if data.onderwerpobject is not None:
        onderwerpobject = await save_onderwerpobject(
            ctx, None, data.onderwerpobject, klantcontact=klantcontact, prefix="onderwerpobject."
        )
    return klantcontact, betrokkene, onderwerpobject


async def delete(ctx: Ctx, obj: object) -> None:
    await ctx.session.delete(obj)


# --- zrc-025 with our own register: a zaakcontactmoment naming one of our klantcontacten ----

ZAAK_REGISTER = "zrc"


def _over_zaak(klantcontact_id: int, zaak_url: str) -> Any:
    return select(Onderwerpobject).where(
        Onderwerpobject.klantcontact_id == klantcontact_id,
        Onderwerpobject.code_objecttype.in_(("zaak", "Zaak")),
        Onderwerpobject.object_id == zaak_url,
    )


async def koppel_zaak(session: AsyncSession, klantcontact: uuid.UUID, zaak_url: str) -> bool:
    """Record that klantcontact `klantcontact` is about the zaak at `zaak_url`: an
    onderwerpobject (codeObjecttype `zaak`, codeSoortObjectId `url`), unless one exists.
    False when there is no such klantcontact."""
    kc_id = (
        await session.execute(select(Klantcontact.id).where(Klantcontact.uuid == klantcontact))
    ).scalar_one_or_none()
    if kc_id is None:
        return False
    if (await session.execute(_over_zaak(kc_id, zaak_url).limit(1))).first() is None:
        session.add(
            Onderwerpobject(
                klantcontact_id=kc_id,
                code_objecttype="zaak",
                code_register=ZAAK_REGISTER,
                code_soort_object_id="url",
                object_id=zaak_url,
            )
        )
        await session.flush()
    return True


async def ontkoppel_zaak(session: AsyncSession, klantcontact: uuid.UUID, zaak_url: str) -> None:
    """Remove the onderwerpobjecten that say klantcontact `klantcontact` is about the zaak at
    `zaak_url` (the klantcontact itself stays)."""
    kc_id = (
        await session.execute(select(Klantcontact.id).where(Klantcontact.uuid == klantcontact))
    ).scalar_one_or_none()
    if kc_id is None:
        return
    for obj in (await session.execute(_over_zaak(kc_id, zaak_url))).scalars():
        await session.delete(obj)
    await session.flush()
