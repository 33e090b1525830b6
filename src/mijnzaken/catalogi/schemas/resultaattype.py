"""Request, response and filter schemas of ResultaatType."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import ConfigDict, Field

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Duration, Url

Archiefnominatie = Literal["blijvend_bewaren", "vernietigen", ""]
Afleidingswijze = Literal[
    "afgehandeld",
    "ander_datumkenmerk",
    "eigenschap",
    "gerelateerde_zaak",
    "hoofdzaak",
    "ingangsdatum_besluit",
    "termijn",
    "vervaldatum_besluit",
    "zaakobject",
]
Objecttype = vocabulary.ObjectType


class BrondatumArchiefprocedure(ApiModel):
    afleidingswijze: Afleidingswijze
    datumkenmerk: str = Field(default="", max_length=80)
    einddatum_bekend: bool = False
    objecttype: Objecttype | Literal[""] = ""
    registratie: str = Field(default="", max_length=80)
    procestermijn: Duration | None = None


class ResultaatTypeWrite(ApiModel):
    """ResultaatTypeCreate: the body of POST and PUT (and of a PATCH once merged)."""

    zaaktype: Url
    omschrijving: str = Field(max_length=30, min_length=1)
    resultaattypeomschrijving: Url
    selectielijstklasse: Url
    toelichting: str | None = ""
    archiefnominatie: Archiefnominatie | None = None
    archiefactietermijn: Duration | None = None
    brondatum_archiefprocedure: BrondatumArchiefprocedure | None = None
    procesobjectaard: str | None = Field(default=None, max_length=200)
    catalogus: str | None = None  # deprecated, read from the zaaktype
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    indicatie_specifiek: bool | None = None
    procestermijn: Duration | None = None
    # 1.3: names (omschrijving); URLs of our own types are accepted too (1.0-1.2 clients)
    besluittypen: list[str] = Field(default_factory=list)
    informatieobjecttypen: list[str] = Field(default_factory=list)


class ResultaatTypePatch(ApiModel):
    zaaktype: Url | None = None
    omschrijving: str | None = Field(default=None, max_length=30, min_length=1)
    resultaattypeomschrijving: Url | None = None
    selectielijstklasse: Url | None = None
    toelichting: str | None = None
    archiefnominatie: Archiefnominatie | None = None
    archiefactietermijn: Duration | None = None
    brondatum_archiefprocedure: BrondatumArchiefprocedure | None = None
    procesobjectaard: str | None = Field(default=None, max_length=200)
    catalogus: str | None = None
    begin_geldigheid: dt.date | None = None
    einde_geldigheid: dt.date | None = None
    begin_object: dt.date | None = None
    einde_object: dt.date | None = None
    indicatie_specifiek: bool | None = None
    procestermijn: Duration | None = None
    besluittypen: list[str] | None = None
    informatieobjecttypen: list[str] | None = None


class ResultaatType(ApiModel):
    """The response body."""

    url: str
    zaaktype: str
    zaaktype_identificatie: str
    omschrijving: str
    resultaattypeomschrijving: str
    omschrijving_generiek: str
    selectielijstklasse: str
    toelichting: str
    archiefnominatie: str
    archiefactietermijn: str | None
    brondatum_archiefprocedure: BrondatumArchiefprocedure | None
    procesobjectaard: str | None
    catalogus: str | None
    begin_geldigheid: dt.date | None
    einde_geldigheid: dt.date | None
    begin_object: dt.date | None
    einde_object: dt.date | None
    indicatie_specifiek: bool | None
    procestermijn: str | None
    besluittypen: list[str]
    besluittype_omschrijving: list[str]
    informatieobjecttypen: list[str]
    informatieobjecttype_omschrijving: list[str]


class ResultaatTypeFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaaktype: str | None = None
    zaaktype_identificatie: str | None = Field(default=None, alias="zaaktype_identificatie")
    zaaktype_identificatie_camel: str | None = Field(default=None, alias="zaaktypeIdentificatie")
    status: Literal["alles", "concept", "definitief"] | None = None
    datum_geldigheid: dt.date | None = Field(default=None, alias="datum_geldigheid")
    datum_geldigheid_camel: dt.date | None = Field(default=None, alias="datumGeldigheid")
    page: int = Field(default=1)
    expand: str | None = None


class ResultaatTypeExpanded(ResultaatType):
    """The GET body: with `_expand` when `expand` asks for related resources."""

    expand_: dict[str, Any] | None = Field(default=None, alias="_expand")
