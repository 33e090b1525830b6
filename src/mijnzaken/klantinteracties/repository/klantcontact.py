"""Queries of Klantcontact, Betrokkene, Onderwerpobject and Bijlage, and what a page of
klantcontacten renders besides its own columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mijnzaken.core.urls import Urls
from mijnzaken.klantinteracties.models import (
    Actor,
    ActorKlantcontact,
    Betrokkene,
    Bijlage,
    DigitaalAdres,
    InterneTaak,
    Klantcontact,
    Onderwerpobject,
    Partij,
    PartijIdentificator,
)
from mijnzaken.klantinteracties.repository.common import (
    Condition,
    by_url,
    contains,
    equals,
    filtered,
    grouped,
    json_text,
    our_uuid,
)

_IDENT = {
    "CodeObjecttype": "code_objecttype",
    "CodeRegister": "code_register",
    "CodeSoortObjectId": "code_soort_object_id",
    "ObjectId": "object_id",
}


def _in(column: Any, stmt: Select[Any]) -> Any:
    return column.in_(stmt)


def klantcontact_conditions(urls: Urls) -> dict[str, Condition]:
    kc = Klantcontact.id

    def betrokkene_where(*where: Any) -> Any:
        return kc.in_(select(Betrokkene.klantcontact_id).where(*where))

    def onderwerp(column: str, field: str, value: Any) -> Any:
        return kc.in_(
            select(getattr(Onderwerpobject, column)).where(getattr(Onderwerpobject, field) == value)
        )

    def over(column: str, field: str) -> Condition:
        return lambda value: onderwerp(column, field, value)

    def partij_met(field: str) -> Condition:
        return lambda value: betrokkene_where(
            Betrokkene.partij_id.in_(
                select(PartijIdentificator.partij_id).where(
                    getattr(PartijIdentificator, field) == value
                )
            )
        )

    conditions: dict[str, Condition] = {
        "hadBetrokkene__digitaaladres__adres__icontains": lambda v: betrokkene_where(
            Betrokkene.id.in_(
                select(DigitaalAdres.betrokkene_id).where(contains(DigitaalAdres.adres)(v))
            )
        ),
        "hadBetrokkene__url": lambda v: betrokkene_where(
            Betrokkene.uuid == our_uuid(urls, v, "betrokkenen")
        ),
        "hadBetrokkene__uuid": lambda v: betrokkene_where(Betrokkene.uuid == v),
        "hadBetrokkene__wasPartij": lambda v: betrokkene_where(
            Betrokkene.partij_id.is_not(None) if v else Betrokkene.partij_id.is_(None)
        ),
        "hadBetrokkene__wasPartij__url": lambda v: betrokkene_where(
            Betrokkene.partij_id.in_(
                select(Partij.id).where(Partij.uuid == our_uuid(urls, v, "partijen"))
            )
        ),
        "hadBetrokkene__wasPartij__uuid": lambda v: betrokkene_where(
            Betrokkene.partij_id.in_(select(Partij.id).where(Partij.uuid == v))
        ),
        "indicatieContactGelukt": equals(Klantcontact.indicatie_contact_gelukt),
        "inhoud": contains(Klantcontact.inhoud),
        "kanaal": equals(Klantcontact.kanaal),
        "leiddeTotInterneTaken": lambda v: (
            exists().where(InterneTaak.klantcontact_id == kc)
            if v
            else ~exists().where(InterneTaak.klantcontact_id == kc)
        ),
        "nummer": equals(Klantcontact.nummer),
        "onderwerp": contains(Klantcontact.onderwerp),
        "plaatsgevondenOp": equals(Klantcontact.plaatsgevonden_op),
        "reactie": contains(Klantcontact.reactie),
        "referentienummer": equals(Klantcontact.referentienummer),
        "vertrouwelijk": equals(Klantcontact.vertrouwelijk),
        "onderwerpobject__url": lambda v: onderwerp(
            "klantcontact_id", "uuid", our_uuid(urls, v, "onderwerpobjecten")
        ),
        "onderwerpobject__uuid": lambda v: onderwerp("klantcontact_id", "uuid", v),
        "wasOnderwerpobject__url": lambda v: onderwerp(
            "was_klantcontact_id", "uuid", our_uuid(urls, v, "onderwerpobjecten")
        ),
        "wasOnderwerpobject__uuid": lambda v: onderwerp("was_klantcontact_id", "uuid", v),
    }
    for veld, column in _IDENT.items():
        name = f"onderwerpobjectidentificator{veld}"
        conditions[f"onderwerpobject__{name}"] = over("klantcontact_id", column)
        conditions[f"wasOnderwerpobject__{name}"] = over("was_klantcontact_id", column)
    for veld, column in (
        ("codeObjecttype", "code_objecttype"),
        ("codeRegister", "code_register"),
        ("codeSoortObjectId", "code_soort_object_id"),
        ("objectId", "object_id"),
    ):
        conditions[f"hadBetrokkene__wasPartij__partijIdentificator__{veld}"] = partij_met(column)
    return conditions


def klantcontacten(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    stmt = filtered(select(Klantcontact), given, klantcontact_conditions(urls))
    return stmt.order_by(Klantcontact.id.desc())


class Related:
    def __init__(self) -> None:
        self.onderwerpobjecten: dict[int, list[Any]] = {}
        self.bijlagen: dict[int, list[Any]] = {}
        self.betrokkenen: dict[int, list[Any]] = {}
        self.internetaken: dict[int, list[Any]] = {}
        self.actoren: dict[int, list[Any]] = {}


async def related(session: AsyncSession, items: Sequence[Klantcontact]) -> Related:
    """The references of a page of klantcontacten, in five queries."""
    out = Related()
    ids = [k.id for k in items]
    if not ids:
        return out
    for attr, model in (
        ("onderwerpobjecten", Onderwerpobject),
        ("bijlagen", Bijlage),
        ("betrokkenen", Betrokkene),
        ("internetaken", InterneTaak),
    ):
        setattr(
            out,
            attr,
            await grouped(
                session,
                select(model.klantcontact_id, model.uuid)
                .where(model.klantcontact_id.in_(ids))
                .order_by(model.id),
            ),
        )
    out.actoren = await grouped(
        session,
        select(ActorKlantcontact.klantcontact_id, Actor)
        .join(Actor, Actor.id == ActorKlantcontact.actor_id)
        .where(ActorKlantcontact.klantcontact_id.in_(ids))
        .order_by(ActorKlantcontact.id),
    )
    return out


def betrokkenen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    klantcontact = aliased(Klantcontact)
    partij = aliased(Partij)

    def adres(*where: Any) -> Any:
        return Betrokkene.id.in_(select(DigitaalAdres.betrokkene_id).where(*where))

    def identificator(column: str) -> Condition:
        return lambda v: Betrokkene.partij_id.in_(
            select(PartijIdentificator.partij_id).where(getattr(PartijIdentificator, column) == v)
        )

    conditions: dict[str, Condition] = {
        "contactnaamAchternaam": lambda v: json_text(Betrokkene.contactnaam, "achternaam") == v,
        "contactnaamVoorletters": lambda v: json_text(Betrokkene.contactnaam, "voorletters") == v,
        "contactnaamVoornaam": lambda v: json_text(Betrokkene.contactnaam, "voornaam") == v,
        "contactnaamVoorvoegselAchternaam": lambda v: (
            json_text(Betrokkene.contactnaam, "voorvoegselAchternaam") == v
        ),
        "hadKlantcontact__nummer": equals(klantcontact.nummer),
        "hadKlantcontact__referentienummer": equals(klantcontact.referentienummer),
        "hadKlantcontact__url": by_url(urls, klantcontact.uuid, "klantcontacten"),
        "hadKlantcontact__uuid": equals(klantcontact.uuid),
        "organisatienaam": equals(Betrokkene.organisatienaam),
        "verstrektedigitaalAdres__adres": lambda v: adres(DigitaalAdres.adres == v),
        "verstrektedigitaalAdres__url": lambda v: adres(
            DigitaalAdres.uuid == our_uuid(urls, v, "digitaleadressen")
        ),
        "verstrektedigitaalAdres__uuid": lambda v: adres(DigitaalAdres.uuid == v),
        "wasPartij__nummer": equals(partij.nummer),
        "wasPartij__url": by_url(urls, partij.uuid, "partijen"),
        "wasPartij__uuid": equals(partij.uuid),
        "wasPartij__partijIdentificator__codeObjecttype": identificator("code_objecttype"),
        "wasPartij__partijIdentificator__codeRegister": identificator("code_register"),
        "wasPartij__partijIdentificator__codeSoortObjectId": identificator("code_soort_object_id"),
        "wasPartij__partijIdentificator__objectId": identificator("object_id"),
    }
    stmt = (
        select(Betrokkene)
        .join(klantcontact, klantcontact.id == Betrokkene.klantcontact_id)
        .outerjoin(partij, partij.id == Betrokkene.partij_id)
    )
    return filtered(stmt, given, conditions).order_by(Betrokkene.id.desc())


def onderwerpobjecten(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    klantcontact = aliased(Klantcontact)
    was = aliased(Klantcontact)
    conditions: dict[str, Condition] = {
        "klantcontact__url": by_url(urls, klantcontact.uuid, "klantcontacten"),
        "klantcontact__uuid": equals(klantcontact.uuid),
        "wasKlantcontact__url": by_url(urls, was.uuid, "klantcontacten"),
        "wasKlantcontact__uuid": equals(was.uuid),
    }
    for veld, column in _IDENT.items():
        conditions[f"onderwerpobjectidentificator{veld}"] = equals(getattr(Onderwerpobject, column))
    stmt = (
        select(Onderwerpobject)
        .outerjoin(klantcontact, klantcontact.id == Onderwerpobject.klantcontact_id)
        .outerjoin(was, was.id == Onderwerpobject.was_klantcontact_id)
    )
    return filtered(stmt, given, conditions).order_by(Onderwerpobject.id.desc())


def bijlagen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    klantcontact = aliased(Klantcontact)
    conditions: dict[str, Condition] = {"klantcontact__uuid": equals(klantcontact.uuid)}
    for veld, column in _IDENT.items():
        conditions[f"bijlageidentificator{veld}"] = equals(getattr(Bijlage, column))
    stmt = select(Bijlage).outerjoin(klantcontact, klantcontact.id == Bijlage.klantcontact_id)
    return filtered(stmt, given, conditions).order_by(Bijlage.id.desc())


async def digitale_adressen_van(
    session: AsyncSession, betrokkene_ids: Sequence[int]
) -> dict[int, list[Any]]:
    if not betrokkene_ids:
        return {}
    return await grouped(
        session,
        select(DigitaalAdres.betrokkene_id, DigitaalAdres.uuid)
        .where(DigitaalAdres.betrokkene_id.in_(betrokkene_ids))
        .order_by(DigitaalAdres.id),
    )
