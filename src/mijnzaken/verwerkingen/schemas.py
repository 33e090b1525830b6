"""Request, response and filter schemas of the Verwerkingenlogging APIs (write 0.9.0 and read
0.9.0), one set for the one router both are served by."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal

import isodate
from pydantic import AfterValidator, AwareDatetime, Field, field_validator

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url

Vertrouwelijkheid = Literal["normaal", "vertrouwelijk", "opgeheven"]
Objecttype = Literal["persoon"]

_OIN = re.compile(r"[0-9]{20}")


def _duration(value: str) -> str:
    """An ISO 8601 duration that is not negative (P10Y, P6M, P30D, PT12H)."""
    try:
        parsed = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError, TypeError, OverflowError) as exc:
        raise ValueError("Geen geldige ISO 8601-duur (bijvoorbeeld P10Y).") from exc
    probe = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    try:
        if probe + parsed < probe:
            raise ValueError("Een bewaartermijn kan niet negatief zijn.")
    except (OverflowError, ValueError) as exc:
        raise ValueError("De bewaartermijn is geen bruikbare periode.") from exc
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("Het tijdstip valt buiten het bereik dat kan worden vastgelegd.") from exc


Duur = Annotated[str, Field(max_length=40), AfterValidator(_duration)]
Moment = Annotated[AwareDatetime, AfterValidator(_utc)]


class VerwerktSoortGegeven(ApiModel):
    soort_gegeven: str = Field(max_length=242)


class VerwerktObjectBasis(ApiModel):
    objecttype: Objecttype
    soort_object_id: str = Field(min_length=1, max_length=242)
    object_id: str = Field(min_length=1, max_length=40)
    betrokkenheid: str = Field(default="", max_length=242)
    verwerkte_soorten_gegevens: list[VerwerktSoortGegeven] = Field(
        default_factory=list, max_length=100
    )


class VerwerktObjectIn(VerwerktObjectBasis):
    """An object in a PUT body: with the id (and URL) it was given at creation."""

    url: Url | None = None
    verwerkt_object_id: uuid.UUID


class VerwerktObject(VerwerktObjectBasis):
    url: str
    verwerkt_object_id: uuid.UUID


class VerwerkingsactieBasis(ApiModel):
    actie_naam: str = Field(default="", max_length=242)
    handeling_naam: str = Field(default="", max_length=242)
    verwerking_naam: str = Field(default="", max_length=242)
    verwerking_id: uuid.UUID | None = None
    verwerkingsactiviteit_id: uuid.UUID | None = None
    verwerkingsactiviteit_url: Url | None = None
    vertrouwelijkheid: Vertrouwelijkheid = "normaal"
    bewaartermijn: Duur | None = None
    uitvoerder: str | None = None
    systeem: str = Field(default="", max_length=242)
    gebruiker: str = Field(default="", max_length=40)
    gegevensbron: str = Field(default="", max_length=242)
    soort_afnemer_id: str = Field(default="", max_length=242)
    afnemer_id: str = Field(default="", max_length=40)
    verwerkingsactiviteit_id_afnemer: uuid.UUID | None = None
    verwerkingsactiviteit_url_afnemer: Url | None = None
    verwerking_id_afnemer: uuid.UUID | None = None
    tijdstip: Moment

    @field_validator("uitvoerder")
    @classmethod
    def _oin(cls, value: str | None) -> str | None:
        if value is not None and not _OIN.fullmatch(value):
            raise ValueError("Een OIN bestaat uit 20 cijfers.")
        return value

    @field_validator("verwerkingsactiviteit_url", "verwerkingsactiviteit_url_afnemer")
    @classmethod
    def _url_length(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 2042:
            raise ValueError("Een URL is ten hoogste 2042 tekens lang.")
        return value

    def values(self) -> dict[str, Any]:
        """The fields in the model's names, empty strings for what is not given."""
        out: dict[str, Any] = {}
        for name in VerwerkingsactieBasis.model_fields:
            value = getattr(self, name)
            out[name] = "" if value is None and name in _TEXT else value
        return out


_TEXT = {
    "verwerkingsactiviteit_url",
    "bewaartermijn",
    "uitvoerder",
    "verwerkingsactiviteit_url_afnemer",
}


class VerwerkingsactieCreate(VerwerkingsactieBasis):
    """POST body (VerwerkingsactieUitgebreidBasis)."""

    verwerkte_objecten: list[VerwerktObjectBasis] = Field(min_length=1, max_length=100)


class VerwerkingsactieUpdate(VerwerkingsactieBasis):
    """PUT body (VerwerkingsactieUitgebreid): everything again, objects with their ids."""

    verwerkte_objecten: list[VerwerktObjectIn] = Field(min_length=1, max_length=100)


class PatchRequestBody(ApiModel):
    bewaartermijn: Duur | None = None
    vertrouwelijkheid: Vertrouwelijkheid | None = None


class Verwerkingsactie(ApiModel):
    """The response body (VerwerkingsactieUitgebreid); empty optional fields are left out."""

    url: str
    actie_id: uuid.UUID
    actie_naam: str | None = None
    handeling_naam: str | None = None
    verwerking_naam: str | None = None
    verwerking_id: uuid.UUID | None = None
    verwerkingsactiviteit_id: uuid.UUID | None = None
    verwerkingsactiviteit_url: str | None = None
    vertrouwelijkheid: Vertrouwelijkheid
    bewaartermijn: str | None = None
    uitvoerder: str | None = None
    systeem: str | None = None
    gebruiker: str | None = None
    gegevensbron: str | None = None
    soort_afnemer_id: str | None = None
    afnemer_id: str | None = None
    verwerkingsactiviteit_id_afnemer: uuid.UUID | None = None
    verwerkingsactiviteit_url_afnemer: str | None = None
    verwerking_id_afnemer: uuid.UUID | None = None
    tijdstip: dt.datetime
    tijdstip_registratie: dt.datetime
    verwerkte_objecten: list[VerwerktObject]


class VerwerkingsactieBeperkt(ApiModel):
    """The actie as the inzage API shows it: without systeem, gebruiker and gegevensbron."""

    url: str
    actie_id: uuid.UUID
    actie_naam: str | None = None
    handeling_naam: str | None = None
    verwerking_naam: str | None = None
    verwerking_id: uuid.UUID | None = None
    verwerkingsactiviteit_id: uuid.UUID | None = None
    verwerkingsactiviteit_url: str | None = None
    vertrouwelijkheid: Vertrouwelijkheid
    bewaartermijn: str | None = None
    uitvoerder: str | None = None
    soort_afnemer_id: str | None = None
    afnemer_id: str | None = None
    verwerkingsactiviteit_id_afnemer: uuid.UUID | None = None
    verwerkingsactiviteit_url_afnemer: str | None = None
    verwerking_id_afnemer: uuid.UUID | None = None
    tijdstip: dt.datetime
    tijdstip_registratie: dt.datetime


class VerwerktObjectUitgebreid(VerwerktObject):
    verwerkingsactie: VerwerkingsactieBeperkt


class _Betrokkene(ApiModel):
    objecttype: Objecttype
    soort_object_id: str = Field(alias="soortObjectId", min_length=1, max_length=242)
    object_id: str = Field(alias="objectId", min_length=1, max_length=40)
    verwerkingsactiviteit_id: uuid.UUID | None = Field(
        default=None, alias="verwerkingsactiviteitId"
    )


class ActieFilter(_Betrokkene):
    """Query of GET /verwerkingsacties (write API)."""

    begin_datum: dt.date | None = Field(default=None, alias="beginDatum")
    eind_datum: dt.date | None = Field(default=None, alias="eindDatum")
    vertrouwelijkheid: list[Vertrouwelijkheid] | None = None


class ObjectFilter(_Betrokkene):
    """Query of GET /verwerkte-objecten (read API): the period is required there."""

    begin_datum: dt.date = Field(alias="beginDatum")
    eind_datum: dt.date = Field(alias="eindDatum")


class PatchQuery(ApiModel):
    verwerking_id: uuid.UUID = Field(alias="verwerkingId")
