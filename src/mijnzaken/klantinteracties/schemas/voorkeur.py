"""Schemas of the channel-preference extension (not part of the Klantinteracties standard):
kanaalvoorkeuren, their consent history, the resolved channel, and verification codes."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url
from mijnzaken.klantinteracties.schemas.common import DocModel, Ref, RefOut, list_filter

Kanaal = Literal["email", "sms", "post", "berichtenbox", "geen"]
OnderwerpSoort = Literal["standaard", "zaaktype", "categorie"]


class KanaalvoorkeurWrite(ApiModel):
    partij: Ref
    onderwerp_soort: OnderwerpSoort = Field(
        description="`standaard` (for every topic without a preference of its own), `zaaktype` "
        "or `categorie`."
    )
    onderwerp: Url | None = Field(
        default=None,
        description="The zaaktype URL or the URL of a categorie of this API; none for `standaard`.",
    )
    kanaal: Kanaal = Field(description="`geen`: the partij wants no messages on this topic.")
    digitaal_adres: Ref | None = Field(
        default=None,
        description="For `email` and `sms`: which of the partij's digitale adressen (of that "
        "soort); by default its standaard adres of that soort.",
    )
    toelichting: str = Field(default="", max_length=1000, description="Recorded in the history.")

    @model_validator(mode="after")
    def _onderwerp_fits(self) -> KanaalvoorkeurWrite:
        if (self.onderwerp_soort == "standaard") != (self.onderwerp is None):
            raise ValueError(
                "Geef een onderwerp bij onderwerpSoort zaaktype of categorie, en geen bij "
                "standaard."
            )
        return self


class KanaalvoorkeurPatch(ApiModel):
    kanaal: Kanaal | None = None
    digitaal_adres: Ref | None = None
    toelichting: str | None = Field(default=None, max_length=1000)


class Kanaalvoorkeur(DocModel):
    uuid: str
    url: str
    partij: RefOut
    onderwerp_soort: OnderwerpSoort
    onderwerp: str | None
    kanaal: Kanaal
    digitaal_adres: RefOut | None
    gewijzigd_op: str


KanaalvoorkeurFilter = list_filter(
    "KanaalvoorkeurFilter",
    {"partij__uuid": uuid.UUID, "onderwerpSoort": OnderwerpSoort, "kanaal": Kanaal},
)


class Toestemming(DocModel):
    uuid: str
    kanaalvoorkeur: str
    partij: RefOut
    onderwerp_soort: OnderwerpSoort
    onderwerp: str | None
    actie: Literal["gegeven", "gewijzigd", "ingetrokken"]
    kanaal: str
    digitaal_adres: str | None
    moment: str
    applicatie: str
    gebruiker: str
    toelichting: str


ToestemmingFilter = list_filter("ToestemmingFilter", {"partij__uuid": uuid.UUID})


class BepaalQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    partij: uuid.UUID
    zaaktype: Url | None = None
    categorie: Url | None = None


class Bepaling(DocModel):
    kanaal: Kanaal | None = Field(
        description="null: the partij has no preference on this topic and no default."
    )
    digitaal_adres: RefOut | None
    adres: str | None
    bron: Literal["zaaktype", "categorie", "standaard"] | None
    kanaalvoorkeur: str | None


# --- verification ---------------------------------------------------------------------------


class Verificatieverzoek(DocModel):
    verloopt_op: str
    pogingen_over: int


class VerificatieCode(ApiModel):
    code: str = Field(min_length=1, max_length=20)
