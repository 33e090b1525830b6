"""Schemas of Actor (medewerker, geautomatiseerde actor, organisatorische eenheid),
ActorKlantcontact and InterneTaak."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import Field, RootModel

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment
from mijnzaken.klantinteracties.schemas.common import (
    DocModel,
    Email,
    Identificator,
    Ref,
    RefOut,
    Telefoonnummer,
    list_filter,
    patch_of,
)

SoortActor = Literal["medewerker", "geautomatiseerde_actor", "organisatorische_eenheid"]


class Medewerker(ApiModel):
    functie: str = Field(max_length=40)
    emailadres: Email | None = None
    telefoonnummer: Telefoonnummer


class GeautomatiseerdeActor(ApiModel):
    functie: str = Field(max_length=40)
    omschrijving: str = Field(default="", max_length=200)


class OrganisatorischeEenheid(ApiModel):
    omschrijving: str = Field(default="", max_length=200)
    emailadres: Email | None = None
    faxnummer: str = Field(default="", max_length=20)
    telefoonnummer: Telefoonnummer | None = None


ACTOR_IDENTIFICATIE: dict[str, type[ApiModel]] = {
    "medewerker": Medewerker,
    "geautomatiseerde_actor": GeautomatiseerdeActor,
    "organisatorische_eenheid": OrganisatorischeEenheid,
}


class ActorWrite(ApiModel):
    naam: str = Field(max_length=200)
    soort_actor: SoortActor
    indicatie_actief: bool = True
    actoridentificator: Identificator | None = None
    actor_identificatie: dict[str, Any] | None = None


ActorPatch = patch_of(ActorWrite, "PatchedActor")


class _ActorBase(DocModel):
    uuid: str
    url: str
    naam: str
    indicatie_actief: bool
    actoridentificator: dict[str, str] | None


class MedewerkerActor(_ActorBase):
    soort_actor: Literal["medewerker"]
    actor_identificatie: dict[str, Any] | None = None


class GeautomatiseerdeActorActor(_ActorBase):
    soort_actor: Literal["geautomatiseerde_actor"]
    actor_identificatie: dict[str, Any] | None = None


class OrganisatorischeEenheidActor(_ActorBase):
    soort_actor: Literal["organisatorische_eenheid"]
    actor_identificatie: dict[str, Any] | None = None


class Actor(RootModel[Any]):
    """An actor: medewerker, geautomatiseerde actor or organisatorische eenheid."""

    root: Annotated[
        MedewerkerActor | GeautomatiseerdeActorActor | OrganisatorischeEenheidActor,
        Field(discriminator="soort_actor"),
    ]


ActorFilter = list_filter(
    "ActorFilter",
    {
        "actoridentificatorCodeObjecttype": str,
        "actoridentificatorCodeRegister": str,
        "actoridentificatorCodeSoortObjectId": str,
        "actoridentificatorObjectId": str,
        "indicatieActief": bool,
        "naam": str,
        "soortActor": SoortActor,
    },
)


class ActorKlantcontactWrite(ApiModel):
    actor: Ref
    klantcontact: Ref


ActorKlantcontactPatch = patch_of(ActorKlantcontactWrite, "PatchedActorKlantcontact")


class ActorKlantcontact(DocModel):
    uuid: str
    url: str
    actor: RefOut
    klantcontact: RefOut


ActorKlantcontactFilter = list_filter(
    "ActorKlantcontactFilter",
    {
        "actor__url": str,
        "actor__uuid": uuid.UUID,
        "klantcontact__url": str,
        "klantcontact__uuid": uuid.UUID,
    },
)


# --- interne taken -------------------------------------------------------------------------

Status = Literal["te_verwerken", "verwerkt"]


class InterneTaakWrite(ApiModel):
    nummer: str | None = Field(default=None, max_length=10)
    referentienummer: str | None = Field(default=None, max_length=10)
    gevraagde_handeling: str = Field(max_length=200)
    aanleidinggevend_klantcontact: Ref
    toegewezen_aan_actor: Ref | None = None
    toegewezen_aan_actoren: list[Ref] | None = None
    toelichting: str = Field(default="", max_length=1000)
    status: Status
    afgehandeld_op: Moment | None = None


InterneTaakPatch = patch_of(InterneTaakWrite, "PatchedInterneTaak")


class InterneTaak(DocModel):
    uuid: str
    url: str
    nummer: str | None
    referentienummer: str | None
    gevraagde_handeling: str
    aanleidinggevend_klantcontact: RefOut
    toegewezen_aan_actor: RefOut | None = None
    toegewezen_aan_actoren: list[RefOut]
    toelichting: str
    status: Status
    toegewezen_op: str
    afgehandeld_op: str | None


InterneTaakFilter = list_filter(
    "InterneTaakFilter",
    {
        "aanleidinggevendKlantcontact__url": str,
        "aanleidinggevendKlantcontact__uuid": uuid.UUID,
        "actoren__naam": str,
        "klantcontact__nummer": str,
        "klantcontact__referentienummer": str,
        "klantcontact__uuid": uuid.UUID,
        "nummer": str,
        "referentienummer": str,
        "status": Status,
        "toegewezenAanActor__url": str,
        "toegewezenAanActor__uuid": uuid.UUID,
        "toegewezenOp": Moment,
    },
)
