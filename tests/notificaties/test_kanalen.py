"""KANAAL: create, list (filter `naam`), read; our registers' kanalen registered by themselves."""

from __future__ import annotations

from sqlalchemy import event

from mijnzaken.notificaties import service
from mijnzaken.notificaties.kanalen import OWN_KANALEN
from tests.notificaties.factories import API, consumer, publisher

KANAAL = {
    "naam": "objecten",
    "documentatieLink": "https://objecten.example.nl/docs",
    "filters": ["objectType"],
}


async def test_publisher_registers_kanaal_and_anyone_subscribed_can_find_it(client, register):
    pub = await publisher(register)
    created = await client.post(f"{API}/kanaal", json=KANAAL, headers=pub)
    assert created.status_code == 201
    body = created.json()
    assert created.headers["Location"] == body["url"]
    assert {k: body[k] for k in KANAAL} == KANAAL

    con = await consumer(register)
    found = await client.get(f"{API}/kanaal", params={"naam": "objecten"}, headers=con)
    assert [k["url"] for k in found.json()] == [body["url"]]
    assert (await client.get(f"{API}/kanaal", params={"naam": "x"}, headers=con)).json() == []
    read = await client.get(body["url"], headers=con)
    assert read.json() == body


async def test_kanaal_name_is_registered_once(client, register):
    pub = await publisher(register)
    assert (await client.post(f"{API}/kanaal", json=KANAAL, headers=pub)).status_code == 201
    again = await client.post(f"{API}/kanaal", json=KANAAL, headers=pub)
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["name"] == "naam"
    assert again.json()["invalidParams"][0]["code"] == "unique"


async def test_kanaal_without_documentation_link_or_filters(client, register):
    pub = await publisher(register)
    created = await client.post(f"{API}/kanaal", json={"naam": "kaal"}, headers=pub)
    assert created.status_code == 201
    assert created.json()["filters"] == []
    assert "documentatieLink" not in created.json()


async def test_consumer_may_not_register_a_kanaal(client, register):
    con = await consumer(register)
    assert (await client.post(f"{API}/kanaal", json=KANAAL, headers=con)).status_code == 403
    assert (await client.get(f"{API}/kanaal")).status_code == 401


async def test_unknown_kanaal_is_404_and_unknown_query_parameter_400(client, register):
    con = await consumer(register)
    missing = await client.get(f"{API}/kanaal/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c", headers=con)
    assert missing.status_code == 404
    assert (await client.get(f"{API}/kanaal?naampje=x", headers=con)).status_code == 400


async def test_own_kanalen_are_registered_idempotently_with_the_kenmerken_sent(
    client, register, database
):
    for _ in range(2):
        async with database.transaction() as session:
            await service.ensure_own_kanalen(session)
    con = await consumer(register)
    listed = {
        k["naam"]: k["filters"] for k in (await client.get(f"{API}/kanaal", headers=con)).json()
    }
    assert listed == {k.naam: list(k.filters) for k in OWN_KANALEN}
    assert listed["zaken"] == ["bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding"]
    assert listed["zaaktypen"] == ["catalogus"]


async def test_own_kanaal_registered_earlier_gets_the_missing_kenmerken(client, register, database):
    pub = await publisher(register)
    await client.post(f"{API}/kanaal", json={"naam": "zaken", "filters": ["zaaktype"]}, headers=pub)
    async with database.transaction() as session:
        await service.ensure_own_kanalen(session)
    found = (await client.get(f"{API}/kanaal", params={"naam": "zaken"}, headers=pub)).json()
    assert found[0]["filters"] == ["zaaktype", "bronorganisatie", "vertrouwelijkheidaanduiding"]


async def test_kanaal_list_costs_the_same_number_of_queries_whatever_it_holds(
    client, register, database
):
    pub = await publisher(register)

    async def count() -> int:
        statements: list[str] = []

        def before(_conn, _cursor, statement, *_args):
            statements.append(statement)

        engine = database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            assert (await client.get(f"{API}/kanaal", headers=pub)).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    await client.post(f"{API}/kanaal", json={"naam": "k0"}, headers=pub)
    one = await count()
    for i in range(1, 6):
        await client.post(f"{API}/kanaal", json={"naam": f"k{i}", "filters": ["a"]}, headers=pub)
    assert await count() == one
