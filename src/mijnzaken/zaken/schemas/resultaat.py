"""Request, response and filter schemas of Resultaat (Zaken 1.7.0)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class ResultaatWrite(ApiModel):
    """The body of resultaat_create and resultaat_update."""

    zaak: Url
    resultaattype: Url
    toelichting: str = Field(default="", max_length=1000)


class ResultaatPatch(ApiModel):
    """The body of resultaat_partial_update: every field optional."""

    zaak: Url | None = None
    resultaattype: Url | None = None
    toelichting: str | None = Field(default=None, max_length=1000)


class Resultaat(ResultaatWrite):
    url: str
    uuid: str


class ResultaatExpanded(Resultaat):
    """A resultaat as list and retrieve answer it, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class ResultaatFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    resultaattype: str | None = None
    page: int = 1
    expand: str | None = None


class ResultaatRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None
