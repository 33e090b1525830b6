"""zrc-002 under load: concurrent creates each get their own generated identificatie."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

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
