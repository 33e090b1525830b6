"""A Zaken API of another installation (another MijnZaken, Open Zaak, ...), as the Besluiten
register needs it for a besluit on one of its zaken: the zaak and what its zaaktype allows
(brc-007), read within the request. The ZaakBesluit there (brc-006) is kept in step after
commit by the mirror jobs of zaken/spiegeling.py.

Every call goes through federatie/remote.py: core/outbound's limits and the credentials of
the configured service. The zaaktype, its catalogus and its besluittypen are read through the
process's cache of remote catalogues (federatie/catalogi.py); the zaak is read every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.settings import Settings
from mijnzaken.federatie import bronnen
from mijnzaken.federatie.remote import catalogus_json, domein_rsin, get_json, text

# a Zaken API answers a zaak (it holds a zaakgeometrie) only to a request that names the
# coordinate system it accepts, else 412
ACCEPT_CRS = {"Accept-Crs": "EPSG:4326"}
# a zaaktype lists at most this many besluittypen that are read one by one (brc-007)
MAX_BESLUITTYPEN = 50


@dataclass(frozen=True)
class RemoteZaak:
    url: str
    api_root: str  # the Zaken API it lives in, e.g. https://zrc.example.nl/zaken/api/v1
    zaaktype: str  # URL


@dataclass(frozen=True)
class RemoteZaaktype:
    besluittypen: list[str]  # URLs
    catalogus: str  # URL


async def zaak(settings: Settings, url: str) -> RemoteZaak:
    """The remote zaak `url`; raises OutboundError (`bad-url`: not there or not reachable,
    `invalid-resource`: not a zaak)."""
    root = bronnen.api_root("zaak", url)
    if root is None:
        raise OutboundError("invalid-resource", "De URL verwijst niet naar een zaak.")
    body = await get_json(settings, url, ACCEPT_CRS)
    return RemoteZaak(url, root, text(body, "zaaktype"))


def _zaaktype(body: Any) -> RemoteZaaktype:
    besluittypen = body.get("besluittypen") if isinstance(body, dict) else None
    if not isinstance(besluittypen, list) or not all(isinstance(b, str) for b in besluittypen):
        raise OutboundError("invalid-resource", "Het antwoord mist het gegeven 'besluittypen'.")
    return RemoteZaaktype(list(besluittypen), text(body, "catalogus"))


async def zaaktype(settings: Settings, url: str) -> RemoteZaaktype:
    """The besluittypen and catalogus of a remote zaaktype; raises OutboundError."""
    return await catalogus_json(settings, url, _zaaktype)


async def catalogus(settings: Settings, url: str) -> tuple[str, str]:
    """The domein and rsin of a remote catalogus; raises OutboundError."""
    return await catalogus_json(settings, url, domein_rsin)


async def besluittype_omschrijving(settings: Settings, url: str) -> str:
    """The omschrijving of a remote besluittype; raises OutboundError."""
    return await catalogus_json(settings, url, lambda body: text(body, "omschrijving"))
