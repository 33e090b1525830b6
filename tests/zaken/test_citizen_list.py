"""The citizen query: one person's zaken with their status, statustype, zaaktype, resultaat and
rollen expanded, by `GET /zaken` and by `POST /zaken/_zoek`. It costs a fixed number of SQL
statements whatever the number of zaken, and every statement on the Zaken tables runs on an
index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.statements import run_recorded, warm_count
from tests.zaken import factories as f

API = "/zaken/api/v1/zaken"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
EXPAND = "status,status.statustype,zaaktype,resultaat,rollen"
BSN = "999993653"
NEIGHBOUR = "999990019"
BSN_FILTER = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"

Send = Callable[[], Awaitable[httpx.Response]]


class Municipality:
    """Two published zaaktypen with their types; zaken for the citizen and a neighbour."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.types: list[tuple[cm.ZaakType, cm.StatusType, cm.RolType, cm.ResultaatType]] = []

    async def prepare(self) -> None:
        for identificatie in ("ZT-1", "ZT-2"):
            zaaktype = await f.published_zaaktype(self.database, identificatie=identificatie)
            statustype = await cf.create_statustype(
                self.database, zaaktype, volgnummer=3, omschrijving="In behandeling"
            )
            roltype = await cf.create_roltype(
                self.database,
                zaaktype,
                omschrijving="Belanghebbende",
                omschrijving_generiek="belanghebbende",
            )
            resultaattype = await cf.create_resultaattype(self.database, zaaktype)
            self.types.append((zaaktype, statustype, roltype, resultaattype))

    async def zaak(self, number: int) -> m.Zaak:
        """A zaak of the citizen (initiator) with a neighbour involved, a status, and for
        every other zaak a resultaat."""
        zaaktype, statustype, roltype, resultaattype = self.types[number % 2]
        zaak = await f.create_zaak(self.database, zaaktype, identificatie=f"ZAAK-{number}")
        await f.create_rol(self.database, zaak, roltype, BSN)
        await f.create_rol(self.database, zaak, roltype, NEIGHBOUR, roltoelichting="Buur")
        await f.create_status(self.database, zaak, statustype)
        if number % 2 == 0:
            await f.create_resultaat(self.database, zaak, resultaattype)
        return zaak


@pytest.fixture
async def municipality(database: Database) -> Municipality:
    found = Municipality(database)
    await found.prepare()
    return found


def _by_get(client: httpx.AsyncClient, headers: dict[str, str]) -> Send:
    params = {BSN_FILTER: BSN, "expand": EXPAND}
    return lambda: client.get(API, params=params, headers={**headers, **CRS})


def _by_zoek(client: httpx.AsyncClient, headers: dict[str, str]) -> Send:
    return lambda: client.post(
        f"{API}/_zoek",
        params={"expand": EXPAND},
        json={BSN_FILTER: BSN},
        headers={**headers, **CRS},
    )


QUERIES = [pytest.param(_by_get, id="GET /zaken"), pytest.param(_by_zoek, id="POST /zaken/_zoek")]


def _check_expanded(response: httpx.Response, zaken: list[m.Zaak]) -> None:
    body = response.json()
    assert body["count"] == len(zaken)
    assert sorted(z["identificatie"] for z in body["results"]) == sorted(
        z.identificatie for z in zaken
    )
    for item in body["results"]:
        embedded = item["_expand"]
        assert embedded["zaaktype"]["url"] == item["zaaktype"]
        assert embedded["status"]["url"] == item["status"]
        assert embedded["status"]["_expand"]["statustype"]["omschrijving"] == "In behandeling"
        assert [r["url"] for r in embedded["rollen"]] == item["rollen"]
        assert len(embedded["rollen"]) == 2
        if item["resultaat"]:
            assert embedded["resultaat"]["url"] == item["resultaat"]
        else:
            assert embedded["resultaat"] == {}


@pytest.mark.parametrize("query", QUERIES)
async def test_citizen_list_with_expand_costs_a_fixed_number_of_statements(
    client, superuser, database, municipality, query
):
    send = query(client, superuser)
    zaken = [await municipality.zaak(0)]
    one = await warm_count(database, send)
    _check_expanded(await send(), zaken)
    zaken += [await municipality.zaak(i) for i in range(1, 8)]
    eight = await warm_count(database, send)
    _check_expanded(await send(), zaken)
    # authentication with the catalogue version, the page (no count: a page that is not full
    # is the last one), the page's relations, the statussen with their documents (one
    # statement), the resultaten, the rollen with the statussen they set (one statement);
    # zaaktypen and statustypen come from the catalogue cache; the BSNs for the processing log
    # come with the page's relations, and the entry and its data subjects are written: in one
    # statement on PostgreSQL, in two on SQLite (which has no INSERT in a WITH)
    expected = 7 if database.engine.dialect.name == "postgresql" else 8
    assert one == eight == expected, (one, eight)


async def _plans(database: Database, executed: list[tuple[str, Any]]) -> list[str]:
    """The plan of every statement on a Zaken table, as the database would run it if it had
    to choose between an index and reading the whole table."""
    plans = []
    async with database.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in executed:
            if "zaken_" not in statement:
                continue
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = (await conn.exec_driver_sql(explain + statement, parameters)).all()
            plans.append("\n".join(str(row[0] if postgres else row[-1]) for row in rows))
        await conn.rollback()
    return plans


@pytest.mark.parametrize("query", QUERIES)
async def test_citizen_query_runs_on_indexes(client, superuser, database, municipality, query):
    zaken = [await municipality.zaak(i) for i in range(3)]
    executed, response = await run_recorded(database, query(client, superuser))
    _check_expanded(response, zaken)
    plans = await _plans(database, executed)
    assert len(plans) >= 5  # the statements on Zaken tables (see the count test above)
    for plan in plans:
        # PostgreSQL: "Seq Scan on zaken_rol"; SQLite: "SCAN zaken_rol" (a SEARCH uses an index)
        assert "Seq Scan on zaken_" not in plan, plan
        assert not any(line.startswith("SCAN zaken_") for line in plan.splitlines()), plan


async def test_citizen_list_leaves_out_other_peoples_zaken(
    client, superuser, database, municipality
):
    mine = [await municipality.zaak(i) for i in range(2)]
    zaaktype, _statustype, roltype, _resultaattype = municipality.types[0]
    theirs = await f.create_zaak(database, zaaktype, identificatie="ZAAK-BUUR")
    await f.create_rol(database, theirs, roltype, NEIGHBOUR)
    _check_expanded(await _by_get(client, superuser)(), mine)
    _check_expanded(await _by_zoek(client, superuser)(), mine)


async def test_citizen_list_on_postgresql_reuses_one_statement_for_any_page(
    client, superuser, database, municipality
):
    """The lists of ids in the citizen query travel as one array parameter on PostgreSQL, so
    the statement text (and the server's prepared statement) is the same for 2 and 5 zaken."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("array parameters are a PostgreSQL matter")
    send = _by_get(client, superuser)
    for i in range(2):
        await municipality.zaak(i)
    await send()
    first, _response = await run_recorded(database, send)
    for i in range(2, 5):
        await municipality.zaak(i)
    second, _response = await run_recorded(database, send)
    # compared as sets of texts: the processing log's writer inserts the entry while the
    # request goes on, so its statements may come before or after the request's last ones
    assert sorted(s for s, _p in first) == sorted(s for s, _p in second)


async def test_index_check_sees_a_table_scan(database):
    """The plan check can fail: a filter on a column without an index reads the whole table."""
    statement = "SELECT id FROM zaken_zaak WHERE toelichting = 'x'"
    [plan] = await _plans(database, [(statement, ())])
    if database.engine.dialect.name == "postgresql":
        assert "Seq Scan on zaken_zaak" in plan
    else:
        assert "SCAN zaken_zaak" in plan


async def test_expanded_status_and_rollen_equal_their_own_representations(
    client, superuser, database, municipality
):
    """Expansion reads a status's documents and a rol's statussen in the statement that reads
    the status or rol; the lists come out as the resources' own endpoints give them (several
    of each, in their order: the statussen a rol set by date, not by creation)."""
    zaaktype, statustype, roltype, _resultaattype = municipality.types[0]
    zaak = await f.create_zaak(database, zaaktype, identificatie="ZAAK-VEEL")
    await f.create_rol(database, zaak, roltype, BSN)
    neighbour = await f.create_rol(database, zaak, roltype, NEIGHBOUR, roltoelichting="Buur")
    later = dt.datetime(2024, 3, 9, 9, tzinfo=dt.UTC)
    await f.create_status(
        database, zaak, statustype, datum_status_gezet=later, gezetdoor=f.url(neighbour)
    )
    current = await f.create_status(
        database,
        zaak,
        statustype,
        datum_status_gezet=later - dt.timedelta(days=2),
        gezetdoor=f.url(neighbour),
    )
    async with database.transaction() as session:
        for n in (2, 1):
            session.add(
                m.ZaakInformatieObject(
                    zaak_id=zaak.id,
                    informatieobject=f"https://documenten.example.nl/documenten/{n}",
                    registratiedatum=later,
                    status_id=current.id,
                )
            )
    response = await _by_get(client, superuser)()
    assert response.status_code == 200, response.text
    [item] = response.json()["results"]
    embedded = item["_expand"]
    status = (await client.get(item["status"], headers=superuser)).json()
    assert len(status["zaakinformatieobjecten"]) == 2
    assert embedded["status"] == {**status, "_expand": embedded["status"]["_expand"]}
    rollen = [(await client.get(url, headers=superuser)).json() for url in item["rollen"]]
    assert [len(r["statussen"]) for r in rollen] == [0, 2]
    assert embedded["rollen"] == rollen
