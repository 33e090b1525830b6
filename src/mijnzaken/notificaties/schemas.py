"""Request and response schemas of the Notificaties API (and its beheer extension)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, Url

Kenmerk = Annotated[str, Field(min_length=1, max_length=1000)]
Naam = Annotated[str, Field(min_length=1, max_length=50)]
Filter = Annotated[str, Field(min_length=1, max_length=100)]

CLOUDEVENTS_DOC = (
    "Extensie van MijnZaken, geen onderdeel van de standaard: lever de notificaties aan als "
    "CloudEvent volgens het NL GOV-profiel (application/cloudevents+json) in plaats van als "
    "ZGW-notificatiebericht. Standaard false."
)


class KanaalWrite(ApiModel):
    naam: Naam
    documentatie_link: str | None = Field(default=None, max_length=200)
    filters: list[Filter] = Field(default_factory=list)

    @field_validator("documentatie_link")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        if value:
            from mijnzaken.core.validators import check_url

            check_url(value)
        return value or None


class Kanaal(ApiModel):
    url: str
    naam: str
    documentatie_link: str | None = None
    filters: list[str]


class KanaalFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    naam: str | None = None


class FilterGroup(ApiModel):
    naam: Naam
    filters: dict[str, Kenmerk] = Field(default_factory=dict)


class AbonnementWrite(ApiModel):
    callback_url: Url
    auth: str = Field(min_length=1, max_length=1000)
    kanalen: list[FilterGroup]
    send_cloudevents: bool = Field(
        default=False, description=CLOUDEVENTS_DOC, json_schema_extra={"x-extensie": True}
    )


class AbonnementPatch(ApiModel):
    callback_url: Url | None = None
    auth: str | None = Field(default=None, min_length=1, max_length=1000)
    kanalen: list[FilterGroup] | None = None
    send_cloudevents: bool | None = Field(
        default=None, description=CLOUDEVENTS_DOC, json_schema_extra={"x-extensie": True}
    )


class Abonnement(ApiModel):
    """The response body: the `auth` header value is never given back (it is a secret of
    the subscriber; the standard's own notes say so)."""

    url: str
    callback_url: str
    kanalen: list[FilterGroup]
    send_cloudevents: bool = Field(
        default=False, description=CLOUDEVENTS_DOC, json_schema_extra={"x-extensie": True}
    )


class Message(ApiModel):
    kanaal: Naam
    hoofd_object: Url
    resource: str = Field(min_length=1, max_length=100)
    resource_url: Url
    actie: str = Field(min_length=1, max_length=100)
    aanmaakdatum: Moment
    kenmerken: dict[str, Kenmerk] = Field(default_factory=dict)

    def as_sent(self) -> dict[str, Any]:
        """The message as the router forwards it."""
        return {
            "kanaal": self.kanaal,
            "hoofdObject": self.hoofd_object,
            "resource": self.resource,
            "resourceUrl": self.resource_url,
            "actie": self.actie,
            "aanmaakdatum": self.aanmaakdatum.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "kenmerken": dict(self.kenmerken),
        }


# --- beheer (extension) -------------------------------------------------------------------


class Poging(ApiModel):
    tijdstip: str
    status: int | None = None
    fout: str = ""
    duur_ms: int


class Aflevering(ApiModel):
    url: str
    notificatie: str  # the notificatie's uuid
    kanaal: str
    abonnement: str | None  # the abonnement's URL; None for the remote Notificaties API
    status: str  # wachtend | afgeleverd | geparkeerd
    pogingen: int
    aangemaakt: str
    volgende_poging: str | None
    laatste_status: int | None = None
    laatste_fout: str = ""
    afgerond: str | None = None
    bericht: dict[str, Any]
    poging_details: list[Poging] | None = None


class AfleveringFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(default=None, pattern="^(wachtend|afgeleverd|geparkeerd)$")
    abonnement: str | None = None
    page: int = 1


class Opnieuw(ApiModel):
    """Which deliveries to send again: parked ones (default), or a replay of delivered ones."""

    model_config = ConfigDict(extra="forbid")

    abonnement: Url | None = None
    notificatie: str | None = None
    sinds: Moment | None = None
    status: str = Field(default="geparkeerd", pattern="^(geparkeerd|afgeleverd|wachtend)$")


class Aantal(ApiModel):
    aantal: int


class Status(ApiModel):
    wachtend: int
    geparkeerd: int
    oudste_wachtend: str | None
    wachttijd_seconden: float | None
    falende_abonnementen: list[dict[str, Any]]
