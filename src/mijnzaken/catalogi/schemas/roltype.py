"""Request, response and filter schemas of RolType."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from mijnzaken.catalogi.services.common import Status
from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

OmschrijvingGeneriek = vocabulary.OmschrijvingGeneriek


class RolTypeWrite(ApiModel):
    zaaktype: Url
    omschrijving: str = Field(max_length=100, min_length=1)
    omschrijving_generiek: OmschrijvingGeneriek
    # deprecated; when given it must be the catalogus of the zaaktype
    catalogus: Url | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class RolTypePatch(ApiModel):
    zaaktype: Url | None = None
    omschrijving: str | None = Field(default=None, max_length=100, min_length=1)
    omschrijving_generiek: OmschrijvingGeneriek | None = None
    catalogus: Url | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class RolType(RolTypeWrite):
    """The response body."""

    url: str
    zaaktype_identificatie: str


class RolTypeExpanded(RolType):
    """The response body of list and retrieve, which take `expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class RolTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaaktype: str | None = None
    zaaktype_identificatie: str | None = None
    omschrijving_generiek: OmschrijvingGeneriek | None = None
    status: Status = "definitief"
    datum_geldigheid: dt.date | None = None
    page: int = 1
    expand: str | None = None
