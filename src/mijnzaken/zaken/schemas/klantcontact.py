"""Schemas of KlantContact (deprecated in the standard, kept for older clients)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, Url


class KlantContactWrite(ApiModel):
    zaak: Url
    identificatie: str = Field(default="", max_length=14)
    datumtijd: Moment
    kanaal: str = Field(default="", max_length=20)
    onderwerp: str = Field(default="", max_length=200)
    toelichting: str = Field(default="", max_length=1000)


class KlantContact(KlantContactWrite):
    url: str
    uuid: str


class KlantContactFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    page: int = 1
