"""zrc-002 under load: concurrent creates each get their own generated identificatie, and on
PostgreSQL take it without waiting for each other's commits (ADR 0024)."""

from __future__ import annotations

import asyncio
import os
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mijnzaken.core import db as db_module
from mijnzaken.core.db import Database
from mijnzaken.zaken.repository import zaak as zaak_repository
from mijnzaken.zaken.services import zaak as zaak_service
from tests.catalogi import factories as cf
from tests.zaken import factories as f

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


async def test_zrc_002_concurrent_creates_get_distinct_numbers(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
    }
    headers = {**superuser, **CRS}
    responses = await asyncio.gather(
        *(client.post("/zaken/api/v1/zaken", json=body, headers=headers) for _ in range(12))
    )
    assert [r.status_code for r in responses] == [201] * 12, [r.text for r in responses]
    numbers = {r.json()["identificatie"] for r in responses}
    assert len(numbers) == 12


async def test_zrc_002_generated_numbers_skip_one_used_explicitly(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
    }
    headers = {**superuser, **CRS}
    first = (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).json()
    prefix, number = first["identificatie"].rsplit("-", 1)
    taken = f"{prefix}-{int(number) + 1:010d}"
    explicit = await client.post(
        "/zaken/api/v1/zaken", json={**body, "identificatie": taken}, headers=headers
    )
    assert explicit.status_code == 201
    after = (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).json()
    assert after["identificatie"] not in (first["identificatie"], taken)


async def test_zrc_002_numbers_up_to_the_counters_limit_keep_all_ten_digits(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
    }
    headers = {**superuser, **CRS}
    first = (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).json()
    prefix = first["identificatie"].rsplit("-", 1)[0]
    async with database.engine.begin() as conn:
        await conn.execute(text("UPDATE zaken_zaaknummer_teller SET laatste = 2147483645"))
    numbers = [
        (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).json()[
            "identificatie"
        ]
        for _ in range(2)
    ]
    assert numbers == [f"{prefix}-2147483646", f"{prefix}-2147483647"]


async def test_zrc_002_numbers_go_on_past_the_32_bit_limit(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
    }
    headers = {**superuser, **CRS}
    first = (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).json()
    prefix = first["identificatie"].rsplit("-", 1)[0]
    async with database.engine.begin() as conn:
        await conn.execute(text("UPDATE zaken_zaaknummer_teller SET laatste = 2147483647"))
    beyond = await client.post("/zaken/api/v1/zaken", json=body, headers=headers)
    assert beyond.status_code == 201, beyond.text
    assert beyond.json()["identificatie"] == f"{prefix}-2147483648"
    # past ten digits the number is written whole, not cut to ten
    async with database.engine.begin() as conn:
        await conn.execute(text("UPDATE zaken_zaaknummer_teller SET laatste = 99999999999"))
    longer = await client.post("/zaken/api/v1/zaken", json=body, headers=headers)
    assert longer.status_code == 201, longer.text
    assert longer.json()["identificatie"] == f"{prefix}-100000000000"


def _niet_uniek(response) -> bool:
    return response.status_code == 400 and [
        (p["name"], p["code"]) for p in response.json()["invalidParams"]
    ] == [("identificatie", "identificatie-niet-uniek")]


async def test_zrc_002_one_explicit_identificatie_posted_twice_gives_a_201_and_a_400(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
        "identificatie": "ZAAK-EEN-KEER",
    }
    headers = {**superuser, **CRS}
    first = await client.post("/zaken/api/v1/zaken", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post("/zaken/api/v1/zaken", json=body, headers=headers)
    assert _niet_uniek(again), again.text


@pytest.mark.skipif(
    not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL"),
    reason="concurrent writers need PostgreSQL",
)
async def test_zrc_002_one_explicit_identificatie_posted_at_once_gives_one_201_and_400s(
    client, superuser, database
):
    zaaktype = await f.published_zaaktype(database)
    headers = {**superuser, **CRS}
    for attempt in range(3):
        body = {
            "zaaktype": cf.url(zaaktype),
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2024-03-01",
            "identificatie": f"ZAAK-TEGELIJK-{attempt}",
        }
        responses = await asyncio.gather(
            *(client.post("/zaken/api/v1/zaken", json=body, headers=headers) for _ in range(4))
        )
        created = [r for r in responses if r.status_code == 201]
        refused = [r for r in responses if r.status_code != 201]
        assert len(created) == 1, [r.text for r in responses]
        assert all(_niet_uniek(r) for r in refused), [r.text for r in refused]


async def test_zrc_002_a_duplicate_the_check_missed_is_still_a_400(
    client, superuser, database, monkeypatch
):
    # as when a concurrent request's zaak is not committed yet: the check sees nothing, the
    # unique constraint refuses the second
    zaaktype = await f.published_zaaktype(database)
    body = {
        "zaaktype": cf.url(zaaktype),
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2024-03-01",
        "identificatie": "ZAAK-GEMIST",
    }
    headers = {**superuser, **CRS}
    assert (await client.post("/zaken/api/v1/zaken", json=body, headers=headers)).status_code == 201

    async def never_taken(*_args, **_kwargs) -> bool:
        return False

    monkeypatch.setattr(zaak_repository, "identificatie_taken", never_taken)
    again = await client.post("/zaken/api/v1/zaken", json=body, headers=headers)
    assert _niet_uniek(again), again.text


_POSTGRESQL = pytest.mark.skipif(
    not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL"),
    reason="the counter is taken beside the transaction on PostgreSQL only",
)


@_POSTGRESQL
async def test_zrc_002_a_number_is_taken_without_waiting_for_another_requests_commit(database):
    # request A has its number and has not committed; B must not wait for A's commit (before,
    # the counter's row lock lasted until then, and every create queued behind the one before)
    async with database.transaction() as first:
        (mine,) = await zaak_service.issue_identificaties(
            SimpleNamespace(session=first), "002220647", 1
        )
        async with database.transaction() as second:
            await second.execute(text("SET LOCAL lock_timeout = '2s'"))
            (theirs,) = await asyncio.wait_for(
                zaak_service.issue_identificaties(SimpleNamespace(session=second), "002220647", 1),
                timeout=5,
            )
    assert mine != theirs
    assert _number(theirs) == _number(mine) + 1


@_POSTGRESQL
async def test_zrc_002_a_number_of_a_request_that_failed_is_not_issued_again(database):
    taken: list[str] = []

    async def failing_request() -> None:
        async with database.transaction() as failing:
            taken.extend(
                await zaak_service.issue_identificaties(
                    SimpleNamespace(session=failing), "002220647", 1
                )
            )
            raise RuntimeError("the request fails after it took its number")

    with pytest.raises(RuntimeError):
        await failing_request()
    (lost,) = taken
    async with database.transaction() as session:
        (after,) = await zaak_service.issue_identificaties(
            SimpleNamespace(session=session), "002220647", 1
        )
        recorded = (
            await session.execute(
                text("SELECT identificatie FROM zaken_zaakidentificatie WHERE identificatie = :v"),
                {"v": lost},
            )
        ).scalar_one_or_none()
    assert _number(after) == _number(lost) + 1
    assert recorded == lost  # kept as issued: a gap, never a second zaak with it


@_POSTGRESQL
async def test_zrc_002_the_counter_is_taken_beside_the_transaction_after_a_lost_connection(
    database,
):
    async with database.transaction() as session:
        (first,) = await zaak_service.issue_identificaties(
            SimpleNamespace(session=session), "002220647", 1
        )
    # the connection kept for it is cut (a database restart, a firewall)
    assert database.aside_engine is not None
    async with database.aside_engine.connect() as kept:  # its one pooled connection
        pid = (await kept.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    async with database.engine.connect() as conn:
        cut = await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert cut.scalar_one() is True
    outcomes = []
    for _ in range(2):
        try:
            async with database.transaction() as session:
                outcomes.extend(
                    await zaak_service.issue_identificaties(
                        SimpleNamespace(session=session), "002220647", 1
                    )
                )
        except DBAPIError:
            outcomes.append("failed")
    # at most the one request on the cut connection fails; the next gets a new connection
    assert outcomes[-1] != "failed"
    assert _number(outcomes[-1]) > _number(first)


async def test_zrc_002_a_database_lets_go_of_its_counter_connection_when_disposed(settings):
    own = Database(settings.database_url)
    async with own.transaction() as session:
        first = await zaak_service.issue_identificaties(
            SimpleNamespace(session=session), "002220647", 1
        )
    aside_engine = own.aside_engine
    await own.dispose()
    if aside_engine is not None:  # PostgreSQL
        assert aside_engine.pool.checkedout() == 0
        assert aside_engine.pool.checkedin() == 0
    # as after SQLAlchemy's dispose, the database is still usable: the counter is still taken
    # beside the transaction (the app's lifespan disposes a database the tests go on using)
    async with own.transaction() as session:
        async with db_module.aside(session) as beside:
            assert (beside is session) == (aside_engine is None)
        after = await zaak_service.issue_identificaties(
            SimpleNamespace(session=session), "002220647", 1
        )
    await own.dispose()
    assert _number(after[0]) == _number(first[0]) + 1


def _number(identificatie: str) -> int:
    return int(identificatie.rsplit("-", 1)[1])
