"""Rules of Partij: its number, the partijIdentificatie of its soort, the digitale adressen and
rekeningnummers it owns (with one preferred of each), and its identificatoren, all stored with
the partij in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy import update as sql_update

from mijnzaken.core.errors import InvalidParam, ValidationFailed, from_pydantic
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import (
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
)
from mijnzaken.klantinteracties.schemas import partij as schemas
from mijnzaken.klantinteracties.schemas.common import Ref
from mijnzaken.klantinteracties.services import common
from mijnzaken.klantinteracties.services import identificator as rules

PLAIN = {
    "interne_notitie": "interne_notitie",
    "soort_partij": "soort_partij",
    "indicatie_geheimhouding": "indicatie_geheimhouding",
    "voorkeurstaal": "voorkeurstaal",
    "indicatie_actief": "indicatie_actief",
}


def _invalid(name: str, reason: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


def _prefixed(exc: ValidationError, prefix: str) -> ValidationFailed:
    failed = from_pydantic(exc)
    failed.params = [
        InvalidParam(
            f"{prefix}.{p.name}" if p.name != "nonFieldErrors" else prefix, p.code, p.reason
        )
        for p in failed.params
    ]
    return failed


async def _identificatie(ctx: Ctx, obj: Partij, soort: str, value: dict[str, Any] | None) -> None:
    """Store the partijIdentificatie of `soort` (validated by its shape) on the partij."""
    try:
        shape = schemas.IDENTIFICATIE[soort].model_validate(value or {})
    except ValidationError as exc:
        raise _prefixed(exc, "partijIdentificatie") from exc
    obj.contactnaam = None
    obj.naam = ""
    obj.werkte_voor_partij_id = None
    if isinstance(shape, schemas.PersoonIdentificatie):
        obj.contactnaam = shape.contactnaam.dump() if shape.contactnaam else None
    elif isinstance(shape, schemas.OrganisatieIdentificatie):
        obj.naam = shape.naam
    elif isinstance(shape, schemas.ContactpersoonIdentificatie):
        obj.contactnaam = shape.contactnaam.dump() if shape.contactnaam else None
        organisatie = await common.resolve(
            ctx.session,
            Partij,
            shape.werkte_voor_partij,
            "partijIdentificatie.werkteVoorPartij.uuid",
            "Partij",
        )
        if organisatie is not None:
            if organisatie.soort_partij != "organisatie":
                raise _invalid(
                    "partijIdentificatie.werkteVoorPartij.uuid",
                    "Partij object moet het soort 'organisatie' hebben.",
                )
            if obj.id is not None and organisatie.id == obj.id:
                raise _invalid(
                    "partijIdentificatie.werkteVoorPartij.uuid",
                    "Een contactpersoon werkt niet voor zichzelf.",
                )
            obj.werkte_voor_partij_id = organisatie.id
    if soort == "contactpersoon":
        obj.contactpersoon_uuid = obj.contactpersoon_uuid or uuid.uuid4()
    else:
        obj.contactpersoon_uuid = None


async def _own(
    ctx: Ctx,
    obj: Partij,
    model: Any,
    given: Sequence[Ref] | None,
    voorkeur: Ref | None,
    voorkeur_given: bool,
    field: str,
    voorkeur_field: str,
    what: str,
    voorkeur_reason: str,
) -> None:
    """Link the listed addresses (or rekeningnummers) to the partij and unlink the others;
    mark the preferred one, which must be among them."""
    if given is not None:
        items = await common.resolve_many(ctx.session, model, given, field, what)
        keep = [i.id for i in items]
        await ctx.session.execute(
            sql_update(model)
            .where(model.partij_id == obj.id, model.id.not_in(keep))
            .values(partij_id=None, is_voorkeur=False)
        )
        for item in items:
            if item.partij_id != obj.id:
                item.partij_id = obj.id
                item.is_voorkeur = False
    if not voorkeur_given:
        return
    await ctx.session.flush()
    owned = {
        u: i
        for u, i in (
            await ctx.session.execute(select(model.uuid, model.id).where(model.partij_id == obj.id))
        ).all()
    }
    chosen = None
    if voorkeur is not None:
        chosen = owned.get(voorkeur.uuid)
        if chosen is None:
            raise _invalid(voorkeur_field, voorkeur_reason)
    await ctx.session.execute(
        sql_update(model).where(model.partij_id == obj.id).values(is_voorkeur=model.id == chosen)
    )


async def _identificatoren(
    ctx: Ctx, obj: Partij, given: Sequence[schemas.NestedPartijIdentificator]
) -> None:
    """Make the partij's identificatoren exactly `given`: listed ones with a uuid are changed,
    ones without are created, the partij's others are removed."""
    uuids = []
    for i, item in enumerate(given):
        if item.uuid is not None:
            try:
                uuids.append(uuid.UUID(str(item.uuid)))
            except ValueError as exc:
                raise _invalid(f"partijIdentificatoren.{i}.uuid", "Geen geldige UUID.") from exc
    if len(set(uuids)) != len(uuids):
        raise _invalid(
            "partijIdentificatoren",
            "Een uuid mag maar één keer voorkomen in partijIdentificatoren.",
            "duplicated",
        )
    existing = {
        p.uuid: p
        for p in (
            await ctx.session.execute(
                select(PartijIdentificator).where(PartijIdentificator.uuid.in_(uuids))
            )
        ).scalars()
    }
    stale = select(PartijIdentificator).where(
        PartijIdentificator.partij_id == obj.id, PartijIdentificator.uuid.not_in(uuids)
    )
    for old in (await ctx.session.execute(stale)).scalars():
        await ctx.session.delete(old)
    await ctx.session.flush()
    for i, item in enumerate(given):
        prefix = f"partijIdentificatoren.{i}"
        current = None
        if item.uuid is not None:
            current = existing.get(uuid.UUID(str(item.uuid)))
            if current is None:
                raise _invalid(
                    f"{prefix}.uuid", "PartijIdentificator object bestaat niet.", "does_not_exist"
                )
            if current.partij_id not in (None, obj.id):
                raise _invalid(f"{prefix}.uuid", "De identificator hoort bij een andere partij.")
        await save_identificator(ctx, item, partij=obj, current=current, prefix=prefix)


async def save_identificator(
    ctx: Ctx,
    data: schemas.PartijIdentificatorWrite,
    *,
    partij: Partij | None,
    current: PartijIdentificator | None,
    prefix: str = "",
) -> PartijIdentificator:
    """Create (current None) or change a partij-identificator by the rules of
    services/identificator.py."""
    dot = f"{prefix}." if prefix else ""
    groep_field = f"{dot}partijIdentificator"
    rules.check_types(data.partij_identificator, f"{groep_field}.")
    sub = await common.resolve(
        ctx.session,
        PartijIdentificator,
        data.sub_identificator_van,
        f"{dot}subIdentificatorVan.uuid",
        "PartijIdentificator",
    )
    if (
        current is not None
        and await rules.has_children(ctx.session, current)
        and not rules.unchanged(current, data.partij_identificator)
    ):
        raise _invalid(
            groep_field,
            "Aan deze identificator hangen vestigingsnummers; wijzig of verwijder die eerst.",
            "protected",
        )
    await rules.check_relations(
        ctx.session,
        data.partij_identificator,
        sub=sub,
        partij_id=partij.id if partij is not None else None,
        current=current,
        prefix=f"{groep_field}.",
        sub_field=f"{dot}subIdentificatorVan",
    )
    obj = current or PartijIdentificator()
    for key, value in rules.columns(data.partij_identificator).items():
        setattr(obj, key, value)
    obj.partij_id = partij.id if partij is not None else None
    obj.andere_partij_identificator = data.andere_partij_identificator
    obj.sub_identificator_van_id = sub.id if sub is not None else None
    if current is None:
        ctx.session.add(obj)
    await ctx.session.flush()
    return obj


async def _save(ctx: Ctx, obj: Partij, data: schemas.PartijWrite, *, creating: bool) -> Partij:
    given = common.given_fields(data)
    if creating:
        obj.nummer = await common.next_nummer(ctx.session, Partij, data.nummer)
    elif "nummer" in given:
        obj.nummer = await common.check_nummer_on_update(ctx.session, Partij, obj, data.nummer)
    soort_changed = not creating and data.soort_partij != obj.soort_partij
    common.apply(obj, data, PLAIN, creating=creating)
    for group in ("bezoekadres", "correspondentieadres"):
        if creating or group in given:
            value = getattr(data, group)
            setattr(obj, group, value.dump() if value is not None else None)
    if creating:
        ctx.session.add(obj)
        await ctx.session.flush()
    if creating or "partij_identificatie" in given or soort_changed:
        await _identificatie(ctx, obj, data.soort_partij, data.partij_identificatie)
    await _own(
        ctx,
        obj,
        DigitaalAdres,
        data.digitale_adressen,
        data.voorkeurs_digitaal_adres,
        "voorkeurs_digitaal_adres" in given,
        "digitaleAdressen",
        "voorkeursDigitaalAdres",
        "DigitaalAdres",
        "Het voorkeurs adres moet een gelinkte digitaal adres zijn.",
    )
    await _own(
        ctx,
        obj,
        Rekeningnummer,
        data.rekeningnummers,
        data.voorkeurs_rekeningnummer,
        "voorkeurs_rekeningnummer" in given,
        "rekeningnummers",
        "voorkeursRekeningnummer",
        "Rekeningnummer",
        "Het voorkeurs rekeningnummer moet een gelinkte rekeningnummer zijn.",
    )
    if data.partij_identificatoren is not None:
        await _identificatoren(ctx, obj, data.partij_identificatoren)
    await ctx.session.flush()
    return obj


async def create(ctx: Ctx, data: schemas.PartijWrite) -> Partij:
    """A new partij with everything the request gives, atomically."""
    return await _save(ctx, Partij(), data, creating=True)


async def update(ctx: Ctx, obj: Partij, data: schemas.PartijWrite) -> Partij:
    """Change a partij; fields a PUT does not name stay as they are."""
    return await _save(ctx, obj, data, creating=False)


async def delete(ctx: Ctx, obj: Partij) -> None:
    """Remove a partij with its identificatoren, digitale adressen and rekeningnummers."""
    await ctx.session.delete(obj)
