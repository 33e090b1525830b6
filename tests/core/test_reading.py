"""GET and HEAD of the register APIs read without a transaction (ADR 0022): no BEGIN and
COMMIT on PostgreSQL, a write inside such a read is refused before it runs, and the
processing-log entry of a read is stored all the same."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from starlette.routing import Mount

from mijnzaken.app import create_app
from mijnzaken.core.api import json_response, register_app
from mijnzaken.core.db import Database
from mijnzaken.core.runtime import Session
from mijnzaken.verwerkingen import schrijver, service
from mijnzaken.verwerkingen.models import Verwerkingsactie
from mijnzaken.zaken.models import Zaak
from tests.catalogi import factories as cf
from tests.zaken import factories as zf

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
BSN = "999993653"


def _postgresql(database: Database) -> bool:
    return database.engine.dialect.name == "postgresql"


async def _omschrijving(database: Database, zaak: Zaak) -> str:
    async with database.transaction() as session:
        stmt = select(Zaak.omschrijving).where(Zaak.id == zaak.id)
        return str((await session.execute(stmt)).scalar_one())


async def _logged(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(select(func.count(Verwerkingsactie.id)))).scalar_one())


@pytest.fixture
def begins(monkeypatch: pytest.MonkeyPatch, database: Database) -> list[str]:
    """The transactions asyncpg starts (each a BEGIN round trip) while the test runs."""
    if not _postgresql(database):
        pytest.skip("BEGIN round trips are a PostgreSQL matter")
    import asyncpg.transaction

    started: list[str] = []
    original = asyncpg.transaction.Transaction.start

    async def start(self: Any) -> None:
        started.append("BEGIN")
        await original(self)

    monkeypatch.setattr(asyncpg.transaction.Transaction, "start", start)
    return started


async def test_a_get_of_a_register_api_sends_no_begin_on_postgresql(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database, begins: list[str]
) -> None:
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    await client.get(zf.url(zaak), headers={**superuser, **CRS})  # warm: catalogue cache

    begins.clear()
    response = await client.get(zf.url(zaak), headers={**superuser, **CRS})
    assert response.status_code == 200
    assert response.json()["url"] == zf.url(zaak)
    head = await client.head(zf.url(zaak), headers={**superuser, **CRS})
    assert head.status_code == 200
    assert begins == []

    # a change still runs in a transaction of its own
    patched = await client.patch(
        zf.url(zaak), json={"omschrijving": "gewijzigd"}, headers={**superuser, **CRS}
    )
    assert patched.status_code == 200
    assert begins == ["BEGIN"]


async def test_a_zoek_of_a_register_api_is_a_read_without_begin_on_postgresql(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database, begins: list[str]
) -> None:
    from tests.documenten import factories as df

    # a zaak without a citizen: no processing-log entry, whose batch the writer would begin
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    document = await df.create_eio(client, superuser, await df.informatieobjecttype(database))
    zoeken = [
        ("/zaken/api/v1/zaken/_zoek", {"uuid__in": [str(zaak.uuid)]}, zf.url(zaak)),
        (
            f"{df.EIO}/_zoek",
            {"uuid__in": [document["url"].rsplit("/", 1)[1]], "expand": "informatieobjecttype"},
            document["url"],
        ),
    ]
    for path, body, _url in zoeken:  # warm: catalogue cache
        assert (await client.post(path, json=body, headers={**superuser, **CRS})).status_code == 200

    begins.clear()
    for path, body, url in zoeken:
        response = await client.post(path, json=body, headers={**superuser, **CRS})
        assert response.status_code == 200, response.text
        assert [r["url"] for r in response.json()["results"]] == [url]
    assert begins == []

    # a search that reads a citizen's zaak still leaves its processing-log entry
    citizen = await _zaak_with_citizen(database)
    logged = await _logged(database)
    response = await client.post(
        "/zaken/api/v1/zaken/_zoek",
        json={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN},
        headers={**superuser, **CRS},
    )
    assert [r["url"] for r in response.json()["results"]] == [zf.url(citizen)]
    assert await _logged(database) == logged + 1


async def test_statements_of_a_read_each_run_on_their_own_on_postgresql(
    database: Database,
) -> None:
    if not _postgresql(database):
        pytest.skip("autocommit is what PostgreSQL reads run in")
    async with database.reading() as session:
        first = (await session.execute(text("SELECT now()"))).scalar_one()
        await asyncio.sleep(0.01)
        second = (await session.execute(text("SELECT now()"))).scalar_one()
    # now() is the start of the transaction: in one transaction both would be equal
    assert second > first
    async with database.transaction() as session:
        first = (await session.execute(text("SELECT now()"))).scalar_one()
        await asyncio.sleep(0.01)
        assert (await session.execute(text("SELECT now()"))).scalar_one() == first


async def _write_in_read(database: Database, zaak: Zaak, write: str) -> None:
    async with database.reading() as session:
        if write == "orm flush":
            loaded = await session.get(Zaak, zaak.id)
            assert loaded is not None
            loaded.omschrijving = "in een lezing"
            await session.flush()
        elif write == "orm update":
            await session.execute(
                update(Zaak).where(Zaak.id == zaak.id).values(omschrijving="in een lezing")
            )
        elif write == "core update":
            connection = await session.connection()
            await connection.execute(
                update(Zaak.__table__)  # type: ignore[arg-type]
                .where(Zaak.__table__.c.id == zaak.id)
                .values(omschrijving="in een lezing")
            )
        elif write == "text update":
            await session.execute(
                text("UPDATE zaken_zaak SET omschrijving = 'in een lezing' WHERE id = :id"),
                {"id": zaak.id},
            )
        elif write == "update in a WITH":
            await session.execute(
                text(
                    "WITH w AS (UPDATE zaken_zaak SET omschrijving = 'in een lezing'"
                    " WHERE id = :id RETURNING id) SELECT id FROM w"
                ),
                {"id": zaak.id},
            )
        else:
            await session.execute(text("DELETE FROM zaken_zaak WHERE id = :id"), {"id": zaak.id})


@pytest.mark.parametrize(
    "write",
    ["orm flush", "orm update", "core update", "text update", "text delete", "update in a WITH"],
)
async def test_a_write_inside_a_read_fails_clearly_and_leaves_nothing_behind(
    database: Database, write: str
) -> None:
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    before = await _omschrijving(database, zaak)

    with pytest.raises(RuntimeError, match=r"inside Database\.reading\(\)"):
        await _write_in_read(database, zaak, write)

    assert await _omschrijving(database, zaak) == before


def _writing_register(**flag: bool) -> Any:
    """A register with one GET and one POST that both insert a processing-log row."""
    router = APIRouter()

    async def _insert(session: Any) -> None:
        made = service.entry(
            activiteit="schrijven in een GET",
            betrokkenen=[service.Betrokkene("BSN", BSN)],
            systeem="proef",
        )
        assert made is not None
        # on the session's connection, past the session's own bookkeeping
        connection = await session.connection()
        await connection.run_sync(schrijver.write, [made])

    @router.get("/schrijf")
    async def schrijf_get(session: Session) -> Any:
        await _insert(session)
        return json_response({"ok": True})

    @router.post("/schrijf")
    async def schrijf_post(session: Session) -> Any:
        await _insert(session)
        return json_response({"ok": True}, status=201)

    return register_app(title="Proef", version="1.0.0", description="", routers=[router], **flag)


@pytest.fixture
def proef(app: Any) -> Any:
    """The app with two test registers in front: one that reads without a transaction (the
    default) and one registered with reads_without_transaction=False."""
    for path, flag in (("/proef", {}), ("/proef-tx", {"reads_without_transaction": False})):
        sub = _writing_register(**flag)
        sub.state.runtime = app.state.runtime
        app.router.routes.insert(0, Mount(path, app=sub))
    return app


async def test_a_get_that_writes_fails_and_stores_nothing_unless_its_register_opts_out(
    proef: Any, database: Database
) -> None:
    transport = httpx.ASGITransport(app=proef, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        response = await c.get("/proef/schrijf")
        assert response.status_code == 500
        assert await _logged(database) == 0
        # the same write in a POST is stored, and so is a GET of a register that opts out
        assert (await c.post("/proef/schrijf")).status_code == 201
        assert (await c.get("/proef-tx/schrijf")).status_code == 200
    assert await _logged(database) == 2


async def _zaak_with_citizen(database: Database) -> Zaak:
    zaaktype = await zf.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    zaak = await zf.create_zaak(database, zaaktype)
    await zf.create_rol(database, zaak, roltype, bsn=BSN)
    return zaak


async def test_the_entry_of_a_read_is_stored_by_the_writer(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Database
) -> None:
    zaak = await _zaak_with_citizen(database)
    response = await client.get(zf.url(zaak), headers={**superuser, **CRS})
    assert response.status_code == 200
    assert await _logged(database) == 1


async def test_without_a_writer_the_entry_of_a_read_is_stored_in_its_own_transaction(
    settings: Any, database: Database, superuser: dict[str, str]
) -> None:
    zaak = await _zaak_with_citizen(database)
    app = create_app(settings, database)
    # no writer runs (no lifespan, none started here): the read has no commit to go with
    assert schrijver.blocking_engine(database) is None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        response = await c.get(zf.url(zaak), headers={**superuser, **CRS})
        assert response.status_code == 200
        # stored before the answer was received
        assert await _logged(database) == 1
        assert (await c.head(zf.url(zaak), headers={**superuser, **CRS})).status_code == 200
    assert await _logged(database) == 2


async def test_without_a_writer_an_entry_that_cannot_be_stored_fails_the_read(
    settings: Any, database: Database, superuser: dict[str, str]
) -> None:
    zaak = await _zaak_with_citizen(database)
    app = create_app(settings, database)
    async with database.engine.begin() as conn:
        await conn.execute(
            text("ALTER TABLE verwerkingen_verwerktobject RENAME TO verwerktobject_weg")
        )
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            response = await c.get(zf.url(zaak), headers={**superuser, **CRS})
    finally:
        async with database.engine.begin() as conn:
            await conn.execute(
                text("ALTER TABLE verwerktobject_weg RENAME TO verwerkingen_verwerktobject")
            )
    assert response.status_code == 503
    assert response.json()["code"] == "verwerkingenlog_onbeschikbaar"
    assert BSN not in response.text
    # one transaction: no actie without its data subject
    assert await _logged(database) == 0


async def test_a_database_error_inside_a_read_is_not_taken_for_a_write(
    database: Database,
) -> None:
    with pytest.raises(DBAPIError):
        await _read(database, "SELECT * FROM bestaat_niet")
    # the connection went back usable: the next read works
    assert await _read(database, "SELECT 1") == 1


async def _read(database: Database, sql: str) -> Any:
    async with database.reading() as session:
        return (await session.execute(text(sql))).scalar_one()
