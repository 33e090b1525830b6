"""Request, response and filter schemas of Catalogus."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Email, Rsin


class CatalogusWrite(ApiModel):
    domein: str = Field(max_length=5, min_length=1)
    rsin: Rsin
    contactpersoon_beheer_naam: str = Field(max_length=40, min_length=1)
    contactpersoon_beheer_telefoonnummer: str = Field(default="", max_length=20)
    contactpersoon_beheer_emailadres: Email | None = None
    naam: str | None = Field(default=None, max_length=200)
    versie: str | None = Field(default=None, max_length=20)
    begindatum_versie: dt.date | None = None


class CatalogusPatch(ApiModel):
    domein: str | None = Field(default=None, max_length=5, min_length=1)
    rsin: Rsin | None = None
    contactpersoon_beheer_naam: str | None = Field(default=None, max_length=40, min_length=1)
    contactpersoon_beheer_telefoonnummer: str | None = Field(default=None, max_length=20)
    contactpersoon_beheer_emailadres: Email | None = None
    naam: str | None = Field(default=None, max_length=200)
    versie: str | None = Field(default=None, max_length=20)
    begindatum_versie: dt.date | None = None


class Catalogus(CatalogusWrite):
    """The response body."""

    url: str
    zaaktypen: list[str]
    besluittypen: list[str]
    besluittype_omschrijving: list[str]
    informatieobjecttypen: list[str]
    informatieobjecttype_omschrijving: list[str]


class CatalogusExpanded(Catalogus):
    """The response body of list and retrieve, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class CatalogusFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    domein: str | None = None
    domein__in: str | None = Field(default=None, alias="domein__in")
    rsin: str | None = None
    rsin__in: str | None = Field(default=None, alias="rsin__in")
    page: int = Field(default=1)
    expand: str | None = None
