"""Rules of DigitaalAdres (its value fits its soort, one standaard adres per partij and soort,
a changed address loses its verification), Rekeningnummer (IBAN check digits),
Vertegenwoordiging, Categorie and CategorieRelatie."""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select, update

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import (
    Betrokkene,
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    Rekeningnummer,
    Vertegenwoordiging,
)
from mijnzaken.klantinteracties.schemas import adres as schemas
from mijnzaken.klantinteracties.schemas import partij as partij_schemas
from mijnzaken.klantinteracties.schemas.common import Email, Telefoonnummer
from mijnzaken.klantinteracties.services import common

_VALUES: dict[str, TypeAdapter[str]] = {
    "email": TypeAdapter(Email),
    "telefoonnummer": TypeAdapter(Telefoonnummer),
}


def _invalid(name: str, reason: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


def check_adres(soort: str, adres: str) -> None:
    """An e-mail address or a phone number must be one; `overig` is free text."""
    adapter = _VALUES.get(soort)
    if adapter is None:
        return
    try:
        adapter.validate_python(adres)
    except ValidationError as exc:
        raise _invalid("adres", str(exc.errors()[0]["msg"])) from exc


async def save_digitaal_adres(
    ctx: Ctx, obj: DigitaalAdres | None, data: schemas.DigitaalAdresWrite
) -> DigitaalAdres:
    """Create (obj None) or change a digitaal adres."""
    creating = obj is None
    given = common.given_fields(data)
    check_adres(data.soort_digitaal_adres, data.adres)
    betrokkene = await common.resolve(
        ctx.session,
        Betrokkene,
        data.verstrekt_door_betrokkene,
        "verstrektDoorBetrokkene.uuid",
        "Betrokkene",
    )
    partij = await common.resolve(
        ctx.session, Partij, data.verstrekt_door_partij, "verstrektDoorPartij.uuid", "Partij"
    )
    if obj is None:
        obj = DigitaalAdres(is_voorkeur=False)
    old_adres, old_datum = obj.adres, obj.verificatie_datum
    common.apply(
        obj,
        data,
        {
            "adres": "adres",
            "soort_digitaal_adres": "soort_digitaal_adres",
            "is_standaard_adres": "is_standaard_adres",
            "omschrijving": "omschrijving",
            "referentie": "referentie",
            "verificatie_datum": "verificatie_datum",
        },
        creating=creating,
    )
    if creating or "verstrekt_door_betrokkene" in given:
        obj.betrokkene_id = betrokkene.id if betrokkene else None
    if creating or "verstrekt_door_partij" in given:
        if obj.partij_id != (partij.id if partij else None):
            obj.is_voorkeur = False
        obj.partij_id = partij.id if partij else None
    # a verification holds for the address it was made for, unless the client sets a new one
    if not creating and obj.adres != old_adres and obj.verificatie_datum == old_datum:
        obj.verificatie_datum = None
    if creating:
        ctx.session.add(obj)
    await ctx.session.flush()
    if obj.is_standaard_adres and obj.partij_id is not None:
        await ctx.session.execute(
            update(DigitaalAdres)
            .where(
                DigitaalAdres.partij_id == obj.partij_id,
                DigitaalAdres.soort_digitaal_adres == obj.soort_digitaal_adres,
                DigitaalAdres.id != obj.id,
            )
            .values(is_standaard_adres=False)
        )
    return obj


async def create_digitaal_adres(ctx: Ctx, data: schemas.DigitaalAdresWrite) -> DigitaalAdres:
    return await save_digitaal_adres(ctx, None, data)


async def update_digitaal_adres(
    ctx: Ctx, obj: DigitaalAdres, data: schemas.DigitaalAdresWrite
) -> DigitaalAdres:
    return await save_digitaal_adres(ctx, obj, data)


def mark_verified(obj: DigitaalAdres) -> None:
    """The address was shown to reach its owner today."""
    obj.verificatie_datum = clock.today()


# --- rekeningnummers -----------------------------------------------------------------------


def check_iban(iban: str) -> None:
    """ISO 13616 check digits: the rearranged number is 1 modulo 97."""
    value = iban.upper()
    digits = "".join(str(int(c, 36)) for c in value[4:] + value[:4])
    if int(digits) % 97 != 1:
        raise _invalid("iban", "Het IBAN klopt niet (controlegetal).")


async def save_rekeningnummer(
    ctx: Ctx, obj: Rekeningnummer | None, data: schemas.RekeningnummerWrite
) -> Rekeningnummer:
    creating = obj is None
    check_iban(data.iban)
    partij = await common.resolve(ctx.session, Partij, data.partij, "partij.uuid", "Partij")
    obj = obj or Rekeningnummer(is_voorkeur=False)
    common.apply(obj, data, {"iban": "iban", "bic": "bic"}, creating=creating)
    obj.iban = obj.iban.upper()
    if creating or "partij" in common.given_fields(data):
        if obj.partij_id != (partij.id if partij else None):
            obj.is_voorkeur = False
        obj.partij_id = partij.id if partij else None
    if creating:
        ctx.session.add(obj)
    return obj


async def create_rekeningnummer(ctx: Ctx, data: schemas.RekeningnummerWrite) -> Rekeningnummer:
    return await save_rekeningnummer(ctx, None, data)


async def update_rekeningnummer(
    ctx: Ctx, obj: Rekeningnummer, data: schemas.RekeningnummerWrite
) -> Rekeningnummer:
    return await save_rekeningnummer(ctx, obj, data)


# --- vertegenwoordigingen ------------------------------------------------------------------


async def save_vertegenwoordiging(
    ctx: Ctx, obj: Vertegenwoordiging | None, data: partij_schemas.VertegenwoordigingWrite
) -> Vertegenwoordiging:
    """A partij represents another (never itself; each pair once)."""
    door = await common.resolve(
        ctx.session,
        Partij,
        data.vertegenwoordigende_partij,
        "vertegenwoordigendePartij.uuid",
        "Partij",
    )
    voor = await common.resolve(
        ctx.session, Partij, data.vertegenwoordigde_partij, "vertegenwoordigdePartij.uuid", "Partij"
    )
    assert door is not None
    assert voor is not None
    if door.id == voor.id:
        raise _invalid("vertegenwoordigdePartij", "De partij kan niet zichzelf vertegenwoordigen.")
    same = select(Vertegenwoordiging.id).where(
        Vertegenwoordiging.vertegenwoordigende_partij_id == door.id,
        Vertegenwoordiging.vertegenwoordigde_partij_id == voor.id,
    )
    if obj is not None:
        same = same.where(Vertegenwoordiging.id != obj.id)
    if (await ctx.session.execute(same.limit(1))).first() is not None:
        raise _invalid(
            "nonFieldErrors",
            "Deze partij vertegenwoordigt de andere partij al.",
            "unique",
        )
    if obj is None:
        obj = Vertegenwoordiging()
        ctx.session.add(obj)
    obj.vertegenwoordigende_partij_id = door.id
    obj.vertegenwoordigde_partij_id = voor.id
    return obj


async def create_vertegenwoordiging(
    ctx: Ctx, data: partij_schemas.VertegenwoordigingWrite
) -> Vertegenwoordiging:
    return await save_vertegenwoordiging(ctx, None, data)


async def update_vertegenwoordiging(
    ctx: Ctx, obj: Vertegenwoordiging, data: partij_schemas.VertegenwoordigingWrite
) -> Vertegenwoordiging:
    return await save_vertegenwoordiging(ctx, obj, data)


# --- categorieën ---------------------------------------------------------------------------


async def create_categorie(ctx: Ctx, data: schemas.CategorieWrite) -> Categorie:
    obj = Categorie(naam=data.naam)
    ctx.session.add(obj)
    return obj


async def update_categorie(ctx: Ctx, obj: Categorie, data: schemas.CategorieWrite) -> Categorie:
    common.apply(obj, data, {"naam": "naam"}, creating=False)
    return obj


async def save_categorie_relatie(
    ctx: Ctx, obj: CategorieRelatie | None, data: schemas.CategorieRelatieWrite
) -> CategorieRelatie:
    """A partij in a categorie from beginDatum (today when not given) to eindDatum."""
    creating = obj is None
    given = common.given_fields(data)
    partij = await common.resolve(ctx.session, Partij, data.partij, "partij.uuid", "Partij")
    categorie = await common.resolve(
        ctx.session, Categorie, data.categorie, "categorie.uuid", "Categorie"
    )
    obj = obj or CategorieRelatie()
    if creating or "partij" in given:
        obj.partij_id = partij.id if partij else None
    if creating or "categorie" in given:
        obj.categorie_id = categorie.id if categorie else None
    common.apply(
        obj, data, {"begin_datum": "begin_datum", "eind_datum": "eind_datum"}, creating=creating
    )
    if creating and obj.begin_datum is None:
        obj.begin_datum = clock.today()
    if obj.begin_datum and obj.eind_datum and obj.eind_datum < obj.begin_datum:
        raise _invalid("eindDatum", "De einddatum ligt voor de begindatum.")
    if creating:
        ctx.session.add(obj)
    return obj


async def create_categorie_relatie(
    ctx: Ctx, data: schemas.CategorieRelatieWrite
) -> CategorieRelatie:
    return await save_categorie_relatie(ctx, None, data)


async def update_categorie_relatie(
    ctx: Ctx, obj: CategorieRelatie, data: schemas.CategorieRelatieWrite
) -> CategorieRelatie:
    return await save_categorie_relatie(ctx, obj, data)


async def delete(ctx: Ctx, obj: object) -> None:
    await ctx.session.delete(obj)
