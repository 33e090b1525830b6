"""zrc-002 under load: concurrent creates each get their own generated identificatie."""

from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy import text

from mijnzaken.zaken.repository import zaak as zaak_repository
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
