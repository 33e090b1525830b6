"""Zaken tables; importing this package registers all of them on the metadata."""

from mijnzaken.zaken.models.related import (
    KlantContact,
    Resultaat,
    Rol,
    Status,
    ZaakBesluit,
    ZaakContactMoment,
    ZaakEigenschap,
    ZaakIdentificatie,
    ZaakInformatieObject,
    ZaakNotitie,
    ZaakNummerTeller,
    ZaakObject,
    ZaakVerzoek,
)
from mijnzaken.zaken.models.spiegel import Spiegeling, SpiegelPoging
from mijnzaken.zaken.models.zaak import Zaak

__all__ = [
    "KlantContact",
    "Resultaat",
    "Rol",
    "SpiegelPoging",
    "Spiegeling",
    "Status",
    "Zaak",
    "ZaakBesluit",
    "ZaakContactMoment",
    "ZaakEigenschap",
    "ZaakIdentificatie",
    "ZaakInformatieObject",
    "ZaakNotitie",
    "ZaakNummerTeller",
    "ZaakObject",
    "ZaakVerzoek",
]
