"""Who is looked at (the subject), who looks (the viewer) and the rules for citizens.

The portal and the JSON API build these from OpenID Connect claims (DigiD, eHerkenning,
DigiD Machtigen) or from a ZGW JWT; the klantbeeld service only sees these types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mijnzaken.core.access import Access
from mijnzaken.core.settings import Settings
from mijnzaken.core.validators import elfproef
from mijnzaken.core.vocabulary import VERTROUWELIJKHEID

Soort = Literal["inwoner", "ondernemer", "vertegenwoordiger", "applicatie", "medewerker"]


@dataclass(frozen=True)
class Onderwerp:
    """The data subject: a citizen by BSN or a business by KvK-nummer. The number is personal
    data: it is left out of `repr`, so it cannot slip into a log line or an error."""

    soort: Literal["bsn", "kvk"]
    nummer: str = field(repr=False)


@dataclass(frozen=True)
class Machtiging:
    """A mandate (DigiD Machtigen, eHerkenning): the services it covers, as zaaktype
    identificaties. A mandate that names no service covers nothing."""

    diensten: frozenset[str]

    def dekt(self, zaaktype_identificatie: str) -> bool:
        return zaaktype_identificatie in self.diensten


@dataclass(frozen=True)
class Kijker:
    """Who looks: the subject themselves, a representative with a mandate, an application
    with its own rights (ZGW autorisaties), or an employee with the rights of their roles
    (`toegang`, `documenttoegang`) looking for a purpose (`doel`)."""

    soort: Soort
    # who acts, for the processing log: the representative's BSN, a client id
    identificatie: str = field(repr=False)
    label: str = ""
    betrouwbaarheidsniveau: str = ""
    machtiging: Machtiging | None = None
    toegang: Access | None = None
    # an application: whether it may read the customer register (klantinteracties.lezen)
    klantregister: bool = False
    # an employee: their roles, the purpose of this look-up and the documents they may see
    rollen: tuple[str, ...] = ()
    doel: str = ""
    documenttoegang: Access | None = None
    # an application: the person using it, as its JWT names them (`user_id`,
    # `user_representation`), for the processing log
    gebruiker: str = field(default="", repr=False)
    gebruiker_weergave: str = field(default="", repr=False)

    @property
    def namens_ander(self) -> bool:
        return self.soort == "vertegenwoordiger"


@dataclass(frozen=True)
class Regels:
    """What a citizen is shown (configurable; the defaults are the usual municipal rules)."""

    rollen: frozenset[str] = frozenset({"initiator", "belanghebbende", "mede_initiator"})
    alleen_extern: bool = True
    max_vertrouwelijkheid: str = "beperkt_openbaar"
    document_statussen: frozenset[str] = frozenset({"definitief", "gearchiveerd"})

    def __post_init__(self) -> None:
        if self.max_vertrouwelijkheid not in VERTROUWELIJKHEID:
            raise ValueError(f"unknown vertrouwelijkheidaanduiding {self.max_vertrouwelijkheid!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> Regels:
        return cls(
            rollen=_set(settings.klantbeeld_rollen),
            alleen_extern=settings.klantbeeld_zaaktype_extern,
            max_vertrouwelijkheid=settings.klantbeeld_max_vertrouwelijkheid,
            document_statussen=_set(settings.klantbeeld_document_statussen),
        )

    @property
    def vertrouwelijkheid(self) -> frozenset[str]:
        """The levels up to and including the maximum."""
        return frozenset(
            VERTROUWELIJKHEID[: VERTROUWELIJKHEID.index(self.max_vertrouwelijkheid) + 1]
        )

    def zaak_zichtbaar(self, indicatie_intern_of_extern: str, vertrouwelijkheid: str) -> bool:
        """A zaak is shown when its zaaktype is extern (if required) and its
        vertrouwelijkheidaanduiding is within the maximum (the rol is checked in the query)."""
        if self.alleen_extern and indicatie_intern_of_extern != "extern":
            return False
        return vertrouwelijkheid in self.vertrouwelijkheid

    def document_zichtbaar(self, status: str, vertrouwelijkheid: str) -> bool:
        """A document is shown when its status is one of the allowed ones (definitief,
        gearchiveerd) and its vertrouwelijkheidaanduiding is within the maximum."""
        return status in self.document_statussen and vertrouwelijkheid in self.vertrouwelijkheid


def _set(value: str) -> frozenset[str]:
    return frozenset(v.strip() for v in value.split(",") if v.strip())


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted claim path (`bsn`, `vertegenwoordigde.bsn`), or None."""
    node: Any = claims
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


class ClaimsError(ValueError):
    """The claims name no subject this service can serve (the message holds no claim value)."""


def _nummer(value: Any, digits: int) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isdigit() and len(text) == digits):
        raise ClaimsError(f"een identificerende claim heeft niet {digits} cijfers")
    if digits == 9 and not elfproef(text, bsn=True):
        raise ClaimsError("een BSN-claim voldoet niet aan de elfproef")
    return text


@dataclass(frozen=True)
class Aanmelding:
    """What one login established: the subject looked at, the viewer, and when."""

    onderwerp: Onderwerp
    kijker: Kijker
    moment: dt.datetime


def from_claims(claims: Mapping[str, Any], settings: Settings, moment: dt.datetime) -> Aanmelding:
    """Subject and viewer from OpenID Connect claims (paths from the settings).

    The login's own BSN or KvK-nummer names the actor; a representation claim
    (vertegenwoordigde BSN or KvK) makes the actor a representative of that subject, limited
    to the services of the mandate."""
    bsn = _nummer(claim(claims, settings.oidc_bsn_claim), 9)
    kvk = _nummer(claim(claims, settings.oidc_kvk_claim), 8)
    loa = claim(claims, settings.oidc_loa_claim)
    niveau = str(loa) if loa is not None else ""
    if bsn is None and kvk is None:
        raise ClaimsError("de aanmelding bevat geen BSN en geen KvK-nummer")
    actor = Onderwerp("bsn", bsn) if bsn is not None else Onderwerp("kvk", kvk or "")
    namens_bsn = _nummer(claim(claims, settings.oidc_vertegenwoordigde_bsn_claim), 9)
    namens_kvk = _nummer(claim(claims, settings.oidc_vertegenwoordigde_kvk_claim), 8)
    if namens_bsn is not None or namens_kvk is not None:
        diensten = claim(claims, settings.oidc_machtiging_diensten_claim)
        if isinstance(diensten, str):
            diensten = [diensten]
        if not isinstance(diensten, list):
            diensten = []
        onderwerp = (
            Onderwerp("bsn", namens_bsn)
            if namens_bsn is not None
            else Onderwerp("kvk", namens_kvk or "")
        )
        kijker = Kijker(
            soort="vertegenwoordiger",
            identificatie=f"{actor.soort}:{actor.nummer}",
            label="Gemachtigde",
            betrouwbaarheidsniveau=niveau,
            machtiging=Machtiging(frozenset(str(d) for d in diensten)),
        )
        return Aanmelding(onderwerp, kijker, moment)
    soort: Soort = "inwoner" if actor.soort == "bsn" else "ondernemer"
    kijker = Kijker(
        soort=soort,
        identificatie=f"{actor.soort}:{actor.nummer}",
        label="Inwoner" if soort == "inwoner" else "Ondernemer",
        betrouwbaarheidsniveau=niveau,
    )
    return Aanmelding(actor, kijker, moment)
