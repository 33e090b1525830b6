"""Lock, unlock and the upload of a bestandsdeel read the document once: locked, as no other
transaction holds it (the usual case)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text

from tests.documenten import factories as f
from tests.documenten.factories import EIO
from tests.statements import run_counted

DOCUMENT = "documenten_informatieobject"


def document_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and DOCUMENT in s]


def counted(statements: list[str]) -> int:
    """Statements of the request itself (not the wake-up signal to other processes)."""
    return len([s for s in statements if not s.startswith("NOTIFY")])


async def _announced(client: Any, headers: dict[str, str], database: Any, settings: Any) -> Any:
    """A document created with only its size: locked, awaiting two bestandsdelen."""
    iot = await f.informatieobjecttype(database)
    before = settings.documenten_bestandsdeel_omvang
    settings.documenten_bestandsdeel_omvang = 4
    try:
        resp = await client.post(
            EIO, json=f.eio_body(iot, inhoud=None, bestandsomvang=6), headers=headers
        )
    finally:
        settings.documenten_bestandsdeel_omvang = before
    assert resp.status_code == 201, resp.text
    return resp.json()


async def test_lock_and_unlock_read_the_document_once(client, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)

    lock_sql, locked = await run_counted(
        database, lambda: client.post(f"{doc['url']}/lock", headers=superuser)
    )
    assert locked.status_code == 200, locked.text
    unlock_sql, unlocked = await run_counted(
        database,
        lambda: client.post(
            f"{doc['url']}/unlock", json={"lock": locked.json()["lock"]}, headers=superuser
        ),
    )
    assert unlocked.status_code == 204, unlocked.text

    assert [len(document_reads(s)) for s in (lock_sql, unlock_sql)] == [1, 1]
    # one fewer each than when the document was read without its lock first, then locked
    assert (counted(lock_sql), counted(unlock_sql)) == (3, 4)


async def test_uploading_a_bestandsdeel_and_the_unlock_that_joins_read_the_document_once(
    client, superuser, database, settings
):
    doc = await _announced(client, superuser, database, settings)
    lock = doc["lock"]
    uploads = []
    for deel, data in zip(doc["bestandsdelen"], (b"0123", b"45"), strict=True):
        sql, resp = await run_counted(
            database,
            lambda deel=deel, data=data: client.put(
                deel["url"],
                data={"lock": lock},
                files={"inhoud": ("d.bin", data)},
                headers=superuser,
            ),
        )
        assert resp.status_code == 200, resp.text
        uploads.append(sql)
    unlock_sql, unlocked = await run_counted(
        database,
        lambda: client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=superuser),
    )
    assert unlocked.status_code == 204, unlocked.text
    download = await client.get(
        (await client.get(doc["url"], headers=superuser)).json()["inhoud"], headers=superuser
    )
    assert download.content == b"012345"

    assert [len(document_reads(s)) for s in (*uploads, unlock_sql)] == [1, 1, 1]
    # one fewer each than with the unlocked read first (5, 5, and 13 or 12); the unlock one
    # fewer again since its notification renders the document unlocked, without looking up
    # the bestandsdelen it has just removed
    joining = {"sqlite": 11, "postgresql": 10}[database.engine.dialect.name]
    assert ([counted(s) for s in uploads], counted(unlock_sql)) == ([4, 4], joining)


async def _hold(database: Any, ident: str) -> Any:
    """A connection whose transaction holds the document's row lock, as a concurrent lock or
    upload request does."""
    conn = await database.engine.connect()
    await conn.execute(
        text(f"SELECT id FROM {DOCUMENT} WHERE uuid = :uuid FOR UPDATE"), {"uuid": ident}
    )
    return conn


async def test_while_another_transaction_holds_the_document_lock_waits_and_a_403_does_not(
    client, superuser, register, database
):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    iot = await f.informatieobjecttype(database)
    other = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    stranger = await register(
        "vreemde", "vreemde-geheim", autorisaties=[f.drc_autorisatie(other, "documenten.lock")]
    )
    held = await _hold(database, doc["url"].rsplit("/", 1)[1])
    try:
        # no rights on this document: refused at once, without waiting for the lock
        refused = await asyncio.wait_for(
            client.post(f"{doc['url']}/lock", headers=stranger), timeout=5
        )
        assert refused.status_code == 403, refused.text
        waiting = asyncio.create_task(client.post(f"{doc['url']}/lock", headers=superuser))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # the row is held: the lock request waits for it
    finally:
        await held.rollback()
        await held.close()
    locked = await asyncio.wait_for(waiting, timeout=10)
    assert locked.status_code == 200, locked.text
    assert locked.json()["lock"]


async def test_documents_that_are_not_locked_are_rendered_without_reading_bestandsdelen(
    client, superuser, database, settings
):
    iot = await f.informatieobjecttype(database)
    vast = [(await f.create_eio(client, superuser, iot))["url"] for _ in range(2)]
    bezig = (await _announced(client, superuser, database, settings))["url"]

    async def zoek(urls: list[str]) -> Any:
        uuids = [url.rsplit("/", 1)[1] for url in urls]
        return await client.post(f"{EIO}/_zoek", json={"uuid__in": uuids}, headers=superuser)

    def delen_reads(statements: list[str]) -> int:
        return len([s for s in statements if "documenten_bestandsdeel" in s])

    await zoek(vast)  # the catalogue's cache warm
    zoek_sql, found = await run_counted(database, lambda: zoek(vast))
    detail_sql, detail = await run_counted(database, lambda: client.get(vast[0], headers=superuser))
    # bestandsdelen exist only under a document's lock: nothing to look up for these
    assert (delen_reads(zoek_sql), delen_reads(detail_sql)) == (0, 0)
    assert [d["bestandsdelen"] for d in found.json()["results"]] == [[], []]
    assert detail.json()["bestandsdelen"] == []

    # a document that awaits its bestandsdelen (locked) lists them, on a page with others
    sql, found = await run_counted(database, lambda: zoek([*vast, bezig]))
    assert delen_reads(sql) == 1
    delen = {
        d["url"]: [deel["volgnummer"] for deel in d["bestandsdelen"]]
        for d in found.json()["results"]
    }
    assert delen == {vast[0]: [], vast[1]: [], bezig: [1, 2]}
