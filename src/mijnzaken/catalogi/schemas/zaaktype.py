"""Request, response and filter schemas of ZaakType (Catalogi 1.3.3)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url, check_duration, check_url

Vertrouwelijkheidaanduiding = vocabulary.Vertrouwelijkheidaanduiding
AardRelatie = Literal["vervolg", "bijdrage", "onderwerp"]


def _duration(value: str) -> str:
    # isodate overflows on huge numbers (P99999999999D): that is bad input, not a server error
    try:
        return check_duration(value)
    except OverflowError as exc:
        raise PydanticCustomError(
            "invalid", "Ongeldige duur: gebruik ISO 8601, bijvoorbeeld P30D.", {"code": "invalid"}
        ) from exc


# An ISO 8601 duration; the columns hold at most 40 characters.
Duur = Annotated[
    str,
    Field(max_length=40, json_schema_extra={"format": "duration"}),
    AfterValidator(_duration),
]


def _url_or_empty(value: str) -> str:
    return value if value == "" else check_url(value)


# ztc-001 (syntax): a URL when filled in; the Selectielijst API itself is not consulted.
OptionalUrl200 = Annotated[
    str, Field(max_length=200, json_schema_extra={"format": "uri"}), AfterValidator(_url_or_empty)
]
Trefwoord = Annotated[str, Field(max_length=30)]
Verantwoordingsrelatie = Annotated[str, Field(max_length=40)]


class ReferentieProces(ApiModel):
    naam: str = Field(max_length=80)
    link: OptionalUrl200 = ""


class BronCatalogus(ApiModel):
    url: Annotated[str, Field(max_length=200), AfterValidator(check_url)]
    domein: str = Field(max_length=5)
    rsin: str = Field(max_length=9)


class BronZaaktype(ApiModel):
    url: Annotated[str, Field(max_length=200), AfterValidator(check_url)]
    identificatie: str = Field(max_length=50)
    omschrijving: str = Field(max_length=80)


class ZaakTypenRelatieCreate(ApiModel):
    """A related zaaktype, named by its identificatie (or, as older clients do, its URL)."""

    zaaktype: str = Field(min_length=1, max_length=200)
    aard_relatie: AardRelatie
    toelichting: str = Field(default="", max_length=255)


class ZaakTypenRelatie(ApiModel):
    zaaktype: str
    zaaktype_identificatie: str
    aard_relatie: AardRelatie
    toelichting: str = ""


class ZaakTypeCreate(ApiModel):
    """The request body of a create: references to other types by name."""

    identificatie: str = Field(min_length=1, max_length=50)
    omschrijving: str = Field(max_length=80)
    omschrijving_generiek: str = Field(default="", max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    doel: str
    aanleiding: str
    toelichting: str = ""
    indicatie_intern_of_extern: Literal["intern", "extern"]
    handeling_initiator: str = Field(max_length=20)
    onderwerp: str = Field(max_length=80)
    handeling_behandelaar: str = Field(max_length=20)
    doorlooptijd: Duur
    servicenorm: Duur | None = None
    opschorting_en_aanhouding_mogelijk: bool
    verlenging_mogelijk: bool
    verlengingstermijn: Duur | None = None
    trefwoorden: list[Trefwoord] = Field(default_factory=list)
    publicatie_indicatie: bool
    publicatietekst: str = ""
    verantwoordingsrelatie: list[Verantwoordingsrelatie] = Field(default_factory=list)
    producten_of_diensten: list[Url]
    selectielijst_procestype: OptionalUrl200 = ""
    referentieproces: ReferentieProces
    verantwoordelijke: str = Field(max_length=50)
    broncatalogus: BronCatalogus | None = None
    bronzaaktype: BronZaaktype | None = None
    catalogus: str = Field(max_length=1000)
    # omschrijvingen of besluittypen; identificaties of zaaktypen (URLs are accepted too)
    besluittypen: list[str]
    deelzaaktypen: list[str] = Field(default_factory=list)
    gerelateerde_zaaktypen: list[ZaakTypenRelatieCreate]
    begin_geldigheid: dt.date
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    versiedatum: dt.date | None = None


class ZaakTypeUpdate(ZaakTypeCreate):
    """The request body of a PUT (and a PATCH merged with the current state)."""

    deelzaaktypen: list[str]


class ZaakTypePatch(ApiModel):
    """The request body of a PATCH: any field of ZaakTypeUpdate."""

    identificatie: str | None = Field(default=None, min_length=1, max_length=50)
    omschrijving: str | None = Field(default=None, max_length=80)
    omschrijving_generiek: str | None = Field(default=None, max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = None
    doel: str | None = None
    aanleiding: str | None = None
    toelichting: str | None = None
    indicatie_intern_of_extern: Literal["intern", "extern"] | None = None
    handeling_initiator: str | None = Field(default=None, max_length=20)
    onderwerp: str | None = Field(default=None, max_length=80)
    handeling_behandelaar: str | None = Field(default=None, max_length=20)
    doorlooptijd: Duur | None = None
    servicenorm: Duur | None = None
    opschorting_en_aanhouding_mogelijk: bool | None = None
    verlenging_mogelijk: bool | None = None
    verlengingstermijn: Duur | None = None
    trefwoorden: list[Trefwoord] | None = None
    publicatie_indicatie: bool | None = None
    publicatietekst: str | None = None
    verantwoordingsrelatie: list[Verantwoordingsrelatie] | None = None
    producten_of_diensten: list[Url] | None = None
    selectielijst_procestype: OptionalUrl200 | None = None
    referentieproces: ReferentieProces | None = None
    verantwoordelijke: str | None = Field(default=None, max_length=50)
    broncatalogus: BronCatalogus | None = None
    bronzaaktype: BronZaaktype | None = None
    catalogus: str | None = Field(default=None, max_length=1000)
    besluittypen: list[str] | None = None
    deelzaaktypen: list[str] | None = None
    gerelateerde_zaaktypen: list[ZaakTypenRelatieCreate] | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    versiedatum: dt.date | None = None


class ZaakType(ApiModel):
    """The response body (for the generated OpenAPI document)."""

    url: str
    identificatie: str
    omschrijving: str
    omschrijving_generiek: str
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    doel: str
    aanleiding: str
    toelichting: str
    indicatie_intern_of_extern: Literal["intern", "extern"]
    handeling_initiator: str
    onderwerp: str
    handeling_behandelaar: str
    doorlooptijd: str
    servicenorm: str | None
    opschorting_en_aanhouding_mogelijk: bool
    verlenging_mogelijk: bool
    verlengingstermijn: str | None
    trefwoorden: list[str]
    publicatie_indicatie: bool
    publicatietekst: str
    verantwoordingsrelatie: list[str]
    producten_of_diensten: list[str]
    selectielijst_procestype: str
    referentieproces: ReferentieProces
    verantwoordelijke: str
    zaakobjecttypen: list[str]
    broncatalogus: BronCatalogus | None = None
    bronzaaktype: BronZaaktype | None = None
    catalogus: str
    statustypen: list[str]
    resultaattypen: list[str]
    eigenschappen: list[str]
    informatieobjecttypen: list[str]
    informatieobjecttype_omschrijving: list[str]
    roltypen: list[str]
    besluittypen: list[str]
    besluittype_omschrijving: list[str]
    deelzaaktypen: list[str]
    deelzaaktype_identificaties: list[str]
    gerelateerde_zaaktypen: list[ZaakTypenRelatie]
    begin_geldigheid: dt.date
    einde_geldigheid: dt.date | None
    begin_object: dt.date | None
    einde_object: dt.date | None
    versiedatum: dt.date
    concept: bool


class ZaakTypeExpanded(ZaakType):
    """The response body of list and retrieve, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class ZaakTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    catalogus: str | None = None
    identificatie: str | None = None
    trefwoorden: str | None = None
    status: Literal["alles", "concept", "definitief"] = "definitief"
    datum_geldigheid: dt.date | None = None
    page: int = Field(default=1)
    expand: str | None = None
