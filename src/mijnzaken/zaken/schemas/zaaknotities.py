"""Schemas of ZaakNotitie (new, experimental in Zaken API 1.7.0): a note on a zaak."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, Url

NotitieType = Literal["intern", "extern"]
NotitieStatus = Literal["concept", "definitief"]


class ZaakNotitieWrite(ApiModel):
    gerelateerd_aan: Url = Field(alias="gerelateerdAan")
    onderwerp: str = Field(min_length=1, max_length=255)
    tekst: str = Field(min_length=1)
    aangemaakt_door: str = Field(default="", max_length=255)
    notitie_type: NotitieType = "intern"
    status: NotitieStatus = "concept"


class ZaakNotitiePatch(ApiModel):
    gerelateerd_aan: Url | None = Field(default=None, alias="gerelateerdAan")
    onderwerp: str | None = Field(default=None, min_length=1, max_length=255)
    tekst: str | None = Field(default=None, min_length=1)
    aangemaakt_door: str | None = Field(default=None, max_length=255)
    notitie_type: NotitieType | None = None
    status: NotitieStatus | None = None


class ZaakNotitie(ZaakNotitieWrite):
    url: str
    aanmaakdatum: str
    wijzigingsdatum: str


class ZaakNotitieFilter(ApiModel):
    """The query parameters of zaaknotitie_list, named exactly as the spec names them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    aangemaakt_door: str | None = Field(default=None, alias="aangemaaktDoor")
    aangemaakt_door_icontains: str | None = Field(default=None, alias="aangemaaktDoor__icontains")
    aanmaakdatum: Moment | None = None
    aanmaakdatum_gt: Moment | None = Field(default=None, alias="aanmaakdatum__gt")
    aanmaakdatum_gte: Moment | None = Field(default=None, alias="aanmaakdatum__gte")
    aanmaakdatum_lt: Moment | None = Field(default=None, alias="aanmaakdatum__lt")
    aanmaakdatum_lte: Moment | None = Field(default=None, alias="aanmaakdatum__lte")
    # the spec types this as integer (a database key in the reference implementation); keys
    # are not public here, so it takes the zaak URL, and any other value matches nothing
    gerelateerd_aan: str | None = Field(default=None, alias="gerelateerdAan")
    notitie_type: NotitieType | None = Field(default=None, alias="notitieType")
    onderwerp: str | None = None
    onderwerp_icontains: str | None = Field(default=None, alias="onderwerp__icontains")
    page: int = 1
    page_size: int = Field(default=100, ge=1, le=500, alias="pageSize")
    status: NotitieStatus | None = None
    tekst: str | None = None
    tekst_icontains: str | None = Field(default=None, alias="tekst__icontains")
    wijzigingsdatum: Moment | None = None
    wijzigingsdatum_gt: Moment | None = Field(default=None, alias="wijzigingsdatum__gt")
    wijzigingsdatum_gte: Moment | None = Field(default=None, alias="wijzigingsdatum__gte")
    wijzigingsdatum_lt: Moment | None = Field(default=None, alias="wijzigingsdatum__lt")
    wijzigingsdatum_lte: Moment | None = Field(default=None, alias="wijzigingsdatum__lte")
