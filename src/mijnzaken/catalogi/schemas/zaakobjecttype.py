"""Request, response and filter schemas of ZaakObjectType."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url, Url200


class ZaakObjectTypeWrite(ApiModel):
    ander_objecttype: bool
    objecttype: Url200
    relatie_omschrijving: str = Field(max_length=80, min_length=1)
    zaaktype: Url
    # must be the catalogus of the zaaktype
    catalogus: Url
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class ZaakObjectTypePatch(ApiModel):
    ander_objecttype: bool | None = None
    objecttype: Url200 | None = None
    relatie_omschrijving: str | None = Field(default=None, max_length=80, min_length=1)
    zaaktype: Url | None = None
    catalogus: Url | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None


class ZaakObjectType(ZaakObjectTypeWrite):
    """The response body."""

    url: str
    zaaktype_identificatie: str
    resultaattypen: list[str]
    resultaattype_omschrijving: list[str]
    statustypen: list[str]


class ZaakObjectTypeExpanded(ZaakObjectType):
    """The response body of list and retrieve, which take `expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class ZaakObjectTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    ander_objecttype: bool | None = None
    catalogus: str | None = None
    datum_begin_geldigheid: dt.date | None = None
    datum_einde_geldigheid: dt.date | None = None
    datum_geldigheid: dt.date | None = None
    objecttype: str | None = None
    relatie_omschrijving: str | None = None
    zaaktype: str | None = None
    zaaktype_identificatie: str | None = None
    page: int = 1
    expand: str | None = None
