"""Schemas of Rol: a party's role in a zaak, with a `betrokkeneIdentificatie` whose shape
depends on `betrokkeneType` (the spec's RolNatuurlijkPersoon, RolNietNatuurlijkPersoon,
RolVestiging, RolOrganisatorischeEenheid and RolMedewerker)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, ValidationError

from mijnzaken.core import vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.errors import InvalidParam, ValidationFailed, from_pydantic
from mijnzaken.core.validators import Url, check_bsn, check_email, check_url

BetrokkeneType = vocabulary.BetrokkeneType
OmschrijvingGeneriek = vocabulary.OmschrijvingGeneriek
InnRechtsvorm = Literal[
    "besloten_vennootschap",
    "cooperatie_europees_economische_samenwerking",
    "europese_cooperatieve_venootschap",
    "europese_cooperatieve_vennootschap",
    "europese_naamloze_vennootschap",
    "kerkelijke_organisatie",
    "naamloze_vennootschap",
    "onderlinge_waarborg_maatschappij",
    "overig_privaatrechtelijke_rechtspersoon",
    "stichting",
    "vereniging",
    "vereniging_van_eigenaars",
    "publiekrechtelijke_rechtspersoon",
    "vennootschap_onder_firma",
    "maatschap",
    "rederij",
    "commanditaire_vennootschap",
    "kapitaalvennootschap_binnen_eer",
    "overige_buitenlandse_rechtspersoon_vennootschap",
    "kapitaalvennootschap_buiten_eer",
    "",
]


def _bsn_or_blank(value: str) -> str:
    # the error of check_bsn never contains the number itself
    return check_bsn(value) if value else value


# A BSN that passes the eleven-test, or "" (not known).
OptionalBsn = Annotated[str, Field(max_length=9), AfterValidator(_bsn_or_blank)]
# A URL or "" (an optional reference the spec does not make nullable)
OptionalUrl = Annotated[
    str,
    Field(max_length=1000, json_schema_extra={"format": "uri"}),
    AfterValidator(lambda v: check_url(v) if v else v),
]
OptionalEmail = Annotated[
    str,
    Field(max_length=254, json_schema_extra={"format": "email"}),
    AfterValidator(lambda v: check_email(v) if v else v),
]


class Shape(ApiModel):
    """A JSON object of documented fields (unknown fields are dropped)."""

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


def validate_shape(model: type[Shape], value: Any, field: str) -> Shape:
    """`value` validated as `model`; errors name the field under `field` (e.g.
    `betrokkeneIdentificatie.inpBsn`) and never repeat the value given."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        failed = from_pydantic(exc)
        raise ValidationFailed(
            [
                InvalidParam(
                    f"{field}.{p.name}" if p.name != "nonFieldErrors" else field, p.code, p.reason
                )
                for p in failed.params
            ]
        ) from None


class VerblijfsAdres(Shape):
    aoa_identificatie: str = Field(max_length=100)
    wpl_woonplaats_naam: str = Field(max_length=80)
    gor_openbare_ruimte_naam: str = Field(max_length=80)
    aoa_postcode: str = Field(default="", max_length=7)
    aoa_huisnummer: int = Field(ge=0, le=99999)
    aoa_huisletter: str = Field(default="", max_length=1)
    aoa_huisnummertoevoeging: str = Field(default="", max_length=4)
    inp_locatiebeschrijving: str = Field(default="", max_length=1000)


class SubVerblijfBuitenland(Shape):
    lnd_landcode: str = Field(max_length=4)
    lnd_landnaam: str = Field(max_length=40)
    sub_adres_buitenland_1: str = Field(default="", max_length=35, alias="subAdresBuitenland_1")
    sub_adres_buitenland_2: str = Field(default="", max_length=35, alias="subAdresBuitenland_2")
    sub_adres_buitenland_3: str = Field(default="", max_length=35, alias="subAdresBuitenland_3")


class RolNatuurlijkPersoon(Shape):
    inp_bsn: OptionalBsn = ""
    anp_identificatie: str = Field(default="", max_length=17)
    # the spec's pattern allows no empty string, so "not known" is leaving it out
    inp_a_nummer: str | None = Field(
        default=None, max_length=10, pattern=r"^[1-9][0-9]{9}$", alias="inpA_nummer"
    )
    geslachtsnaam: str = Field(default="", max_length=200)
    voorvoegsel_geslachtsnaam: str = Field(default="", max_length=80)
    voorletters: str = Field(default="", max_length=20)
    voornamen: str = Field(default="", max_length=200)
    geslachtsaanduiding: Literal["m", "v", "o", ""] = ""
    geboortedatum: str = Field(default="", max_length=18)
    verblijfsadres: VerblijfsAdres | None = None
    sub_verblijf_buitenland: SubVerblijfBuitenland | None = None


class RolNietNatuurlijkPersoon(Shape):
    inn_nnp_id: str = Field(default="", max_length=9)
    ann_identificatie: str = Field(default="", max_length=17)
    statutaire_naam: str = Field(default="", max_length=500)
    inn_rechtsvorm: InnRechtsvorm = ""
    bezoekadres: str = Field(default="", max_length=1000)
    sub_verblijf_buitenland: SubVerblijfBuitenland | None = None


class RolVestiging(Shape):
    vestigings_nummer: str = Field(default="", max_length=24)
    handelsnaam: list[Annotated[str, Field(max_length=625)]] = Field(default_factory=list)
    verblijfsadres: VerblijfsAdres | None = None
    sub_verblijf_buitenland: SubVerblijfBuitenland | None = None
    kvk_nummer: str = Field(default="", max_length=8)


class RolOrganisatorischeEenheid(Shape):
    identificatie: str = Field(default="", max_length=24)
    naam: str = Field(default="", max_length=50)
    is_gehuisvest_in: str = Field(default="", max_length=24)


class RolMedewerker(Shape):
    identificatie: str = Field(default="", max_length=254)
    achternaam: str = Field(default="", max_length=200)
    voorletters: str = Field(default="", max_length=20)
    voorvoegsel_achternaam: str = Field(default="", max_length=10)


BETROKKENE_SHAPES: dict[str, type[Shape]] = {
    "natuurlijk_persoon": RolNatuurlijkPersoon,
    "niet_natuurlijk_persoon": RolNietNatuurlijkPersoon,
    "vestiging": RolVestiging,
    "organisatorische_eenheid": RolOrganisatorischeEenheid,
    "medewerker": RolMedewerker,
}


class ContactPersoonRol(Shape):
    emailadres: OptionalEmail = ""
    functie: str = Field(default="", max_length=50)
    telefoonnummer: str = Field(default="", max_length=20)
    naam: str = Field(max_length=40)


class RolWrite(ApiModel):
    """The body of rol_create. `betrokkeneIdentificatie` is checked against the shape of
    `betrokkeneType` by the service, so its errors name the nested field."""

    zaak: Url
    betrokkene: OptionalUrl = ""
    betrokkene_type: BetrokkeneType
    afwijkende_naam_betrokkene: str = Field(default="", max_length=625)
    roltype: Url
    roltoelichting: str = Field(max_length=1000)
    indicatie_machtiging: Literal["gemachtigde", "machtiginggever", ""] = ""
    contactpersoon_rol: ContactPersoonRol | None = None
    betrokkene_identificatie: dict[str, Any] | None = None


class Rol(ApiModel):
    """The response body, with the properties the spec's `Rol` lists; `betrokkeneIdentificatie`
    comes with it in the shape of `betrokkeneType` (the spec's discriminator mapping)."""

    url: str
    uuid: str
    zaak: str
    betrokkene: str
    betrokkene_type: BetrokkeneType
    afwijkende_naam_betrokkene: str
    roltype: str
    omschrijving: str
    omschrijving_generiek: str
    roltoelichting: str
    registratiedatum: str
    indicatie_machtiging: str
    contactpersoon_rol: dict[str, Any] | None
    statussen: list[str]


class RolExpanded(Rol):
    """List (and retrieve) items, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class RolFilter(ApiModel):
    model_config = ConfigDict(extra="forbid")

    zaak: str | None = None
    betrokkene: str | None = None
    betrokkene_type: BetrokkeneType | None = None
    inp_bsn: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
    )
    anp_identificatie: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie"
    )
    inp_a_nummer: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer"
    )
    inn_nnp_id: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId"
    )
    ann_identificatie: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie"
    )
    vestigings_nummer: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__vestiging__vestigingsNummer"
    )
    organisatorische_eenheid_identificatie: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__organisatorischeEenheid__identificatie"
    )
    medewerker_identificatie: str | None = Field(
        default=None, alias="betrokkeneIdentificatie__medewerker__identificatie"
    )
    roltype: str | None = None
    omschrijving: str | None = None
    omschrijving_generiek: OmschrijvingGeneriek | None = None
    page: int = 1
    expand: str | None = None


class RolRetrieveQuery(ApiModel):
    model_config = ConfigDict(extra="forbid")

    expand: str | None = None
