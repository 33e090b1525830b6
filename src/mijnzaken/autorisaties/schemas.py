"""Request, response and filter schemas of the Autorisaties API."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

# "kic" (Klantinteracties API) and "vrl" (Verwerkingenlogging API) are our extensions: the
# standard's enumeration has no value for them
Component = Literal["ac", "nrc", "zrc", "ztc", "drc", "brc", "kic", "vrl"]
Vertrouwelijkheid = vocabulary.Vertrouwelijkheidaanduiding


class AutorisatieIn(ApiModel):
    component: Component
    scopes: list[str] = Field(max_length=100)
    zaaktype: Url | None = None
    informatieobjecttype: Url | None = None
    besluittype: Url | None = None
    max_vertrouwelijkheidaanduiding: Vertrouwelijkheid | None = None


class AutorisatieOut(AutorisatieIn):
    component_weergave: str


class ApplicatieWrite(ApiModel):
    client_ids: list[str] = Field(min_length=1)
    label: str = Field(min_length=1, max_length=100)
    heeft_alle_autorisaties: bool = False
    autorisaties: list[AutorisatieIn] = Field(default_factory=list)
    alleen_is_gereed_voor_publicatie: bool = False


class ApplicatiePatch(ApiModel):
    client_ids: list[str] | None = None
    label: str | None = Field(default=None, min_length=1, max_length=100)
    heeft_alle_autorisaties: bool | None = None
    autorisaties: list[AutorisatieIn] | None = None
    alleen_is_gereed_voor_publicatie: bool | None = None


class Applicatie(ApplicatieWrite):
    """The response body."""

    url: str
    autorisaties: list[AutorisatieOut] = Field(default_factory=list)  # type: ignore[assignment]


class ApplicatieFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    client_ids: str | None = Field(default=None, alias="clientIds")
    page: int = 1


class ConsumerFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(alias="clientId")
