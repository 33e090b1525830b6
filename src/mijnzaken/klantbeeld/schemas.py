"""The view model: one customer's view, and one zaak of it, as sections.

Every section says whether its source is available. A register that is not (yet) connected
gives an empty section with `beschikbaar: false` and a Dutch notice, never invented data.
The same model renders the portal pages and the JSON of /klantbeeld/api/v1/ (camelCase).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class ViewModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Sectie(ViewModel, Generic[T]):
    """One part of the view: its items, or a notice why it has none to offer."""

    beschikbaar: bool
    melding: str = Field(
        "",
        description="Uitleg voor de inwoner als de bron niet beschikbaar is, of (bij "
        "beschikbaar) als niet alles getoond wordt.",
    )
    items: list[T] = Field(default_factory=list)


class StatusStap(ViewModel):
    """A step of a zaak as the citizen reads it: the statustype's statustekst."""

    volgnummer: int
    omschrijving: str
    statustekst: str
    datum: dt.datetime | None = None
    bereikt: bool = False
    huidig: bool = False


class ZaakItem(ViewModel):
    uuid: uuid_lib.UUID
    identificatie: str
    omschrijving: str
    zaaktype: str
    startdatum: dt.date
    einddatum: dt.date | None = None
    einddatum_gepland: dt.date | None = None
    uiterlijke_einddatum_afdoening: dt.date | None = None
    lopend: bool
    status: StatusStap | None = None
    statushistorie: list[StatusStap] = Field(default_factory=list)
    resultaat: str | None = None


class ProductItem(ViewModel):
    """A requested or delivered product, taken from the zaken until a product register
    exists: productenOfDiensten of the zaak."""

    product: str
    zaak: uuid_lib.UUID
    zaakidentificatie: str
    zaaktype: str
    stand: Literal["aangevraagd", "afgehandeld"]
    resultaat: str | None = None


class DocumentItem(ViewModel):
    """A document of one of the customer's zaken that the customer may see: of this
    installation's Documenten register, or, for a zaak of a remote Zaken API, of a configured
    remote Documenten API."""

    uuid: uuid_lib.UUID
    titel: str
    bestandsnaam: str = ""
    formaat: str = ""
    bestandsomvang: int | None = None
    creatiedatum: dt.date | None = None
    zaak: uuid_lib.UUID | None = None
    zaakidentificatie: str = ""
    registratiedatum: dt.datetime | None = Field(
        None, description="Wanneer het document aan de zaak is gekoppeld."
    )
    inhoud: str | None = Field(
        None,
        description="De URL waar deze API de inhoud levert (GET met het token van de inwoner, "
        "POST .../inhoud/_zoek voor een applicatie); leeg als er (nog) geen inhoud is.",
    )


class ContactmomentItem(ViewModel):
    """A contact moment (klantcontact) of the customer; `zaak` when it is about one of the
    customer's zaken shown in the view."""

    uuid: uuid_lib.UUID
    moment: dt.datetime
    kanaal: str
    onderwerp: str
    zaak: uuid_lib.UUID | None = None
    zaakidentificatie: str = ""


class AfspraakItem(ViewModel):
    moment: dt.datetime
    onderwerp: str
    locatie: str = ""


class VerwerkingItem(ViewModel):
    moment: dt.datetime
    wie: str
    activiteit: str
    doel: str = ""
    namens: str = ""


class Contactgegeven(ViewModel):
    """An e-mail address or phone number of the customer (a digitaal adres in
    Klantinteracties)."""

    uuid: uuid_lib.UUID
    soort: Literal["email", "telefoonnummer", "overig"]
    adres: str
    geverifieerd: bool = False
    standaard: bool = False


class Persoonsgegevens(ViewModel):
    naam: str = ""
    geheimhouding: bool = Field(
        False,
        description="De verstrekker van de gegevens heeft aangegeven dat ze geheim zijn "
        "(indicatieGeheimhouding van de partij).",
    )
    contactgegevens: list[Contactgegeven] = Field(default_factory=list)


class Voorkeur(ViewModel):
    """The channel for one topic: `standaard` (every topic without a preference of its own)
    or a zaaktype of the customer's zaken. `kanaal` empty: no preference of its own."""

    onderwerp: str = Field(description="Het onderwerp zoals de inwoner het leest.")
    onderwerp_soort: Literal["standaard", "zaaktype", "categorie"]
    onderwerp_url: str | None = Field(None, description="De URL van het zaaktype.")
    kanaal: Literal["", "email", "sms", "post", "berichtenbox", "geen"]
    adres: uuid_lib.UUID | None = Field(None, description="Het contactgegeven, bij e-mail en sms.")
    omschrijving: str = Field(description="De voorkeur in woorden.")


class Kijker(ViewModel):
    soort: Literal["inwoner", "ondernemer", "vertegenwoordiger", "applicatie", "medewerker"]
    betrouwbaarheidsniveau: str = ""
    namens_ander: bool = False


class Klantbeeld(ViewModel):
    """Everything one customer may see about themselves, in one answer."""

    onderwerp: Literal["bsn", "kvk"]
    kijker: Kijker
    gegevens: Sectie[Persoonsgegevens]
    voorkeuren: Sectie[Voorkeur]
    lopende_zaken: Sectie[ZaakItem]
    afgeronde_zaken: Sectie[ZaakItem]
    producten: Sectie[ProductItem]
    documenten: Sectie[DocumentItem]
    contactmomenten: Sectie[ContactmomentItem]
    afspraken: Sectie[AfspraakItem]
    verwerkingen: Sectie[VerwerkingItem]


class ZaakDetail(ViewModel):
    """One zaak of the customer: the zaak, its full status timeline, its documents and the
    contact moments about it."""

    zaak: ZaakItem
    tijdlijn: list[StatusStap]
    documenten: Sectie[DocumentItem]
    contactmomenten: Sectie[ContactmomentItem]
