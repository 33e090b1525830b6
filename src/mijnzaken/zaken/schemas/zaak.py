"""Schemas of Zaak: the body of create/update, the list filters, the `_zoek` body and the
reservation of zaaknummers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from mijnzaken.core import geo, vocabulary
from mijnzaken.core.api import ApiModel
from mijnzaken.core.validators import Duration, Moment, Rsin, Url, check_rsin, check_url

Vertrouwelijkheid = vocabulary.Vertrouwelijkheidaanduiding
Archiefnominatie = Literal["blijvend_bewaren", "vernietigen"]
Archiefstatus = Literal[
    "nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen"
]
BetrokkeneType = vocabulary.BetrokkeneType
OmschrijvingGeneriek = vocabulary.OmschrijvingGeneriek
Ordering = Literal[
    "startdatum",
    "-startdatum",
    "einddatum",
    "-einddatum",
    "publicatiedatum",
    "-publicatiedatum",
    "archiefactiedatum",
    "-archiefactiedatum",
    "registratiedatum",
    "-registratiedatum",
    "identificatie",
    "-identificatie",
]

BETALINGSINDICATIE_WEERGAVE = {
    "nvt": "Er is geen sprake van te betalen, met de zaak gemoeide, kosten.",
    "nog_niet": "De met de zaak gemoeide kosten zijn (nog) niet betaald.",
    "gedeeltelijk": "De met de zaak gemoeide kosten zijn gedeeltelijk betaald.",
    "geheel": "De met de zaak gemoeide kosten zijn geheel betaald.",
    "": "",
}


class Verlenging(ApiModel):
    duur: Duration
    reden: str = Field(max_length=200)


class Opschorting(ApiModel):
    indicatie: bool
    reden: str = Field(max_length=200)


class Processobject(ApiModel):
    datumkenmerk: str = Field(max_length=250)
    identificatie: str = Field(max_length=250)
    objecttype: str = Field(max_length=250)
    registratie: str = Field(max_length=250)


class RelevanteZaak(ApiModel):
    url: Url
    aard_relatie: Literal["vervolg", "onderwerp", "bijdrage"]


class ZaakKenmerk(ApiModel):
    kenmerk: str = Field(max_length=40)
    bron: str = Field(max_length=40)


GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


def check_geometry(value: Any) -> dict[str, Any]:
    """A GeoJSON geometry: its `type` and `coordinates` (or `geometries`) are present."""
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise ValueError("Geen geldige GeoJSON-geometrie: 'type' ontbreekt of is onbekend.")
    key = "geometries" if value["type"] == "GeometryCollection" else "coordinates"
    if not isinstance(value.get(key), list):
        raise ValueError(f"Geen geldige GeoJSON-geometrie: '{key}' ontbreekt.")
    geo.parse(value)  # coordinates that make a geometry
    return value


class ZaakWrite(ApiModel):
    """The body of zaak_create and zaak_update (read-only fields are ignored)."""

    identificatie: str = Field(default="", max_length=40)
    bronorganisatie: Rsin
    omschrijving: str = Field(default="", max_length=80)
    toelichting: str = Field(default="", max_length=1000)
    zaaktype: Url
    registratiedatum: dt.date | None = None
    verantwoordelijke_organisatie: Rsin
    startdatum: dt.date
    einddatum_gepland: dt.date | None = None
    uiterlijke_einddatum_afdoening: dt.date | None = None
    publicatiedatum: dt.date | None = None
    # zrc-010: a URL (to an entry of the communicatiekanalen reference list)
    communicatiekanaal: str = Field(default="", max_length=1000)
    producten_of_diensten: list[Url] = Field(default_factory=list)
    vertrouwelijkheidaanduiding: Vertrouwelijkheid | None = None
    betalingsindicatie: Literal["nvt", "nog_niet", "gedeeltelijk", "geheel", ""] = ""
    laatste_betaaldatum: Moment | None = None
    zaakgeometrie: dict[str, Any] | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: str = Field(default="", max_length=1000)
    hoofdzaak: Url | None = None
    relevante_andere_zaken: list[RelevanteZaak] = Field(default_factory=list)
    kenmerken: list[ZaakKenmerk] = Field(default_factory=list)
    archiefnominatie: Literal["blijvend_bewaren", "vernietigen", ""] | None = None
    archiefstatus: Archiefstatus = "nog_te_archiveren"
    archiefactiedatum: dt.date | None = None
    opdrachtgevende_organisatie: str = Field(default="", max_length=9)
    processobjectaard: str | None = Field(default=None, max_length=200)
    startdatum_bewaartermijn: dt.date | None = None
    processobject: Processobject | None = None

    @field_validator("communicatiekanaal", "selectielijstklasse")
    @classmethod
    def _url_or_blank(cls, value: str) -> str:
        return check_url(value) if value else value

    @field_validator("opdrachtgevende_organisatie")
    @classmethod
    def _rsin_or_blank(cls, value: str) -> str:
        return check_rsin(value) if value else value

    @field_validator("zaakgeometrie")
    @classmethod
    def _geometry(cls, value: Any) -> Any:
        return None if value is None else check_geometry(value)


class ZaakPatch(ApiModel):
    """The body of zaak_partial_update: every field optional, merged into the current zaak."""

    identificatie: str | None = None
    bronorganisatie: str | None = None
    omschrijving: str | None = None
    toelichting: str | None = None
    zaaktype: str | None = None
    registratiedatum: Any = None
    verantwoordelijke_organisatie: str | None = None
    startdatum: Any = None
    einddatum_gepland: Any = None
    uiterlijke_einddatum_afdoening: Any = None
    publicatiedatum: Any = None
    communicatiekanaal: Any = None
    producten_of_diensten: Any = None
    vertrouwelijkheidaanduiding: Any = None
    betalingsindicatie: Any = None
    laatste_betaaldatum: Any = None
    zaakgeometrie: Any = None
    verlenging: Any = None
    opschorting: Any = None
    selectielijstklasse: Any = None
    hoofdzaak: Any = None
    relevante_andere_zaken: Any = None
    kenmerken: Any = None
    archiefnominatie: Any = None
    archiefstatus: Any = None
    archiefactiedatum: Any = None
    opdrachtgevende_organisatie: Any = None
    processobjectaard: Any = None
    startdatum_bewaartermijn: Any = None
    processobject: Any = None


class Zaak(ZaakWrite):
    """The representation (for the OpenAPI document; responses are built as dicts)."""

    url: str
    uuid: str
    einddatum: dt.date | None = None
    betalingsindicatie_weergave: str = ""
    deelzaken: list[str] = Field(default_factory=list)
    eigenschappen: list[str] = Field(default_factory=list)
    rollen: list[str] = Field(default_factory=list)
    status: str | None = None
    zaakinformatieobjecten: list[str] = Field(default_factory=list)
    zaakobjecten: list[str] = Field(default_factory=list)
    resultaat: str | None = None


# Read-only fields of the representation, dropped to get its write form (for PATCH).
READ_ONLY = frozenset(
    {
        "url",
        "uuid",
        "einddatum",
        "betalingsindicatieWeergave",
        "deelzaken",
        "eigenschappen",
        "rollen",
        "status",
        "zaakinformatieobjecten",
        "zaakobjecten",
        "resultaat",
    }
)


def _alias(name: str) -> Any:
    return Field(default=None, alias=name)


class ZaakExpanded(Zaak):
    """Zaak in list and retrieve responses, which may carry `_expand`."""

    expand: dict[str, Any] | None = Field(default=None, alias="_expand")


class ZaakSearch(ApiModel):
    """The filters zaak_list and zaak__zoek share, named exactly as the spec names them."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=None)

    identificatie: str | None = None
    bronorganisatie: str | None = None
    bronorganisatie__in: list[str] | None = None
    zaaktype: str | None = None
    archiefnominatie: Archiefnominatie | None = None
    archiefnominatie__in: list[str] | None = None
    archiefactiedatum: dt.date | None = None
    archiefactiedatum__isnull: bool | None = None
    archiefactiedatum__lt: dt.date | None = None
    archiefactiedatum__gt: dt.date | None = None
    archiefstatus: Archiefstatus | None = None
    archiefstatus__in: list[str] | None = None
    startdatum: dt.date | None = None
    startdatum__gt: dt.date | None = None
    startdatum__gte: dt.date | None = None
    startdatum__lt: dt.date | None = None
    startdatum__lte: dt.date | None = None
    registratiedatum: dt.date | None = None
    registratiedatum__gt: dt.date | None = None
    registratiedatum__lt: dt.date | None = None
    einddatum: dt.date | None = None
    einddatum__isnull: bool | None = None
    einddatum__gt: dt.date | None = None
    einddatum__lt: dt.date | None = None
    einddatum_gepland: dt.date | None = _alias("einddatumGepland")
    einddatum_gepland__gt: dt.date | None = _alias("einddatumGepland__gt")
    einddatum_gepland__lt: dt.date | None = _alias("einddatumGepland__lt")
    uiterlijke_einddatum_afdoening: dt.date | None = _alias("uiterlijkeEinddatumAfdoening")
    uiterlijke_einddatum_afdoening__gt: dt.date | None = _alias("uiterlijkeEinddatumAfdoening__gt")
    uiterlijke_einddatum_afdoening__lt: dt.date | None = _alias("uiterlijkeEinddatumAfdoening__lt")
    rol__betrokkene_type: BetrokkeneType | None = _alias("rol__betrokkeneType")
    rol__betrokkene: str | None = None
    rol__omschrijving_generiek: OmschrijvingGeneriek | None = _alias("rol__omschrijvingGeneriek")
    maximale_vertrouwelijkheidaanduiding: Vertrouwelijkheid | None = _alias(
        "maximaleVertrouwelijkheidaanduiding"
    )
    inp_bsn: str | None = Field(
        default=None, max_length=9, alias="rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
    )
    anp_identificatie: str | None = Field(
        default=None,
        max_length=17,
        alias="rol__betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie",
    )
    inp_a_nummer: str | None = Field(
        default=None,
        max_length=10,
        alias="rol__betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer",
    )
    inn_nnp_id: str | None = Field(
        default=None,
        max_length=9,
        alias="rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
    )
    ann_identificatie: str | None = Field(
        default=None,
        max_length=17,
        alias="rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie",
    )
    vestigings_nummer: str | None = Field(
        default=None,
        max_length=24,
        alias="rol__betrokkeneIdentificatie__vestiging__vestigingsNummer",
    )
    medewerker_identificatie: str | None = Field(
        default=None,
        max_length=254,
        alias="rol__betrokkeneIdentificatie__medewerker__identificatie",
    )
    organisatorische_eenheid_identificatie: str | None = Field(
        default=None,
        max_length=254,
        alias="rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie",
    )
    # accepted here; the expand engine of the API layer reads it
    expand: str | None = None


class ZaakFilter(ZaakSearch):
    """The query parameters of zaak_list."""

    ordering: list[str] | None = None
    page: int = 1


class ZaakZoek(ZaakSearch):
    """The body of zaak__zoek: the list filters, plus `uuid__in`, `zaaktype__in`, `fields` and a
    `zaakgeometrie` search."""

    uuid__in: list[uuid.UUID] | None = None
    zaaktype__in: list[Url] | None = None
    zaakgeometrie: dict[str, Any] | None = None
    ordering: Ordering | None = None
    fields: list[Any] | None = None


class RetrieveQuery(ApiModel):
    """Query parameters of zaak_retrieve."""

    model_config = ConfigDict(extra="forbid")

    expand: str | None = None


class ZoekQuery(ApiModel):
    """Query parameters of zaak__zoek."""

    model_config = ConfigDict(extra="forbid")

    page: int = 1
    expand: str | None = None


class ReserveZaakIdentificatie(ApiModel):
    """The body of zaaknummer_reserveren."""

    bronorganisatie: Rsin
    aantal: int = Field(default=1, ge=1, le=100)
