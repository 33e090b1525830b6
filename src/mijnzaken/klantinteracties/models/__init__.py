"""Klantinteracties tables; importing this package registers all of them on the metadata."""

from mijnzaken.klantinteracties.models.klantcontact import (
    Actor,
    ActorKlantcontact,
    Betrokkene,
    Bijlage,
    InterneTaak,
    InterneTaakActor,
    Klantcontact,
    Onderwerpobject,
)
from mijnzaken.klantinteracties.models.partij import (
    Categorie,
    CategorieRelatie,
    DigitaalAdres,
    Partij,
    PartijIdentificator,
    PartijZoekwoord,
    Rekeningnummer,
    Vertegenwoordiging,
)
from mijnzaken.klantinteracties.models.voorkeur import Kanaalvoorkeur, Toestemming, Verificatie

__all__ = [
    "Actor",
    "ActorKlantcontact",
    "Betrokkene",
    "Bijlage",
    "Categorie",
    "CategorieRelatie",
    "DigitaalAdres",
    "InterneTaak",
    "InterneTaakActor",
    "Kanaalvoorkeur",
    "Klantcontact",
    "Onderwerpobject",
    "Partij",
    "PartijIdentificator",
    "PartijZoekwoord",
    "Rekeningnummer",
    "Toestemming",
    "Verificatie",
    "Vertegenwoordiging",
]
