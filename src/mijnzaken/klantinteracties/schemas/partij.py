"""Schemas of Partij (persoon, organisatie, contactpersoon), PartijIdentificator and
Vertegenwoordiging."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, RootModel

from mijnzaken.core.api import ApiModel
from mijnzaken.klantinteracties.schemas.common import (
    Adres,
    Contactnaam,
    DocModel,
    Ref,
    RefOut,
    expanded_doc,
    list_filter,
    patch_of,
)

SoortPartij = Literal["persoon", "organisatie", "contactpersoon"]
CodeObjecttype = Literal["natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging"]
CodeSoortObjectId = Literal["bsn", "vestigingsnummer", "kvk_nummer", "rsin"]
CodeRegister = Literal["brp", "hr"]


class PartijIdentificatorGroep(ApiModel):
    code_objecttype: CodeObjecttype
    code_soort_object_id: CodeSoortObjectId
    object_id: str = Field(max_length=200)
    code_register: CodeRegister


class PartijIdentificatorWrite(ApiModel):
    identificeerde_partij: Ref | None = None
    andere_partij_identificator: str = Field(default="", max_length=200)
    partij_identificator: PartijIdentificatorGroep
    sub_identificator_van: Ref | None = None


PartijIdentificatorPatch = patch_of(PartijIdentificatorWrite, "PatchedPartijIdentificator")


class NestedPartijIdentificator(PartijIdentificatorWrite):
    """An identificator given inside a partij: with `uuid` an existing one (changed), without
    a new one; `identificeerdePartij` is always that partij."""

    uuid: Any = None


class PartijIdentificatorOut(DocModel):
    uuid: str
    url: str
    identificeerde_partij: RefOut | None
    andere_partij_identificator: str
    partij_identificator: dict[str, str]
    sub_identificator_van: RefOut | None


PartijIdentificatorFilter = list_filter(
    "PartijIdentificatorFilter",
    {
        "anderePartijIdentificator": str,
        "partijIdentificatorCodeObjecttype": CodeObjecttype,
        "partijIdentificatorCodeRegister": CodeRegister,
        "partijIdentificatorCodeSoortObjectId": CodeSoortObjectId,
        "partijIdentificatorObjectId": str,
    },
)


# --- partijIdentificatie per soortPartij ----------------------------------------------------


class PersoonIdentificatie(ApiModel):
    contactnaam: Contactnaam | None = None


class OrganisatieIdentificatie(ApiModel):
    naam: str = Field(default="", max_length=200)


class ContactpersoonIdentificatie(ApiModel):
    uuid: Any = None  # read back as given; the register assigns it
    werkte_voor_partij: Ref | None = None
    contactnaam: Contactnaam | None = None


IDENTIFICATIE = {
    "persoon": PersoonIdentificatie,
    "organisatie": OrganisatieIdentificatie,
    "contactpersoon": ContactpersoonIdentificatie,
}


class PartijWrite(ApiModel):
    nummer: str | None = Field(default=None, max_length=10)
    interne_notitie: str = Field(default="", max_length=1000)
    digitale_adressen: list[Ref] | None = None
    voorkeurs_digitaal_adres: Ref | None = None
    rekeningnummers: list[Ref] | None = None
    voorkeurs_rekeningnummer: Ref | None = None
    partij_identificatoren: list[NestedPartijIdentificator] | None = None
    soort_partij: SoortPartij
    indicatie_geheimhouding: bool | None = None
    voorkeurstaal: str = Field(default="", max_length=3)
    indicatie_actief: bool
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None
    partij_identificatie: dict[str, Any] | None = None


PartijPatch = patch_of(PartijWrite, "PatchedPartij")


class _PartijBase(DocModel):
    uuid: str
    url: str
    nummer: str | None
    interne_notitie: str
    betrokkenen: list[RefOut]
    categorie_relaties: list[dict[str, Any]]
    digitale_adressen: list[RefOut] | None
    voorkeurs_digitaal_adres: RefOut | None
    vertegenwoordigden: list[RefOut]
    rekeningnummers: list[RefOut] | None
    voorkeurs_rekeningnummer: RefOut | None
    partij_identificatoren: list[PartijIdentificatorOut] | None
    indicatie_geheimhouding: bool | None
    voorkeurstaal: str
    indicatie_actief: bool
    bezoekadres: dict[str, Any] | None
    correspondentieadres: dict[str, Any] | None


class PersoonPartij(_PartijBase):
    soort_partij: Literal["persoon"]
    partij_identificatie: dict[str, Any]


class OrganisatiePartij(_PartijBase):
    soort_partij: Literal["organisatie"]
    partij_identificatie: dict[str, Any]


class ContactpersoonPartij(_PartijBase):
    soort_partij: Literal["contactpersoon"]
    partij_identificatie: dict[str, Any]


class Partij(RootModel[Any]):
    """A partij: persoon, organisatie or contactpersoon, told apart by `soortPartij`."""

    root: Annotated[
        PersoonPartij | OrganisatiePartij | ContactpersoonPartij,
        Field(discriminator="soort_partij"),
    ]


ExpandPartij = expanded_doc("ExpandPartij", "Partij")

PartijFilter = list_filter(
    "PartijFilter",
    {
        **{
            f"{groep}{veld}": str
            for groep in ("bezoekadres", "correspondentieadres")
            for veld in (
                "Adresregel1",
                "Adresregel2",
                "Adresregel3",
                "Land",
                "NummeraanduidingId",
            )
        },
        "categorierelatie__categorie__naam": str,
        "expand": str,
        "indicatieActief": bool,
        "indicatieGeheimhouding": bool,
        "nummer": str,
        "partijIdentificator__codeObjecttype": str,
        "partijIdentificator__codeRegister": str,
        "partijIdentificator__codeSoortObjectId": str,
        "partijIdentificator__objectId": str,
        "soortPartij": SoortPartij,
        "subIdentificatorVan__codeObjecttype": str,
        "subIdentificatorVan__codeRegister": str,
        "subIdentificatorVan__codeSoortObjectId": str,
        "subIdentificatorVan__objectId": str,
        "vertegenwoordigdePartij__url": str,
        "vertegenwoordigdePartij__uuid": uuid.UUID,
    },
)


class PartijRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None


# --- vertegenwoordigingen --------------------------------------------------------------------


class VertegenwoordigingWrite(ApiModel):
    vertegenwoordigende_partij: Ref
    vertegenwoordigde_partij: Ref


VertegenwoordigingPatch = patch_of(VertegenwoordigingWrite, "PatchedVertegenwoordigden")


class Vertegenwoordiging(DocModel):
    uuid: str
    url: str
    vertegenwoordigende_partij: RefOut
    vertegenwoordigde_partij: RefOut


VertegenwoordigingFilter = list_filter(
    "VertegenwoordigingFilter",
    {
        "vertegenwoordigdePartij__url": str,
        "vertegenwoordigdePartij__uuid": uuid.UUID,
        "vertegenwoordigendePartij__url": str,
        "vertegenwoordigendePartij__uuid": uuid.UUID,
    },
)
