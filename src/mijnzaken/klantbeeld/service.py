"""Gather one customer's view from the registers, within what the viewer may see.

Each section has one function that gathers it for all zaken at once (batched: a fixed number
of queries whatever the number of zaken). Sections whose register is not connected yet return
`Sectie(beschikbaar=False, melding=...)`: wiring such a register is a change to that one
function. Every view ends in `_log`, the one place where the processing log is written: this
installation's, or the remote one (`logboek`) when one is configured.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_lib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock
from mijnzaken.core.outbound import OutboundError, Stream
from mijnzaken.core.services import service_for
from mijnzaken.core.urls import Urls
from mijnzaken.documenten.services import inzage
from mijnzaken.federatie import documenten as remote_documenten
from mijnzaken.klantbeeld import remote as remote_
from mijnzaken.klantbeeld import remote_klanten, remote_verwerkingen
from mijnzaken.klantbeeld import schemas as s
from mijnzaken.klantbeeld.identiteit import Kijker, Onderwerp, Regels
from mijnzaken.klantinteracties.services import inwoner
from mijnzaken.verwerkingen import service as verwerkingen_service
from mijnzaken.verwerkingen.schrijver import LogboekOnbeschikbaar
from mijnzaken.zaken.services import betrokkene

logger = logging.getLogger("mijnzaken.klantbeeld")

# Notices for sections whose source is not connected yet (shown to the citizen as they are).
NIET_BESCHIKBAAR = {
    "afspraken": "Afspraken zijn nog niet beschikbaar: er is nog geen afsprakenregister "
    "aangesloten.",
}


# Why a section from the customer register (Klantinteracties) is not shown to this viewer.
GEEN_MACHTIGING = (
    "Als gemachtigde ziet u de contactgegevens en voorkeuren van de vertegenwoordigde niet: "
    "uw machtiging geldt voor aanvragen, niet voor deze gegevens."
)
GEEN_KLANTREGISTER = "Deze applicatie heeft geen toegang tot het klantregister."
# Why a section from a remote Klantinteracties API is not shown: to the subject, to others.
KLANTGEGEVENS_NIET_BESCHIKBAAR = (
    "Uw gegevens uit het klantregister zijn nu niet beschikbaar: het klantregister is niet "
    "bereikbaar. Probeer het later opnieuw."
)
KLANT_KLANTGEGEVENS_NIET_BESCHIKBAAR = (
    "De gegevens van deze klant uit het klantregister zijn nu niet beschikbaar: het "
    "klantregister is niet bereikbaar. Probeer het later opnieuw."
)
# The standard Klantinteracties API has no channel preferences (they are our extension).
VOORKEUREN_REMOTE = (
    "Voorkeuren voor berichten worden niet bijgehouden in het klantregister van de gemeente. "
    "U kunt ze hier niet inzien of wijzigen."
)
# Why the zaken are not shown when they come from a remote Zaken API.
ZAKEN_NIET_BESCHIKBAAR = (
    "Uw zaken zijn nu niet beschikbaar: het zakenregister is niet bereikbaar. "
    "Probeer het later opnieuw."
)
# The same, to a viewer who looks at someone else's zaken (an application, an employee).
KLANT_ZAKEN_NIET_BESCHIKBAAR = (
    "De zaken van deze klant zijn nu niet beschikbaar: het zakenregister is niet bereikbaar. "
    "Probeer het later opnieuw."
)
# The overview of zaken from a remote Zaken API reads no documents (that would be a call per
# zaak); the zaak page does.
DOCUMENTEN_REMOTE = "De documenten van een aanvraag ziet u op de pagina van die aanvraag."
DOCUMENTEN_NIET_BESCHIKBAAR = (
    "De documenten bij deze aanvraag kunnen nu niet getoond worden: het documentenregister is "
    "niet bereikbaar. Probeer het later opnieuw."
)
DOCUMENT_NIET_BESCHIKBAAR = (
    "Het document kan nu niet opgehaald worden: het documentenregister is niet bereikbaar. "
    "Probeer het later opnieuw."
)
# Why "who looked at my data" is not shown when the processing log is a remote one.
VERWERKINGEN_NIET_BESCHIKBAAR = (
    "Wie uw gegevens heeft ingezien kan nu niet getoond worden: het verwerkingenlog is niet "
    "bereikbaar. Probeer het later opnieuw."
)
MAX_DOCUMENTEN = 100  # the newest links of a remote zaak whose remote documents are read
MAX_CONTACTEN = 50  # the newest contact moments a view shows
KANALEN = {
    "telefoon": "telefoon",
    "email": "e-mail",
    "e-mail": "e-mail",
    "balie": "balie",
    "brief": "brief",
    "chat": "chat",
    "website": "website",
}
KANAAL_WOORDEN = {
    "email": "Per e-mail",
    "sms": "Per sms",
    "post": "Per post",
    "berichtenbox": "In de Berichtenbox van MijnOverheid",
    "geen": "Geen berichten",
}


def _klantregister(kijker: Kijker) -> bool:
    """Applications see the customer register only with its own read right."""
    return kijker.toegang is None or kijker.klantregister


def _zaak_url(urls: Urls, zaak: Any) -> str:
    # an onderwerpobject names a zaak by its URL (codeSoortObjectId url): a remote zaak's own,
    # or that of a zaak of this installation
    if isinstance(zaak, remote_.Zaak):
        return zaak.url
    return urls.resource("zaken", "zaken", zaak.uuid)


def _zaaktype_url(urls: Urls, zaaktype: Any) -> str:
    if isinstance(zaaktype, remote_.ZaakType):
        return zaaktype.url
    return refs.url_of(urls, "zaaktypen", zaaktype)


def _onbereikbaar(kijker: Kijker) -> str:
    """What a viewer reads when the remote Zaken API cannot answer."""
    return ZAKEN_NIET_BESCHIKBAAR if kijker.toegang is None else KLANT_ZAKEN_NIET_BESCHIKBAAR


class ZakenNietBeschikbaar(Exception):
    """The zaken come from a remote register that cannot answer now; `melding` says so to
    the viewer."""

    def __init__(self, melding: str) -> None:
        self.melding = melding
        super().__init__(melding)


class DocumentNietBeschikbaar(ZakenNietBeschikbaar):
    """A document of a remote zaak cannot be read or fetched now; `melding` says so."""


def _niet_beschikbaar(naam: str) -> s.Sectie[Any]:
    return s.Sectie(beschikbaar=False, melding=NIET_BESCHIKBAAR[naam])


@dataclass
class Verwerking:
    """The processing-log entry of one view: who looked at whose data, what was shown."""

    activiteit: str
    onderwerp: Onderwerp
    kijker: Kijker
    moment: dt.datetime
    getoond: list[str] = field(default_factory=list)  # "zaak:<uuid>", "sectie:<naam>"
    # further data subjects the same processing showed (a search's other results)
    ook: tuple[Onderwerp, ...] = ()


# --- zaken: the part that is there -------------------------------------------------------


@dataclass
class _Zaken:
    """The visible zaken with what they render: their types, statussen and resultaten."""

    zaken: list[Any]
    zaaktypen: dict[int, Any]
    historie: betrokkene.Historie
    statustypen: dict[int, Any]
    resultaattypen: dict[int, Any]


def _partij(onderwerp: Onderwerp) -> betrokkene.Partij:
    # A business is found by its number in innNnpId, as the ecosystem's portals do.
    if onderwerp.soort == "bsn":
        return betrokkene.Partij(bsn=onderwerp.nummer)
    return betrokkene.Partij(inn_nnp_id=onderwerp.nummer)


def _grenzen(kijker: Kijker, regels: Regels) -> betrokkene.Grenzen:
    if kijker.toegang is not None:  # an application: its own autorisaties decide
        return betrokkene.Grenzen(rollen=regels.rollen, access=kijker.toegang)
    return betrokkene.Grenzen(rollen=regels.rollen, vertrouwelijkheid=regels.vertrouwelijkheid)


def _zichtbaar(zaak: Any, zaaktype: Any, kijker: Kijker, regels: Regels) -> bool:
    """The rules the query cannot apply without the catalogue: an extern zaaktype for
    citizens, and a mandate's services for representatives."""
    if zaaktype is None:
        return False
    if kijker.toegang is None and not regels.zaak_zichtbaar(
        zaaktype.indicatie_intern_of_extern, zaak.vertrouwelijkheidaanduiding
    ):
        return False
    return kijker.machtiging is None or kijker.machtiging.dekt(zaaktype.identificatie)


async def _gather_zaken(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    ident: uuid_lib.UUID | None = None,
) -> _Zaken:
    """The zaken section: six queries for any number of zaken."""
    partij, grenzen = _partij(onderwerp), _grenzen(kijker, regels)
    if ident is None:
        found = await betrokkene.zaken_van(session, partij, grenzen)
    else:
        one = await betrokkene.zaak_van(session, partij, grenzen, ident)
        found = [one] if one is not None else []
    zaaktypen = await refs.by_ids(session, "zaaktypen", {z.zaaktype_id for z in found})
    found = [z for z in found if _zichtbaar(z, zaaktypen.get(z.zaaktype_id), kijker, regels)]
    historie = await betrokkene.historie(session, found)
    statustype_ids = {st.statustype_id for lst in historie.statussen.values() for st in lst}
    statustypen = await refs.by_ids(session, "statustypen", statustype_ids)
    resultaattypen = await refs.by_ids(
        session, "resultaattypen", {r.resultaattype_id for r in historie.resultaten.values()}
    )
    return _Zaken(found, zaaktypen, historie, statustypen, resultaattypen)


def _stap(statustype: Any, datum: dt.datetime | None, *, huidig: bool) -> s.StatusStap:
    return s.StatusStap(
        volgnummer=statustype.volgnummer,
        omschrijving=statustype.omschrijving,
        statustekst=statustype.statustekst or statustype.omschrijving,
        datum=datum,
        bereikt=datum is not None,
        huidig=huidig,
    )


def _item(zaak: Any, data: _Zaken) -> s.ZaakItem:
    historie = [
        _stap(data.statustypen[st.statustype_id], st.datum_status_gezet, huidig=False)
        for st in data.historie.statussen.get(zaak.id, [])
    ]
    current = next(
        (
            _stap(data.statustypen[st.statustype_id], st.datum_status_gezet, huidig=True)
            for st in data.historie.statussen.get(zaak.id, [])
            if st.id == zaak.status_id
        ),
        None,
    )
    resultaat = data.historie.resultaten.get(zaak.id)
    resultaattype = data.resultaattypen.get(resultaat.resultaattype_id) if resultaat else None
    return s.ZaakItem(
        uuid=zaak.uuid,
        identificatie=zaak.identificatie,
        omschrijving=zaak.omschrijving,
        zaaktype=data.zaaktypen[zaak.zaaktype_id].omschrijving,
        startdatum=zaak.startdatum,
        einddatum=zaak.einddatum,
        einddatum_gepland=zaak.einddatum_gepland,
        uiterlijke_einddatum_afdoening=zaak.uiterlijke_einddatum_afdoening,
        lopend=zaak.einddatum is None,
        status=current,
        statushistorie=historie,
        resultaat=resultaattype.omschrijving if resultaattype is not None else None,
    )


def _producten(items: Sequence[s.ZaakItem], zaken_: Sequence[Any]) -> s.Sectie[s.ProductItem]:
    """Requested and delivered products: the zaken's productenOfDiensten, until a product
    register exists."""
    by_uuid = {z.uuid: z for z in zaken_}
    producten = [
        s.ProductItem(
            product=product,
            zaak=item.uuid,
            zaakidentificatie=item.identificatie,
            zaaktype=item.zaaktype,
            stand="aangevraagd" if item.lopend else "afgehandeld",
            resultaat=item.resultaat,
        )
        for item in items
        for product in by_uuid[item.uuid].producten_of_diensten or ()
    ]
    return s.Sectie(beschikbaar=True, items=producten)


# --- zaken from a remote Zaken API ------------------------------------------------------


async def _gather_remote(
    bron: remote_.RemoteZaken, onderwerp: Onderwerp, kijker: Kijker, regels: Regels
) -> list[remote_.Zaak]:
    """The subject's zaken in the remote register that `kijker` may see, newest first: the
    same rules as for the local register (rol, extern zaaktype, vertrouwelijkheid, mandate;
    for a viewer with its own rights, its access per zaaktype, named by URL)."""
    toegang = kijker.toegang
    maximum = regels.max_vertrouwelijkheid if toegang is None else toegang.highest_level()
    if maximum is None:  # the viewer's autorisaties name no zaaktype: nothing to ask for
        return []
    found = await bron.zaken(onderwerp.soort, onderwerp.nummer, maximum)
    shown = [
        z
        for z in found
        if remote_.betrokken(z, onderwerp.soort, onderwerp.nummer, regels.rollen)
        and (toegang is None or toegang.permits(z.zaaktype_url, z.vertrouwelijkheidaanduiding))
        and _zichtbaar(z, z.zaaktype, kijker, regels)
    ]
    return sorted(shown, key=lambda z: z.startdatum, reverse=True)


def _remote_stap(status: remote_.Status | None, *, huidig: bool) -> s.StatusStap | None:
    if status is None or status.expand.statustype is None:
        return None
    return _stap(status.expand.statustype, status.datum_status_gezet, huidig=huidig)


def _remote_item(zaak: Any, historie: Sequence[s.StatusStap] | None = None) -> s.ZaakItem:
    """A remote zaak as the view shows it; without `historie` (the overview) its history is
    the current status, the one the list call brings along."""
    current = _remote_stap(zaak.status, huidig=True)
    if historie is None:
        historie = [current.model_copy(update={"huidig": False})] if current else []
    return s.ZaakItem(
        uuid=zaak.uuid,
        identificatie=zaak.identificatie,
        omschrijving=zaak.omschrijving,
        zaaktype=zaak.zaaktype.omschrijving,
        startdatum=zaak.startdatum,
        einddatum=zaak.einddatum,
        einddatum_gepland=zaak.einddatum_gepland,
        uiterlijke_einddatum_afdoening=zaak.uiterlijke_einddatum_afdoening,
        lopend=zaak.einddatum is None,
        status=current,
        statushistorie=list(historie),
        resultaat=zaak.resultaat,
    )


@dataclass
class _Overzicht:
    """The zaken part of a view, from whichever register holds them; `items` None: that
    register cannot show them now (`melding` says why)."""

    items: list[s.ZaakItem] | None
    zaken: list[Any]
    zaaktypen: list[Any]
    melding: str = ""

    def sectie(self, items: list[Any]) -> s.Sectie[Any]:
        if self.items is None:
            return s.Sectie(beschikbaar=False, melding=self.melding)
        return s.Sectie(beschikbaar=True, items=items)


async def _overzicht(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    bron: remote_.RemoteZaken | None,
) -> _Overzicht:
    if bron is None:
        data = await _gather_zaken(session, onderwerp, kijker, regels)
        items = [_item(z, data) for z in data.zaken]
        return _Overzicht(items, data.zaken, list(data.zaaktypen.values()))
    try:
        found = await _gather_remote(bron, onderwerp, kijker, regels)
    except remote_.NietBeschikbaar:
        return _Overzicht(None, [], [], _onbereikbaar(kijker))
    zaaktypen = list({z.zaaktype.url: z.zaaktype for z in found}.values())
    return _Overzicht([_remote_item(z) for z in found], list(found), zaaktypen)


# --- documenten: the zaken's documents within the citizen rules ---------------------------

_OUDST = dt.datetime.min.replace(tzinfo=dt.UTC)


# a document of our own Documenten register, or of a remote one (a remote zaak's link)
Document = inzage.Document | remote_documenten.InformatieObject


@dataclass(frozen=True)
class _Gekoppeld:
    """A visible document with the zaak it is linked to."""

    zaak: Any
    document: Document
    registratiedatum: dt.datetime | None


async def _eigen_documenten(
    session: AsyncSession, idents: set[uuid_lib.UUID], kijker: Kijker, regels: Regels
) -> dict[uuid_lib.UUID, inzage.Document]:
    """Those of our own documents `idents` the viewer may see: a citizen those with an allowed
    status and vertrouwelijkheid (the rules of `Regels.document_zichtbaar`, in the query), an
    employee those their roles may read (per informatieobjecttype up to its
    vertrouwelijkheid). One query."""
    if kijker.documenttoegang is not None:
        return await inzage.documenten(
            session,
            idents,
            statussen=None,
            vertrouwelijkheid=None,
            voorwaarde=kijker.documenttoegang.where(),
        )
    return await inzage.documenten(
        session,
        idents,
        statussen=regels.document_statussen,
        vertrouwelijkheid=regels.vertrouwelijkheid,
    )


async def _documenten_van(
    session: AsyncSession, zaken_: Sequence[Any], kijker: Kijker, regels: Regels, urls: Urls
) -> list[_Gekoppeld]:
    """The documents linked to local `zaken_` (zaakinformatieobjecten) that are shown: those
    of our own Documenten register within the viewer's rules (`_eigen_documenten`). A link to
    another Documenten API is left out: its status and vertrouwelijkheid cannot be checked
    without a call per document, for every zaak of an overview. Two queries."""
    if not zaken_:
        return []
    links = await betrokkene.documenten(session, zaken_)
    eigen = inzage.ours(urls, {link.informatieobject for rows in links.values() for link in rows})
    found = await _eigen_documenten(session, set(eigen.values()), kijker, regels)
    shown = []
    for zaak_ in zaken_:
        for link in links.get(zaak_.id, []):
            ident = eigen.get(link.informatieobject)
            document = found.get(ident) if ident is not None else None
            if document is not None:
                shown.append(_Gekoppeld(zaak_, document, link.registratiedatum))
    return shown


async def _remote_documenten_van(
    session: AsyncSession,
    bron: remote_.RemoteZaken,
    zaak_: remote_.Zaak,
    kijker: Kijker,
    regels: Regels,
    urls: Urls,
    alleen: uuid_lib.UUID | None = None,
) -> list[_Gekoppeld]:
    """The documents linked to the remote zaak `zaak_` that are shown (`alleen`: only the one
    with that uuid): its links in one call to the remote Zaken API; a document of our own
    register within the same rules as for a local zaak (one query), a document of a configured
    remote Documenten API with one GET each and the same rules (`Regels.document_zichtbaar`).
    A link to any other API is left out: we call no API the operator did not configure.
    Raises remote_.NietBeschikbaar (the Zaken API) or OutboundError (a Documenten API)."""
    links = sorted(
        await bron.zaakinformatieobjecten(zaak_),
        key=lambda link: link.registratiedatum or _OUDST,
        reverse=True,
    )
    eigen = inzage.ours(urls, {link.informatieobject for link in links})
    # an employee whose roles may read no informatieobjecttype is shown no remote document:
    # none is read (as no zaken are asked for when they name no zaaktype)
    toegang = kijker.documenttoegang
    lezen = toegang is None or toegang.highest_level() is not None
    elders = {
        link.informatieobject: ident
        for link in links
        if lezen
        and link.informatieobject not in eigen
        and service_for(bron.settings, link.informatieobject) is not None
        and (ident := remote_documenten.document_uuid(link.informatieobject)) is not None
    }
    if alleen is not None:
        links = [
            link
            for link in links
            if alleen in (eigen.get(link.informatieobject), elders.get(link.informatieobject))
        ]
    gelezen = await remote_documenten.informatieobjecten(
        bron.settings,
        list(dict.fromkeys(u for u in (link.informatieobject for link in links) if u in elders))[
            :MAX_DOCUMENTEN
        ],
    )
    lokaal = await _eigen_documenten(
        session,
        {eigen[link.informatieobject] for link in links if link.informatieobject in eigen},
        kijker,
        regels,
    )
    shown = []
    for link in links:
        document: Document | None
        if link.informatieobject in eigen:
            document = lokaal.get(eigen[link.informatieobject])
        else:
            document = gelezen.get(link.informatieobject)
            if document is not None and not _remote_document_zichtbaar(document, kijker, regels):
                document = None
        if document is not None:
            shown.append(_Gekoppeld(zaak_, document, link.registratiedatum))
    return shown


def _remote_document_zichtbaar(
    document: remote_documenten.InformatieObject, kijker: Kijker, regels: Regels
) -> bool:
    """The rule of `_eigen_documenten` for a document of a remote Documenten API: an
    employee's roles per informatieobjecttype (named by its URL) up to its vertrouwelijkheid,
    anyone else the citizen rules. A document whose answer names no type is hidden from
    employees, also from a role with all autorisaties: their rights are per type, and the
    standard's document always has one."""
    if kijker.documenttoegang is not None:
        if not document.informatieobjecttype:
            return False
        return kijker.documenttoegang.permits(
            document.informatieobjecttype, document.vertrouwelijkheidaanduiding
        )
    return regels.document_zichtbaar(document.status or "", document.vertrouwelijkheidaanduiding)


def _downloadbaar(document: Document) -> bool:
    """Content is there (or the document is empty); an announced upload still in parts is
    not."""
    if isinstance(document, remote_documenten.InformatieObject):
        return document.downloadbaar
    return document.inhoud_key is not None or not document.bestandsomvang


def _documenten_getoond(sectie: s.Sectie[Any]) -> list[str]:
    """The documents a view showed, for its processing-log entry."""
    return [f"document:{item.uuid}" for item in sectie.items]


def _inhoud_url(urls: Urls, gekoppeld: _Gekoppeld) -> str:
    return (
        f"{urls.base}/klantbeeld/api/v1/zaken/{gekoppeld.zaak.uuid}"
        f"/documenten/{gekoppeld.document.uuid}/inhoud"
    )


# --- the seams of the registers that are not connected yet -------------------------------
# Each gathers its section for all shown zaken at once; until its register exists it says so.


def _document_items(urls: Urls, gekoppeld: Sequence[_Gekoppeld]) -> s.Sectie[s.DocumentItem]:
    """The documents section for `gekoppeld`, newest link first."""
    items = [
        s.DocumentItem(
            uuid=g.document.uuid,
            titel=g.document.titel,
            bestandsnaam=g.document.bestandsnaam or "",
            formaat=g.document.formaat or "",
            bestandsomvang=g.document.bestandsomvang,
            creatiedatum=g.document.creatiedatum,
            zaak=g.zaak.uuid,
            zaakidentificatie=g.zaak.identificatie,
            registratiedatum=g.registratiedatum,
            inhoud=_inhoud_url(urls, g) if _downloadbaar(g.document) else None,
        )
        for g in gekoppeld
    ]
    items.sort(key=lambda i: i.registratiedatum or _OUDST, reverse=True)
    return s.Sectie(beschikbaar=True, items=items)


async def _gather_documenten(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    zaken_: Sequence[Any],
    regels: Regels,
    urls: Urls,
) -> s.Sectie[s.DocumentItem]:
    """The documents of `zaken_` the citizen may see (regels.document_zichtbaar), newest link
    first: two queries whatever the number of zaken and documents."""
    return _document_items(urls, await _documenten_van(session, zaken_, kijker, regels, urls))


async def _gather_remote_documenten(
    session: AsyncSession,
    bron: remote_.RemoteZaken,
    zaak_: remote_.Zaak,
    kijker: Kijker,
    regels: Regels,
    urls: Urls,
) -> s.Sectie[s.DocumentItem]:
    """The documents of one remote zaak the citizen may see; a register that cannot answer
    makes the section unavailable, not the page."""
    try:
        gekoppeld = await _remote_documenten_van(session, bron, zaak_, kijker, regels, urls)
    except remote_.NietBeschikbaar:
        return s.Sectie(beschikbaar=False, melding=DOCUMENTEN_NIET_BESCHIKBAAR)
    except OutboundError as exc:
        logger.warning("remote documenten: a document could not be read: %s", exc.code)
        return s.Sectie(beschikbaar=False, melding=DOCUMENTEN_NIET_BESCHIKBAAR)
    return _document_items(urls, gekoppeld)


async def _documenten(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    zaken_: Sequence[Any],
    regels: Regels,
    urls: Urls,
    bron: remote_.RemoteZaken | None,
) -> s.Sectie[s.DocumentItem]:
    """The documents section of an overview: from our own Documenten register for local
    zaken; an overview of zaken in a remote Zaken API does not read them (a call per zaak),
    and the section says where they are."""
    if bron is not None:
        return s.Sectie(beschikbaar=False, melding=DOCUMENTEN_REMOTE)
    return await _gather_documenten(session, onderwerp, kijker, zaken_, regels, urls)


async def _gather_contactmomenten(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    urls: Urls,
    zichtbaar: Sequence[Any],
    over: Sequence[Any] | None,
    klant: _Klant | None = None,
) -> s.Sectie[s.ContactmomentItem]:
    """The subject's contact moments from Klantinteracties (ours, or the remote one `klant`
    names), newest first: all in which the subject took part (`over` None), or those about
    the zaken `over`. A representative sees only those about zaken the mandate covers;
    `zichtbaar` are the zaken shown, to link to."""
    if not _klantregister(kijker):
        return s.Sectie(beschikbaar=False, melding=GEEN_KLANTREGISTER)
    if klant is not None and klant.melding:
        return s.Sectie(beschikbaar=False, melding=klant.melding)
    per_url = {_zaak_url(urls, z): z for z in zichtbaar}
    if over is None and kijker.machtiging is not None:
        over = zichtbaar
    zaken_ = None if over is None else [_zaak_url(urls, z) for z in over]
    if klant is not None and klant.bron is not None:
        try:
            found = await klant.bron.contacten(
                onderwerp.soort, onderwerp.nummer, klant.gevonden, zaken=zaken_, limit=MAX_CONTACTEN
            )
        except remote_.NietBeschikbaar:
            return s.Sectie(beschikbaar=False, melding=_klantregister_onbereikbaar(kijker))
    else:
        found = await inwoner.contacten(
            session, onderwerp.nummer, zaken=zaken_, soort=onderwerp.soort, limit=MAX_CONTACTEN
        )
    items = []
    for contact in found:
        zaak_ = next((per_url[u] for u in contact.zaken if u in per_url), None)
        items.append(
            s.ContactmomentItem(
                uuid=contact.uuid,
                moment=contact.moment,
                kanaal=KANALEN.get(contact.kanaal, contact.kanaal),
                onderwerp=contact.onderwerp,
                zaak=zaak_.uuid if zaak_ is not None else None,
                zaakidentificatie=zaak_.identificatie if zaak_ is not None else "",
            )
        )
    return s.Sectie(beschikbaar=True, items=items)


async def _gather_gegevens(
    session: AsyncSession, onderwerp: Onderwerp, kijker: Kijker, gevonden: _Klant
) -> s.Sectie[s.Persoonsgegevens]:
    """Name and e-mail addresses and phone numbers of the subject's partij in
    Klantinteracties (the subject's own view only: a mandate covers services, not these)."""
    if kijker.machtiging is not None:
        return s.Sectie(beschikbaar=False, melding=GEEN_MACHTIGING)
    if not _klantregister(kijker):
        return s.Sectie(beschikbaar=False, melding=GEEN_KLANTREGISTER)
    if gevonden.melding:
        return s.Sectie(beschikbaar=False, melding=gevonden.melding)
    klant = gevonden.klant
    if klant is None:
        return s.Sectie(beschikbaar=True, items=[])
    return s.Sectie(
        beschikbaar=True,
        items=[
            s.Persoonsgegevens(
                naam=klant.naam,
                geheimhouding=klant.geheim,
                contactgegevens=[
                    s.Contactgegeven(
                        uuid=a.uuid,
                        soort=a.soort,
                        adres=a.adres,
                        geverifieerd=a.geverifieerd,
                        standaard=a.standaard,
                    )
                    for a in klant.adressen
                ],
            )
        ],
    )


def _omschrijving(kanaal: str, adres: inwoner.Adres | None, standaard: bool) -> str:
    if not kanaal:
        return "Geen voorkeur opgegeven" if standaard else "Zoals uw standaardvoorkeur"
    if kanaal in ("email", "sms") and (adres is None or not adres.geverifieerd):
        return f"{KANAAL_WOORDEN[kanaal]} (het adres is niet bevestigd; deze keuze geldt niet)"
    if adres is not None:
        return f"{KANAAL_WOORDEN[kanaal]} naar {adres.adres}"
    return KANAAL_WOORDEN[kanaal]


async def _gather_voorkeuren(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    gevonden: _Klant,
    urls: Urls,
    zaaktypen: Sequence[Any],
) -> s.Sectie[s.Voorkeur]:
    """The subject's channel preferences from the customer register: the default, then one
    per zaaktype of the subject's zaken (`zaaktypen`) and per other topic they chose for.
    A remote Klantinteracties API has none (the standard does not have them)."""
    if kijker.machtiging is not None:
        return s.Sectie(beschikbaar=False, melding=GEEN_MACHTIGING)
    if not _klantregister(kijker):
        return s.Sectie(beschikbaar=False, melding=GEEN_KLANTREGISTER)
    if gevonden.bron is not None:
        return s.Sectie(beschikbaar=False, melding=VOORKEUREN_REMOTE)
    klant = gevonden.klant
    gekozen = {(v.onderwerp_soort, v.onderwerp): v for v in (klant.voorkeuren if klant else [])}
    adressen = {a.uuid: a for a in (klant.adressen if klant else [])}
    onderwerpen: dict[tuple[str, str], str] = {("standaard", ""): "Standaard (alle berichten)"}
    for zt in sorted(zaaktypen, key=lambda z: z.omschrijving):
        onderwerpen.setdefault(("zaaktype", _zaaktype_url(urls, zt)), zt.omschrijving)
    andere = [k for k in gekozen if k not in onderwerpen]
    if andere:
        ids = await refs.ids_for_urls(
            session, urls, "zaaktypen", [u for soort, u in andere if soort == "zaaktype"]
        )
        types = await refs.by_ids(session, "zaaktypen", ids.values())
        for key in andere:
            found = types.get(ids.get(key[1], -1))
            onderwerpen[key] = found.omschrijving if found is not None else "Ander onderwerp"
    items = []
    for (soort, url), naam in onderwerpen.items():
        voorkeur = gekozen.get((soort, url))
        kanaal = voorkeur.kanaal if voorkeur is not None else ""
        adres = adressen.get(voorkeur.adres) if voorkeur and voorkeur.adres else None
        items.append(
            s.Voorkeur(
                onderwerp=naam,
                onderwerp_soort=soort,
                onderwerp_url=url or None,
                kanaal=kanaal,
                adres=adres.uuid if adres is not None else None,
                omschrijving=_omschrijving(kanaal, adres, soort == "standaard"),
            )
        )
    return s.Sectie(beschikbaar=True, items=items)


async def _gather_afspraken(
    session: AsyncSession, onderwerp: Onderwerp
) -> s.Sectie[s.AfspraakItem]:
    """Future appointments of the subject, once an appointments register exists."""
    return _niet_beschikbaar("afspraken")


MAX_VERWERKINGEN = 200  # the newest processing-log entries a view shows
MAX_INZAGEN = 2000  # the newest entries the log page shows (in pages)
# Why "who looked at my data" shows only the newest entries of a large remote log.
VERWERKINGEN_NIEUWSTE = (
    "U heeft meer inzages dan hier getoond kunnen worden. U ziet de nieuwste; oudere inzages "
    "staan er niet bij."
)


async def _gather_verwerkingen(
    session: AsyncSession,
    onderwerp: Onderwerp,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
    limit: int = MAX_VERWERKINGEN,
) -> s.Sectie[s.VerwerkingItem]:
    """Who looked at the subject's data: the processing log, filtered on the subject (the
    entries that are not confidential, newest first, at most `limit`); with a remote log
    `logboek`, its entries (where the views of the klantbeeld are) and those this
    installation's registers wrote here. A remote that cannot answer makes the section
    unavailable: a part of the log is not shown as if it were all of it. A remote log too
    large to read whole gives its newest entries (all of those from some day on), with this
    installation's from the same day on, and says so (`melding`)."""
    soort = _SOORT_OBJECT_ID[onderwerp.soort]
    elders: list[s.VerwerkingItem] = []
    vanaf: dt.date | None = None
    if logboek is not None:
        try:
            inzagen = await logboek.inzagen(soort, onderwerp.nummer)
        except remote_.NietBeschikbaar:
            return s.Sectie(beschikbaar=False, melding=VERWERKINGEN_NIET_BESCHIKBAAR)
        found, vanaf = inzagen.items, inzagen.vanaf
        elders = [
            s.VerwerkingItem(
                moment=e.moment,
                wie=e.wie,
                activiteit=e.activiteit,
                doel=e.doel,
                namens="u" if e.vertegenwoordigd else "",
            )
            for e in found
        ]
    entries = await verwerkingen_service.voor_betrokkene(
        session, soort, onderwerp.nummer, limit=limit
    )
    if vanaf is not None:
        entries = [e for e in entries if e.tijdstip.date() >= vanaf]
    items = [
        s.VerwerkingItem(
            moment=e.tijdstip,
            wie=e.actor_weergave or e.systeem,
            activiteit=e.actie_naam,
            doel=e.grondslag or e.verwerking_naam,
            namens="u" if e.namens == NAMENS_BETROKKENE else e.namens,
        )
        for e in entries
    ]
    if elders:
        items = sorted(items + elders, key=lambda i: i.moment, reverse=True)[:limit]
    melding = VERWERKINGEN_NIEUWSTE if vanaf is not None else ""
    return s.Sectie(beschikbaar=True, items=items, melding=melding)


# --- PROCESSING LOG ----------------------------------------------------------------------
# The single place where a view writes its processing-log entry. Every public function of
# this module that shows personal data ends here; the entry is stored before the request
# answers (ADR 0013).

_SOORT_OBJECT_ID = {"bsn": "BSN", "kvk": "KVK"}
NAMENS_BETROKKENE = "betrokkene"  # acted on behalf of the data subject (a mandate)
_ACTOR = {
    "inwoner": ("U zelf", "inzage door de betrokkene"),
    "ondernemer": ("U zelf", "inzage door de betrokkene"),
    "vertegenwoordiger": ("Uw gemachtigde", "machtiging door de betrokkene"),
}


KCC_SYSTEEM = "MijnZaken KCC"


def medewerker_weergave(rollen: Sequence[str]) -> str:
    """How the citizen sees an employee who looked: the organisation and the role(s)."""
    soort = "rol" if len(rollen) == 1 else "rollen"
    return f"Medewerker van de gemeente ({soort}: {', '.join(rollen)})"


async def _log(
    session: AsyncSession,
    verwerking: Verwerking,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> Verwerking:
    """Log the processing of one view: in this installation's log (no query here: the entry
    is stored before the request answers, ADR 0013), or posted to the remote log `logboek`
    and answered there before this returns. Raises LogboekOnbeschikbaar (503) when the
    remote cannot store it: the view is not shown."""
    kijker, onderwerp = verwerking.kijker, verwerking.onderwerp
    if kijker.soort == "applicatie":
        # the application, and the person using it when its token names one
        systeem, gebruiker = kijker.identificatie, kijker.gebruiker
        weergave, grondslag, namens = kijker.label, "", ""
        if kijker.gebruiker_weergave or kijker.gebruiker:
            weergave = f"{weergave} (medewerker {kijker.gebruiker_weergave or kijker.gebruiker})"
    elif kijker.soort == "medewerker":
        # the employee by their identity provider's user id, their roles and the purpose
        # they chose; the citizen reads "Medewerker van de gemeente (rol ...)" and the purpose
        systeem, gebruiker, namens = KCC_SYSTEEM, kijker.identificatie, ""
        weergave, grondslag = medewerker_weergave(kijker.rollen), kijker.doel
    else:
        weergave, grondslag = _ACTOR[kijker.soort]
        systeem = "MijnGemeente"
        # a representative is named (their own identifier); the subject needs no name here
        gebruiker = kijker.identificatie if kijker.namens_ander else ""
        namens = NAMENS_BETROKKENE if kijker.namens_ander else ""
    inhoud: dict[str, Any] = {
        "activiteit": verwerking.activiteit,
        "betrokkenen": [
            verwerkingen_service.Betrokkene(
                _SOORT_OBJECT_ID[o.soort], o.nummer, soorten_gegevens=tuple(verwerking.getoond)
            )
            for o in dict.fromkeys((onderwerp, *verwerking.ook))
        ],
        "systeem": systeem,
        "gebruiker": gebruiker,
        "actor_weergave": weergave,
        "namens": namens,
        "grondslag": grondslag,
        "verwerking_naam": "Klantbeeld",
        "tijdstip": verwerking.moment,
    }
    if logboek is None:
        verwerkingen_service.log(session, **inhoud)
        return verwerking
    made = verwerkingen_service.entry(**inhoud)
    assert made is not None  # it names the subject
    try:
        await logboek.schrijf(*made)
    except remote_.NietBeschikbaar as exc:
        raise LogboekOnbeschikbaar() from exc
    return verwerking


# --- the views ---------------------------------------------------------------------------


def _kijker(kijker: Kijker) -> s.Kijker:
    return s.Kijker(
        soort=kijker.soort,
        betrouwbaarheidsniveau=kijker.betrouwbaarheidsniveau,
        namens_ander=kijker.namens_ander,
    )


def _getoond(secties: dict[str, s.Sectie[Any]], items: Sequence[s.ZaakItem]) -> list[str]:
    shown = [f"sectie:{naam}" for naam, sectie in secties.items() if sectie.beschikbaar]
    return shown + [f"zaak:{item.uuid}" for item in items]


def _klantregister_onbereikbaar(kijker: Kijker) -> str:
    """What a viewer reads when the remote Klantinteracties API cannot answer."""
    if kijker.toegang is None and kijker.soort != "medewerker":
        return KLANTGEGEVENS_NIET_BESCHIKBAAR
    return KLANT_KLANTGEGEVENS_NIET_BESCHIKBAAR


@dataclass(frozen=True)
class _Klant:
    """The subject's partij from the customer register: ours (`bron` None) or the remote
    one; `melding`: that register cannot answer now."""

    klant: inwoner.Klant | None = None
    bron: remote_klanten.RemoteKlanten | None = None
    gevonden: remote_klanten.Gevonden | None = None
    melding: str = ""


async def _klant(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    klanten: remote_klanten.RemoteKlanten | None = None,
) -> _Klant:
    if kijker.machtiging is not None or not _klantregister(kijker):
        return _Klant(bron=klanten)
    if klanten is None:
        return _Klant(await inwoner.klant(session, onderwerp.nummer, onderwerp.soort))
    try:
        gevonden = await klanten.gevonden(onderwerp.soort, onderwerp.nummer)
    except remote_.NietBeschikbaar:
        return _Klant(bron=klanten, melding=_klantregister_onbereikbaar(kijker))
    return _Klant(gevonden.klant, klanten, gevonden)


async def klantbeeld(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    urls: Urls,
    bron: remote_.RemoteZaken | None = None,
    klanten: remote_klanten.RemoteKlanten | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[s.Klantbeeld, Verwerking]:
    """The whole view of `onderwerp` as `kijker` may see it, and its logged entry; the zaken
    come from the remote Zaken API `bron`, the customer data from the remote
    Klantinteracties API `klanten`, the processing log is the remote `logboek`, when one is
    configured."""
    zaken_ = await _overzicht(session, onderwerp, kijker, regels, bron)
    items = zaken_.items or []
    klant = await _klant(session, onderwerp, kijker, klanten)
    zaaktypen = zaken_.zaaktypen
    producten = _producten(items, zaken_.zaken)
    secties: dict[str, s.Sectie[Any]] = {
        "gegevens": await _gather_gegevens(session, onderwerp, kijker, klant),
        "voorkeuren": await _gather_voorkeuren(session, onderwerp, kijker, klant, urls, zaaktypen),
        "lopende_zaken": zaken_.sectie([i for i in items if i.lopend]),
        "afgeronde_zaken": zaken_.sectie([i for i in items if not i.lopend]),
        "producten": zaken_.sectie(producten.items),
        "documenten": await _documenten(
            session, onderwerp, kijker, zaken_.zaken, regels, urls, bron
        ),
        "contactmomenten": await _gather_contactmomenten(
            session, onderwerp, kijker, urls, zaken_.zaken, None, klant
        ),
        "afspraken": await _gather_afspraken(session, onderwerp),
        "verwerkingen": await _gather_verwerkingen(session, onderwerp, logboek),
    }
    view = s.Klantbeeld(onderwerp=onderwerp.soort, kijker=_kijker(kijker), **secties)
    shown = _getoond(secties, items) + _documenten_getoond(secties["documenten"])
    verwerking = Verwerking("klantbeeld inzien", onderwerp, kijker, clock.now(), shown)
    return view, await _log(session, verwerking, logboek)


async def _lokale_zaak(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    ident: uuid_lib.UUID,
) -> tuple[s.ZaakItem, list[s.StatusStap], Any] | None:
    data = await _gather_zaken(session, onderwerp, kijker, regels, ident)
    if not data.zaken:
        return None
    found = data.zaken[0]
    item = _item(found, data)
    reached = {st.statustype_id: st for st in data.historie.statussen.get(found.id, [])}
    current = next((st.statustype_id for st in reached.values() if st.id == found.status_id), None)
    steps = (await refs.statustypen_of(session, [found.zaaktype_id])).get(found.zaaktype_id, [])
    tijdlijn = [
        _stap(
            st,
            reached[st.id].datum_status_gezet if st.id in reached else None,
            huidig=st.id == current,
        )
        for st in steps
    ]
    return item, tijdlijn, found


async def _remote_zaak_van(
    bron: remote_.RemoteZaken,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    ident: uuid_lib.UUID,
) -> remote_.Zaak | None:
    """The remote zaak `ident` from the subject's own list (so the remote applies the rol
    filter itself), within the citizen rules; None when it is not there or not shown. Raises
    ZakenNietBeschikbaar."""
    try:
        found = await _gather_remote(bron, onderwerp, kijker, regels)
    except remote_.NietBeschikbaar as exc:
        raise ZakenNietBeschikbaar(_onbereikbaar(kijker)) from exc
    return next((z for z in found if z.uuid == ident), None)


async def _remote_zaak(
    bron: remote_.RemoteZaken,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    ident: uuid_lib.UUID,
) -> tuple[s.ZaakItem, list[s.StatusStap], Any] | None:
    """The zaak (`_remote_zaak_van`), its statussen in one call and its zaaktype's steps from
    the (cached) Catalogi API."""
    found = await _remote_zaak_van(bron, onderwerp, kijker, regels, ident)
    if found is None:
        return None
    try:
        statussen, steps = await bron.tijdlijn(found)
    except remote_.NietBeschikbaar as exc:
        raise ZakenNietBeschikbaar(_onbereikbaar(kijker)) from exc
    per_url = {st.url: st for st in steps}
    historie = [
        _stap(per_url[st.statustype], st.datum_status_gezet, huidig=False)
        for st in statussen
        if st.statustype in per_url
    ]
    reached = {st.statustype: st for st in statussen}
    current = found.status.statustype if found.status is not None else None
    tijdlijn = [
        _stap(
            st,
            reached[st.url].datum_status_gezet if st.url in reached else None,
            huidig=st.url == current,
        )
        for st in steps
    ]
    return _remote_item(found, historie), tijdlijn, found


async def zaak(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    ident: uuid_lib.UUID,
    urls: Urls,
    bron: remote_.RemoteZaken | None = None,
    klanten: remote_klanten.RemoteKlanten | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[s.ZaakDetail, Verwerking] | None:
    """One zaak of `onderwerp` with its whole timeline; None when it is not theirs or not
    visible to `kijker` (a caller cannot tell the two apart). Raises ZakenNietBeschikbaar
    when the remote Zaken API `bron` cannot answer; its contact moments come from the
    remote Klantinteracties API `klanten` when one is configured; the entry goes to the
    remote processing log `logboek` when one is configured."""
    if bron is None:
        gevonden = await _lokale_zaak(session, onderwerp, kijker, regels, ident)
    else:
        gevonden = await _remote_zaak(bron, onderwerp, kijker, regels, ident)
    if gevonden is None:
        return None
    item, tijdlijn, found = gevonden
    if bron is None:
        documenten = await _documenten(session, onderwerp, kijker, [found], regels, urls, None)
    else:
        documenten = await _gather_remote_documenten(session, bron, found, kijker, regels, urls)
    contactmomenten = await _gather_contactmomenten(
        session, onderwerp, kijker, urls, [found], [found], _Klant(bron=klanten)
    )
    detail = s.ZaakDetail(
        zaak=item, tijdlijn=tijdlijn, documenten=documenten, contactmomenten=contactmomenten
    )
    shown = _getoond({"documenten": documenten, "contactmomenten": contactmomenten}, [item])
    shown += _documenten_getoond(documenten)
    verwerking = Verwerking("zaak inzien", onderwerp, kijker, clock.now(), shown)
    return detail, await _log(session, verwerking, logboek)


async def gegevens(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    urls: Urls,
    bron: remote_.RemoteZaken | None = None,
    klanten: remote_klanten.RemoteKlanten | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[s.Sectie[s.Persoonsgegevens], s.Sectie[s.Voorkeur], Verwerking]:
    """Name, contact data and channel preferences of `onderwerp` (the "Mijn gegevens" page);
    the preferences offer a choice per zaaktype of the subject's zaken. From the remote
    Klantinteracties API `klanten` when one is configured (it has no preferences)."""
    klant = await _klant(session, onderwerp, kijker, klanten)
    zaaktypen: list[Any] = []
    # the topics to choose for (none from a remote register, which has no preferences)
    if kijker.machtiging is None and _klantregister(kijker) and klanten is None:
        zaaktypen = (await _overzicht(session, onderwerp, kijker, regels, bron)).zaaktypen
    persoon = await _gather_gegevens(session, onderwerp, kijker, klant)
    voorkeuren = await _gather_voorkeuren(session, onderwerp, kijker, klant, urls, zaaktypen)
    shown = _getoond({"gegevens": persoon, "voorkeuren": voorkeuren}, [])
    verwerking = Verwerking("gegevens inzien", onderwerp, kijker, clock.now(), shown)
    return persoon, voorkeuren, await _log(session, verwerking, logboek)


async def verwerkingen(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
    limit: int = MAX_INZAGEN,
) -> tuple[s.Sectie[s.VerwerkingItem], Verwerking]:
    """Who looked at the data of `onderwerp` (the "Wie heeft mijn gegevens ingezien" page,
    which shows them in pages): the newest `limit`, read from, and logged in, the remote
    processing log `logboek` when one is configured."""
    log = await _gather_verwerkingen(session, onderwerp, logboek, limit)
    verwerking = Verwerking(
        "verwerkingen inzien", onderwerp, kijker, clock.now(), _getoond({"verwerkingen": log}, [])
    )
    return log, await _log(session, verwerking, logboek)


async def contactgegeven(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    ident: uuid_lib.UUID,
    klanten: remote_klanten.RemoteKlanten | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[s.Contactgegeven, Verwerking] | None:
    """One e-mail address or phone number of `onderwerp` (the page that confirms it with a
    code); None when it is not theirs or `kijker` may not see it, and when the customer
    register is the remote `klanten` (whose data are not changed here)."""
    if kijker.machtiging is not None or onderwerp.soort != "bsn" or not _klantregister(kijker):
        return None
    if klanten is not None:
        return None
    adres = await inwoner.eigen_adres(session, onderwerp.nummer, ident)
    if adres is None:
        return None
    item = s.Contactgegeven(
        uuid=adres.uuid,
        soort=adres.soort_digitaal_adres,
        adres=adres.adres,
        geverifieerd=adres.verificatie_datum is not None,
        standaard=adres.is_standaard_adres,
    )
    verwerking = Verwerking(
        "contactgegeven inzien", onderwerp, kijker, clock.now(), ["sectie:gegevens"]
    )
    return item, await _log(session, verwerking, logboek)


MAX_ZOEKRESULTATEN = 20  # the candidates a name search shows
GEEN_KLANTREGISTER_ZOEKEN = (
    "Uw rol geeft geen toegang tot het klantregister. Zoeken op naam is daarom niet mogelijk: "
    "zoek op burgerservicenummer of KvK-nummer."
)
KLANTREGISTER_ONBEREIKBAAR = (
    "Zoeken op naam is nu niet mogelijk: het klantregister is niet bereikbaar. "
    "Probeer het later opnieuw of zoek op burgerservicenummer of KvK-nummer."
)


@dataclass(frozen=True)
class Zoekresultaat:
    """The candidates of a name search (`meer`: there were more than shown), or why the
    search could not be done (`melding`)."""

    items: list[inwoner.Kandidaat] = field(default_factory=list)
    meer: bool = False
    melding: str = ""


async def zoeken(
    session: AsyncSession,
    kijker: Kijker,
    zoekterm: str,
    klanten: remote_klanten.RemoteKlanten | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[Zoekresultaat, Verwerking | None]:
    """The persons and organisations of the customer register whose name matches
    `zoekterm`, for a viewer with the right to read that register (ours, or the remote
    Klantinteracties API `klanten`). Names and identifiers shown are personal data: a search
    with results writes one processing-log entry naming every subject found (in the remote
    processing log `logboek` when one is configured)."""
    if kijker.machtiging is not None or not _klantregister(kijker):
        return Zoekresultaat(melding=GEEN_KLANTREGISTER_ZOEKEN), None
    try:
        if klanten is None:
            found = await inwoner.op_naam(session, zoekterm, MAX_ZOEKRESULTATEN + 1)
        else:
            found = await klanten.op_naam(zoekterm, MAX_ZOEKRESULTATEN + 1)
    except remote_.NietBeschikbaar:
        return Zoekresultaat(melding=KLANTREGISTER_ONBEREIKBAAR), None
    items = found[:MAX_ZOEKRESULTATEN]
    if not items:
        return Zoekresultaat(), None
    onderwerpen = [Onderwerp("bsn" if k.soort == "bsn" else "kvk", k.nummer) for k in items]
    verwerking = Verwerking(
        "klanten zoeken op naam",
        onderwerpen[0],
        kijker,
        clock.now(),
        ["sectie:zoekresultaat"],
        tuple(onderwerpen[1:]),
    )
    resultaat = Zoekresultaat(items, meer=len(found) > MAX_ZOEKRESULTATEN)
    return resultaat, await _log(session, verwerking, logboek)


@dataclass(frozen=True)
class RemoteDownload:
    """A document of a remote Documenten API that passed the checks, its content opened (the
    caller streams it on, or closes it)."""

    document: remote_documenten.InformatieObject
    inhoud: Stream


async def document(
    session: AsyncSession,
    onderwerp: Onderwerp,
    kijker: Kijker,
    regels: Regels,
    zaak_ident: uuid_lib.UUID,
    document_ident: uuid_lib.UUID,
    urls: Urls,
    bron: remote_.RemoteZaken | None = None,
    logboek: remote_verwerkingen.RemoteVerwerkingen | None = None,
) -> tuple[inzage.Document | RemoteDownload, Verwerking] | None:
    """One document of one zaak of `onderwerp`, to download: only a document the view shows
    (the zaak visible to `kijker`, the document within the citizen rules, its content
    there). None otherwise; a caller cannot tell why. A document of a remote zaak comes with
    its content opened; raises ZakenNietBeschikbaar (or DocumentNietBeschikbaar) when a remote
    register cannot answer."""
    if bron is None:
        data = await _gather_zaken(session, onderwerp, kijker, regels, zaak_ident)
        gekoppeld = await _documenten_van(session, data.zaken, kijker, regels, urls)
    else:
        zaak_ = await _remote_zaak_van(bron, onderwerp, kijker, regels, zaak_ident)
        if zaak_ is None:
            return None
        try:
            gekoppeld = await _remote_documenten_van(
                session, bron, zaak_, kijker, regels, urls, alleen=document_ident
            )
        except (remote_.NietBeschikbaar, OutboundError) as exc:
            raise DocumentNietBeschikbaar(DOCUMENT_NIET_BESCHIKBAAR) from exc
    found = next((g.document for g in gekoppeld if g.document.uuid == document_ident), None)
    if found is None or not _downloadbaar(found):
        return None
    download: inzage.Document | RemoteDownload
    if isinstance(found, remote_documenten.InformatieObject):
        assert bron is not None  # a remote document is only linked from a remote zaak
        try:
            download = RemoteDownload(found, await remote_documenten.inhoud(bron.settings, found))
        except OutboundError as exc:
            logger.warning("remote documenten: the content could not be fetched: %s", exc.code)
            raise DocumentNietBeschikbaar(DOCUMENT_NIET_BESCHIKBAAR) from exc
    else:
        download = found
    shown = [f"zaak:{zaak_ident}", f"document:{document_ident}"]
    verwerking = Verwerking("document downloaden", onderwerp, kijker, clock.now(), shown)
    try:
        return download, await _log(session, verwerking, logboek)
    except BaseException:
        if isinstance(download, RemoteDownload):
            await download.inhoud.close()
        raise
