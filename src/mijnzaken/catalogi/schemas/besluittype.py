"""Request, response and filter schemas of BesluitType."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Duration, Url

Status = Literal["alles", "concept", "definitief"]


class BesluitTypeCreate(ApiModel):
    """The body of create; `informatieobjecttypen` are omschrijvingen (Catalogi 1.3)."""

    catalogus: Url
    omschrijving: str = Field(default="", max_length=80)
    omschrijving_generiek: str = Field(default="", max_length=80)
    besluitcategorie: str = Field(default="", max_length=40)
    reactietermijn: Duration | None = None
    publicatie_indicatie: bool
    publicatietekst: str = ""
    publicatietermijn: Duration | None = None
    toelichting: str = ""
    informatieobjecttypen: list[str]
    begin_geldigheid: dt.date
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class BesluitTypeUpdate(BesluitTypeCreate):
    """The body of a full update: the same fields as create."""


class BesluitTypePatch(ApiModel):
    catalogus: Url | None = None
    omschrijving: str | None = Field(default=None, max_length=80)
    omschrijving_generiek: str | None = Field(default=None, max_length=80)
    besluitcategorie: str | None = Field(default=None, max_length=40)
    reactietermijn: Duration | None = None
    publicatie_indicatie: bool | None = None
    publicatietekst: str | None = None
    publicatietermijn: Duration | None = None
    toelichting: str | None = None
    informatieobjecttypen: list[str] | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class BesluitType(BesluitTypeCreate):
    """The response body; `informatieobjecttypen` are URLs here."""

    url: str
    concept: bool
    zaaktypen: list[str]
    zaaktype_identificaties: list[str]
    informatieobjecttype_omschrijvingen: list[str]
    vastgelegd_in: list[str]
    resultaattypen: list[str]
    resultaattypen_omschrijving: list[str]


class BesluitTypeExpanded(BesluitType):
    """The response body of list and retrieve (the spec's `BesluitTypeExpanded`)."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class BesluitTypePostResponse(BesluitType):
    """The response body of create, as the spec names it (with a singular alias field)."""

    informatieobjecttype_omschrijving: list[str] = Field(default_factory=list)


class BesluitTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    catalogus: Url | None = None
    zaaktypen: Url | None = None
    informatieobjecttypen: Url | None = None
    status: Status = "definitief"
    omschrijving: str | None = None
    datum_geldigheid: dt.date | None = None
    page: int = Field(default=1)
    expand: str | None = None
