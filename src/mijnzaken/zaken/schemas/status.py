"""Request, response and filter schemas of Status (Zaken 1.7.0)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import AMSTERDAM as AMSTERDAM  # services/status.py reads it
from mijnzaken.core.validators import Moment, Url, Url200


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


# A rol URL, or empty / absent.
GezetDoor = Annotated[Url200 | None, BeforeValidator(_empty_is_none)]


class StatusWrite(ApiModel):
    """The body of status_create."""

    zaak: Url
    statustype: Url
    datum_status_gezet: Moment
    statustoelichting: str = Field(default="", max_length=1000)
    gezetdoor: GezetDoor = None


class Status(ApiModel):
    """A status as status_create answers it."""

    url: str
    uuid: str
    zaak: str
    statustype: str
    datum_status_gezet: dt.datetime
    statustoelichting: str = ""
    indicatie_laatst_gezette_status: bool
    gezetdoor: str = ""
    zaakinformatieobjecten: list[str]


class StatusExpanded(Status):
    """A status as list and retrieve answer it, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class StatusFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    statustype: str | None = None
    indicatie_laatst_gezette_status: str | None = None
    page: int = 1
    expand: str | None = None


class StatusRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None
