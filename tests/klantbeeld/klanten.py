"""Typed factories for the customer register as the customer view meets it: a person's partij
with their BSN, e-mail addresses and phone numbers, channel preferences, and contact moments
(klantcontacten) with the person as betrokkene, about a zaak or not. Stored through the ORM."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.klantinteracties import models as m

_numbers = itertools.count(1)
BASE = "http://testserver"


def zaak_url(zaak: Any, basis: str = BASE) -> str:
    return f"{basis}/zaken/api/v1/zaken/{zaak.uuid}"


def zaaktype_url(zaaktype: Any) -> str:
    return f"{BASE}/catalogi/api/v1/zaaktypen/{zaaktype.uuid}"


async def _store(database: Database, *objs: Any) -> None:
    async with database.transaction() as session:
        session.add_all(objs)
        await session.flush()


async def persoon(
    database: Database,
    bsn: str,
    voornaam: str = "Suzanne",
    achternaam: str = "Jansen",
    *,
    geheim: bool | None = None,
) -> m.Partij:
    """A persoon partij identified by `bsn` (`geheim`: its indicatieGeheimhouding)."""
    partij = m.Partij(
        nummer=f"{next(_numbers) + 5000:010d}",
        soort_partij="persoon",
        indicatie_geheimhouding=geheim,
        indicatie_actief=True,
        voorkeurstaal="nld",
        interne_notitie="",
        naam="",
        contactnaam={"voornaam": voornaam, "achternaam": achternaam},
    )
    await _store(database, partij)
    await _store(
        database,
        m.PartijIdentificator(
            partij_id=partij.id,
            code_objecttype="natuurlijk_persoon",
            code_soort_object_id="bsn",
            object_id=bsn,
            code_register="brp",
            andere_partij_identificator="",
        ),
    )
    return partij


async def organisatie(database: Database, kvk: str, naam: str) -> m.Partij:
    """An organisatie partij identified by its KvK-nummer `kvk`."""
    partij = m.Partij(
        nummer=f"{next(_numbers) + 5000:010d}",
        soort_partij="organisatie",
        indicatie_actief=True,
        voorkeurstaal="nld",
        interne_notitie="",
        naam=naam,
    )
    await _store(database, partij)
    await _store(
        database,
        m.PartijIdentificator(
            partij_id=partij.id,
            code_objecttype="niet_natuurlijk_persoon",
            code_soort_object_id="kvk_nummer",
            object_id=kvk,
            code_register="hr",
            andere_partij_identificator="",
        ),
    )
    return partij


async def adres(
    database: Database,
    partij: m.Partij,
    waarde: str,
    *,
    soort: str = "email",
    geverifieerd: bool = True,
) -> m.DigitaalAdres:
    obj = m.DigitaalAdres(
        partij_id=partij.id,
        adres=waarde,
        soort_digitaal_adres=soort,
        is_standaard_adres=True,
        omschrijving="",
        referentie="",
        is_voorkeur=False,
        verificatie_datum=clock.today() if geverifieerd else None,
    )
    await _store(database, obj)
    return obj


async def voorkeur(
    database: Database,
    partij: m.Partij,
    kanaal: str,
    *,
    zaaktype: Any = None,
    digitaal_adres: m.DigitaalAdres | None = None,
) -> m.Kanaalvoorkeur:
    obj = m.Kanaalvoorkeur(
        uuid=uuid.uuid4(),
        partij_id=partij.id,
        onderwerp_soort="zaaktype" if zaaktype is not None else "standaard",
        onderwerp=zaaktype_url(zaaktype) if zaaktype is not None else "",
        kanaal=kanaal,
        digitaal_adres_id=digitaal_adres.id if digitaal_adres is not None else None,
        gewijzigd_op=clock.now(),
    )
    await _store(database, obj)
    return obj


async def klantcontact(
    database: Database,
    onderwerp: str,
    *,
    partij: m.Partij | None = None,
    zaak: Any = None,
    kanaal: str = "telefoon",
    vertrouwelijk: bool = False,
    dag: int = 2,
    basis: str = BASE,
    naamloos: bool = False,
    met_naam: bool = False,
) -> m.Klantcontact:
    """A contact moment with `partij` as betrokkene (if given), about `zaak` (if given);
    `naamloos`: with a betrokkene known only by name (no partij); `met_naam`: the partij's
    betrokkene carries its name (as a contact centre records it)."""
    kc = m.Klantcontact(
        nummer=f"{next(_numbers) + 7000:010d}",
        kanaal=kanaal,
        onderwerp=onderwerp,
        inhoud="",
        reactie="",
        taal="nld",
        vertrouwelijk=vertrouwelijk,
        plaatsgevonden_op=dt.datetime(2026, 3, dag, 10, tzinfo=dt.UTC),
        meta={},
    )
    await _store(database, kc)
    objs: list[Any] = []
    if partij is not None:
        objs.append(
            m.Betrokkene(
                klantcontact_id=kc.id,
                partij_id=partij.id,
                contactnaam=partij.contactnaam if met_naam else None,
                rol="klant",
                organisatienaam=partij.naam if met_naam else "",
                initiator=True,
            )
        )
    if naamloos:
        objs.append(
            m.Betrokkene(
                klantcontact_id=kc.id,
                partij_id=None,
                contactnaam={"voornaam": "Onbekende", "achternaam": "Beller"},
                rol="klant",
                organisatienaam="",
                initiator=True,
            )
        )
    if zaak is not None:
        objs.append(
            m.Onderwerpobject(
                klantcontact_id=kc.id,
                code_objecttype="zaak",
                code_register="mijnzaken",
                code_soort_object_id="url",
                object_id=zaak_url(zaak, basis),
            )
        )
    if objs:
        await _store(database, *objs)
    return kc
