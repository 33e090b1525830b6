"""Schemas of ZaakEigenschap: the value of an eigenschap of the zaaktype for one zaak."""

from __future__ import annotations

from pydantic import ConfigDict

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url


class ZaakEigenschapWrite(ApiModel):
    zaak: Url
    eigenschap: Url
    waarde: str


class ZaakEigenschapPatch(ApiModel):
    zaak: Url | None = None
    eigenschap: Url | None = None
    waarde: str | None = None


class ZaakEigenschap(ZaakEigenschapWrite):
    url: str
    uuid: str
    naam: str


class ZaakEigenschapQuery(ApiModel):
    """zaakeigenschap_list and _retrieve take no query parameters."""

    model_config = ConfigDict(extra="forbid")
