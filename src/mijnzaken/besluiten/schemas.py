"""Schemas of the Besluiten API: bodies of create and update, list filters, responses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Rsin, Url, Url200, check_url

Vervalreden = Literal["tijdelijk", "ingetrokken_overheid", "ingetrokken_belanghebbende"]
VervalredenOrEmpty = Literal["", "tijdelijk", "ingetrokken_overheid", "ingetrokken_belanghebbende"]
VERVALREDEN_WEERGAVE = {
    "tijdelijk": "Besluit met tijdelijke werking",
    "ingetrokken_overheid": "Besluit ingetrokken door overheid",
    "ingetrokken_belanghebbende": "Besluit ingetrokken o.v.v. belanghebbende",
}


def _optional_url(value: str | None) -> str | None:
    """An empty zaak is no zaak; any other value is an absolute URL."""
    return check_url(value) if value else None


OptionalUrl = Annotated[str | None, Field(max_length=200), AfterValidator(_optional_url)]


class BesluitWrite(ApiModel):
    """The body of besluit_create and besluit_update."""

    identificatie: str = Field(default="", max_length=50)
    verantwoordelijke_organisatie: Rsin
    besluittype: Url200
    zaak: OptionalUrl = None
    datum: dt.date
    toelichting: str = ""
    bestuursorgaan: str = Field(default="", max_length=50)
    ingangsdatum: dt.date
    vervaldatum: dt.date | None = None
    vervalreden: VervalredenOrEmpty = ""
    publicatiedatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    uiterlijke_reactiedatum: dt.date | None = None


class BesluitPatch(ApiModel):
    """The body of besluit_partial_update: any field of BesluitWrite."""

    identificatie: str | None = Field(default=None, max_length=50)
    verantwoordelijke_organisatie: str | None = None
    besluittype: str | None = None
    zaak: str | None = None
    datum: dt.date | None = None
    toelichting: str | None = None
    bestuursorgaan: str | None = Field(default=None, max_length=50)
    ingangsdatum: dt.date | None = None
    vervaldatum: dt.date | None = None
    vervalreden: VervalredenOrEmpty | None = None
    publicatiedatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    uiterlijke_reactiedatum: dt.date | None = None


class Besluit(ApiModel):
    """The Besluit resource (for the OpenAPI document)."""

    url: str
    identificatie: str
    verantwoordelijke_organisatie: str
    besluittype: str
    zaak: str
    datum: dt.date
    toelichting: str
    bestuursorgaan: str
    ingangsdatum: dt.date
    vervaldatum: dt.date | None = None
    vervalreden: Vervalreden | None = None
    vervalreden_weergave: str | None = None
    publicatiedatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    uiterlijke_reactiedatum: dt.date | None = None


# the representation's read-only members, left out of the write form a PATCH merges into
READ_ONLY = frozenset({"url", "vervalredenWeergave", "_expand"})


class BesluitFilter(ApiModel):
    """The query parameters of besluit_list, named exactly as the spec names them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=None)

    identificatie: str | None = None
    verantwoordelijkeOrganisatie: str | None = None  # noqa: N815 - the spec's name
    besluittype: str | None = None
    zaak: str | None = None
    page: int = 1
    expand: str | None = None


class RetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None


class BesluitInformatieObjectWrite(ApiModel):
    informatieobject: Url
    besluit: Url


class BesluitInformatieObject(BesluitInformatieObjectWrite):
    url: str


class BesluitInformatieObjectFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    besluit: str | None = None
    informatieobject: str | None = None
    expand: str | None = None
