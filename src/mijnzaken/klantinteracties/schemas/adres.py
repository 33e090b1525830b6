"""Schemas of DigitaalAdres, Rekeningnummer, Categorie and CategorieRelatie."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.klantinteracties.schemas.common import (
    DocModel,
    Ref,
    RefOut,
    list_filter,
    patch_of,
)

SoortDigitaalAdres = Literal["email", "telefoonnummer", "overig"]


class DigitaalAdresWrite(ApiModel):
    verstrekt_door_betrokkene: Ref | None = None
    verstrekt_door_partij: Ref | None = None
    adres: str = Field(max_length=80)
    soort_digitaal_adres: SoortDigitaalAdres
    is_standaard_adres: bool = False
    omschrijving: str = Field(default="", max_length=40)
    referentie: str = Field(default="", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")
    verificatie_datum: dt.date | None = None


DigitaalAdresPatch = patch_of(DigitaalAdresWrite, "PatchedDigitaalAdres")


class DigitaalAdres(DocModel):
    uuid: str
    url: str
    verstrekt_door_betrokkene: RefOut | None
    verstrekt_door_partij: RefOut | None
    adres: str
    soort_digitaal_adres: SoortDigitaalAdres
    is_standaard_adres: bool
    omschrijving: str
    referentie: str | None = None
    verificatie_datum: dt.date | None


class DigitaalAdresExpanded(DigitaalAdres):
    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


DigitaalAdresFilter = list_filter(
    "DigitaalAdresFilter",
    {
        "adres": str,
        "adres__icontains": str,
        "expand": str,
        "isGeverifieerd": bool,
        "isStandaardAdres": bool,
        "omschrijving": str,
        "referentie": str,
        "soortDigitaalAdres": SoortDigitaalAdres,
        "verificatieDatum": dt.date,
        "verificatieDatum__gt": dt.date,
        "verificatieDatum__gte": dt.date,
        "verificatieDatum__lt": dt.date,
        "verificatieDatum__lte": dt.date,
        "verstrektDoorBetrokkene__rol": Literal["klant", "vertegenwoordiger"],
        "verstrektDoorBetrokkene__url": str,
        "verstrektDoorBetrokkene__uuid": uuid.UUID,
        "verstrektDoorPartij__partijIdentificator__codeObjecttype": str,
        "verstrektDoorPartij__partijIdentificator__codeRegister": str,
        "verstrektDoorPartij__partijIdentificator__codeSoortObjectId": str,
        "verstrektDoorPartij__partijIdentificator__objectId": str,
        "verstrektDoorPartij__soortPartij": Literal["contactpersoon", "organisatie", "persoon"],
        "verstrektDoorPartij__url": str,
        "verstrektDoorPartij__uuid": uuid.UUID,
    },
)


class ExpandQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None


# --- rekeningnummers ---------------------------------------------------------------------


class RekeningnummerWrite(ApiModel):
    partij: Ref | None = None
    iban: str = Field(max_length=34, pattern=r"^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$")
    bic: str = Field(default="", max_length=11, pattern=r"^(\S{8,11})?$")


RekeningnummerPatch = patch_of(RekeningnummerWrite, "PatchedRekeningnummer")


class Rekeningnummer(DocModel):
    uuid: str
    url: str
    partij: RefOut | None
    iban: str
    bic: str | None = None


RekeningnummerFilter = list_filter(
    "RekeningnummerFilter", {"bic": str, "iban": str, "uuid": uuid.UUID}
)


# --- categorieën ---------------------------------------------------------------------------


class CategorieWrite(ApiModel):
    naam: str = Field(default="", max_length=80)


CategoriePatch = patch_of(CategorieWrite, "PatchedCategorie")


class Categorie(DocModel):
    uuid: str
    url: str
    naam: str


CategorieFilter = list_filter("CategorieFilter", {})


class CategorieRelatieWrite(ApiModel):
    partij: Ref | None = None
    categorie: Ref | None = None
    begin_datum: dt.date | None = None
    eind_datum: dt.date | None = None


CategorieRelatiePatch = patch_of(CategorieRelatieWrite, "PatchedCategorieRelatie")


class CategorieRelatie(DocModel):
    uuid: str
    url: str
    partij: RefOut | None
    categorie: dict[str, Any] | None
    begin_datum: dt.date | None
    eind_datum: dt.date | None


CategorieRelatieFilter = list_filter(
    "CategorieRelatieFilter",
    {
        "beginDatum": dt.date,
        "categorie__naam": str,
        "categorie__url": str,
        "categorie__uuid": uuid.UUID,
        "eindDatum": dt.date,
        "partij__nummer": str,
        "partij__url": str,
        "partij__uuid": uuid.UUID,
    },
)
