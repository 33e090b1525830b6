"""Request, response and filter schemas of StatusType."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from mijnzaken.catalogi.services.common import Status
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Duration, Url


class CheckListItem(ApiModel):
    itemnaam: str = Field(max_length=30, min_length=1)
    toelichting: str | None = Field(default=None, max_length=1000)
    vraagstelling: str = Field(max_length=255, min_length=1)
    verplicht: bool = False


class StatusTypeWrite(ApiModel):
    omschrijving: str = Field(max_length=80, min_length=1)
    omschrijving_generiek: str = Field(default="", max_length=80)
    statustekst: str = Field(default="", max_length=1000)
    zaaktype: Url
    volgnummer: int = Field(ge=1, le=9999)
    informeren: bool = False
    doorlooptijd: Duration | None = None
    toelichting: str | None = Field(default=None, max_length=1000)
    checklistitem_statustype: list[CheckListItem] = Field(default_factory=list)
    eigenschappen: list[Url] = Field(default_factory=list)
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class StatusTypePatch(ApiModel):
    omschrijving: str | None = Field(default=None, max_length=80, min_length=1)
    omschrijving_generiek: str | None = Field(default=None, max_length=80)
    statustekst: str | None = Field(default=None, max_length=1000)
    zaaktype: Url | None = None
    volgnummer: int | None = Field(default=None, ge=1, le=9999)
    informeren: bool | None = None
    doorlooptijd: Duration | None = None
    toelichting: str | None = Field(default=None, max_length=1000)
    checklistitem_statustype: list[CheckListItem] | None = None
    eigenschappen: list[Url] | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class StatusType(StatusTypeWrite):
    """The response body."""

    url: str
    catalogus: str
    zaaktype_identificatie: str
    is_eindstatus: bool


class StatusTypeExpanded(StatusType):
    """The response body of list and retrieve, which take `expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class StatusTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaaktype: str | None = None
    zaaktype_identificatie: str | None = None
    status: Status = "definitief"
    datum_geldigheid: dt.date | None = None
    page: int = 1
    expand: str | None = None
