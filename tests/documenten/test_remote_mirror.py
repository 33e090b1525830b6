"""zrc-005 / brc-005 with a remote Documenten API: the link's objectinformatieobject is made
and removed in the remote register after commit, by the durable job queue
(documenten/mirror.py).

Both registers are real servers: this register (A) runs in a thread of the test process on a
loopback port, over the test database, and the remote (B) is a second MijnZaken in its own
process. B checks each mirror against A (drc-004) with the credentials it has for A.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select, update

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.jobs import DONE, PARKED, PENDING
from mijnzaken.core.settings import RemoteService, Settings
from mijnzaken.documenten import mirror
from mijnzaken.documenten.models import RemoteRelatie, RemoteRelatiePoging
from tests.besluiten import factories as bf
from tests.documenten import factories as df
from tests.documenten.remote_drc import Documents, fill
from tests.klantbeeld.remote_server import CLIENT_ID, SECRET, running_remote
from tests.zaken import factories as zf

B_CLIENT, B_SECRET = "documenten-b", "documenten-b-geheim"  # what B uses to ask A


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def port_a() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def remote(port_a: int) -> Iterator[Documents]:
    a = f"http://127.0.0.1:{port_a}"
    services = [
        {"api_root": f"{a}/{api}/api/v1", "client_id": B_CLIENT, "secret": B_SECRET}
        for api in ("zaken", "besluiten")
    ]
    with running_remote(fill, remote_services=json.dumps(services)) as server:
        yield Documents(server)


@pytest.fixture(scope="module")
def settings_a(settings: Settings, port_a: int, remote: Documents) -> Settings:
    services = [
        RemoteService(api_root=api, client_id=CLIENT_ID, secret=SECRET)
        for api in (remote.api, f"{remote.remote.url}/catalogi/api/v1")
    ]
    return settings.model_copy(
        update={"base_url": f"http://127.0.0.1:{port_a}", "remote_services": services}
    )


@pytest.fixture(scope="module")
def server_a(settings_a: Settings, port_a: int) -> Iterator[str]:
    """Register A served on its port from a thread (its own event loop and connections)."""
    config = uvicorn.Config(
        create_app(settings_a), host="127.0.0.1", port=port_a, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "register A did not start"
    try:
        yield str(settings_a.base_url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _mirrors(remote: Documents, object_url: str) -> list[dict[str, Any]]:
    found = httpx.get(
        f"{remote.api}/objectinformatieobjecten",
        params={"object": object_url},
        headers=remote.headers,
    )
    assert found.status_code == 200, found.text
    result: list[dict[str, Any]] = found.json()
    return result


async def _step(settings: Settings, database: Database) -> int:
    worker = mirror.Mirror(settings, database)
    try:
        return await worker.step()
    finally:
        await worker.close()


async def _jobs(database: Database) -> list[RemoteRelatie]:
    async with database.transaction() as session:
        rows = await session.execute(select(RemoteRelatie).order_by(RemoteRelatie.id))
        return list(rows.scalars())


async def test_zrc_005_remote_link_is_mirrored_in_the_remote_register_and_removed(
    server_a, settings_a, remote, database, superuser, register
):
    await register(B_CLIENT, B_SECRET, alle=True)
    zaaktype = await zf.published_zaaktype(database)
    await df.linkable_documents(None, superuser, database, zaaktype=zaaktype, count=0)
    zaak = await zf.create_zaak(database, zaaktype)
    zaak_url = f"{server_a}/zaken/api/v1/zaken/{zaak.uuid}"
    document = remote.create()
    async with httpx.AsyncClient(base_url=server_a, headers=superuser) as a:
        link = await a.post(
            "/zaken/api/v1/zaakinformatieobjecten",
            json={"zaak": zaak_url, "informatieobject": document},
        )
        assert link.status_code == 201, link.text
        # after commit, by the queue: nothing was sent within the request
        assert _mirrors(remote, zaak_url) == []
        [job] = await _jobs(database)
        assert (job.actie, job.api_root, job.state) == ("koppel", remote.api, PENDING)

        assert await _step(settings_a, database) == 1
        [mirrored] = _mirrors(remote, zaak_url)
        assert (mirrored["informatieobject"], mirrored["objectType"]) == (document, "zaak")
        assert [(j.state, j.last_status) for j in await _jobs(database)] == [(DONE, 201)]

        assert (await a.delete(link.json()["url"])).status_code == 204
        assert await _step(settings_a, database) == 1
    assert _mirrors(remote, zaak_url) == []
    assert [(j.actie, j.state) for j in await _jobs(database)] == [
        ("koppel", DONE),
        ("ontkoppel", DONE),
    ]


async def test_brc_005_remote_link_of_a_besluit_is_mirrored_and_removed_with_the_besluit(
    server_a, settings_a, remote, database, superuser, register
):
    await register(B_CLIENT, B_SECRET, alle=True)
    besluittype = await bf.published_besluittype(database)
    await df.linkable_documents(None, superuser, database, besluittype=besluittype, count=0)
    besluit = await bf.create_besluit(database, besluittype)
    besluit_url = f"{server_a}/besluiten/api/v1/besluiten/{besluit.uuid}"
    async with httpx.AsyncClient(base_url=server_a, headers=superuser) as a:
        link = await a.post(
            "/besluiten/api/v1/besluitinformatieobjecten",
            json={"besluit": besluit_url, "informatieobject": remote.create()},
        )
        assert link.status_code == 201, link.text
        assert await _step(settings_a, database) == 1
        [mirrored] = _mirrors(remote, besluit_url)
        assert mirrored["objectType"] == "besluit"
        # brc-009: destroying the besluit removes its links, and so their mirrors
        assert (await a.delete(besluit_url)).status_code == 204
        assert await _step(settings_a, database) == 1
    assert _mirrors(remote, besluit_url) == []


async def test_zrc_005_a_rolled_back_link_queues_nothing(settings_a, database):
    document = "https://drc.example.nl/documenten/api/v1/enkelvoudiginformatieobjecten/1"

    async def failing_request() -> None:
        async with database.transaction() as session:
            mirror.plan_koppel(
                session,
                settings_a,
                informatieobject=document,
                object_url="https://zrc.example.nl/zaken/api/v1/zaken/1",
                object_type="zaak",
            )
            await session.flush()
            raise RuntimeError("the request failed after the link was written")

    with pytest.raises(RuntimeError):
        await failing_request()
    assert await _jobs(database) == []


async def test_zrc_005_remote_down_is_retried_later_and_parked_past_the_horizon(
    settings: Settings, database
):
    port = _free_port()  # nothing listens here
    api = f"http://127.0.0.1:{port}/documenten/api/v1"
    down = settings.model_copy(
        update={
            "remote_services": [RemoteService(api_root=api, client_id="a", secret="geheim")],
            "delivery_retry_base": 60.0,
            "outbound_timeout": 2.0,
        }
    )
    async with database.transaction() as session:
        mirror.plan_koppel(
            session,
            down,
            informatieobject=f"{api}/enkelvoudiginformatieobjecten/{uuid.uuid4()}",
            object_url="https://zrc.example.nl/zaken/api/v1/zaken/1",
            object_type="zaak",
        )
    assert await _step(down, database) == 1
    [job] = await _jobs(database)
    assert (job.state, job.attempts) == (PENDING, 1)
    assert job.last_error.startswith("unreachable")
    # due again after the backoff (30-60 s for the first retry), not before
    wait = (job.available_at - clock.now()).total_seconds()
    assert 25 < wait <= 60
    assert await _step(down, database) == 0
    # past the horizon, the next failure parks it for an operator, with its history
    async with database.transaction() as session:
        past = clock.now() - dt.timedelta(seconds=1)
        await session.execute(update(RemoteRelatie).values(available_at=past, park_after=past))
    assert await _step(down, database) == 1
    [job] = await _jobs(database)
    assert (job.state, job.attempts) == (PARKED, 2)
    async with database.transaction() as session:
        attempts = await session.scalar(select(func.count()).select_from(RemoteRelatiePoging))
    assert attempts == 2


async def test_zrc_005_a_failing_mirror_parks_after_the_spiegel_park_after_setting(
    settings: Settings, database
):
    """Every mirror job parks after MIJNZAKEN_SPIEGEL_PARK_AFTER (as zrc-024/025 do), not
    after the horizon of notification deliveries."""
    port = _free_port()  # nothing listens here
    api = f"http://127.0.0.1:{port}/documenten/api/v1"
    down = settings.model_copy(
        update={
            "remote_services": [RemoteService(api_root=api, client_id="a", secret="geheim")],
            "spiegel_park_after": 0.0,
            "delivery_park_after": 7 * 24 * 3600.0,
            "outbound_timeout": 2.0,
        }
    )
    async with database.transaction() as session:
        mirror.plan_koppel(
            session,
            down,
            informatieobject=f"{api}/enkelvoudiginformatieobjecten/{uuid.uuid4()}",
            object_url="https://zrc.example.nl/zaken/api/v1/zaken/1",
            object_type="zaak",
        )
    [job] = await _jobs(database)
    assert job.park_after <= clock.now()
    assert await _step(down, database) == 1
    [job] = await _jobs(database)
    assert (job.state, job.attempts) == (PARKED, 1)


async def test_zrc_005_destroying_the_zaak_removes_its_remote_mirrors(
    server_a, settings_a, remote, database, superuser, register
):
    await register(B_CLIENT, B_SECRET, alle=True)
    zaaktype = await zf.published_zaaktype(database)
    await df.linkable_documents(None, superuser, database, zaaktype=zaaktype, count=0)
    zaak = await zf.create_zaak(database, zaaktype)
    zaak_url = f"{server_a}/zaken/api/v1/zaken/{zaak.uuid}"
    async with httpx.AsyncClient(base_url=server_a, headers=superuser) as a:
        for _ in range(2):
            link = await a.post(
                "/zaken/api/v1/zaakinformatieobjecten",
                json={"zaak": zaak_url, "informatieobject": remote.create()},
            )
            assert link.status_code == 201, link.text
        assert await _step(settings_a, database) == 2
        assert len(_mirrors(remote, zaak_url)) == 2
        gone = await a.delete(zaak_url, headers={"Accept-Crs": "EPSG:4326"})
        assert gone.status_code == 204, gone.text
        assert await _step(settings_a, database) == 2
    assert _mirrors(remote, zaak_url) == []


async def test_drc_004_a_mirror_the_remote_zaak_does_not_hold_is_refused(
    server_a, remote, database, superuser, register
):
    # register B asks register A (the zaak's register) before it accepts a mirror
    await register(B_CLIENT, B_SECRET, alle=True)
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    zaak_url = f"{server_a}/zaken/api/v1/zaken/{zaak.uuid}"
    body = {"informatieobject": remote.create(), "object": zaak_url, "objectType": "zaak"}
    refused = httpx.post(
        f"{remote.api}/objectinformatieobjecten", json=body, headers=remote.headers
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["invalidParams"][0]["code"] == "inconsistent-relation"
    # a zaak A does not have links nothing either
    body["object"] = f"{server_a}/zaken/api/v1/zaken/{uuid.uuid4()}"
    unknown = httpx.post(
        f"{remote.api}/objectinformatieobjecten", json=body, headers=remote.headers
    )
    assert unknown.status_code == 400, unknown.text
    assert _mirrors(remote, zaak_url) == []


async def test_an_operator_sees_parked_mirrors_and_retries_them(
    settings: Settings, database, database_url, monkeypatch
):
    import asyncio

    from typer.testing import CliRunner

    from mijnzaken.cli import app as cli
    from mijnzaken.core import settings as settings_module

    api = f"http://127.0.0.1:{_free_port()}/documenten/api/v1"
    async with database.transaction() as session:
        mirror.plan_koppel(
            session,
            settings,
            informatieobject=f"{api}/enkelvoudiginformatieobjecten/{uuid.uuid4()}",
            object_url="https://zrc.example.nl/zaken/api/v1/zaken/1",
            object_type="zaak",
        )
        await session.execute(update(RemoteRelatie).values(state=PARKED))
    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", database_url)
    settings_module.get_settings.cache_clear()
    try:
        shown = await asyncio.to_thread(CliRunner().invoke, cli, ["documenten", "spiegels"])
        retried = await asyncio.to_thread(
            CliRunner().invoke, cli, ["documenten", "spiegels", "--opnieuw"]
        )
    finally:
        settings_module.get_settings.cache_clear()
    assert shown.exit_code == 0, shown.output
    assert "wachtend: 0, geparkeerd: 1" in shown.output
    assert retried.exit_code == 0, retried.output
    assert "1 geparkeerde spiegelingen opnieuw ingepland" in retried.output
    assert "wachtend: 1, geparkeerd: 0" in retried.output
    [job] = await _jobs(database)
    assert job.state == PENDING
