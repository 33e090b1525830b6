"""The demo municipality that `make run` loads, written through the standard APIs in-process,
so the demo data obeys every rule a real client meets: a published catalogue with four
zaaktypen, three citizens and one business with zaken in different stages.

The loader uses a one-off client with a random secret that it removes again; only in demo
mode (MIJNZAKEN_DEMO) does the well-known demo client `mijnzaken-demo` remain.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
from sqlalchemy import delete, select

from mijnzaken.autorisaties import service as autorisaties
from mijnzaken.autorisaties.models import Applicatie, ApplicatieClient, JWTSecret
from mijnzaken.catalogi.models import Catalogus
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings, get_settings
from mijnzaken.documenten.models import InformatieObject
from mijnzaken.kcc.medewerker import DEMO_MEDEWERKER, ROL_CLIENT_ID
from mijnzaken.klantinteracties.services import voorkeur as voorkeur_service
from mijnzaken.verwerkingen.models import Verwerkingsactie
from mijnzaken.zaken.models import Rol, Zaak

DEMO_RSIN = "002220647"  # passes the eleven-test; the demo municipality's RSIN
DEMO_OIN = f"00000001{DEMO_RSIN}000"  # its OIN (organisatie-identificatienummer)
DEMO_DOMEIN = "DEMO"
DEMO_CLIENT_ID = "mijnzaken-demo"
DEMO_SECRET = "mijnzaken-demo-geheim"
CATALOGI = "/catalogi/api/v1"
ZAKEN = "/zaken/api/v1"
BESLUITEN = "/besluiten/api/v1"
DOCUMENTEN = "/documenten/api/v1"
VERWERKINGEN = "/verwerkingen/api/v1"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}

# Demo citizens (BSNs from the range the Dutch government publishes for testing, all passing
# the eleven-test) and one business; each has zaken in different stages.
BURGERS = [
    ("999993653", "Jansen", "S.", "Suzanne"),
    ("999990019", "de Vries", "P.", "Peter"),
    ("999991905", "Bakker", "A.", "Aisha"),
]
BEDRIJF = ("002220647", "Bakkerij De Korenaar B.V.")  # RSIN
# (zaaktype identificatie, how many statussen reached, resultaat or None, toelichting)
ZAKEN_PER_BURGER = [
    [
        ("PARKEERVERGUNNING", 3, "Toegekend", "Vergunning voor de auto"),
        ("MELDING-OPENBARE-RUIMTE", 2, None, "Losliggende stoeptegel"),
        ("OMGEVINGSVERGUNNING", 1, None, "Dakkapel aan de achterkant"),
    ],
    [
        ("BIJZONDERE-BIJSTAND", 2, None, "Vervanging wasmachine"),
        ("MELDING-OPENBARE-RUIMTE", 3, "Toegekend", "Kapotte lantaarnpaal"),
    ],
    [
        ("PARKEERVERGUNNING", 1, None, "Vergunning voor de auto"),
        ("BIJZONDERE-BIJSTAND", 3, "Afgewezen", "Bijdrage schoolkosten"),
    ],
]
ZAKEN_BEDRIJF = [("OMGEVINGSVERGUNNING", 2, None, "Uitbreiding bakkerij")]
KLANTINTERACTIES = "/klantinteracties/api/v1"
# Per demo citizen in Klantinteracties: e-mail addresses and phone numbers (address, soort,
# verified), the default channel, a channel per zaaktype, and contact moments (day in
# September 2025, kanaal, onderwerp, about the citizen's zaak of that zaaktype or None).
KLANTEN: list[dict[str, Any]] = [
    {
        "adressen": [
            ("suzanne.jansen@example.nl", "email", True),
            ("0612345678", "telefoonnummer", False),
        ],
        "standaard": "email",
        "per_zaaktype": {"MELDING-OPENBARE-RUIMTE": "post"},
        "contacten": [
            (4, "telefoon", "Vraag over de status van de parkeervergunning", "PARKEERVERGUNNING"),
            (
                8,
                "balie",
                "Foto's van de losliggende stoeptegel afgegeven",
                "MELDING-OPENBARE-RUIMTE",
            ),
            (12, "email", "Vraag over het afvalrooster", None),
        ],
    },
    {
        "adressen": [
            ("peter.devries@example.nl", "email", True),
            ("0687654321", "telefoonnummer", True),
        ],
        "standaard": "sms",
        "per_zaaktype": {},
        "contacten": [
            (5, "telefoon", "Aanvullende offerte voor de wasmachine", "BIJZONDERE-BIJSTAND"),
        ],
    },
    {
        "adressen": [("aisha.bakker@example.nl", "email", False)],
        "standaard": "post",
        "per_zaaktype": {},
        "contacten": [
            (6, "chat", "Vraag welke documenten nodig zijn", "BIJZONDERE-BIJSTAND"),
        ],
    },
]
SELECTIELIJST = "https://selectielijst.openzaak.nl/api/v1"

INFORMATIEOBJECTTYPEN = [
    ("Aanvraagformulier", "openbaar", "Aanvraag"),
    ("Besluit", "beperkt_openbaar", "Besluit"),
    ("Foto", "openbaar", "Foto"),
    ("Bewijsstuk", "vertrouwelijk", "Bewijsstuk"),
]
BESLUITTYPEN = ["Vergunningsbesluit", "Toekenning bijstand"]

ZAAKTYPEN: list[dict[str, Any]] = [
    {
        "identificatie": "PARKEERVERGUNNING",
        "omschrijving": "Parkeervergunning bewoners",
        "vertrouwelijkheidaanduiding": "beperkt_openbaar",
        "doel": "Een bewoner kan in zijn eigen wijk parkeren.",
        "aanleiding": "Aanvraag van een bewoner.",
        "onderwerp": "Parkeervergunning",
        "doorlooptijd": "P4W",
        "besluittypen": ["Vergunningsbesluit"],
        "statussen": [
            ("Aanvraag ontvangen", "We hebben uw aanvraag ontvangen."),
            ("In behandeling", "Een medewerker beoordeelt uw aanvraag."),
            ("Afgehandeld", "Uw aanvraag is afgehandeld."),
        ],
        "documenten": ["Aanvraagformulier", "Besluit"],
        "eigenschappen": [("kenteken", "Kenteken van de auto", "tekst", "8")],
    },
    {
        "identificatie": "OMGEVINGSVERGUNNING",
        "omschrijving": "Omgevingsvergunning",
        "vertrouwelijkheidaanduiding": "beperkt_openbaar",
        "doel": "Toestemming om te bouwen of te verbouwen.",
        "aanleiding": "Aanvraag via het Omgevingsloket.",
        "onderwerp": "Bouwen",
        "doorlooptijd": "P8W",
        "besluittypen": ["Vergunningsbesluit"],
        "statussen": [
            ("Aanvraag ontvangen", "We hebben uw aanvraag ontvangen."),
            ("Aanvraag compleet", "Uw aanvraag is compleet."),
            ("Advies gevraagd", "We vragen advies aan de welstandscommissie."),
            ("Besluit genomen", "Er is een besluit genomen over uw aanvraag."),
        ],
        "documenten": ["Aanvraagformulier", "Foto", "Besluit"],
        "eigenschappen": [("bouwkosten", "Geschatte bouwkosten in euro", "getal", "10")],
    },
    {
        "identificatie": "BIJZONDERE-BIJSTAND",
        "omschrijving": "Bijzondere bijstand",
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "doel": "Vergoeding van bijzondere, noodzakelijke kosten.",
        "aanleiding": "Aanvraag van een inwoner.",
        "onderwerp": "Inkomen",
        "doorlooptijd": "P8W",
        "besluittypen": ["Toekenning bijstand"],
        "statussen": [
            ("Aanvraag ontvangen", "We hebben uw aanvraag ontvangen."),
            ("Gegevens opgevraagd", "We hebben aanvullende gegevens bij u opgevraagd."),
            ("Afgehandeld", "Uw aanvraag is afgehandeld."),
        ],
        "documenten": ["Aanvraagformulier", "Bewijsstuk", "Besluit"],
        "eigenschappen": [],
    },
    {
        "identificatie": "MELDING-OPENBARE-RUIMTE",
        "omschrijving": "Melding openbare ruimte",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Een gebrek in de openbare ruimte herstellen.",
        "aanleiding": "Melding van een inwoner.",
        "onderwerp": "Openbare ruimte",
        "doorlooptijd": "P5D",
        "besluittypen": [],
        "statussen": [
            ("Melding ontvangen", "We hebben uw melding ontvangen."),
            ("Ingepland", "Het herstel is ingepland."),
            ("Opgelost", "De melding is opgelost."),
        ],
        "documenten": ["Foto"],
        "eigenschappen": [],
    },
]


class DemoError(RuntimeError):
    """The demo data could not be written (the message says which call failed)."""


def _check(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 300:
        raise DemoError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    body: dict[str, Any] = response.json()
    return body


@asynccontextmanager
async def _loader(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process API client with a one-off identity that is removed afterwards."""
    from mijnzaken.app import create_app

    client_id = f"demo-loader-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(32)
    async with database.transaction() as session:
        await autorisaties.ensure_applicatie(session, client_id, secret, "Demo-lader", True)
    app = create_app(settings, database)
    token = jwt.encode({"client_id": client_id, "iat": int(time.time())}, secret, "HS256")
    base = (settings.base_url or "http://127.0.0.1:8000").rstrip("/")
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=base,
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            yield client
    finally:
        async with database.transaction() as session:
            ids = select(ApplicatieClient.applicatie_id).where(
                ApplicatieClient.client_id == client_id
            )
            await session.execute(delete(Applicatie).where(Applicatie.id.in_(ids)))
            await session.execute(delete(JWTSecret).where(JWTSecret.client_id == client_id))


async def _catalogue(api: httpx.AsyncClient) -> None:
    catalogus = _check(
        await api.post(
            f"{CATALOGI}/catalogussen",
            json={
                "domein": DEMO_DOMEIN,
                "rsin": DEMO_RSIN,
                "contactpersoonBeheerNaam": "Team Zaakgericht Werken",
                "contactpersoonBeheerEmailadres": "zgw@demogemeente.nl",
                "naam": "Zaaktypecatalogus Demogemeente",
                "versie": "1",
            },
        )
    )["url"]
    for omschrijving, vertrouwelijkheid, categorie in INFORMATIEOBJECTTYPEN:
        iot = _check(
            await api.post(
                f"{CATALOGI}/informatieobjecttypen",
                json={
                    "catalogus": catalogus,
                    "omschrijving": omschrijving,
                    "vertrouwelijkheidaanduiding": vertrouwelijkheid,
                    "beginGeldigheid": "2024-01-01",
                    "informatieobjectcategorie": categorie,
                },
            )
        )
        _check(await api.post(f"{iot['url']}/publish", json={}))
    for omschrijving in BESLUITTYPEN:
        besluittype = _check(
            await api.post(
                f"{CATALOGI}/besluittypen",
                json={
                    "catalogus": catalogus,
                    "omschrijving": omschrijving,
                    "publicatieIndicatie": False,
                    "informatieobjecttypen": ["Besluit"],
                    "beginGeldigheid": "2024-01-01",
                },
            )
        )
        _check(await api.post(f"{besluittype['url']}/publish", json={}))
    for spec in ZAAKTYPEN:
        await _zaaktype(api, catalogus, spec)


async def _zaaktype(api: httpx.AsyncClient, catalogus: str, spec: dict[str, Any]) -> None:
    zaaktype = _check(
        await api.post(
            f"{CATALOGI}/zaaktypen",
            json={
                "catalogus": catalogus,
                "identificatie": spec["identificatie"],
                "omschrijving": spec["omschrijving"],
                "vertrouwelijkheidaanduiding": spec["vertrouwelijkheidaanduiding"],
                "doel": spec["doel"],
                "aanleiding": spec["aanleiding"],
                "indicatieInternOfExtern": "extern",
                "handelingInitiator": "aanvragen",
                "onderwerp": spec["onderwerp"],
                "handelingBehandelaar": "behandelen",
                "doorlooptijd": spec["doorlooptijd"],
                "opschortingEnAanhoudingMogelijk": True,
                "verlengingMogelijk": True,
                "verlengingstermijn": "P4W",
                "publicatieIndicatie": False,
                "productenOfDiensten": [
                    f"https://producten.demogemeente.nl/{spec['identificatie'].lower()}"
                ],
                "referentieproces": {"naam": spec["omschrijving"]},
                "verantwoordelijke": "Gemeente Demo",
                "beginGeldigheid": "2024-01-01",
                "versiedatum": "2024-01-01",
                "besluittypen": spec["besluittypen"],
                "gerelateerdeZaaktypen": [],
            },
        )
    )
    url = zaaktype["url"]
    for volgnummer, (omschrijving, tekst) in enumerate(spec["statussen"], start=1):
        _check(
            await api.post(
                f"{CATALOGI}/statustypen",
                json={
                    "zaaktype": url,
                    "omschrijving": omschrijving,
                    "statustekst": tekst,
                    "volgnummer": volgnummer,
                    "informeren": True,
                },
            )
        )
    for omschrijving, generiek in (("Aanvrager", "initiator"), ("Behandelaar", "behandelaar")):
        _check(
            await api.post(
                f"{CATALOGI}/roltypen",
                json={
                    "zaaktype": url,
                    "omschrijving": omschrijving,
                    "omschrijvingGeneriek": generiek,
                },
            )
        )
    for omschrijving, nominatie, termijn in (
        ("Toegekend", "vernietigen", "P5Y"),
        ("Afgewezen", "vernietigen", "P1Y"),
    ):
        _check(
            await api.post(
                f"{CATALOGI}/resultaattypen",
                json={
                    "zaaktype": url,
                    "omschrijving": omschrijving,
                    "resultaattypeomschrijving": f"{SELECTIELIJST}/resultaattypeomschrijvingen/"
                    "fb65d251-1518-4185-865f-b8bdcfad07b1",
                    "selectielijstklasse": f"{SELECTIELIJST}/resultaten/"
                    "8af64c99-a168-40dd-8afd-9fbe0597b6dc",
                    "archiefnominatie": nominatie,
                    "archiefactietermijn": termijn,
                    "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld"},
                },
            )
        )
    for naam, definitie, formaat, lengte in spec["eigenschappen"]:
        _check(
            await api.post(
                f"{CATALOGI}/eigenschappen",
                json={
                    "zaaktype": url,
                    "naam": naam,
                    "definitie": definitie,
                    "specificatie": {"formaat": formaat, "lengte": lengte, "kardinaliteit": "1"},
                },
            )
        )
    for volgnummer, omschrijving in enumerate(spec["documenten"], start=1):
        _check(
            await api.post(
                f"{CATALOGI}/zaaktype-informatieobjecttypen",
                json={
                    "zaaktype": url,
                    "informatieobjecttype": omschrijving,
                    "volgnummer": volgnummer,
                    "richting": "inkomend" if omschrijving != "Besluit" else "uitgaand",
                },
            )
        )
    _check(await api.post(f"{url}/publish", json={}))


async def _zaken(api: httpx.AsyncClient) -> None:
    """Zaken of the demo citizens and the business, in different stages."""
    zaaktypen = {
        z["identificatie"]: z for z in _check(await api.get(f"{CATALOGI}/zaaktypen"))["results"]
    }
    for (bsn, naam, voorletters, voornaam), zaken in zip(BURGERS, ZAKEN_PER_BURGER, strict=True):
        identificatie = {
            "inpBsn": bsn,
            "geslachtsnaam": naam,
            "voorletters": voorletters,
            "voornamen": voornaam,
        }
        for spec in zaken:
            await _zaak(api, zaaktypen[spec[0]], spec, "natuurlijk_persoon", identificatie)
    rsin, handelsnaam = BEDRIJF
    for spec in ZAKEN_BEDRIJF:
        await _zaak(
            api,
            zaaktypen[spec[0]],
            spec,
            "niet_natuurlijk_persoon",
            {"innNnpId": rsin, "statutaireNaam": handelsnaam},
        )


async def _zaak(
    api: httpx.AsyncClient,
    zaaktype: dict[str, Any],
    spec: tuple[str, int, str | None, str],
    betrokkene_type: str,
    identificatie: dict[str, str],
) -> None:
    _identificatie, stappen, resultaat, toelichting = spec
    zaak = _check(
        await api.post(
            f"{ZAKEN}/zaken",
            headers=CRS,
            json={
                "zaaktype": zaaktype["url"],
                "bronorganisatie": DEMO_RSIN,
                "verantwoordelijkeOrganisatie": DEMO_RSIN,
                "omschrijving": f"{zaaktype['omschrijving']}: {toelichting}",
                "toelichting": toelichting,
                "startdatum": "2025-09-01",
            },
        )
    )
    roltypen = _check(await api.get(f"{CATALOGI}/roltypen", params={"zaaktype": zaaktype["url"]}))
    initiator = next(
        r["url"] for r in roltypen["results"] if r["omschrijvingGeneriek"] == "initiator"
    )
    _check(
        await api.post(
            f"{ZAKEN}/rollen",
            json={
                "zaak": zaak["url"],
                "roltype": initiator,
                "betrokkeneType": betrokkene_type,
                "roltoelichting": "Aanvrager",
                "betrokkeneIdentificatie": identificatie,
            },
        )
    )
    statustypen = sorted(
        _check(await api.get(f"{CATALOGI}/statustypen", params={"zaaktype": zaaktype["url"]}))[
            "results"
        ],
        key=lambda s: s["volgnummer"],
    )
    if resultaat is not None:
        resultaattypen = _check(
            await api.get(f"{CATALOGI}/resultaattypen", params={"zaaktype": zaaktype["url"]})
        )["results"]
        _check(
            await api.post(
                f"{ZAKEN}/resultaten",
                json={
                    "zaak": zaak["url"],
                    "resultaattype": next(
                        r["url"] for r in resultaattypen if r["omschrijving"] == resultaat
                    ),
                },
            )
        )
    if resultaat is not None and zaaktype["besluittypen"]:
        # a decided zaak has its besluit (the Besluiten register links it to the zaak)
        _check(
            await api.post(
                f"{BESLUITEN}/besluiten",
                json={
                    "verantwoordelijkeOrganisatie": DEMO_RSIN,
                    "besluittype": zaaktype["besluittypen"][0],
                    "zaak": zaak["url"],
                    "datum": "2025-09-08",
                    "ingangsdatum": "2025-09-09",
                    "toelichting": f"{resultaat}: {toelichting}",
                },
            )
        )
    # the last step closes the zaak, which needs the resultaat above
    reached = (
        statustypen[:stappen]
        if resultaat is not None
        else statustypen[: min(stappen, len(statustypen) - 1)]
    )
    for dag, statustype in enumerate(reached, start=1):
        _check(
            await api.post(
                f"{ZAKEN}/statussen",
                json={
                    "zaak": zaak["url"],
                    "statustype": statustype["url"],
                    "datumStatusGezet": f"2025-09-{dag * 3:02d}T10:00:00+02:00",
                },
            )
        )


async def _klanten(api: httpx.AsyncClient, database: Database) -> bool:
    """The demo citizens in Klantinteracties (a partij with their BSN, contact data,
    channel preferences, contact moments about their zaken); a citizen who has a partij
    already is skipped. True when something was added."""
    zaaktypen = {
        z["identificatie"]: z for z in _check(await api.get(f"{CATALOGI}/zaaktypen"))["results"]
    }
    added = False
    for (bsn, naam, voorletters, voornaam), klant in zip(BURGERS, KLANTEN, strict=True):
        async with database.transaction() as session:
            if await voorkeur_service.partij_met_bsn(session, bsn) is not None:
                continue
        added = True
        partij = _check(
            await api.post(
                f"{KLANTINTERACTIES}/partijen",
                json={
                    "soortPartij": "persoon",
                    "indicatieActief": True,
                    "voorkeurstaal": "nld",
                    "partijIdentificatie": {
                        "contactnaam": {
                            "voorletters": voorletters,
                            "voornaam": voornaam,
                            "voorvoegselAchternaam": "de" if naam.startswith("de ") else "",
                            "achternaam": naam.removeprefix("de "),
                        }
                    },
                },
            )
        )
        _check(
            await api.post(
                f"{KLANTINTERACTIES}/partij-identificatoren",
                json={
                    "identificeerdePartij": {"uuid": partij["uuid"]},
                    "partijIdentificator": {
                        "codeObjecttype": "natuurlijk_persoon",
                        "codeSoortObjectId": "bsn",
                        "objectId": bsn,
                        "codeRegister": "brp",
                    },
                },
            )
        )
        adressen: dict[str, dict[str, Any]] = {}
        for adres, soort, geverifieerd in klant["adressen"]:
            adressen[soort] = _check(
                await api.post(
                    f"{KLANTINTERACTIES}/digitaleadressen",
                    json={
                        "verstrektDoorPartij": {"uuid": partij["uuid"]},
                        "adres": adres,
                        "soortDigitaalAdres": soort,
                        "isStandaardAdres": True,
                        "verificatieDatum": "2025-09-01" if geverifieerd else None,
                    },
                )
            )
        keuzes = [("standaard", None, klant["standaard"])] + [
            ("zaaktype", zaaktypen[ident]["url"], kanaal)
            for ident, kanaal in klant["per_zaaktype"].items()
        ]
        for soort, onderwerp, kanaal in keuzes:
            adres_soort = {"email": "email", "sms": "telefoonnummer"}.get(kanaal)
            _check(
                await api.post(
                    f"{KLANTINTERACTIES}/kanaalvoorkeuren",
                    json={
                        "partij": {"uuid": partij["uuid"]},
                        "onderwerpSoort": soort,
                        "onderwerp": onderwerp,
                        "kanaal": kanaal,
                        "digitaalAdres": (
                            {"uuid": adressen[adres_soort]["uuid"]} if adres_soort else None
                        ),
                    },
                )
            )
        zaken = _check(
            await api.get(
                f"{ZAKEN}/zaken",
                headers=CRS,
                params={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn},
            )
        )["results"]
        for dag, kanaal, onderwerp, over in klant["contacten"]:
            body: dict[str, Any] = {
                "klantcontact": {
                    "kanaal": kanaal,
                    "onderwerp": onderwerp,
                    "taal": "nld",
                    "vertrouwelijk": False,
                    "plaatsgevondenOp": f"2025-09-{dag:02d}T10:00:00+02:00",
                },
                "betrokkene": {
                    "wasPartij": {"uuid": partij["uuid"]},
                    "rol": "klant",
                    "initiator": True,
                },
            }
            if over is not None:
                zaak = next(z for z in zaken if z["zaaktype"] == zaaktypen[over]["url"])
                body["onderwerpobject"] = {
                    "onderwerpobjectidentificator": {
                        "objectId": zaak["url"],
                        "codeObjecttype": "zaak",
                        "codeRegister": "mijnzaken",
                        "codeSoortObjectId": "url",
                    }
                }
            _check(await api.post(f"{KLANTINTERACTIES}/maak-klantcontact", json=body))
    return added


# Documents of the demo citizens' zaken: per zaak its application form, per decided zaak the
# letter with the decision, and for the first citizen one concept that the portal must not
# show. (titel, informatieobjecttype, status, file name, text)
DOCUMENT_PREFIX = "DEMO-DOC-"
DOCUMENT_AANVRAAG = (
    "Uw aanvraag",
    "Aanvraagformulier",
    "definitief",
    "aanvraag.txt",
    "Aanvraag ontvangen via MijnGemeente: {toelichting}.",
)
DOCUMENT_BESLUIT = (
    "Besluit op uw aanvraag",
    "Besluit",
    "definitief",
    "besluit.txt",
    "Besluit van de gemeente Demo over: {toelichting}. Het college heeft besloten.",
)
DOCUMENT_CONCEPT = (
    "Concept van de beslissing",
    "Besluit",
    "in_bewerking",
    "concept.txt",
    "Concept, nog niet vastgesteld: {toelichting}.",
)


def documenten_per_zaak(burger: int, spec: tuple[str, int, str | None, str]) -> list[Any]:
    """The demo documents of one zaak of citizen `burger` (index in BURGERS), of the
    informatieobjecttypen its zaaktype allows."""
    found: list[Any] = [DOCUMENT_AANVRAAG]
    if spec[2] is not None:
        found.append(DOCUMENT_BESLUIT)
    if burger == 0 and spec is ZAKEN_PER_BURGER[0][0]:
        found.append(DOCUMENT_CONCEPT)
    zaaktype = next(z for z in ZAAKTYPEN if z["identificatie"] == spec[0])
    return [d for d in found if d[1] in zaaktype["documenten"]]


async def _documenten(api: httpx.AsyncClient, database: Database) -> bool:
    """The demo documents with their content, linked to the citizens' zaken through the
    Documenten and Zaken APIs; skipped when they are there already. True when added."""
    async with database.transaction() as session:
        there = await session.execute(
            select(InformatieObject.id)
            .where(
                InformatieObject.bronorganisatie == DEMO_RSIN,
                InformatieObject.identificatie.startswith(DOCUMENT_PREFIX),
            )
            .limit(1)
        )
        if there.first() is not None:
            return False
    catalogus = _check(
        await api.get(f"{CATALOGI}/catalogussen", params={"domein": DEMO_DOMEIN, "rsin": DEMO_RSIN})
    )["results"][0]["url"]
    typen = {
        t["omschrijving"]: t["url"]
        for t in _check(
            await api.get(f"{CATALOGI}/informatieobjecttypen", params={"catalogus": catalogus})
        )["results"]
    }
    volgnummer = 0
    for burger, ((bsn, *_naam), zaken) in enumerate(zip(BURGERS, ZAKEN_PER_BURGER, strict=True)):
        async with database.transaction() as session:
            rows = await session.execute(
                select(Zaak.uuid, Zaak.toelichting)
                .where(Zaak.id.in_(select(Rol.zaak_id).where(Rol.inp_bsn == bsn)))
                .order_by(Zaak.id)
            )
            eigen = {toelichting: ident for ident, toelichting in rows.all()}
        for spec in zaken:
            zaak_url = f"{str(api.base_url).rstrip('/')}{ZAKEN}/zaken/{eigen[spec[3]]}"
            for titel, soort, status, naam, tekst in documenten_per_zaak(burger, spec):
                volgnummer += 1
                inhoud = tekst.format(toelichting=spec[3]).encode()
                document = _check(
                    await api.post(
                        f"{DOCUMENTEN}/enkelvoudiginformatieobjecten",
                        json={
                            "identificatie": f"{DOCUMENT_PREFIX}{volgnummer:04d}",
                            "bronorganisatie": DEMO_RSIN,
                            "creatiedatum": "2025-09-08",
                            "titel": titel,
                            "auteur": "Gemeente Demo",
                            "status": status,
                            "formaat": "text/plain",
                            "taal": "nld",
                            "bestandsnaam": naam,
                            "inhoud": base64.b64encode(inhoud).decode(),
                            "informatieobjecttype": typen[soort],
                        },
                    )
                )
                _check(
                    await api.post(
                        f"{ZAKEN}/zaakinformatieobjecten",
                        json={"zaak": zaak_url, "informatieobject": document["url"]},
                    )
                )
    return True


# Processings of the demo citizens' data by the municipality's own systems, as the page "Wie
# heeft mijn gegevens ingezien" shows them: (citizen, actie, handeling, systeem, gebruiker,
# soort gegeven, when). Written through the Verwerkingenlogging write API.
VERWERKING_DEMO = "Demo: behandeling van aanvragen"
VERWERKINGEN_PER_BURGER = [
    (
        0,
        "Aanvraag beoordelen",
        "Toetsen",
        "Zaaksysteem Vergunningen",
        "medewerker-vergunningen",
        "Adres",
        "2025-09-09T10:15:00+02:00",
    ),
    (
        0,
        "Kenteken controleren",
        "Toetsen",
        "Zaaksysteem Vergunningen",
        "medewerker-parkeren",
        "Kenteken",
        "2025-09-10T14:02:00+02:00",
    ),
    (
        1,
        "Inkomen opvragen",
        "Toetsen",
        "Sociaal domein",
        "consulent-bijstand",
        "Inkomen",
        "2025-10-01T09:30:00+02:00",
    ),
    (
        2,
        "Melding in behandeling nemen",
        "Uitvoeren",
        "Meldingen openbare ruimte",
        "medewerker-buitendienst",
        "Contactgegevens",
        "2025-11-12T08:45:00+01:00",
    ),
]


async def _verwerkingen(api: httpx.AsyncClient, database: Database) -> bool:
    """The demo citizens' processing-log entries, through the Verwerkingenlogging write API;
    skipped when they are there already. True when added."""
    async with database.transaction() as session:
        there = await session.execute(
            select(Verwerkingsactie.id)
            .where(Verwerkingsactie.verwerking_naam == VERWERKING_DEMO)
            .limit(1)
        )
        if there.first() is not None:
            return False
    for burger, actie, handeling, systeem, gebruiker, gegeven, tijdstip in VERWERKINGEN_PER_BURGER:
        _check(
            await api.post(
                f"{VERWERKINGEN}/verwerkingsacties",
                json={
                    "actieNaam": actie,
                    "handelingNaam": handeling,
                    "verwerkingNaam": VERWERKING_DEMO,
                    "vertrouwelijkheid": "normaal",
                    "bewaartermijn": "P10Y",
                    "uitvoerder": DEMO_OIN,
                    "systeem": systeem,
                    "gebruiker": gebruiker,
                    "gegevensbron": "Basisregistratie Personen",
                    "tijdstip": tijdstip,
                    "verwerkteObjecten": [
                        {
                            "objecttype": "persoon",
                            "soortObjectId": "BSN",
                            "objectId": BURGERS[burger][0],
                            "betrokkenheid": "Aanvrager",
                            "verwerkteSoortenGegevens": [{"soortGegeven": gegeven}],
                        }
                    ],
                },
            )
        )
    return True


KCC_DEMO_ROL = f"{ROL_CLIENT_ID}{DEMO_MEDEWERKER.rollen[0]}"  # the demo employee's role


async def _kcc_rol(api: httpx.AsyncClient, database: Database) -> bool:
    """The rights of the demo employee's role in the employee viewer: an Applicatie without a
    secret (nobody calls the APIs with it) that may read every demo zaak and document up to
    `vertrouwelijk`, and the customer register. False when it is there already."""
    async with database.transaction() as session:
        found = await session.execute(
            select(ApplicatieClient.id).where(ApplicatieClient.client_id == KCC_DEMO_ROL)
        )
        if found.first() is not None:
            return False
    zaaktypen = _check(await api.get(f"{CATALOGI}/zaaktypen"))["results"]
    iots = _check(await api.get(f"{CATALOGI}/informatieobjecttypen"))["results"]
    rechten: list[dict[str, Any]] = [
        {
            "component": "zrc",
            "scopes": ["zaken.lezen"],
            "zaaktype": zt["url"],
            "maxVertrouwelijkheidaanduiding": "vertrouwelijk",
        }
        for zt in zaaktypen
    ]
    rechten += [
        {
            "component": "drc",
            "scopes": ["documenten.lezen"],
            "informatieobjecttype": iot["url"],
            "maxVertrouwelijkheidaanduiding": "vertrouwelijk",
        }
        for iot in iots
    ]
    rechten.append({"component": "kic", "scopes": ["klantinteracties.lezen"]})
    body = {
        "clientIds": [KCC_DEMO_ROL],
        "label": "KCC-rol klantcontactcentrum",
        "heeftAlleAutorisaties": False,
        "autorisaties": rechten,
    }
    _check(await api.post("/autorisaties/api/v1/applicaties", json=body))
    return True


async def load(settings: Settings | None = None, database: Database | None = None) -> bool:
    """Load the demo data; False when it was there already (nothing is added twice)."""
    settings = settings or get_settings()
    own_database = database is None
    database = database or Database(settings.database_url)
    try:
        async with database.transaction() as session:
            catalogus_id = (
                await session.execute(
                    select(Catalogus.id).where(
                        Catalogus.rsin == DEMO_RSIN, Catalogus.domein == DEMO_DOMEIN
                    )
                )
            ).scalar()
            # the business's zaak is written last: its rol marks a complete load
            complete = (
                catalogus_id is not None
                and (
                    await session.execute(select(Rol.id).where(Rol.inn_nnp_id == BEDRIJF[0]))
                ).first()
                is not None
            )
        if catalogus_id is not None and not complete:
            raise DemoError(
                "Een eerdere, afgebroken demo-lading liet een onvolledige demo-catalogus achter; "
                "verwijder die (of de database onder var/) en laad opnieuw."
            )
        if settings.demo:
            async with database.transaction() as session:
                await autorisaties.ensure_applicatie(
                    session, DEMO_CLIENT_ID, DEMO_SECRET, "Demo-applicatie", True
                )
        async with _loader(settings, database) as api:
            if not complete:
                await _catalogue(api)
                await _zaken(api)
            # also adds the customer data and documents to a demo database loaded before
            # they existed
            klanten = await _klanten(api, database)
            documenten = await _documenten(api, database)
            verwerkingen = await _verwerkingen(api, database)
            rol = await _kcc_rol(api, database) if settings.demo else False
            return klanten or documenten or verwerkingen or rol or not complete
    finally:
        if own_database:
            await database.dispose()
