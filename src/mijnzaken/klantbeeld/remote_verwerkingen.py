"""The processing log of the klantbeeld in a remote Verwerkingenlogging API (another MijnZaken,
or any implementation of the VNG standard 0.9.0).

Used when `MIJNZAKEN_KLANTBEELD_VERWERKINGEN_API_URL` is set; the credentials are that API's
entry in `MIJNZAKEN_REMOTE_SERVICES` (core/services.py), as for the Klantinteracties API.
Two things go there:

- `schrijf`: the entry of every view (`POST verwerkingsacties`, write API), with the content
  the local entry would have had. The klantbeeld awaits its 201 before it answers; anything
  else raises `NietBeschikbaar`, and the view is refused (503), as when the local log cannot
  be written (ADR 0013).
- `ingezien`: who looked at the subject's data (`GET verwerkte-objecten`, read API), with the
  standard's filter on the data subject (`objecttype`, `soortObjectId`, `objectId`, and the
  required period), every page (one call per page).

The standard has no field for how the citizen sees who acted (`actor_weergave`), the legal
ground or purpose (`grondslag`) or on whose behalf (`namens`); the read API leaves out
`systeem` and `gebruiker`. They travel in fields the read API does return: the actor as
`handelingNaam` (the handeling is this actor's look), the purpose as `verwerkingNaam` (the
local view shows `verwerking_naam` where there is no purpose), a representative's look as the
subject's `betrokkenheid` `vertegenwoordigde`. ADR 0010 (addendum) has the reasons.

What comes back is checked, not trusted: a verwerkt object counts only when it names the
subject, and its actie only when it is not `vertrouwelijk`, so a server that ignores the filter
or gives our client more rights shows the citizen no one else's entries and no confidential
ones. The BSN is sent only in the standard's query parameter and body, never logged: log lines
name the path.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid as uuid_lib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from mijnzaken.core import clock
from mijnzaken.core.db import iso
from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld.remote import MAX_PAGES, Model, NietBeschikbaar, alle, lees, path

logger = logging.getLogger("mijnzaken.klantbeeld.remote_verwerkingen")
NAAM = "remote verwerkingenlogging"  # how log lines name this source
OBJECTTYPE = "persoon"
# the read API requires a period: from before any entry of such a log, to the day after
# tomorrow (a remote that counts its days in another time zone still includes today's)
BEGIN = dt.date(2000, 1, 1)
VERTEGENWOORDIGDE = "vertegenwoordigde"  # the subject's betrokkenheid in a representative's look
# the entries a data subject may see (the local rule: verwerkingen.service.NIET_VERTROUWELIJK)
NIET_VERTROUWELIJK = ("normaal", "opgeheven")
# soorten gegevens per verwerkt object: the most a MijnZaken write API takes; more (a view of
# many zaken and documents) go in further objects of the same subject
SOORTEN_PER_OBJECT = 100


# --- the remote answers, as far as the klantbeeld reads them -----------------------------


class _Actie(Model):
    actie_id: uuid_lib.UUID
    actie_naam: str | None = ""
    handeling_naam: str | None = ""
    verwerking_naam: str | None = ""
    vertrouwelijkheid: str
    tijdstip: dt.datetime


class _VerwerktObject(Model):
    objecttype: str
    soort_object_id: str
    object_id: str
    betrokkenheid: str | None = ""
    verwerkingsactie: _Actie


@dataclass(frozen=True)
class Ingezien:
    """One entry about the subject, as the klantbeeld shows it."""

    moment: dt.datetime
    wie: str
    activiteit: str
    doel: str
    vertegenwoordigd: bool


@dataclass(frozen=True)
class Inzagen:
    """The subject's entries, newest first; `vanaf`: there were more than MAX_PAGES pages, so
    these are the entries from that day on (all of them), older ones are left out."""

    items: list[Ingezien]
    vanaf: dt.date | None = None


class _Telling(Model):
    count: int | None = None
    next: str | None = None
    results: list[Any] = []  # noqa: RUF012 (pydantic copies it)


def _te_veel(page: Any) -> bool:
    """Whether the list this is the first page of takes more than MAX_PAGES pages (by its
    `count` and this page's length); False when the page does not say."""
    try:
        telling = _Telling.model_validate(page)
    except ValidationError:
        return False  # `alle` says what is wrong with it
    per_page = len(telling.results)
    if telling.count is None or telling.next is None or per_page == 0:
        return False
    return -(-telling.count // per_page) > MAX_PAGES


def _ingezien(obj: _VerwerktObject) -> Ingezien:
    actie = obj.verwerkingsactie
    return Ingezien(
        moment=actie.tijdstip,
        wie=actie.handeling_naam or "",
        activiteit=actie.actie_naam or "",
        doel=actie.verwerking_naam or "",
        vertegenwoordigd=obj.betrokkenheid == VERTEGENWOORDIGDE,
    )


# --- from the local entry to the standard's body --------------------------------------------


def body(values: Mapping[str, Any], objecten: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The write API's POST body for a local entry (`verwerkingen.service.entry`): the same
    content, the fields the standard lacks where the read API shows them (module docstring);
    optional fields without a value left out."""
    found: dict[str, Any] = {
        "actieNaam": values["actie_naam"],
        "handelingNaam": values["actor_weergave"],
        "verwerkingNaam": (values["grondslag"] or values["verwerking_naam"])[:242],
        "vertrouwelijkheid": values["vertrouwelijkheid"],
        "bewaartermijn": values["bewaartermijn"],
        "systeem": values["systeem"],
        "gebruiker": values["gebruiker"],
        "tijdstip": iso(values["tijdstip"]),
    }
    if values.get("verwerkingsactiviteit_id") is not None:
        found["verwerkingsactiviteitId"] = str(values["verwerkingsactiviteit_id"])
    if values.get("verwerkingsactiviteit_url"):
        found["verwerkingsactiviteitUrl"] = values["verwerkingsactiviteit_url"]
    found = {k: v for k, v in found.items() if v not in ("", None)}
    betrokkenheid = VERTEGENWOORDIGDE if values["namens"] else ""
    verwerkt = []
    for o in objecten:
        soorten = list(o["soorten_gegevens"])
        for start in range(0, max(len(soorten), 1), SOORTEN_PER_OBJECT):
            item: dict[str, Any] = {
                "objecttype": o["objecttype"],
                "soortObjectId": o["soort_object_id"],
                "objectId": o["object_id"],
                "verwerkteSoortenGegevens": soorten[start : start + SOORTEN_PER_OBJECT],
            }
            if o["betrokkenheid"] or betrokkenheid:
                item["betrokkenheid"] = o["betrokkenheid"] or betrokkenheid
            verwerkt.append(item)
    found["verwerkteObjecten"] = verwerkt
    return found


# --- the client ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteVerwerkingen:
    """A configured remote Verwerkingenlogging API (write and read API under one root), for
    one request: once a call has waited out the timeout, the others of the request do not
    wait again (a view reads the log and posts its entry; a remote that is too slow for one
    is too slow for the other) and raise NietBeschikbaar at once."""

    settings: Settings
    api: str  # e.g. https://logboek.example.nl/verwerkingen/api/v1
    # the timeout met in this request, if any (the one mutable part of this object)
    _te_traag: list[str] = field(default_factory=list, compare=False, repr=False)

    def _nog_proberen(self, wat: str) -> None:
        if self._te_traag:
            logger.warning("%s: %s skipped: it did not answer in time earlier", NAAM, wat)
            raise NietBeschikbaar("timeout earlier in this request")

    def _onthoud(self, exc: BaseException) -> None:
        """Remember a timeout among the causes of `exc`."""
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, OutboundError) and cause.code == "timeout":
                self._te_traag.append(cause.code)
                return
            cause = cause.__cause__

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteVerwerkingen | None:
        if not settings.klantbeeld_verwerkingen_api_url:
            return None
        return cls(settings, settings.klantbeeld_verwerkingen_api_url.rstrip("/"))

    async def schrijf(
        self, values: Mapping[str, Any], objecten: Sequence[Mapping[str, Any]]
    ) -> None:
        """Store one entry (`verwerkingen.service.entry`) there; returns when the remote
        answered 201. Raises NietBeschikbaar."""
        url = f"{self.api}/verwerkingsacties"
        self._nog_proberen(f"POST {path(url)}")
        service = service_for(self.settings, url)
        if service is None:
            logger.warning("%s: no credentials in MIJNZAKEN_REMOTE_SERVICES", NAAM)
            raise NietBeschikbaar("no credentials")
        headers = auth_headers(service, user="Klantbeeld")
        # the Logboek Dataverwerkingen trace and operation ids, as the write API takes them
        headers["traceparent"] = f"00-{values['trace_id']}-{values['operation_id']}-01"
        sender = Sender(self.settings, trusted=True, connections=1)
        try:
            # only the status counts: the 201 echoes the entry, which for a view of many zaken
            # and documents is larger than an answer we would parse
            answer = await sender.post(url, json.dumps(body(values, objecten)).encode(), headers)
        except OutboundError as exc:
            logger.warning("%s: POST %s failed: %s", NAAM, path(url), exc.code)
            self._onthoud(exc)
            raise NietBeschikbaar(exc.code) from exc
        finally:
            await sender.close()
        if answer.status != 201:
            logger.warning("%s: POST %s answered %d", NAAM, path(url), answer.status)
            raise NietBeschikbaar(f"status {answer.status}")

    def _url(self, soort: str, nummer: str, begin: dt.date, eind: dt.date) -> str:
        query = urlencode(
            {
                "objecttype": OBJECTTYPE,
                "soortObjectId": soort,
                "objectId": nummer,
                "beginDatum": begin.isoformat(),
                "eindDatum": eind.isoformat(),
            }
        )
        return f"{self.api}/verwerkte-objecten?{query}"

    async def _nieuwste(
        self, get: Callable[[str], Awaitable[Any]], soort: str, nummer: str, eind: dt.date
    ) -> tuple[dt.date, Any]:
        """The first day from which the subject's objects up to `eind` fit in MAX_PAGES pages,
        and the first page of that period: found by halving the period, one call per step
        (about 14 over the whole BEGIN period), so any server order gives the newest ones.
        NietBeschikbaar when even the last day has more."""
        page = await get(self._url(soort, nummer, eind, eind))
        if _te_veel(page):
            raise NietBeschikbaar("too many entries in one day")
        te_veel, past = BEGIN, eind  # from te_veel on: too many; from past on: they fit
        while (past - te_veel).days > 1:
            midden = te_veel + (past - te_veel) // 2
            probe = await get(self._url(soort, nummer, midden, eind))
            if _te_veel(probe):
                te_veel = midden
            else:
                past, page = midden, probe
        return past, page

    async def ingezien(self, soort: str, nummer: str) -> list[Ingezien]:
        """The entries about the subject that are not confidential, newest first (those
        of `inzagen`)."""
        return (await self.inzagen(soort, nummer)).items

    async def inzagen(self, soort: str, nummer: str) -> Inzagen:
        """The entries about the subject (`soort`: the soortObjectId, BSN or KVK) that are not
        confidential, newest first; one call per page. When the whole period takes more than
        MAX_PAGES pages, the newest that fit: the period is narrowed to its last days first
        (`Inzagen.vanaf`). Raises NietBeschikbaar."""
        self._nog_proberen(f"GET {path(self.api)}/verwerkte-objecten")
        sender = Sender(self.settings, trusted=True, connections=2)

        async def get(url: str) -> Any:
            return await lees(sender, self.settings, self.api, url, NAAM, logger)

        eind = clock.today() + dt.timedelta(days=2)
        vanaf: dt.date | None = None
        try:
            url = self._url(soort, nummer, BEGIN, eind)
            first = await get(url)
            if _te_veel(first):
                vanaf, first = await self._nieuwste(get, soort, nummer, eind)
                url = self._url(soort, nummer, vanaf, eind)
            found = await alle(get, url, first=first, naam=NAAM)
        except NietBeschikbaar as exc:
            self._onthoud(exc)
            raise
        finally:
            await sender.close()
        try:
            objecten = [_VerwerktObject.model_validate(item) for item in found]
        except ValidationError as exc:
            logger.warning("%s: verwerkte objecten without the expected fields", NAAM)
            raise NietBeschikbaar("verwerkte objecten without the expected fields") from exc
        eigen: dict[uuid_lib.UUID, Ingezien] = {}
        for obj in objecten:
            if (
                obj.objecttype == OBJECTTYPE
                and obj.soort_object_id == soort
                and obj.object_id == nummer
                and obj.verwerkingsactie.vertrouwelijkheid in NIET_VERTROUWELIJK
            ):
                # an entry whose soorten gegevens took more than one object is shown once
                eigen.setdefault(obj.verwerkingsactie.actie_id, _ingezien(obj))
        return Inzagen(sorted(eigen.values(), key=lambda e: e.moment, reverse=True), vanaf)
