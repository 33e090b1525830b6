"""Request, response and filter schemas of Eigenschap."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.catalogi.services.common import Status
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class EigenschapSpecificatie(ApiModel):
    groep: str = Field(default="", max_length=32)
    formaat: Literal["tekst", "getal", "datum", "datum_tijd"]
    lengte: str = Field(max_length=14, min_length=1)
    kardinaliteit: str = Field(max_length=3, min_length=1)
    waardenverzameling: list[str] = Field(default_factory=list)


class EigenschapWrite(ApiModel):
    naam: str = Field(max_length=20, min_length=1)
    definitie: str = Field(max_length=255, min_length=1)
    specificatie: EigenschapSpecificatie
    toelichting: str = Field(default="", max_length=1000)
    zaaktype: Url
    statustype: Url | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class EigenschapPatch(ApiModel):
    naam: str | None = Field(default=None, max_length=20, min_length=1)
    definitie: str | None = Field(default=None, max_length=255, min_length=1)
    specificatie: EigenschapSpecificatie | None = None
    toelichting: str | None = Field(default=None, max_length=1000)
    zaaktype: Url | None = None
    statustype: Url | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class Eigenschap(EigenschapWrite):
    """The response body."""

    url: str
    catalogus: str
    zaaktype_identificatie: str


class EigenschapExpanded(Eigenschap):
    """The response body of list and retrieve, which take `expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class EigenschapFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaaktype: str | None = None
    zaaktype_identificatie: str | None = None
    status: Status = "definitief"
    datum_geldigheid: dt.date | None = None
    page: int = 1
    expand: str | None = None
