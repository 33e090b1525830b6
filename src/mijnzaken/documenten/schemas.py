"""Request and response schemas of the Documenten API 1.7.0 (names as in the spec)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field

from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Moment, Url, Url200
from mijnzaken.core.vocabulary import Vertrouwelijkheidaanduiding

Status = Literal["in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd"]
Algoritme = Literal[
    "crc_16",
    "crc_32",
    "crc_64",
    "fletcher_4",
    "fletcher_8",
    "fletcher_16",
    "fletcher_32",
    "hmac",
    "md5",
    "sha_1",
    "sha_256",
    "sha_512",
    "sha_3",
]
ObjectType = Literal["besluit", "zaak", "verzoek"]
AardRelatie = Literal["afzender", "geadresseerde"]
MAX_INT64 = 9223372036854775807


class Ondertekening(ApiModel):
    soort: Literal["analoog", "digitaal", "pki"] | Literal[""] = ""
    datum: dt.date | None = None


class Integriteit(ApiModel):
    algoritme: Algoritme | Literal[""] = ""
    waarde: str = Field(default="", max_length=128)
    datum: dt.date | None = None


class EnkelvoudigInformatieObjectWrite(ApiModel):
    """The body of create, update (with `lock`) and, merged, partial_update."""

    identificatie: str = Field(default="", max_length=40)
    bronorganisatie: str = Field(min_length=1, max_length=9)
    creatiedatum: dt.date
    titel: str = Field(min_length=1, max_length=200)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | Literal[""] = ""
    is_gereed_voor_publicatie: bool | None = None
    tonen_aan_initiator: bool = False
    auteur: str = Field(min_length=1, max_length=200)
    status: Status | Literal[""] = ""
    inhoud_is_vervallen: bool | None = None
    formaat: str = Field(default="", max_length=255)
    taal: str = Field(min_length=3, max_length=3)
    bestandsnaam: str = Field(default="", max_length=255)
    # base64; a URL (the download link of a rendering) in a merged PATCH means "unchanged"
    inhoud: str | None = None
    bestandsomvang: int | None = Field(default=None, ge=0, le=MAX_INT64)
    link: Url200 | Literal[""] = ""
    beschrijving: str = Field(default="", max_length=1000)
    ontvangstdatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    indicatie_gebruiksrecht: bool | None = None
    verschijningsvorm: str = ""
    ondertekening: Ondertekening | None = None
    integriteit: Integriteit | None = None
    informatieobjecttype: str = Field(min_length=1, max_length=200)
    trefwoorden: list[str] = Field(default_factory=list)
    lock: str = Field(default="", max_length=100)


class EnkelvoudigInformatieObjectPatch(ApiModel):
    identificatie: str | None = Field(default=None, max_length=40)
    bronorganisatie: str | None = Field(default=None, min_length=1, max_length=9)
    creatiedatum: dt.date | None = None
    titel: str | None = Field(default=None, min_length=1, max_length=200)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | Literal[""] | None = None
    is_gereed_voor_publicatie: bool | None = None
    tonen_aan_initiator: bool | None = None
    auteur: str | None = Field(default=None, min_length=1, max_length=200)
    status: Status | Literal[""] | None = None
    inhoud_is_vervallen: bool | None = None
    formaat: str | None = Field(default=None, max_length=255)
    taal: str | None = Field(default=None, min_length=3, max_length=3)
    bestandsnaam: str | None = Field(default=None, max_length=255)
    inhoud: str | None = None
    bestandsomvang: int | None = Field(default=None, ge=0, le=MAX_INT64)
    link: Url200 | Literal[""] | None = None
    beschrijving: str | None = Field(default=None, max_length=1000)
    ontvangstdatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    indicatie_gebruiksrecht: bool | None = None
    verschijningsvorm: str | None = None
    ondertekening: Ondertekening | None = None
    integriteit: Integriteit | None = None
    informatieobjecttype: str | None = Field(default=None, min_length=1, max_length=200)
    trefwoorden: list[str] | None = None
    lock: str | None = Field(default=None, max_length=100)


class BestandsDeelOut(ApiModel):
    url: str
    volgnummer: int
    omvang: int
    voltooid: bool
    lock: str


class BestandsDeelResponse(BestandsDeelOut):
    """The answer to an upload. `inhoud` (the URL of the part's own content) is optional in
    the spec and not given: parts are not served on their own, only the joined document."""

    inhoud: str | None = None


class EnkelvoudigInformatieObject(ApiModel):
    """The response of every read and write (create adds `lock`)."""

    url: str
    identificatie: str
    bronorganisatie: str
    creatiedatum: str
    titel: str
    vertrouwelijkheidaanduiding: str
    is_gereed_voor_publicatie: bool | None
    tonen_aan_initiator: bool
    auteur: str
    status: str
    inhoud_is_vervallen: bool | None
    formaat: str
    taal: str
    versie: int
    begin_registratie: str
    bestandsnaam: str
    inhoud: str | None
    bestandsomvang: int | None
    link: str
    beschrijving: str
    ontvangstdatum: str | None
    verzenddatum: str | None
    indicatie_gebruiksrecht: bool | None
    verschijningsvorm: str
    ondertekening: Ondertekening | None
    integriteit: Integriteit | None
    informatieobjecttype: str
    locked: bool
    bestandsdelen: list[BestandsDeelOut]
    trefwoorden: list[str]


class EnkelvoudigInformatieObjectCreateLock(EnkelvoudigInformatieObject):
    lock: str


class EnkelvoudigInformatieObjectFilter(ApiModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    identificatie: str | None = None
    bronorganisatie: str | None = None
    objectinformatieobjecten_object: str | None = Field(
        default=None, alias="objectinformatieobjecten_object"
    )
    objectinformatieobjecten_object_type: ObjectType | None = Field(
        default=None, alias="objectinformatieobjecten_objectType"
    )
    trefwoorden: list[str] | None = None
    expand: str | None = None
    page: int = 1


class EnkelvoudigInformatieObjectRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    versie: int | None = None
    registratie_op: str | None = None
    expand: str | None = None


class DownloadQuery(ApiModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    versie: int | None = None
    registratie_op: str | None = None


class EIOZoek(ApiModel):
    model_config = ConfigDict(populate_by_name=True)

    uuid__in: list[str] = Field(alias="uuid__in")
    identificatie: str | None = None
    bronorganisatie: str | None = None
    expand: str | None = None


class ZoekQuery(ApiModel):
    page: int = 1


class Lock(ApiModel):
    lock: str


class Unlock(ApiModel):
    lock: str = Field(default="", max_length=100)


class ObjectInformatieObjectWrite(ApiModel):
    informatieobject: Url
    object: Url
    object_type: ObjectType


class ObjectInformatieObject(ObjectInformatieObjectWrite):
    url: str


class ObjectInformatieObjectFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    object: str | None = None
    informatieobject: str | None = None
    expand: str | None = None


class GebruiksrechtenWrite(ApiModel):
    informatieobject: Url
    startdatum: Moment
    einddatum: Moment | None = None
    omschrijving_voorwaarden: str = Field(min_length=1)


class GebruiksrechtenPatch(ApiModel):
    informatieobject: Url | None = None
    startdatum: Moment | None = None
    einddatum: Moment | None = None
    omschrijving_voorwaarden: str | None = Field(default=None, min_length=1)


class Gebruiksrechten(GebruiksrechtenWrite):
    url: str
    startdatum: str  # type: ignore[assignment]
    einddatum: str | None  # type: ignore[assignment]


class GebruiksrechtenFilter(ApiModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    informatieobject: str | None = None
    startdatum__lt: Moment | None = Field(default=None, alias="startdatum__lt")
    startdatum__lte: Moment | None = Field(default=None, alias="startdatum__lte")
    startdatum__gt: Moment | None = Field(default=None, alias="startdatum__gt")
    startdatum__gte: Moment | None = Field(default=None, alias="startdatum__gte")
    einddatum__lt: Moment | None = Field(default=None, alias="einddatum__lt")
    einddatum__lte: Moment | None = Field(default=None, alias="einddatum__lte")
    einddatum__gt: Moment | None = Field(default=None, alias="einddatum__gt")
    einddatum__gte: Moment | None = Field(default=None, alias="einddatum__gte")
    expand: str | None = None


class BinnenlandsAdres(ApiModel):
    huisletter: str = Field(default="", max_length=1)
    huisnummer: int = Field(ge=1, le=99999)
    huisnummer_toevoeging: str = Field(default="", max_length=4)
    naam_openbare_ruimte: str = Field(min_length=1, max_length=80)
    postcode: str = Field(default="", max_length=6)
    woonplaatsnaam: str = Field(min_length=1, max_length=80)


class BuitenlandsAdres(ApiModel):
    adres_buitenland1: str = Field(min_length=1, max_length=35)
    adres_buitenland2: str = Field(default="", max_length=35)
    adres_buitenland3: str = Field(default="", max_length=35)
    land_postadres: Url200


class Postadres(ApiModel):
    post_bus_of_antwoordnummer: int = Field(ge=1, le=9999)
    postadres_postcode: str = Field(min_length=1, max_length=6)
    postadres_type: Literal["antwoordnummer", "postbusnummer"]
    woonplaatsnaam: str = Field(min_length=1, max_length=80)


class VerzendingWrite(ApiModel):
    betrokkene: Url200
    informatieobject: Url
    aard_relatie: AardRelatie
    toelichting: str = Field(default="", max_length=200)
    ontvangstdatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    contact_persoon: Url
    contactpersoonnaam: str = Field(default="", max_length=40)
    binnenlands_correspondentieadres: BinnenlandsAdres | None = None
    buitenlands_correspondentieadres: BuitenlandsAdres | None = None
    correspondentie_postadres: Postadres | None = None
    faxnummer: str | None = Field(default=None, max_length=15)
    emailadres: str | None = Field(default=None, max_length=100)
    mijn_overheid: bool = False
    telefoonnummer: str | None = Field(default=None, max_length=15)


class VerzendingPatch(ApiModel):
    betrokkene: Url200 | None = None
    informatieobject: Url | None = None
    aard_relatie: AardRelatie | None = None
    toelichting: str | None = Field(default=None, max_length=200)
    ontvangstdatum: dt.date | None = None
    verzenddatum: dt.date | None = None
    contact_persoon: Url | None = None
    contactpersoonnaam: str | None = Field(default=None, max_length=40)
    binnenlands_correspondentieadres: BinnenlandsAdres | None = None
    buitenlands_correspondentieadres: BuitenlandsAdres | None = None
    correspondentie_postadres: Postadres | None = None
    faxnummer: str | None = Field(default=None, max_length=15)
    emailadres: str | None = Field(default=None, max_length=100)
    mijn_overheid: bool | None = None
    telefoonnummer: str | None = Field(default=None, max_length=15)


class Verzending(VerzendingWrite):
    url: str
    ontvangstdatum: str | None  # type: ignore[assignment]
    verzenddatum: str | None  # type: ignore[assignment]


class VerzendingFilter(ApiModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    aard_relatie: AardRelatie | None = None
    informatieobject: str | None = None
    betrokkene: str | None = None
    expand: str | None = None
    page: int = 1


__all__ = ["Moment"]
