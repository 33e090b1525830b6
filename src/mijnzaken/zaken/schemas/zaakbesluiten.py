"""Schemas of ZaakBesluit: a besluit taken on a zaak, by URL."""

from __future__ import annotations

from pydantic import ConfigDict

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class ZaakBesluitWrite(ApiModel):
    besluit: Url


class ZaakBesluit(ZaakBesluitWrite):
    url: str
    uuid: str


class ZaakBesluitQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None  # expansion itself is built elsewhere
