"""What the customer view and the citizen portal ask of this register about one person known
by a BSN: their partij with its digital addresses and channel preferences, their contact
moments, and the changes the person makes to their own contact data.

Reads are batched: a fixed number of queries whatever the number of addresses, preferences or
contact moments. Writes go through the register's own rules (address validation, verification,
preference resolution), so the portal cannot store what the API would refuse.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties import zoeknaam
from mijnzaken.klantinteracties.models import (
    Betrokkene,
    DigitaalAdres,
    Kanaalvoorkeur,
    Klantcontact,
    Onderwerpobject,
    Partij,
    PartijIdentificator,
    PartijZoekwoord,
)
from mijnzaken.klantinteracties.schemas import voorkeur as voorkeur_schemas
from mijnzaken.klantinteracties.schemas.common import Ref
from mijnzaken.klantinteracties.services import adres as adres_service
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import voorkeur as voorkeur_service

SOORTEN = ("email", "telefoonnummer")
MAX_ADRES = 80  # the length of DigitaalAdres.adres, as the API's schema has it


@dataclass(frozen=True)
class Adres:
    """A digital address of the person (e-mail or phone; `overig` ones are left out)."""

    uuid: uuid_lib.UUID
    soort: str
    adres: str
    geverifieerd: bool
    standaard: bool


@dataclass(frozen=True)
class Voorkeur:
    """One channel preference: for `standaard` or a zaaktype/categorie URL."""

    uuid: uuid_lib.UUID
    onderwerp_soort: str
    onderwerp: str
    kanaal: str
    adres: uuid_lib.UUID | None


@dataclass(frozen=True)
class Klant:
    """The person's partij as the register knows it."""

    partij: uuid_lib.UUID
    naam: str
    adressen: list[Adres] = field(default_factory=list)
    voorkeuren: list[Voorkeur] = field(default_factory=list)
    geheim: bool = False  # indicatieGeheimhouding: the partij's data are to be kept secret


@dataclass(frozen=True)
class Contact:
    """One contact moment, with the zaken (object ids) it is about."""

    uuid: uuid_lib.UUID
    moment: dt.datetime
    kanaal: str
    onderwerp: str
    zaken: tuple[str, ...] = ()


def _check(soort: str, waarde: str) -> None:
    """What the API's schema and rules require of an address value (the portal has no
    schema in between)."""
    if len(waarde) > MAX_ADRES:
        raise ValidationFailed.field(
            "adres", "max_length", f"Een adres is ten hoogste {MAX_ADRES} tekens lang."
        )
    adres_service.check_adres(soort, waarde)


def _naam(partij: Partij) -> str:
    if partij.soort_partij == "organisatie":
        return partij.naam
    naam = partij.contactnaam or {}
    parts = [
        naam.get("voornaam") or naam.get("voorletters") or "",
        naam.get("voorvoegselAchternaam") or "",
        naam.get("achternaam") or "",
    ]
    return " ".join(p for p in parts if p)


# the identifier kinds a login names, as codeSoortObjectId of a partij-identificator
CODE_SOORT = {"bsn": "bsn", "kvk": "kvk_nummer"}


def _met_bsn(bsn: str, soort: str = "bsn") -> Any:
    """The ids of the partijen identified by this BSN (or, `soort` kvk, KvK-nummer)."""
    return select(PartijIdentificator.partij_id).where(
        PartijIdentificator.code_soort_object_id == CODE_SOORT[soort],
        PartijIdentificator.object_id == bsn,
        PartijIdentificator.partij_id.is_not(None),
    )


async def _partij(session: AsyncSession, bsn: str, soort: str = "bsn") -> Partij | None:
    stmt = select(Partij).where(Partij.id.in_(_met_bsn(bsn, soort))).order_by(Partij.id).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def klant(session: AsyncSession, bsn: str, soort: str = "bsn") -> Klant | None:
    """The partij with this BSN (or KvK-nummer), its e-mail addresses and phone numbers and
    its channel preferences; None when the register does not know the person. Three queries."""
    partij = await _partij(session, bsn, soort)
    if partij is None:
        return None
    adressen = (
        await session.execute(
            select(DigitaalAdres)
            .where(
                DigitaalAdres.partij_id == partij.id,
                DigitaalAdres.soort_digitaal_adres.in_(SOORTEN),
            )
            .order_by(DigitaalAdres.soort_digitaal_adres, DigitaalAdres.id)
        )
    ).scalars()
    voorkeuren = (
        await session.execute(
            select(Kanaalvoorkeur, DigitaalAdres.uuid)
            .outerjoin(DigitaalAdres, DigitaalAdres.id == Kanaalvoorkeur.digitaal_adres_id)
            .where(Kanaalvoorkeur.partij_id == partij.id)
            .order_by(Kanaalvoorkeur.id)
        )
    ).all()
    return Klant(
        partij=partij.uuid,
        naam=_naam(partij),
        geheim=bool(partij.indicatie_geheimhouding),
        adressen=[
            Adres(
                a.uuid,
                a.soort_digitaal_adres,
                a.adres,
                a.verificatie_datum is not None,
                a.is_standaard_adres,
            )
            for a in adressen
        ],
        voorkeuren=[
            Voorkeur(v.uuid, v.onderwerp_soort, v.onderwerp, v.kanaal, adres_uuid)
            for v, adres_uuid in voorkeuren
        ],
    )


async def contacten(
    session: AsyncSession,
    bsn: str,
    *,
    zaken: Collection[str] | None = None,
    limit: int = 50,
    soort: str = "bsn",
) -> list[Contact]:
    """Contact moments of the person with this BSN, newest first; never a confidential one.

    Without `zaken`: the klantcontacten in which the person's partij is a betrokkene. With
    `zaken` (object ids of zaken: their URLs): the klantcontacten about those zaken, except
    those in which someone else took part and this person did not (a contact of someone else
    about a shared zaak is theirs). Three queries."""
    partij_ids = _met_bsn(bsn, soort)
    eigen = select(Betrokkene.klantcontact_id).where(Betrokkene.partij_id.in_(partij_ids))
    stmt = select(Klantcontact).where(Klantcontact.vertrouwelijk.is_(False))
    if zaken is None:
        stmt = stmt.where(Klantcontact.id.in_(eigen))
    else:
        if not zaken:
            return []
        over = select(Onderwerpobject.klantcontact_id).where(
            Onderwerpobject.code_objecttype.in_(("zaak", "Zaak")),
            Onderwerpobject.object_id.in_(list(zaken)),
        )
        # someone else took part: a betrokkene that is another partij, or known by name only
        ander = select(Betrokkene.klantcontact_id).where(
            or_(Betrokkene.partij_id.is_(None), Betrokkene.partij_id.not_in(partij_ids))
        )
        stmt = stmt.where(
            Klantcontact.id.in_(over),
            or_(Klantcontact.id.in_(eigen), Klantcontact.id.not_in(ander)),
        )
    stmt = stmt.order_by(Klantcontact.plaatsgevonden_op.desc(), Klantcontact.id.desc())
    found = list((await session.execute(stmt.limit(limit))).scalars())
    if not found:
        return []
    onderwerpen = await session.execute(
        select(Onderwerpobject.klantcontact_id, Onderwerpobject.object_id).where(
            Onderwerpobject.klantcontact_id.in_([k.id for k in found]),
            Onderwerpobject.code_objecttype.in_(("zaak", "Zaak")),
        )
    )
    per_contact: dict[int, list[str]] = {}
    for klantcontact_id, object_id in onderwerpen.all():
        if klantcontact_id is not None and object_id:
            per_contact.setdefault(klantcontact_id, []).append(object_id)
    return [
        Contact(
            k.uuid, k.plaatsgevonden_op, k.kanaal, k.onderwerp, tuple(per_contact.get(k.id, ()))
        )
        for k in found
    ]


# --- finding a person or organisation by name ---------------------------------------------

MAX_WOORDEN = 5  # the words of a name query that count


@dataclass(frozen=True)
class Kandidaat:
    """A partij whose name matches a search, with one identifier a customer view opens by
    (`soort` bsn or kvk, `nummer`): a partij with both is a candidate twice."""

    partij: uuid_lib.UUID
    soort_partij: str
    naam: str
    soort: str
    nummer: str
    geheim: bool = False  # indicatieGeheimhouding: the partij's data are to be kept secret


SOORT_VAN_CODE = {code: soort for soort, code in CODE_SOORT.items()}


def woorden(zoekterm: str) -> list[str]:
    """The search words of a name query (zoeknaam.woorden; at most MAX_WOORDEN)."""
    return zoeknaam.woorden(zoekterm)[:MAX_WOORDEN]


def naam_past(naam: str, zoekterm: str) -> bool:
    """Every word of the query begins a word of the name, in any case and with or without
    accents (the rule of `op_naam`, for answers that come from elsewhere)."""
    gezocht = woorden(zoekterm)
    return bool(gezocht) and zoeknaam.past([naam], " ".join(gezocht))


async def op_naam(session: AsyncSession, zoekterm: str, limit: int) -> list[Kandidaat]:
    """The partijen with a BSN or KvK-nummer whose name (a name part or an organisation's
    naam) has, for every word of `zoekterm`, a word that begins with it, in any case and with
    or without accents ("ölç" finds "Ölçer"), ordered by name: at most `limit` candidates, in
    one query that reads the index of the name's search words."""
    gezocht = woorden(zoekterm)
    if not gezocht:
        return []
    past = and_(
        *(
            Partij.id.in_(
                select(PartijZoekwoord.partij_id).where(
                    PartijZoekwoord.woord >= w, PartijZoekwoord.woord < zoeknaam.volgende(w)
                )
            )
            for w in gezocht
        )
    )
    stmt = (
        select(Partij, PartijIdentificator.code_soort_object_id, PartijIdentificator.object_id)
        .join(PartijIdentificator, PartijIdentificator.partij_id == Partij.id)
        .where(past, PartijIdentificator.code_soort_object_id.in_(list(SOORT_VAN_CODE)))
        .order_by(Partij.id, PartijIdentificator.id)
        .limit(limit)
    )
    found = [
        Kandidaat(
            partij.uuid,
            partij.soort_partij,
            _naam(partij),
            SOORT_VAN_CODE[code],
            nummer,
            geheim=bool(partij.indicatie_geheimhouding),
        )
        for partij, code, nummer in (await session.execute(stmt)).all()
        if nummer
    ]
    return sorted(found, key=lambda k: (zoeknaam.sleutel(k.naam), k.soort, k.nummer))


# --- the person's own changes ------------------------------------------------------------


async def eigen_adres(
    session: AsyncSession, bsn: str, ident: uuid_lib.UUID
) -> DigitaalAdres | None:
    """The person's e-mail address or phone number `ident`; None when it is not theirs."""
    stmt = select(DigitaalAdres).where(
        DigitaalAdres.uuid == ident,
        DigitaalAdres.partij_id.in_(_met_bsn(bsn)),
        DigitaalAdres.soort_digitaal_adres.in_(SOORTEN),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _eigen_partij(ctx: Ctx, bsn: str) -> Partij:
    """The person's partij; a new persoon with their BSN when the register has none yet."""
    partij = await _partij(ctx.session, bsn)
    if partij is not None:
        return partij
    partij = Partij(
        nummer=await common.next_nummer(ctx.session, Partij, None),
        soort_partij="persoon",
        indicatie_actief=True,
        voorkeurstaal="nld",
        interne_notitie="",
        naam="",
    )
    ctx.session.add(partij)
    await ctx.session.flush()
    ctx.session.add(
        PartijIdentificator(
            partij_id=partij.id,
            code_objecttype="natuurlijk_persoon",
            code_soort_object_id="bsn",
            object_id=bsn,
            code_register="brp",
            andere_partij_identificator="",
        )
    )
    await ctx.session.flush()
    return partij


async def adres_toevoegen(ctx: Ctx, bsn: str, soort: str, waarde: str) -> DigitaalAdres:
    """Add an e-mail address or phone number the person gave (unverified; the caller starts
    the verification). Adding one they already have returns that one. A 400 when the value
    does not fit its soort."""
    waarde = waarde.strip()
    _check(soort, waarde)
    partij = await _eigen_partij(ctx, bsn)
    same = select(DigitaalAdres).where(
        DigitaalAdres.partij_id == partij.id,
        DigitaalAdres.soort_digitaal_adres == soort,
        DigitaalAdres.adres == waarde,
    )
    found = (await ctx.session.execute(same.limit(1))).scalar_one_or_none()
    if found is not None:
        return found
    others = select(DigitaalAdres.id).where(
        DigitaalAdres.partij_id == partij.id, DigitaalAdres.soort_digitaal_adres == soort
    )
    eerste = (await ctx.session.execute(others.limit(1))).first() is None
    adres = DigitaalAdres(
        partij_id=partij.id,
        adres=waarde,
        soort_digitaal_adres=soort,
        is_standaard_adres=eerste,
        omschrijving="Opgegeven in MijnGemeente",
        referentie="",
        is_voorkeur=False,
    )
    ctx.session.add(adres)
    await ctx.session.flush()
    return adres


async def adres_wijzigen(ctx: Ctx, adres: DigitaalAdres, waarde: str) -> DigitaalAdres:
    """Give an address a new value; it loses its verification (and so the preferences that
    use it wait until the new value is verified)."""
    waarde = waarde.strip()
    _check(adres.soort_digitaal_adres, waarde)
    if waarde != adres.adres:
        adres.adres = waarde
        adres.verificatie_datum = None
        await ctx.session.flush()
    return adres


async def voorkeur_zetten(
    ctx: Ctx,
    bsn: str,
    onderwerp: str | None,
    kanaal: str,
    adres: uuid_lib.UUID | None,
) -> None:
    """Set the person's preference for a zaaktype (`onderwerp` its URL) or their default
    (`onderwerp` None); `kanaal` "" withdraws the zaaktype's own preference, so the default
    applies again. The register's rules apply: e-mail and SMS need a verified address."""
    partij = await _eigen_partij(ctx, bsn)
    soort = "standaard" if onderwerp is None else "zaaktype"
    stmt = select(Kanaalvoorkeur).where(
        Kanaalvoorkeur.partij_id == partij.id,
        Kanaalvoorkeur.onderwerp_soort == soort,
        Kanaalvoorkeur.onderwerp == (onderwerp or ""),
    )
    bestaand = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if not kanaal:
        if bestaand is not None:
            await voorkeur_service.delete(ctx, bestaand)
        return
    data = voorkeur_schemas.KanaalvoorkeurWrite.model_validate(
        {
            "partij": Ref(uuid=partij.uuid),
            "onderwerpSoort": soort,
            "onderwerp": onderwerp,
            "kanaal": kanaal,
            "digitaalAdres": Ref(uuid=adres) if adres is not None else None,
            "toelichting": "Gekozen in MijnGemeente",
        }
    )
    await voorkeur_service.save(ctx, bestaand, data)
