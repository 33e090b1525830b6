"""Queries of DigitaalAdres, Rekeningnummer, Categorie and CategorieRelatie."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
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
)
from mijnzaken.klantinteracties.repository.common import (
    Condition,
    by_url,
    contains,
    equals,
    filtered,
)


def _by_identificator(field: str) -> Condition:
    column = getattr(PartijIdentificator, field)
    return lambda value: DigitaalAdres.partij_id.in_(
        select(PartijIdentificator.partij_id).where(column == value)
    )


def digitale_adressen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    partij = aliased(Partij)
    betrokkene = aliased(Betrokkene)
    datum = DigitaalAdres.verificatie_datum
    conditions: dict[str, Condition] = {
        "adres": equals(DigitaalAdres.adres),
        "adres__icontains": contains(DigitaalAdres.adres),
        "isGeverifieerd": lambda v: datum.is_not(None) if v else datum.is_(None),
        "isStandaardAdres": equals(DigitaalAdres.is_standaard_adres),
        "omschrijving": equals(DigitaalAdres.omschrijving),
        "referentie": equals(DigitaalAdres.referentie),
        "soortDigitaalAdres": equals(DigitaalAdres.soort_digitaal_adres),
        "verificatieDatum": equals(datum),
        "verificatieDatum__gt": lambda v: datum > v,
        "verificatieDatum__gte": lambda v: datum >= v,
        "verificatieDatum__lt": lambda v: datum < v,
        "verificatieDatum__lte": lambda v: datum <= v,
        "verstrektDoorBetrokkene__rol": equals(betrokkene.rol),
        "verstrektDoorBetrokkene__url": by_url(urls, betrokkene.uuid, "betrokkenen"),
        "verstrektDoorBetrokkene__uuid": equals(betrokkene.uuid),
        "verstrektDoorPartij__partijIdentificator__codeObjecttype": _by_identificator(
            "code_objecttype"
        ),
        "verstrektDoorPartij__partijIdentificator__codeRegister": _by_identificator(
            "code_register"
        ),
        "verstrektDoorPartij__partijIdentificator__codeSoortObjectId": _by_identificator(
            "code_soort_object_id"
        ),
        "verstrektDoorPartij__partijIdentificator__objectId": _by_identificator("object_id"),
        "verstrektDoorPartij__soortPartij": equals(partij.soort_partij),
        "verstrektDoorPartij__url": by_url(urls, partij.uuid, "partijen"),
        "verstrektDoorPartij__uuid": equals(partij.uuid),
    }
    stmt = (
        select(DigitaalAdres)
        .outerjoin(partij, partij.id == DigitaalAdres.partij_id)
        .outerjoin(betrokkene, betrokkene.id == DigitaalAdres.betrokkene_id)
    )
    return filtered(stmt, given, conditions).order_by(DigitaalAdres.id.desc())


def rekeningnummers(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    conditions: dict[str, Condition] = {
        "bic": equals(Rekeningnummer.bic),
        "iban": lambda v: Rekeningnummer.iban == str(v).upper(),
        "uuid": equals(Rekeningnummer.uuid),
    }
    stmt = filtered(select(Rekeningnummer), given, conditions)
    return stmt.order_by(Rekeningnummer.id.desc())


def categorieen(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    return select(Categorie).order_by(Categorie.id.desc())


def categorie_relaties(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    partij = aliased(Partij)
    categorie = aliased(Categorie)
    conditions: dict[str, Condition] = {
        "beginDatum": equals(CategorieRelatie.begin_datum),
        "eindDatum": equals(CategorieRelatie.eind_datum),
        "categorie__naam": equals(categorie.naam),
        "categorie__url": by_url(urls, categorie.uuid, "categorieen"),
        "categorie__uuid": equals(categorie.uuid),
        "partij__nummer": equals(partij.nummer),
        "partij__url": by_url(urls, partij.uuid, "partijen"),
        "partij__uuid": equals(partij.uuid),
    }
    stmt = (
        select(CategorieRelatie)
        .outerjoin(partij, partij.id == CategorieRelatie.partij_id)
        .outerjoin(categorie, categorie.id == CategorieRelatie.categorie_id)
    )
    return filtered(stmt, given, conditions).order_by(CategorieRelatie.id.desc())
