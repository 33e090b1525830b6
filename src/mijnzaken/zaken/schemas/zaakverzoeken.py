"""Schemas of ZaakVerzoek: a verzoek (in another register) linked to a zaak, by URL."""

from __future__ import annotations

from pydantic import ConfigDict

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class ZaakVerzoekWrite(ApiModel):
    zaak: Url
    verzoek: Url


class ZaakVerzoek(ZaakVerzoekWrite):
    url: str
    uuid: str


class ZaakVerzoekFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    verzoek: str | None = None
