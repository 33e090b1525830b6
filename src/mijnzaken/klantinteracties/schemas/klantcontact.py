"""Schemas of Klantcontact, Betrokkene, Onderwerpobject, Bijlage and maak-klantcontact."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, check_url
from mijnzaken.klantinteracties.schemas.common import (
    Adres,
    Contactnaam,
    DocModel,
    Identificator,
    Ref,
    RefOut,
    fail,
    list_filter,
    patch_of,
)

Rol = Literal["vertegenwoordiger", "klant"]


class KlantcontactWrite(ApiModel):
    nummer: str | None = Field(default=None, max_length=10)
    referentienummer: str | None = Field(default=None, max_length=10)
    kanaal: str = Field(max_length=50)
    onderwerp: str = Field(max_length=200)
    inhoud: str = Field(default="", max_length=1000)
    reactie: str = Field(default="", max_length=4000)
    indicatie_contact_gelukt: bool | None = None
    hoofd_onderwerp_type: str = Field(default="", max_length=200)
    verdere_actie_ondernomen: bool = False
    taal: str = Field(max_length=3)
    vertrouwelijk: bool
    plaatsgevonden_op: Moment | None = None
    metadata: dict[str, str] = Field(default_factory=dict)

    @field_validator("hoofd_onderwerp_type")
    @classmethod
    def _uri(cls, value: str) -> str:
        return check_url(value) if value else value

    @field_validator("metadata")
    @classmethod
    def _short_values(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(v) > 255 for v in value.values()):
            raise fail("max_length", "Een metadata-waarde is ten hoogste 255 tekens.")
        return value


KlantcontactPatch = patch_of(KlantcontactWrite, "PatchedKlantcontact")


class Klantcontact(DocModel):
    uuid: str
    url: str
    ging_over_onderwerpobjecten: list[RefOut]
    had_betrokken_actoren: list[dict[str, Any]]
    omvatte_bijlagen: list[RefOut]
    had_betrokkenen: list[RefOut]
    leidde_tot_interne_taken: list[RefOut]
    nummer: str | None
    referentienummer: str | None
    kanaal: str
    onderwerp: str
    inhoud: str
    reactie: str
    indicatie_contact_gelukt: bool | None
    hoofd_onderwerp_type: str | None = None
    verdere_actie_ondernomen: bool
    taal: str
    vertrouwelijk: bool
    plaatsgevonden_op: str
    metadata: dict[str, str]


class KlantcontactExpanded(Klantcontact):
    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


_ONDERWERPOBJECT = {
    f"{prefix}__onderwerpobjectidentificator{veld}": str
    for prefix in ("onderwerpobject", "wasOnderwerpobject")
    for veld in ("CodeObjecttype", "CodeRegister", "CodeSoortObjectId", "ObjectId")
}
_WAS_PARTIJ = {
    f"hadBetrokkene__wasPartij__partijIdentificator__{veld}": str
    for veld in ("codeObjecttype", "codeRegister", "codeSoortObjectId", "objectId")
}

KlantcontactFilter = list_filter(
    "KlantcontactFilter",
    {
        "expand": str,
        "hadBetrokkene__digitaaladres__adres__icontains": str,
        "hadBetrokkene__url": str,
        "hadBetrokkene__uuid": uuid.UUID,
        "hadBetrokkene__wasPartij": bool,
        **_WAS_PARTIJ,
        "hadBetrokkene__wasPartij__url": str,
        "hadBetrokkene__wasPartij__uuid": uuid.UUID,
        "indicatieContactGelukt": bool,
        "inhoud": str,
        "kanaal": str,
        "leiddeTotInterneTaken": bool,
        "nummer": str,
        "onderwerp": str,
        **_ONDERWERPOBJECT,
        "onderwerpobject__url": str,
        "onderwerpobject__uuid": uuid.UUID,
        "plaatsgevondenOp": Moment,
        "reactie": str,
        "referentienummer": str,
        "vertrouwelijk": bool,
        "wasOnderwerpobject__url": str,
        "wasOnderwerpobject__uuid": uuid.UUID,
    },
)


class ExpandQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None


# --- betrokkenen ---------------------------------------------------------------------------


class BetrokkeneWrite(ApiModel):
    was_partij: Ref | None = None
    had_klantcontact: Ref
    bezoekadres: Adres | None = None
    correspondentieadres: Adres | None = None
    contactnaam: Contactnaam | None = None
    rol: Rol
    organisatienaam: str = Field(default="", max_length=200)
    initiator: bool


BetrokkenePatch = patch_of(BetrokkeneWrite, "PatchedBetrokkene")


class Betrokkene(DocModel):
    uuid: str
    url: str
    was_partij: RefOut | None
    had_klantcontact: RefOut
    digitale_adressen: list[RefOut]
    bezoekadres: dict[str, Any] | None
    correspondentieadres: dict[str, Any] | None
    contactnaam: dict[str, Any] | None
    volledige_naam: str
    rol: Rol
    organisatienaam: str
    initiator: bool


class BetrokkeneExpanded(Betrokkene):
    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


BetrokkeneFilter = list_filter(
    "BetrokkeneFilter",
    {
        "contactnaamAchternaam": str,
        "contactnaamVoorletters": str,
        "contactnaamVoornaam": str,
        "contactnaamVoorvoegselAchternaam": str,
        "expand": str,
        "hadKlantcontact__nummer": str,
        "hadKlantcontact__referentienummer": str,
        "hadKlantcontact__url": str,
        "hadKlantcontact__uuid": uuid.UUID,
        "organisatienaam": str,
        "verstrektedigitaalAdres__adres": str,
        "verstrektedigitaalAdres__url": str,
        "verstrektedigitaalAdres__uuid": uuid.UUID,
        "wasPartij__nummer": str,
        **{
            f"wasPartij__partijIdentificator__{veld}": str
            for veld in ("codeObjecttype", "codeRegister", "codeSoortObjectId", "objectId")
        },
        "wasPartij__url": str,
        "wasPartij__uuid": uuid.UUID,
    },
)


# --- onderwerpobjecten and bijlagen --------------------------------------------------------


class OnderwerpobjectWrite(ApiModel):
    klantcontact: Ref | None = None
    was_klantcontact: Ref | None = None
    onderwerpobjectidentificator: Identificator | None = None


OnderwerpobjectPatch = patch_of(OnderwerpobjectWrite, "PatchedOnderwerpobject")


class Onderwerpobject(DocModel):
    uuid: str
    url: str
    klantcontact: RefOut | None
    was_klantcontact: RefOut | None
    onderwerpobjectidentificator: dict[str, str] | None


OnderwerpobjectFilter = list_filter(
    "OnderwerpobjectFilter",
    {
        "klantcontact__url": str,
        "klantcontact__uuid": uuid.UUID,
        "onderwerpobjectidentificatorCodeObjecttype": str,
        "onderwerpobjectidentificatorCodeRegister": str,
        "onderwerpobjectidentificatorCodeSoortObjectId": str,
        "onderwerpobjectidentificatorObjectId": str,
        "wasKlantcontact__url": str,
        "wasKlantcontact__uuid": uuid.UUID,
    },
)


class OnderwerpobjectDestroyQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    cascade: bool = False


class BijlageWrite(ApiModel):
    was_bijlage_van_klantcontact: Ref | None = None
    bijlageidentificator: Identificator | None = None


BijlagePatch = patch_of(BijlageWrite, "PatchedBijlage")


class Bijlage(DocModel):
    uuid: str
    url: str
    was_bijlage_van_klantcontact: RefOut | None
    bijlageidentificator: dict[str, str] | None


BijlageFilter = list_filter(
    "BijlageFilter",
    {
        "bijlageidentificatorCodeObjecttype": str,
        "bijlageidentificatorCodeRegister": str,
        "bijlageidentificatorCodeSoortObjectId": str,
        "bijlageidentificatorObjectId": str,
        "klantcontact__uuid": uuid.UUID,
    },
)


# --- maak-klantcontact ---------------------------------------------------------------------


class MaakBetrokkene(BetrokkeneWrite):
    had_klantcontact: Ref | None = None  # type: ignore[assignment]  # set to the new one


class MaakOnderwerpobject(OnderwerpobjectWrite):
    pass


class MaakKlantcontactWrite(ApiModel):
    klantcontact: KlantcontactWrite
    betrokkene: MaakBetrokkene | None = None
    onderwerpobject: MaakOnderwerpobject | None = None


class MaakKlantcontact(DocModel):
    klantcontact: Klantcontact
    betrokkene: Betrokkene | None = None
    onderwerpobject: Onderwerpobject | None = None
