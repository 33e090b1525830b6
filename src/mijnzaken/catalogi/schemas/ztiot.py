"""Request, response and filter schemas of ZaakTypeInformatieObjectType."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

Richting = Literal["inkomend", "intern", "uitgaand"]


class ZaakTypeInformatieObjectTypeWrite(ApiModel):
    zaaktype: Url
    # 1.3: the omschrijving; the URL of one of our informatieobjecttypen is accepted too
    informatieobjecttype: str = Field(min_length=1, max_length=1000)
    volgnummer: int = Field(ge=1, le=999)
    richting: Richting
    statustype: Url | None = None


class ZaakTypeInformatieObjectTypePatch(ApiModel):
    zaaktype: Url | None = None
    informatieobjecttype: str | None = Field(default=None, min_length=1, max_length=1000)
    volgnummer: int | None = Field(default=None, ge=1, le=999)
    richting: Richting | None = None
    statustype: Url | None = None


class ZaakTypeInformatieObjectType(ApiModel):
    """The response body."""

    url: str
    zaaktype: str
    zaaktype_identificatie: str
    catalogus: str
    informatieobjecttype: str
    volgnummer: int
    richting: Richting
    statustype: str | None


class ZaakTypeInformatieObjectTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaaktype: str | None = None
    informatieobjecttype: str | None = None
    richting: Richting | None = None
    status: Literal["alles", "concept", "definitief"] | None = None
    page: int = Field(default=1)
    expand: str | None = None


class ZaakTypeInformatieObjectTypeExpanded(ZaakTypeInformatieObjectType):
    """The GET body: with `_expand` when `expand` asks for related resources."""

    expand_: dict[str, Any] | None = Field(default=None, alias="_expand")
