"""Schemas of ZaakObject: an object a zaak is about, with an `objectIdentificatie` whose
shape depends on `objectType` (the spec's Object* schemas, and the Rol* ones for persons,
establishments, units and employees)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Url
from mijnzaken.zaken.schemas.rol import (
    OptionalUrl,
    RolMedewerker,
    RolNatuurlijkPersoon,
    RolNietNatuurlijkPersoon,
    RolOrganisatorischeEenheid,
    RolVestiging,
    Shape,
)

ObjectType = vocabulary.ObjectType


def _s(max_length: int) -> Any:
    """An optional text field of at most `max_length` characters."""
    return Field(default="", max_length=max_length)


Id100 = Annotated[str, Field(max_length=100)]


def _overige(value: str) -> str:
    # the spec's pattern `[a-z\_]+` is not anchored: it asks for one such character somewhere
    if value and not re.search(r"[a-z_]", value):
        raise PydanticCustomError(
            "invalid", "Gebruik kleine letters en underscores.", {"code": "invalid"}
        )
    return value


ObjectTypeOverige = Annotated[str, Field(max_length=100), AfterValidator(_overige)]


class ObjectAdres(Shape):
    identificatie: Id100
    wpl_woonplaats_naam: str = Field(max_length=80)
    gor_openbare_ruimte_naam: str = Field(max_length=80)
    huisnummer: int = Field(ge=0, le=99999)
    huisletter: str = _s(1)
    huisnummertoevoeging: str = _s(4)
    postcode: str = _s(7)


class ObjectBuurt(Shape):
    buurt_code: str = Field(max_length=2)
    buurt_naam: str = Field(max_length=40)
    gem_gemeente_code: str = Field(max_length=4)
    wyk_wijk_code: str = Field(max_length=2)


class ObjectGemeente(Shape):
    gemeente_naam: str = Field(max_length=80)
    gemeente_code: str = Field(max_length=4)


class ObjectGemeentelijkeOpenbareRuimte(Shape):
    identificatie: Id100
    openbare_ruimte_naam: str = Field(max_length=80)


class TerreinGebouwdObjectAdres(Shape):
    num_identificatie: str = _s(100)
    oao_identificatie: str = _s(100)  # misspelt and deprecated in the spec, still accepted
    aoa_identificatie: str = _s(100)
    wpl_woonplaats_naam: str = Field(max_length=80)
    gor_openbare_ruimte_naam: str = Field(max_length=80)
    aoa_postcode: str = _s(7)
    aoa_huisnummer: int = Field(ge=0, le=99999)
    aoa_huisletter: str = _s(1)
    aoa_huisnummertoevoeging: str = _s(4)
    ogo_locatie_aanduiding: str = _s(100)


class ObjectTerreinGebouwdObject(Shape):
    identificatie: Id100
    adres_aanduiding_grp: TerreinGebouwdObjectAdres | None = None


class ObjectHuishouden(Shape):
    nummer: str = Field(max_length=12)
    is_gehuisvest_in: ObjectTerreinGebouwdObject | None = None


class ObjectInrichtingselement(Shape):
    type: Literal[
        "bak",
        "bord",
        "installatie",
        "kast",
        "mast",
        "paal",
        "sensor",
        "straatmeubilair",
        "waterinrichtingselement",
        "weginrichtingselement",
    ]
    identificatie: Id100
    naam: str = _s(500)


class ObjectKadastraleOnroerendeZaak(Shape):
    kadastrale_identificatie: str = Field(max_length=100)
    kadastrale_aanduiding: str = Field(max_length=1000)


class ObjectKunstwerkdeel(Shape):
    type: Literal[
        "keermuur",
        "overkluizing",
        "duiker",
        "faunavoorziening",
        "vispassage",
        "bodemval",
        "coupure",
        "ponton",
        "voorde",
        "hoogspanningsmast",
        "gemaal",
        "perron",
        "sluis",
        "strekdam",
        "steiger",
        "stuw",
    ]
    identificatie: Id100
    naam: str = Field(max_length=80)


class ObjectMaatschappelijkeActiviteit(Shape):
    kvk_nummer: str = Field(max_length=8)
    handelsnaam: str = Field(max_length=200)


class ObjectOpenbareRuimte(Shape):
    identificatie: Id100
    wpl_woonplaats_naam: str = Field(max_length=80)
    gor_openbare_ruimte_naam: str = Field(max_length=80)


class ObjectOverige(Shape):
    overige_data: dict[str, Any]


class ObjectPand(Shape):
    identificatie: Id100


class ObjectSpoorbaandeel(Shape):
    type: Literal["breedspoor", "normaalspoor", "smalspoor", "spoorbaan"]
    identificatie: Id100
    naam: str = _s(500)


class ObjectTerreindeel(Shape):
    type: str = Field(max_length=40)
    identificatie: Id100
    naam: str = _s(500)


class ObjectWaterdeel(Shape):
    type_waterdeel: Literal["zee", "waterloop", "watervlakte", "greppel_droge_sloot"]
    identificatie: Id100
    naam: str = _s(500)


class ObjectWegdeel(Shape):
    type: str = Field(max_length=100)
    identificatie: Id100
    naam: str = _s(500)


class ObjectWijk(Shape):
    wijk_code: str = Field(max_length=2)
    wijk_naam: str = Field(max_length=40)
    gem_gemeente_code: str = Field(max_length=4)


class ObjectWoonplaats(Shape):
    identificatie: Id100
    woonplaats_naam: str = Field(max_length=80)


class WozObjectAdres(Shape):
    aoa_identificatie: str = Field(max_length=100)
    wpl_woonplaats_naam: str = Field(max_length=80)
    gor_openbare_ruimte_naam: str = Field(max_length=80)
    aoa_postcode: str = _s(7)
    aoa_huisnummer: int = Field(ge=0, le=99999)
    aoa_huisletter: str = _s(1)
    aoa_huisnummertoevoeging: str = _s(4)
    locatie_omschrijving: str = _s(1000)


class ObjectWozObject(Shape):
    woz_object_nummer: str = Field(max_length=100)
    aanduiding_woz_object: WozObjectAdres | None = None


class ObjectWozDeelobject(Shape):
    nummer_woz_deel_object: str = Field(max_length=6)
    is_onderdeel_van: ObjectWozObject | None = None


class ObjectWozWaarde(Shape):
    waardepeildatum: str = Field(max_length=9)
    is_voor: ObjectWozObject | None = None


class ZakelijkRechtHeeftAlsGerechtigde(Shape):
    natuurlijk_persoon: RolNatuurlijkPersoon | None = None
    niet_natuurlijk_persoon: RolNietNatuurlijkPersoon | None = None


class ObjectZakelijkRecht(Shape):
    identificatie: Id100
    avg_aard: str = Field(max_length=1000)
    heeft_betrekking_op: ObjectKadastraleOnroerendeZaak | None = None
    heeft_als_gerechtigde: ZakelijkRechtHeeftAlsGerechtigde | None = None


# objectType -> the shape of its objectIdentificatie (None: the type has none, refer to the
# object by URL: besluit, enkelvoudig_document, status)
OBJECT_SHAPES: dict[str, type[Shape] | None] = {
    "adres": ObjectAdres,
    "besluit": None,
    "buurt": ObjectBuurt,
    "enkelvoudig_document": None,
    "gemeente": ObjectGemeente,
    "gemeentelijke_openbare_ruimte": ObjectGemeentelijkeOpenbareRuimte,
    "huishouden": ObjectHuishouden,
    "inrichtingselement": ObjectInrichtingselement,
    "kadastrale_onroerende_zaak": ObjectKadastraleOnroerendeZaak,
    "kunstwerkdeel": ObjectKunstwerkdeel,
    "maatschappelijke_activiteit": ObjectMaatschappelijkeActiviteit,
    "medewerker": RolMedewerker,
    "natuurlijk_persoon": RolNatuurlijkPersoon,
    "niet_natuurlijk_persoon": RolNietNatuurlijkPersoon,
    "openbare_ruimte": ObjectOpenbareRuimte,
    "organisatorische_eenheid": RolOrganisatorischeEenheid,
    "pand": ObjectPand,
    "spoorbaandeel": ObjectSpoorbaandeel,
    "status": None,
    "terreindeel": ObjectTerreindeel,
    "terrein_gebouwd_object": ObjectTerreinGebouwdObject,
    "vestiging": RolVestiging,
    "waterdeel": ObjectWaterdeel,
    "wegdeel": ObjectWegdeel,
    "wijk": ObjectWijk,
    "woonplaats": ObjectWoonplaats,
    "woz_deelobject": ObjectWozDeelobject,
    "woz_object": ObjectWozObject,
    "woz_waarde": ObjectWozWaarde,
    "zakelijk_recht": ObjectZakelijkRecht,
    "overige": ObjectOverige,
}


class ObjectTypeOverigeDefinitie(Shape):
    url: Url
    schema_: str = Field(max_length=100, alias="schema")
    object_data: str = Field(max_length=100)


class ZaakObjectWrite(ApiModel):
    """The body of create and update. `objectIdentificatie` is checked against the shape of
    `objectType` by the service, so its errors name the nested field."""

    zaak: Url
    object: OptionalUrl = ""
    zaakobjecttype: OptionalUrl | None = None
    object_type: ObjectType
    object_type_overige: ObjectTypeOverige = ""
    object_type_overige_definitie: ObjectTypeOverigeDefinitie | None = None
    relatieomschrijving: str = Field(default="", max_length=80)
    object_identificatie: dict[str, Any] | None = None


class ZaakObjectPatch(ApiModel):
    zaak: Url | None = None
    object: OptionalUrl | None = None
    zaakobjecttype: OptionalUrl | None = None
    object_type: ObjectType | None = None
    object_type_overige: ObjectTypeOverige | None = None
    object_type_overige_definitie: ObjectTypeOverigeDefinitie | None = None
    relatieomschrijving: str | None = Field(default=None, max_length=80)
    object_identificatie: dict[str, Any] | None = None


class ZaakObject(ApiModel):
    """The response body, with the properties the spec's `ZaakObject` lists;
    `objectIdentificatie` comes with it in the shape of `objectType`."""

    url: str
    uuid: str
    zaak: str
    object: str
    zaakobjecttype: str | None = None
    object_type: ObjectType
    object_type_overige: str | None = None
    object_type_overige_definitie: dict[str, Any] | None = None
    relatieomschrijving: str


class ZaakObjectExpanded(ZaakObject):
    """List (and retrieve) items, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class ZaakObjectFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    object: str | None = None
    object_type: ObjectType | None = None
    page: int = 1
    expand: str | None = None


class ZaakObjectRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None
