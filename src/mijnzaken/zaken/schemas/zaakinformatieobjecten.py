"""Schemas of ZaakInformatieObject: the link between a zaak and a document."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, Url

AardRelatieWeergave = Literal[
    "Hoort bij, omgekeerd: kent", "Legt vast, omgekeerd: kan vastgelegd zijn als"
]


class ZaakInformatieObjectWrite(ApiModel):
    informatieobject: Url
    zaak: Url
    titel: str = Field(default="", max_length=200)
    beschrijving: str = ""
    status: Url | None = None
    vernietigingsdatum: Moment | None = None


class ZaakInformatieObjectPatch(ApiModel):
    informatieobject: Url | None = None
    zaak: Url | None = None
    titel: str | None = Field(default=None, max_length=200)
    beschrijving: str | None = None
    status: Url | None = None
    vernietigingsdatum: Moment | None = None


class ZaakInformatieObject(ZaakInformatieObjectWrite):
    url: str
    uuid: str
    aard_relatie_weergave: AardRelatieWeergave
    registratiedatum: str


class ZaakInformatieObjectFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    informatieobject: str | None = None
    expand: str | None = None  # expansion itself is built elsewhere


class ZaakInformatieObjectRetrieveQuery(ApiModel):
    expand: str | None = None
