"""Schemas of ZaakInformatieObject: the link between a zaak and a document."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def aware(value: dt.datetime) -> dt.datetime:
    """A moment in UTC. One without a zone is Dutch local time, as in the reference
    implementation; one that UTC cannot express (year 1 or 9999) is bad input."""
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=AMSTERDAM)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise PydanticCustomError("invalid", "Ongeldig tijdstip.", {"code": "invalid"}) from exc


# a date-time given by a client (body or query), as an aware UTC moment
Moment = Annotated[dt.datetime, AfterValidator(aware)]

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
