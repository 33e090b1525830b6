"""The customer's partij, digital addresses and contact moments from a remote Klantinteracties
API (Open Klant 2, another MijnZaken).

Used by the klantbeeld when `MIJNZAKEN_KLANTBEELD_KLANTINTERACTIES_API_URL` is set; the
credentials are that API's entry in `MIJNZAKEN_REMOTE_SERVICES` (core/services.py). The
answers are the dataclasses of `klantinteracties.services.inwoner`, so the klantbeeld renders
them as it renders its own register's.

A fixed number of calls, whatever the number of addresses or contact moments: the partijen
with the subject's partij-identificator (BSN or KvK-nummer) with `expand=digitaleAdressen`,
then the klantcontacten in which such a partij took part with
`expand=gingOverOnderwerpobjecten,hadBetrokkenen` (one call per page). The BSN is sent only
as the standard's query parameter to the configured API, never logged: log lines name the path.

What the answers hold is checked, not trusted: a partij counts only when one of its
partijIdentificatoren names the subject, a klantcontact only when one of its betrokkenen was
such a partij and it is not confidential. A server that ignores a filter shows no one else's
data. The standard has no channel preferences (kanaalvoorkeuren are this register's
extension), so a remote Klant has none.

Every failure raises `remote.NietBeschikbaar`; the klantbeeld then shows those sections as
unavailable.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_lib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import Field, ValidationError

from mijnzaken.core.outbound import Sender
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld.remote import Model, NietBeschikbaar, empty_is_none, lees
from mijnzaken.klantbeeld.remote import alle as _alle
from mijnzaken.klantinteracties.services.inwoner import (
    CODE_SOORT,
    SOORT_VAN_CODE,
    SOORTEN,
    Adres,
    Contact,
    Kandidaat,
    Klant,
    naam_past,
)

logger = logging.getLogger("mijnzaken.klantbeeld.remote_klanten")
NAAM = "remote klantinteracties"  # how log lines name this source
PAGE_SIZE = 100  # klantcontacten per page (the standard allows up to 500)
MAX_NAAM_PARTIJEN = 25  # partijen read one by one for a name search


# --- the remote answers, as far as the klantbeeld reads them -----------------------------


class _Ref(Model):
    uuid: uuid_lib.UUID | None = None


class _Identificator(Model):
    code_soort_object_id: str | None = ""
    object_id: str | None = ""


class _PartijIdentificator(Model):
    partij_identificator: _Identificator | None = None


class _DigitaalAdres(Model):
    uuid: uuid_lib.UUID
    adres: str
    soort_digitaal_adres: str
    is_standaard_adres: bool | None = False
    verificatie_datum: dt.date | None = None


class _PartijExpand(Model):
    digitale_adressen: list[_DigitaalAdres] | None = None


class _Partij(Model):
    uuid: uuid_lib.UUID
    soort_partij: str
    indicatie_geheimhouding: bool | None = None
    partij_identificatoren: list[_PartijIdentificator] = Field(default_factory=list)
    partij_identificatie: dict[str, Any] | None = None
    expand: _PartijExpand = Field(default_factory=_PartijExpand, alias="_expand")


class _Onderwerpobjectidentificator(Model):
    code_objecttype: str | None = ""
    object_id: str | None = ""


class _Onderwerpobject(Model):
    onderwerpobjectidentificator: _Onderwerpobjectidentificator | None = None


class _Betrokkene(Model):
    was_partij: _Ref | None = None


class _Betrokkenen(Model):
    results: list[_Betrokkene] = Field(default_factory=list)


class _KlantcontactExpand(Model):
    ging_over_onderwerpobjecten: list[_Onderwerpobject] | None = None
    had_betrokkenen: list[_Betrokkene] | None = None


class _Klantcontact(Model):
    uuid: uuid_lib.UUID
    kanaal: str = ""
    onderwerp: str = ""
    vertrouwelijk: bool | None = None
    plaatsgevonden_op: dt.datetime
    expand: _KlantcontactExpand = Field(alias="_expand")


# --- from the remote's shape to the register's own ----------------------------------------


def _naam(partij: _Partij) -> str:
    identificatie = empty_is_none(partij.partij_identificatie) or {}
    if partij.soort_partij == "organisatie":
        return str(identificatie.get("naam") or "")
    naam = identificatie.get("contactnaam") or {}
    parts = [
        naam.get("voornaam") or naam.get("voorletters") or "",
        naam.get("voorvoegselAchternaam") or "",
        naam.get("achternaam") or "",
    ]
    return " ".join(p for p in parts if p)


def _van(partij: _Partij, soort: str, nummer: str) -> bool:
    """Whether one of the partij's identificatoren names the subject."""
    return any(
        i.partij_identificator is not None
        and i.partij_identificator.code_soort_object_id == CODE_SOORT[soort]
        and i.partij_identificator.object_id == nummer
        for i in partij.partij_identificatoren
    )


def _klant(partij: _Partij) -> Klant:
    adressen = sorted(
        (a for a in partij.expand.digitale_adressen or [] if a.soort_digitaal_adres in SOORTEN),
        key=lambda a: a.soort_digitaal_adres,
    )
    return Klant(
        partij=partij.uuid,
        naam=_naam(partij),
        geheim=bool(partij.indicatie_geheimhouding),
        adressen=[
            Adres(
                a.uuid,
                a.soort_digitaal_adres,
                a.adres,
                a.verificatie_datum is not None,
                bool(a.is_standaard_adres),
            )
            for a in adressen
        ],
    )


def _contact(kc: _Klantcontact) -> Contact:
    zaken = tuple(
        o.onderwerpobjectidentificator.object_id
        for o in kc.expand.ging_over_onderwerpobjecten or []
        if o.onderwerpobjectidentificator is not None
        and (o.onderwerpobjectidentificator.code_objecttype or "").lower() == "zaak"
        and o.onderwerpobjectidentificator.object_id
    )
    return Contact(kc.uuid, kc.plaatsgevonden_op, kc.kanaal, kc.onderwerp, zaken)


# --- the client ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Gevonden:
    """What the remote register knows of the subject: their partij (None: unknown) and the
    uuids of every partij that names them (the contact moments of any of them are theirs)."""

    klant: Klant | None
    partijen: frozenset[uuid_lib.UUID]


@dataclass(frozen=True)
class RemoteKlanten:
    """A configured remote Klantinteracties API."""

    settings: Settings
    api: str  # e.g. https://openklant.example.nl/klantinteracties/api/v1

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteKlanten | None:
        if not settings.klantbeeld_klantinteracties_api_url:
            return None
        return cls(settings, settings.klantbeeld_klantinteracties_api_url.rstrip("/"))

    async def _get(self, sender: Sender, url: str) -> Any:
        return await lees(sender, self.settings, self.api, url, NAAM, logger)

    async def _all(self, sender: Sender, url: str) -> list[dict[str, Any]]:
        return await _alle(lambda page: self._get(sender, page), url, naam=NAAM)

    async def _partijen(self, sender: Sender, soort: str, nummer: str) -> list[_Partij]:
        query = urlencode(
            {
                "partijIdentificator__codeSoortObjectId": CODE_SOORT[soort],
                "partijIdentificator__objectId": nummer,
                "expand": "digitaleAdressen",
            }
        )
        found = await self._all(sender, f"{self.api}/partijen?{query}")
        try:
            partijen = [_Partij.model_validate(item) for item in found]
        except ValidationError as exc:
            logger.warning("%s: partijen without the expected fields", NAAM)
            raise NietBeschikbaar("partijen without the expected fields") from exc
        return [p for p in partijen if _van(p, soort, nummer)]

    async def gevonden(self, soort: str, nummer: str) -> Gevonden:
        """The subject's partij with its e-mail addresses and phone numbers: one call."""
        sender = Sender(self.settings, trusted=True, connections=2)
        try:
            partijen = await self._partijen(sender, soort, nummer)
        finally:
            await sender.close()
        klant = _klant(partijen[0]) if partijen else None
        return Gevonden(klant, frozenset(p.uuid for p in partijen))

    async def contacten(
        self,
        soort: str,
        nummer: str,
        gevonden: Gevonden | None = None,
        *,
        zaken: list[str] | None = None,
        limit: int = 50,
    ) -> list[Contact]:
        """The non-confidential contact moments in which the subject's partij took part,
        newest first; with `zaken` (their URLs) only those about one of them. One call per
        page, and one more for the partijen when `gevonden` is not given."""
        if zaken is not None and not zaken:
            return []
        sender = Sender(self.settings, trusted=True, connections=2)
        try:
            if gevonden is None:
                partijen = await self._partijen(sender, soort, nummer)
                gevonden = Gevonden(None, frozenset(p.uuid for p in partijen))
            if not gevonden.partijen:
                return []
            veld = "hadBetrokkene__wasPartij__partijIdentificator"
            query = urlencode(
                {
                    f"{veld}__codeSoortObjectId": CODE_SOORT[soort],
                    f"{veld}__objectId": nummer,
                    "vertrouwelijk": "false",
                    "expand": "gingOverOnderwerpobjecten,hadBetrokkenen",
                    "pageSize": str(PAGE_SIZE),
                }
            )
            found = await self._all(sender, f"{self.api}/klantcontacten?{query}")
        finally:
            await sender.close()
        try:
            klantcontacten = [_Klantcontact.model_validate(item) for item in found]
        except ValidationError as exc:
            logger.warning("%s: klantcontacten without the expected fields or expand", NAAM)
            raise NietBeschikbaar("klantcontacten without the expected fields") from exc
        eigen = [
            _contact(kc)
            for kc in klantcontacten
            if kc.vertrouwelijk is False
            and any(
                b.was_partij is not None and b.was_partij.uuid in gevonden.partijen
                for b in kc.expand.had_betrokkenen or []
            )
        ]
        if zaken is not None:
            over = set(zaken)
            eigen = [c for c in eigen if over.intersection(c.zaken)]
        eigen.sort(key=lambda c: c.moment, reverse=True)
        return eigen[:limit]

    async def op_naam(self, zoekterm: str, limit: int) -> list[Kandidaat]:
        """The partijen whose name holds every word of `zoekterm` and that have a BSN or
        KvK-nummer (at most `limit` candidates).

        The standard's /partijen has no name filter; /betrokkenen has exact ones
        (`contactnaamAchternaam`, `organisatienaam`). So: the betrokkenen with the query, or
        its last word, as achternaam (as typed and with a capital) or as organisation name,
        one page each; then the partijen they were, one GET each (at most
        MAX_NAAM_PARTIJEN), kept only when their own name matches (a server that ignores a
        filter shows no one else). A partij that never took part in a contact under its
        name is not found this way."""
        woorden = zoekterm.split()
        if not woorden:
            return []
        laatste = woorden[-1]
        achternamen = dict.fromkeys([zoekterm, laatste, laatste[:1].upper() + laatste[1:]])
        queries = [{"contactnaamAchternaam": a} for a in achternamen]
        queries.append({"organisatienaam": zoekterm})
        sender = Sender(self.settings, trusted=True, connections=2)
        try:
            partijen: dict[uuid_lib.UUID, None] = {}
            for query in queries:
                url = f"{self.api}/betrokkenen?{urlencode(query | {'pageSize': str(PAGE_SIZE)})}"
                try:
                    page = _Betrokkenen.model_validate(await self._get(sender, url))
                except ValidationError as exc:
                    logger.warning("%s: betrokkenen without the expected fields", NAAM)
                    raise NietBeschikbaar("betrokkenen without the expected fields") from exc
                for b in page.results:
                    if b.was_partij is not None and b.was_partij.uuid is not None:
                        partijen[b.was_partij.uuid] = None
            gelezen = []
            for ident in list(partijen)[:MAX_NAAM_PARTIJEN]:
                try:
                    partij = _Partij.model_validate(
                        await self._get(sender, f"{self.api}/partijen/{ident}")
                    )
                except ValidationError as exc:
                    logger.warning("%s: a partij without the expected fields", NAAM)
                    raise NietBeschikbaar("a partij without the expected fields") from exc
                gelezen.append(partij)
        finally:
            await sender.close()
        found = [
            Kandidaat(
                p.uuid,
                p.soort_partij,
                _naam(p),
                SOORT_VAN_CODE[i.partij_identificator.code_soort_object_id or ""],
                i.partij_identificator.object_id or "",
                geheim=bool(p.indicatie_geheimhouding),
            )
            for p in gelezen
            if naam_past(_naam(p), zoekterm)
            for i in p.partij_identificatoren
            if i.partij_identificator is not None
            and (i.partij_identificator.code_soort_object_id or "") in SOORT_VAN_CODE
            and i.partij_identificator.object_id
        ]
        found.sort(key=lambda k: (k.naam.lower(), k.soort, k.nummer))
        return found[:limit]
