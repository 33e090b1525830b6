"""Request, response and filter schemas of InformatieObjectType."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

Vertrouwelijkheidaanduiding = vocabulary.Vertrouwelijkheidaanduiding
Status = Literal["alles", "concept", "definitief"]
Trefwoord = Annotated[str, Field(max_length=30)]


class OmschrijvingGeneriek(ApiModel):
    """The generic description group (`InformatieObjectTypeOmschrijvingGeneriek`)."""

    informatieobjecttype_omschrijving_generiek: str = Field(max_length=80)
    definitie_informatieobjecttype_omschrijving_generiek: str = Field(max_length=255)
    herkomst_informatieobjecttype_omschrijving_generiek: str = Field(max_length=12)
    hierarchie_informatieobjecttype_omschrijving_generiek: str = Field(max_length=80)
    opmerking_informatieobjecttype_omschrijving_generiek: str | None = Field(
        default=None, max_length=255
    )


class InformatieObjectTypeWrite(ApiModel):
    """The body of create and update (the spec's `InformatieObjectType`, writable fields)."""

    catalogus: Url
    omschrijving: str = Field(max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    begin_geldigheid: dt.date
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    informatieobjectcategorie: str = Field(max_length=80)
    trefwoord: list[Trefwoord] = Field(default_factory=list)
    omschrijving_generiek: OmschrijvingGeneriek | None = None


class InformatieObjectTypePatch(ApiModel):
    catalogus: Url | None = None
    omschrijving: str | None = Field(default=None, max_length=80)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    informatieobjectcategorie: str | None = Field(default=None, max_length=80)
    trefwoord: list[Trefwoord] | None = None
    omschrijving_generiek: OmschrijvingGeneriek | None = None


class InformatieObjectType(InformatieObjectTypeWrite):
    """The response body."""

    url: str
    concept: bool
    besluittypen: list[str]
    besluittype_omschrijving: list[str]
    zaaktypen: list[str]
    zaaktype_identificaties: list[str]


class InformatieObjectTypeExpanded(InformatieObjectType):
    """The response body of list and retrieve (the spec's `InformatieObjectTypeExpanded`)."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class InformatieObjectTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    catalogus: Url | None = None
    status: Status = "definitief"
    datum_geldigheid: dt.date | None = None
    omschrijving: str | None = None
    page: int = Field(default=1)
    expand: str | None = None
