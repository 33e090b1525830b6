"""The citizen list with expand, byte for byte: the whole JSON of a page of a citizen's zaken
(with status, statustype, zaaktype, resultaat and rollen expanded) is compared with a stored
copy. Changes made to render that page faster must not change a single byte of it.

UUIDs and database ids differ per run; they are replaced by numbered placeholders in order of
first appearance before the comparison. Run with MIJNZAKEN_WRITE_GOLDEN=1 to store a new copy
(only when the response is meant to change)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from mijnzaken.core.db import Database
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.zaken import factories as f

GOLDEN = Path(__file__).parent / "golden" / "citizen_list_expanded.json"
API = "/zaken/api/v1/zaken"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
EXPAND = "status,status.statustype,zaaktype,resultaat,rollen"
BSN = "999993653"
NEIGHBOUR = "999990019"
BSN_FILTER = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _placeholders(raw: str) -> str:
    """`raw` with every UUID replaced by <uuid-N>, N counting distinct UUIDs as they appear."""
    seen: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        return seen.setdefault(match.group(0), f"<uuid-{len(seen) + 1}>")

    return UUID.sub(name, raw)


async def _register(database: Database) -> None:
    """Two zaaktypen; four zaken of the citizen that between them fill every field the page
    shows: a closed zaak with its whole history, a deelzaak, a zaak without status or rollen
    of other people, and zaken of a neighbour that must not show."""
    types = []
    for identificatie in ("ZT-1", "ZT-2"):
        zaaktype = await f.published_zaaktype(database, identificatie=identificatie)
        statustype = await cf.create_statustype(
            database, zaaktype, volgnummer=3, omschrijving="In behandeling", statustekst="Bezig"
        )
        roltype = await cf.create_roltype(
            database,
            zaaktype,
            omschrijving="Belanghebbende",
            omschrijving_generiek="belanghebbende",
        )
        resultaattype = await cf.create_resultaattype(database, zaaktype)
        types.append((zaaktype, statustype, roltype, resultaattype))
    (zt1, st1, rt1, res1), (zt2, st2, rt2, _res2) = types

    rich = await f.create_zaak(
        database,
        zt1,
        identificatie="ZAAK-RIJK",
        omschrijving="Parkeervergunning Dorpsstraat",
        toelichting='Met "aanhalingstekens", een € en een regel\nerbij',
        einddatum=dt.date(2024, 4, 1),
        einddatum_gepland=dt.date(2024, 3, 31),
        uiterlijke_einddatum_afdoening=dt.date(2024, 5, 1),
        publicatiedatum=dt.date(2024, 3, 5),
        communicatiekanaal="https://referentielijsten.example.nl/communicatiekanalen/1",
        producten_of_diensten=["https://producten.example.nl/parkeervergunning"],
        betalingsindicatie="gedeeltelijk",
        laatste_betaaldatum=dt.datetime(2024, 3, 3, 12, 30, 15, 123456, tzinfo=dt.UTC),
        zaakgeometrie={"type": "Point", "coordinates": [5.1214, 52.0907]},
        geo_min_x=5.1214,
        geo_min_y=52.0907,
        geo_max_x=5.1214,
        geo_max_y=52.0907,
        verlenging={"reden": "Drukte", "duur": "P10D"},
        opschorting={"indicatie": False, "reden": "", "eerdereOpschorting": False},
        selectielijstklasse="https://selectielijst.example.nl/resultaten/1",
        relevante_andere_zaken=[
            {"url": "https://andere.example.nl/zaken/api/v1/zaken/1", "aardRelatie": "vervolg"}
        ],
        kenmerken=[{"kenmerk": "K-1", "bron": "balie"}],
        archiefnominatie="vernietigen",
        archiefstatus="nog_te_archiveren",
        archiefactiedatum=dt.date(2034, 4, 1),
        opdrachtgevende_organisatie="002220647",
        processobjectaard="vergunning",
        startdatum_bewaartermijn=dt.date(2024, 4, 1),
        processobject={
            "datumkenmerk": "einddatum",
            "identificatie": "P-1",
            "objecttype": "vergunning",
            "registratie": "BRP",
        },
    )
    await f.create_rol(database, rich, rt1, BSN)
    neighbour = await f.create_rol(
        database,
        rich,
        rt1,
        NEIGHBOUR,
        roltoelichting="Buur",
        afwijkende_naam_betrokkene="De buren",
        indicatie_machtiging="gemachtigde",
        contactpersoon_rol={"emailadres": "buur@example.nl", "naam": "Buur"},
    )
    rol_url = f.url(neighbour)
    await f.create_status(database, rich, st1)
    current = await f.create_status(
        database,
        rich,
        st1,
        datum_status_gezet=dt.datetime(2024, 3, 20, 14, 5, 6, tzinfo=dt.UTC),
        statustoelichting="Besloten",
        gezetdoor=rol_url,
    )
    await f.create_resultaat(database, rich, res1, toelichting="Verleend met voorwaarden")
    async with database.transaction() as session:
        session.add(
            m.ZaakInformatieObject(
                zaak_id=rich.id,
                informatieobject="https://documenten.example.nl/documenten/api/v1/"
                "enkelvoudiginformatieobjecten/1",
                registratiedatum=dt.datetime(2024, 3, 20, 14, 5, tzinfo=dt.UTC),
                status_id=current.id,
            )
        )

    deelzaak = await f.create_zaak(
        database, zt2, identificatie="ZAAK-DEEL", hoofdzaak_id=rich.id, omschrijving="Deel"
    )
    await f.create_rol(database, deelzaak, rt2, BSN, roltoelichting="Ook de aanvrager")
    await f.create_status(database, deelzaak, st2)

    bare = await f.create_zaak(database, zt2, identificatie="ZAAK-KAAL")
    await f.create_rol(database, bare, rt2, BSN)

    other = await f.create_zaak(database, zt1, identificatie="ZAAK-BUUR")
    await f.create_rol(database, other, rt1, NEIGHBOUR)


async def test_citizen_list_with_expand_is_unchanged(client, superuser, database):
    await _register(database)
    params = {BSN_FILTER: BSN, "expand": EXPAND}
    response = await client.get(API, params=params, headers={**superuser, **CRS})
    assert response.status_code == 200, response.text
    zoek = await client.post(
        f"{API}/_zoek",
        params={"expand": EXPAND},
        json={BSN_FILTER: BSN},
        headers={**superuser, **CRS},
    )
    assert zoek.status_code == 200, zoek.text
    got = _placeholders(response.content.decode())
    if os.environ.get("MIJNZAKEN_WRITE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(got + "\n")
    assert got == GOLDEN.read_text().rstrip("\n")
    # _zoek answers the same page (its `next`/`previous` would name _zoek, but there are none)
    assert zoek.json()["results"] == response.json()["results"]
