"""`expand` on partijen, betrokkenen, klantcontacten and digitaleadressen, and lists that cost
a fixed number of statements whatever the page size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from tests.klantinteracties import factories as f


def _count(database: Any) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(engine, "before_cursor_execute", before)


_volgnummer = iter(range(10_000))


async def _klant_met_contact(client: Any, headers: dict[str, str]) -> tuple[dict[str, Any], ...]:
    partij = await f.create_partij(
        client, headers, partijIdentificatoren=[f.bsn_identificator(f.bsn(next(_volgnummer)))]
    )
    adres = await f.create_adres(client, headers, partij)
    kc = await f.create_klantcontact(client, headers)
    betrokkene = await f.post(
        client,
        headers,
        "betrokkenen",
        {
            "wasPartij": {"uuid": partij["uuid"]},
            "hadKlantcontact": {"uuid": kc["uuid"]},
            "rol": "klant",
            "initiator": True,
        },
    )
    return partij, adres, kc, betrokkene


async def test_partij_expands_betrokkenen_and_their_klantcontact(client, superuser):
    partij, adres, kc, betrokkene = await _klant_met_contact(client, superuser)
    resp = await client.get(
        partij["url"],
        params={"expand": "digitaleAdressen,betrokkenen.hadKlantcontact"},
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    expanded = resp.json()["_expand"]
    assert [a["adres"] for a in expanded["digitaleAdressen"]] == [adres["adres"]]
    assert expanded["betrokkenen"][0]["uuid"] == betrokkene["uuid"]
    assert expanded["betrokkenen"][0]["_expand"]["hadKlantcontact"]["url"] == kc["url"]


async def test_klantcontact_list_expands_betrokkenen_with_partij(client, superuser):
    partij, _adres, _kc, _b = await _klant_met_contact(client, superuser)
    resp = await client.get(
        f"{f.API}/klantcontacten",
        params={"expand": "hadBetrokkenen.wasPartij,leiddeTotInterneTaken"},
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    item = resp.json()["results"][0]
    assert item["_expand"]["leiddeTotInterneTaken"] == []
    assert item["_expand"]["hadBetrokkenen"][0]["_expand"]["wasPartij"]["url"] == partij["url"]


async def test_empty_single_reference_expands_to_null(client, superuser):
    adres = await f.create_adres(client, superuser)
    resp = await client.get(
        adres["url"], params={"expand": "verstrektDoorBetrokkene"}, headers=superuser
    )
    assert resp.json()["_expand"] == {"verstrektDoorBetrokkene": None}


async def test_unknown_expand_attribute_is_404(client, superuser):
    partij = await f.create_partij(client, superuser)
    resp = await client.get(partij["url"], params={"expand": "rekeningnummers"}, headers=superuser)
    assert resp.status_code == 404


async def test_lists_cost_the_same_statements_for_one_or_many(client, superuser, database):
    async def statements(path: str, params: dict[str, str]) -> int:
        seen, stop = _count(database)
        try:
            resp = await client.get(f"{f.API}/{path}", params=params, headers=superuser)
        finally:
            stop()
        assert resp.status_code == 200, resp.text
        return len(seen)

    lists = {
        "partijen": {"expand": "digitaleAdressen,betrokkenen.hadKlantcontact,categorieRelaties"},
        "klantcontacten": {"expand": "hadBetrokkenen.wasPartij,gingOverOnderwerpobjecten"},
        "betrokkenen": {"expand": "digitaleAdressen"},
        "digitaleadressen": {"expand": "verstrektDoorBetrokkene.hadKlantcontact"},
        "partij-identificatoren": {},
        "internetaken": {},
    }
    await _klant_met_contact(client, superuser)
    one = {path: await statements(path, params) for path, params in lists.items()}
    for _ in range(4):
        await _klant_met_contact(client, superuser)
    many = {path: await statements(path, params) for path, params in lists.items()}
    assert many == one
