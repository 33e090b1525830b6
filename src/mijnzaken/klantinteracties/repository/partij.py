"""Queries of Partij, PartijIdentificator and Vertegenwoordiging."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mijnzaken.core.urls import Urls
from mijnzaken.klantinteracties.models import (
    Betrokkene,
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    Rekeningnummer,
    Vertegenwoordiging,
)
from mijnzaken.klantinteracties.repository.common import (
    Condition,
    by_url,
    equals,
    filtered,
    grouped,
    json_equals,
)

Sub = aliased(PartijIdentificator)
Other = aliased(Partij)  # another partij, inside a subquery about the listed one


def _identified(field: str, sub: bool = False) -> Condition:
    """Partijen with an identificator whose `field` (or whose parent's) has the value."""
    column = getattr(Sub if sub else PartijIdentificator, field)

    def condition(value: Any) -> Any:
        stmt = select(PartijIdentificator.partij_id)
        if sub:
            stmt = stmt.join(Sub, Sub.id == PartijIdentificator.sub_identificator_van_id)
        return Partij.id.in_(stmt.where(column == value))

    return condition


def partij_conditions(urls: Urls) -> dict[str, Condition]:
    conditions: dict[str, Condition] = {
        f"{groep}{veld}": json_equals(getattr(Partij, groep), key)
        for groep in ("bezoekadres", "correspondentieadres")
        for veld, key in (
            ("Adresregel1", "adresregel1"),
            ("Adresregel2", "adresregel2"),
            ("Adresregel3", "adresregel3"),
            ("Land", "land"),
            ("NummeraanduidingId", "nummeraanduidingId"),
        )
    }
    vertegenwoordigd = by_url(urls, Other.uuid, "partijen")
    conditions.update(
        {
            "categorierelatie__categorie__naam": lambda value: Partij.id.in_(
                select(CategorieRelatie.partij_id)
                .join(Categorie, Categorie.id == CategorieRelatie.categorie_id)
                .where(Categorie.naam == value)
            ),
            "indicatieActief": equals(Partij.indicatie_actief),
            "indicatieGeheimhouding": equals(Partij.indicatie_geheimhouding),
            "nummer": equals(Partij.nummer),
            "soortPartij": equals(Partij.soort_partij),
            "partijIdentificator__codeObjecttype": _identified("code_objecttype"),
            "partijIdentificator__codeRegister": _identified("code_register"),
            "partijIdentificator__codeSoortObjectId": _identified("code_soort_object_id"),
            "partijIdentificator__objectId": _identified("object_id"),
            "subIdentificatorVan__codeObjecttype": _identified("code_objecttype", sub=True),
            "subIdentificatorVan__codeRegister": _identified("code_register", sub=True),
            "subIdentificatorVan__codeSoortObjectId": _identified("code_soort_object_id", sub=True),
            "subIdentificatorVan__objectId": _identified("object_id", sub=True),
            # partijen that represent the given partij
            "vertegenwoordigdePartij__url": lambda value: Partij.id.in_(
                select(Vertegenwoordiging.vertegenwoordigende_partij_id)
                .join(Other, Other.id == Vertegenwoordiging.vertegenwoordigde_partij_id)
                .where(vertegenwoordigd(value))
            ),
            "vertegenwoordigdePartij__uuid": lambda value: Partij.id.in_(
                select(Vertegenwoordiging.vertegenwoordigende_partij_id)
                .join(Other, Other.id == Vertegenwoordiging.vertegenwoordigde_partij_id)
                .where(Other.uuid == value)
            ),
        }
    )
    return conditions


def partijen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    """The list query of /partijen, newest first."""
    return filtered(select(Partij), given, partij_conditions(urls)).order_by(Partij.id.desc())


class Related:
    """Everything a page of partijen renders besides its own columns, in seven queries."""

    def __init__(self) -> None:
        self.betrokkenen: dict[int, list[Any]] = {}
        self.categorie_relaties: dict[int, list[Any]] = {}
        self.digitale_adressen: dict[int, list[Any]] = {}
        self.vertegenwoordigden: dict[int, list[Any]] = {}
        self.rekeningnummers: dict[int, list[Any]] = {}
        self.identificatoren: dict[int, list[Any]] = {}
        self.werkgevers: dict[int, Any] = {}


async def related(session: AsyncSession, items: Sequence[Partij]) -> Related:
    out = Related()
    ids = [p.id for p in items]
    if not ids:
        return out
    out.betrokkenen = await grouped(
        session,
        select(Betrokkene.partij_id, Betrokkene.uuid)
        .where(Betrokkene.partij_id.in_(ids))
        .order_by(Betrokkene.id),
    )
    out.categorie_relaties = await grouped(
        session,
        select(
            CategorieRelatie.partij_id,
            CategorieRelatie.uuid,
            Categorie.naam,
            CategorieRelatie.begin_datum,
            CategorieRelatie.eind_datum,
        )
        .outerjoin(Categorie, Categorie.id == CategorieRelatie.categorie_id)
        .where(CategorieRelatie.partij_id.in_(ids))
        .order_by(CategorieRelatie.id),
    )
    out.digitale_adressen = await grouped(
        session,
        select(DigitaalAdres.partij_id, DigitaalAdres.uuid, DigitaalAdres.is_voorkeur)
        .where(DigitaalAdres.partij_id.in_(ids))
        .order_by(DigitaalAdres.id),
    )
    vertegenwoordigde = aliased(Partij)
    out.vertegenwoordigden = await grouped(
        session,
        select(Vertegenwoordiging.vertegenwoordigende_partij_id, vertegenwoordigde.uuid)
        .join(
            vertegenwoordigde,
            vertegenwoordigde.id == Vertegenwoordiging.vertegenwoordigde_partij_id,
        )
        .where(Vertegenwoordiging.vertegenwoordigende_partij_id.in_(ids))
        .order_by(Vertegenwoordiging.id),
    )
    out.rekeningnummers = await grouped(
        session,
        select(Rekeningnummer.partij_id, Rekeningnummer.uuid, Rekeningnummer.is_voorkeur)
        .where(Rekeningnummer.partij_id.in_(ids))
        .order_by(Rekeningnummer.id),
    )
    out.identificatoren = await grouped(
        session,
        select(PartijIdentificator.partij_id, PartijIdentificator, Sub.uuid)
        .outerjoin(Sub, Sub.id == PartijIdentificator.sub_identificator_van_id)
        .where(PartijIdentificator.partij_id.in_(ids))
        .order_by(PartijIdentificator.id),
    )
    werkgever_ids = {p.werkte_voor_partij_id for p in items if p.werkte_voor_partij_id}
    if werkgever_ids:
        rows = await session.execute(
            select(Partij.id, Partij.uuid).where(Partij.id.in_(werkgever_ids))
        )
        out.werkgevers = dict(rows.all())
    return out


def identificatoren(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    """The list query of /partij-identificatoren, newest first."""
    conditions: dict[str, Condition] = {
        "anderePartijIdentificator": equals(PartijIdentificator.andere_partij_identificator),
        "partijIdentificatorCodeObjecttype": equals(PartijIdentificator.code_objecttype),
        "partijIdentificatorCodeRegister": equals(PartijIdentificator.code_register),
        "partijIdentificatorCodeSoortObjectId": equals(PartijIdentificator.code_soort_object_id),
        "partijIdentificatorObjectId": equals(PartijIdentificator.object_id),
    }
    stmt = filtered(select(PartijIdentificator), given, conditions)
    return stmt.order_by(PartijIdentificator.id.desc())


def vertegenwoordigingen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    vertegenwoordigde = aliased(Partij)
    vertegenwoordigende = aliased(Partij)
    conditions: dict[str, Condition] = {
        "vertegenwoordigdePartij__url": by_url(urls, vertegenwoordigde.uuid, "partijen"),
        "vertegenwoordigdePartij__uuid": equals(vertegenwoordigde.uuid),
        "vertegenwoordigendePartij__url": by_url(urls, vertegenwoordigende.uuid, "partijen"),
        "vertegenwoordigendePartij__uuid": equals(vertegenwoordigende.uuid),
    }
    stmt = (
        select(Vertegenwoordiging)
        .join(
            vertegenwoordigde,
            vertegenwoordigde.id == Vertegenwoordiging.vertegenwoordigde_partij_id,
        )
        .join(
            vertegenwoordigende,
            vertegenwoordigende.id == Vertegenwoordiging.vertegenwoordigende_partij_id,
        )
    )
    return filtered(stmt, given, conditions).order_by(Vertegenwoordiging.id.desc())


async def bsns(
    session: AsyncSession, partij_uuids: Iterable[uuid.UUID], betrokkene_uuids: Iterable[uuid.UUID]
) -> list[str]:
    """The BSNs of the given partijen and of the partijen the given betrokkenen were, in one
    query (for the processing log)."""
    partijen, betrokkenen = list(set(partij_uuids)), list(set(betrokkene_uuids))
    if not partijen and not betrokkenen:
        return []
    van_partij = select(Partij.id).where(Partij.uuid.in_(partijen))
    van_betrokkene = select(Betrokkene.partij_id).where(Betrokkene.uuid.in_(betrokkenen))
    stmt = select(PartijIdentificator.object_id).where(
        PartijIdentificator.code_soort_object_id == "bsn",
        or_(
            PartijIdentificator.partij_id.in_(van_partij),
            PartijIdentificator.partij_id.in_(van_betrokkene),
        ),
    )
    return sorted(set((await session.execute(stmt)).scalars()))
