"""Schemas of ZaakContactMoment: a contactmoment (in another register) linked to a zaak, by URL."""

from __future__ import annotations

from pydantic import ConfigDict

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class ZaakContactMomentWrite(ApiModel):
    zaak: Url
    contactmoment: Url


class ZaakContactMoment(ZaakContactMomentWrite):
    url: str
    uuid: str


class ZaakContactMomentFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    contactmoment: str | None = None
