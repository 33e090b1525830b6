"""The zaken of a customer from a remote Zaken API 1.x (Open Zaak, another MijnZaken).

Used by the klantbeeld when `MIJNZAKEN_KLANTBEELD_ZAKEN_API_URL` is set. The number of calls
does not grow with the number of zaken: the customer's zaken come in one call per page with
`expand` (zaaktype, status with its statustype, resultaat with its resultaattype, rollen), a
zaak's status history in one call, its zaakinformatieobjecten (the links to its documents) in
one call, and the steps of a zaaktype from the Catalogi API once per zaaktype per
`MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL` (the per-process cache of federatie/catalogi.py). The
documents themselves are read from their Documenten API by federatie/documenten.py.

Outbound HTTP goes through core/outbound's `Sender`: a time limit, a response-size limit, no
redirects. The configured URL is the operator's (trusted, like a remote Notificaties API); every
other URL we follow (`next` pages, the Catalogi API) must have the same origin as the
configured Zaken or Catalogi API, so a remote cannot steer us (and the BSN in a query string)
elsewhere. A BSN is sent only as the standard's query parameter and never logged: log lines
name the path without its query string.

Anything that goes wrong (unreachable, a timeout, a non-200, invalid JSON, a body that does not
have the standard's shape, a server without `expand`) raises `NietBeschikbaar`; the klantbeeld
then shows the zaken section as unavailable.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid as uuid_lib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import jwt
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings
from mijnzaken.federatie.catalogi import CATALOGI

logger = logging.getLogger("mijnzaken.klantbeeld.remote")

EXPAND = "zaaktype,status,status.statustype,resultaat,resultaat.resultaattype,rollen"
MAX_PAGES = 20  # a customer's zaken, statussen or a zaaktype's statustypen: at most this many


class NietBeschikbaar(Exception):
    """The remote register could not give a usable answer (the message holds no BSN)."""


# --- the remote answers, as far as the klantbeeld reads them -----------------------------


class Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def empty_is_none(value: Any) -> Any:
    # the standard expands a null reference to an empty object
    return None if value == {} else value


class StatusType(Model):
    url: str
    volgnummer: int
    omschrijving: str
    statustekst: str | None = ""


class _StatusExpand(Model):
    statustype: Annotated[StatusType | None, BeforeValidator(empty_is_none)] = None


class Status(Model):
    url: str
    statustype: str
    datum_status_gezet: dt.datetime
    expand: _StatusExpand = Field(default_factory=_StatusExpand, alias="_expand")


class _ResultaatType(Model):
    omschrijving: str


class _ResultaatExpand(Model):
    resultaattype: Annotated[_ResultaatType | None, BeforeValidator(empty_is_none)] = None


class _Resultaat(Model):
    expand: _ResultaatExpand = Field(default_factory=_ResultaatExpand, alias="_expand")


class ZaakType(Model):
    url: str
    identificatie: str
    omschrijving: str
    indicatie_intern_of_extern: str


class Rol(Model):
    omschrijving_generiek: str
    betrokkene_type: str
    betrokkene_identificatie: dict[str, Any] | None = None


class _ZaakExpand(Model):
    zaaktype: ZaakType
    status: Annotated[Status | None, BeforeValidator(empty_is_none)] = None
    resultaat: Annotated[_Resultaat | None, BeforeValidator(empty_is_none)] = None
    rollen: list[Rol] = Field(default_factory=list)


class Zaak(Model):
    """A remote zaak with what its expand brought along; the attribute names the citizen
    rules read (`vertrouwelijkheidaanduiding`, and on its zaaktype `identificatie` and
    `indicatie_intern_of_extern`) are those of the local models."""

    url: str
    uuid: uuid_lib.UUID
    identificatie: str
    omschrijving: str = ""
    zaaktype_url: str = Field(alias="zaaktype")
    startdatum: dt.date
    einddatum: dt.date | None = None
    einddatum_gepland: dt.date | None = None
    uiterlijke_einddatum_afdoening: dt.date | None = None
    vertrouwelijkheidaanduiding: str
    producten_of_diensten: list[str] = Field(default_factory=list)
    expand: _ZaakExpand = Field(alias="_expand")

    @property
    def zaaktype(self) -> ZaakType:
        return self.expand.zaaktype

    @property
    def status(self) -> Status | None:
        return self.expand.status

    @property
    def resultaat(self) -> str | None:
        found = self.expand.resultaat
        if found is None or found.expand.resultaattype is None:
            return None
        return found.expand.resultaattype.omschrijving


class ZaakInformatieObject(Model):
    """A link from a remote zaak to a document (of any Documenten API)."""

    zaak: str
    informatieobject: str
    registratiedatum: dt.datetime | None = None


class _Page(Model):
    next: str | None = None
    results: list[dict[str, Any]]


# --- who is the customer on a zaak ---------------------------------------------------------


def _id_of(soort: str) -> tuple[str, str, str]:
    """(betrokkeneType, identification field, the /zaken query parameter) for a subject."""
    if soort == "bsn":
        return (
            "natuurlijk_persoon",
            "inpBsn",
            "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn",
        )
    # a business is found by its number in innNnpId, as for the local register
    return (
        "niet_natuurlijk_persoon",
        "innNnpId",
        "rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
    )


def betrokken(zaak: Zaak, soort: str, nummer: str, rollen: frozenset[str]) -> bool:
    """Whether the subject has one of `rollen` (generic roles) on `zaak`: the remote filter
    matches a rol of any kind, the citizen rules count only these."""
    betrokkene_type, veld, _ = _id_of(soort)
    return any(
        rol.omschrijving_generiek in rollen
        and rol.betrokkene_type == betrokkene_type
        and (rol.betrokkene_identificatie or {}).get(veld) == nummer
        for rol in zaak.expand.rollen
    )


# --- the client ----------------------------------------------------------------------------


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def path(url: str) -> str:
    """What a log line may say about a URL: its path, never its query string."""
    return urlsplit(url).path


async def lees(
    sender: Sender,
    settings: Settings,
    api: str,
    url: str,
    naam: str,
    log: logging.Logger = logger,
) -> Any:
    """GET `url`, which must lie at the origin of the configured API `api`, with that API's
    credentials in `MIJNZAKEN_REMOTE_SERVICES`; `naam` starts the lines written to `log`.
    Raises NietBeschikbaar (the message names no query string)."""
    if origin(url) != origin(api):
        log.warning("%s: refused a URL outside the configured API: %s", naam, path(url))
        raise NietBeschikbaar("a URL outside the configured API")
    service = service_for(settings, url)
    if service is None:
        log.warning("%s: no credentials in MIJNZAKEN_REMOTE_SERVICES", naam)
        raise NietBeschikbaar("no credentials")
    try:
        return await sender.get_json(url, auth_headers(service, user="Klantbeeld"))
    except OutboundError as exc:
        log.warning("%s: GET %s failed: %s", naam, path(url), exc.code)
        raise NietBeschikbaar(exc.code) from exc


async def alle(
    get: Callable[[str], Awaitable[Any]],
    url: str,
    first: Any = None,
    naam: str = "remote zaken",
) -> list[dict[str, Any]]:
    """Every result of the paginated list at `url`, following `next` for at most MAX_PAGES
    pages; `get` reads one page (and checks its origin); `first`: the body of the first page
    when that was read already; `naam` starts the log lines."""
    results: list[dict[str, Any]] = []
    current: str | None = url
    for _ in range(MAX_PAGES):
        if current is None:
            return results
        body = first if first is not None else await get(current)
        first = None
        try:
            page = _Page.model_validate(body)
        except ValidationError as exc:
            logger.warning("%s: %s is not a list page", naam, path(current))
            raise NietBeschikbaar("not a list page") from exc
        results.extend(page.results)
        current = page.next
    if current is not None:
        logger.warning("%s: %s has more than %d pages", naam, path(url), MAX_PAGES)
        raise NietBeschikbaar("too many pages")
    return results


@dataclass(frozen=True)
class RemoteZaken:
    """A configured remote Zaken API (and the Catalogi API its zaaktypen live in)."""

    settings: Settings
    zaken_api: str  # e.g. https://openzaak.example.nl/zaken/api/v1
    catalogi_api: str | None  # None: next to the zaaktype (same origin as the Zaken API)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteZaken | None:
        if not settings.klantbeeld_zaken_api_url:
            return None
        catalogi = settings.klantbeeld_catalogi_api_url
        return cls(
            settings,
            settings.klantbeeld_zaken_api_url.rstrip("/"),
            catalogi.rstrip("/") if catalogi else None,
        )

    def _origins(self) -> set[str]:
        allowed = {origin(self.zaken_api)}
        if self.catalogi_api:
            allowed.add(origin(self.catalogi_api))
        return allowed

    def _headers(self) -> dict[str, str]:
        s = self.settings
        claims = {
            "client_id": s.klantbeeld_zaken_client_id,
            "iat": int(time.time()),
            "user_id": s.klantbeeld_zaken_client_id,
            "user_representation": "Klantbeeld",
        }
        try:
            token = jwt.encode(claims, s.klantbeeld_zaken_secret, algorithm="HS256")
        except jwt.InvalidKeyError as exc:  # a URL configured without its secret
            logger.warning("remote zaken: MIJNZAKEN_KLANTBEELD_ZAKEN_SECRET is not set")
            raise NietBeschikbaar("no secret") from exc
        # Open Zaak asks for the CRS headers on zaken even when no geometry is asked for
        return {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Accept-Crs": "EPSG:4326",
            "Content-Crs": "EPSG:4326",
        }

    async def _get(self, sender: Sender, url: str) -> Any:
        if origin(url) not in self._origins():
            logger.warning("remote zaken: refused a URL outside the configured APIs: %s", path(url))
            raise NietBeschikbaar("a URL outside the configured APIs")
        try:
            return await sender.get_json(url, self._headers())
        except OutboundError as exc:
            logger.warning("remote zaken: GET %s failed: %s", path(url), exc.code)
            raise NietBeschikbaar(exc.code) from exc

    async def _all(self, sender: Sender, url: str, first: Any = None) -> list[dict[str, Any]]:
        """Every result of a paginated list, following `next`; `first`: the body of its first
        page when that was read already."""
        return await alle(lambda page: self._get(sender, page), url, first)

    def _sender(self) -> Sender:
        return Sender(self.settings, trusted=True, connections=4)

    async def zaken(self, soort: str, nummer: str, max_vertrouwelijkheid: str) -> list[Zaak]:
        """The zaken in which the subject has a rol (of any kind), with their expand; one call
        per page."""
        _, _, parameter = _id_of(soort)
        query = urlencode(
            {
                parameter: nummer,
                "maximaleVertrouwelijkheidaanduiding": max_vertrouwelijkheid,
                "expand": EXPAND,
            }
        )
        sender = self._sender()
        try:
            found = await self._all(sender, f"{self.zaken_api}/zaken?{query}")
        finally:
            await sender.close()
        try:
            return [Zaak.model_validate(item) for item in found]
        except ValidationError as exc:
            # no _expand at all: a server before Zaken API 1.5 (or one that ignores expand)
            logger.warning("remote zaken: zaken without the expected fields or expand")
            raise NietBeschikbaar("zaken without the expected fields") from exc

    async def tijdlijn(self, zaak: Zaak) -> tuple[list[Status], list[StatusType]]:
        """The statussen of `zaak` (oldest first) and the statustypen of its zaaktype
        (by volgnummer): one call, and one more when the statustypen are not cached."""
        sender = self._sender()
        try:
            found = await self._all(
                sender, f"{self.zaken_api}/statussen?{urlencode({'zaak': zaak.url})}"
            )
            base = self.catalogi_api or zaak.zaaktype_url.rsplit("/zaaktypen/", 1)[0]
            url = f"{base}/statustypen?{urlencode({'zaaktype': zaak.zaaktype_url})}"
            raw = cached = CATALOGI.get(url)
            if raw is None:
                raw = await self._all(sender, url)
            steps = sorted(
                (StatusType.model_validate(item) for item in raw), key=lambda s: s.volgnummer
            )
            if cached is None:  # kept once it was read without a fault; types, so no
                # longer than a type (a correctie may change them)
                ttl = self.settings.remote_catalogi_cache_ttl
                CATALOGI.put(url, raw, min(ttl, self.settings.remote_catalogi_type_max_age))
            statussen = sorted(
                (Status.model_validate(item) for item in found), key=lambda s: s.datum_status_gezet
            )
        except ValidationError as exc:
            logger.warning("remote zaken: statussen or statustypen without the expected fields")
            raise NietBeschikbaar("statussen without the expected fields") from exc
        finally:
            await sender.close()
        return statussen, steps

    async def zaakinformatieobjecten(self, zaak: Zaak) -> list[ZaakInformatieObject]:
        """The links of `zaak` to its documents: one call (the standard answers a plain list;
        a paginated answer is followed). Links of another zaak are dropped, so a server that
        ignores the filter cannot show the citizen someone else's documents."""
        url = f"{self.zaken_api}/zaakinformatieobjecten?{urlencode({'zaak': zaak.url})}"
        sender = self._sender()
        try:
            body = await self._get(sender, url)
            if not isinstance(body, list):
                body = await self._all(sender, url, first=body)
            found = [ZaakInformatieObject.model_validate(item) for item in body]
        except ValidationError as exc:
            logger.warning("remote zaken: zaakinformatieobjecten without the expected fields")
            raise NietBeschikbaar("zaakinformatieobjecten without the expected fields") from exc
        finally:
            await sender.close()
        return [link for link in found if link.zaak == zaak.url]
