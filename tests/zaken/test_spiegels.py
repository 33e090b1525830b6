"""zrc-024 and zrc-025: a zaakverzoek or zaakcontactmoment is mirrored in the remote
Verzoeken or Contactmomenten API (an objectverzoek / objectcontactmoment), through the durable
job queue, against a real HTTP listener that answers like those APIs (remote_register.py);
a contactmoment of our own Klantinteracties register gets an onderwerpobject instead."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from mijnzaken.app import create_app
from mijnzaken.core import clock
from mijnzaken.core.resource import Ctx
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls
from mijnzaken.zaken.models import Spiegeling, SpiegelPoging
from mijnzaken.zaken.models.spiegel import OBJECTVERZOEK
from mijnzaken.zaken.services import spiegel
from tests.klantinteracties import factories as kf
from tests.zaken import factories as f
from tests.zaken.remote_register import (
    RemoteRegister,
    mirror_jobs,
    mirror_step,
    remote_register,
)

VERZOEKEN = "/zaken/api/v1/zaakverzoeken"
CONTACTMOMENTEN = "/zaken/api/v1/zaakcontactmomenten"
SECRETS = {"verzoeken": "vrc-geheim-voor-mijnzaken", "contactmomenten": "cmc-geheim-mijnzaken"}


@pytest.fixture(scope="module")
def remote() -> Iterator[RemoteRegister]:
    with remote_register() as register:
        yield register


@pytest.fixture(autouse=True)
def _fresh(remote: RemoteRegister) -> None:
    remote.reset()


def _settings(settings: Settings, remote: RemoteRegister, **over: Any) -> Settings:
    services = [
        RemoteService(api_root=remote.root(api), client_id=f"mijnzaken-{api}", secret=secret)
        for api, secret in SECRETS.items()
    ]
    values: dict[str, Any] = {
        "remote_services": services,
        "outbound_allow_private": True,
        "outbound_timeout": 3.0,
    }
    values.update(over)
    return settings.model_copy(update=values)


@pytest.fixture
def mirrored(settings: Settings, remote: RemoteRegister) -> Settings:
    return _settings(settings, remote)


@pytest.fixture
def app(mirrored: Settings, database: Any) -> Any:
    return create_app(mirrored, database)


async def _link(client: Any, headers: Any, database: Any, collection: str, field: str, ref: str):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(collection, json={"zaak": f.url(zaak), field: ref}, headers=headers)
    assert resp.status_code == 201, resp.text
    return zaak, resp.json()


async def test_zrc_024_zaakverzoek_is_mirrored_as_objectverzoek_with_the_services_jwt(
    client, superuser, database, mirrored, remote
):
    verzoek = f"{remote.root('verzoeken')}verzoeken/1234"
    zaak, _link_body = await _link(client, superuser, database, VERZOEKEN, "verzoek", verzoek)
    assert remote.requests == []  # nothing is sent inside the request
    assert await mirror_step(mirrored, database) == 1
    [post] = remote.calls("POST")
    assert post.path == "/verzoeken/api/v1/objectverzoeken"
    assert post.body == {"verzoek": verzoek, "object": f.url(zaak), "objectType": "zaak"}
    assert post.claims(SECRETS["verzoeken"])["client_id"] == "mijnzaken-verzoeken"
    [job] = await mirror_jobs(database)
    assert (job.state, job.attempts, job.last_status) == ("done", 1, 201)
    assert job.remote_url in remote.objects
    assert await mirror_step(mirrored, database) == 0  # mirrored once, not again


async def test_zrc_025_zaakcontactmoment_is_mirrored_as_objectcontactmoment(
    client, superuser, database, mirrored, remote
):
    contactmoment = f"{remote.root('contactmomenten')}contactmomenten/77"
    zaak, _body = await _link(
        client, superuser, database, CONTACTMOMENTEN, "contactmoment", contactmoment
    )
    await mirror_step(mirrored, database)
    [post] = remote.calls("POST")
    assert post.path == "/contactmomenten/api/v1/objectcontactmomenten"
    assert post.body == {
        "contactmoment": contactmoment,
        "object": f.url(zaak),
        "objectType": "zaak",
    }
    claims = post.claims(SECRETS["contactmomenten"])
    assert claims["client_id"] == "mijnzaken-contactmomenten"
    [mirror] = remote.objects.values()
    assert mirror["object"] == f.url(zaak)


async def test_zrc_025_remote_down_then_up_is_delivered_after_retry(
    client, superuser, database, mirrored, remote, monkeypatch
):
    contactmoment = f"{remote.root('contactmomenten')}contactmomenten/5"
    remote.stop()
    try:
        await _link(client, superuser, database, CONTACTMOMENTEN, "contactmoment", contactmoment)
        await mirror_step(mirrored, database)
        [job] = await mirror_jobs(database)
        assert (job.state, job.attempts) == ("pending", 1)
        assert job.available_at > clock.now()  # waits for its backoff
        assert job.last_error.startswith("GET ")
        assert await mirror_step(mirrored, database) == 0  # not due yet
    finally:
        remote.start()
    later = job.available_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert (job.state, job.attempts) == ("done", 2)
    assert len(remote.calls("POST")) == 1
    async with database.transaction() as session:
        pogingen = (await session.execute(select(SpiegelPoging.status))).scalars().all()
    assert sorted(pogingen, key=lambda s: s or 0) == [None, 201]


async def test_zrc_024_a_rolled_back_change_sends_nothing(database, mirrored, remote):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    verzoek = f"{remote.root('verzoeken')}verzoeken/9"

    async def failing_change() -> None:
        async with database.transaction() as session:
            ctx = Ctx(None, session, Urls("http://testserver"), None, mirrored)  # type: ignore[arg-type]
            await spiegel.gemaakt(ctx, OBJECTVERZOEK, uuid.uuid4(), f.url(zaak), verzoek)
            assert len((await session.execute(select(Spiegeling))).scalars().all()) == 1
            raise RuntimeError("de wijziging mislukt")

    with pytest.raises(RuntimeError):
        await failing_change()
    assert await mirror_step(mirrored, database) == 0
    assert remote.requests == []
    assert await mirror_jobs(database) == []


async def test_zrc_024_a_failing_mirror_parks_after_the_spiegel_park_after_setting(
    database, settings, remote
):
    """MIJNZAKEN_SPIEGEL_PARK_AFTER is the horizon of the mirror jobs, not the horizon of
    notification deliveries."""
    quick = _settings(settings, remote, spiegel_park_after=0.0, delivery_park_after=604800.0)
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    verzoek = f"{remote.root('verzoeken')}verzoeken/11"
    async with database.transaction() as session:
        ctx = Ctx(None, session, Urls("http://testserver"), None, quick)  # type: ignore[arg-type]
        await spiegel.gemaakt(ctx, OBJECTVERZOEK, uuid.uuid4(), f.url(zaak), verzoek)
    remote.stop()
    try:
        assert await mirror_step(quick, database) == 1
    finally:
        remote.start()
    [job] = await mirror_jobs(database)
    assert (job.state, job.attempts) == ("parked", 1)


async def test_zrc_025_delete_removes_the_mirror(client, superuser, database, mirrored, remote):
    contactmoment = f"{remote.root('contactmomenten')}contactmomenten/12"
    _zaak, link = await _link(
        client, superuser, database, CONTACTMOMENTEN, "contactmoment", contactmoment
    )
    await mirror_step(mirrored, database)
    [mirror] = list(remote.objects)
    assert (await client.delete(link["url"], headers=superuser)).status_code == 204
    await mirror_step(mirrored, database)
    [delete] = remote.calls("DELETE")
    assert remote.origin + delete.path == mirror
    assert delete.claims(SECRETS["contactmomenten"])["client_id"] == "mijnzaken-contactmomenten"
    assert remote.objects == {}
    assert [(j.actie, j.state) for j in await mirror_jobs(database)] == [
        ("aanmaken", "done"),
        ("verwijderen", "done"),
    ]


async def test_zrc_024_delete_before_mirroring_sends_nothing(
    client, superuser, database, mirrored, remote
):
    verzoek = f"{remote.root('verzoeken')}verzoeken/3"
    _zaak, link = await _link(client, superuser, database, VERZOEKEN, "verzoek", verzoek)
    assert (await client.delete(link["url"], headers=superuser)).status_code == 204
    assert await mirror_jobs(database) == []  # the create was never attempted: dropped
    assert await mirror_step(mirrored, database) == 0
    assert remote.requests == []


async def test_zrc_024_delete_after_a_failed_create_finds_and_removes_the_mirror(
    client, superuser, database, mirrored, remote
):
    """The remote stored the objectverzoek but its answer was lost: the delete searches."""
    verzoek = f"{remote.root('verzoeken')}verzoeken/4"
    remote.lose_answers = 1
    _zaak, link = await _link(client, superuser, database, VERZOEKEN, "verzoek", verzoek)
    await mirror_step(mirrored, database)
    assert len(remote.objects) == 1
    assert (await client.delete(link["url"], headers=superuser)).status_code == 204
    await mirror_step(mirrored, database)
    assert remote.objects == {}
    assert [j.actie for j in await mirror_jobs(database)] == ["verwijderen"]


async def test_zrc_025_a_retry_after_a_lost_answer_makes_no_duplicate(
    client, superuser, database, mirrored, remote, monkeypatch
):
    contactmoment = f"{remote.root('contactmomenten')}contactmomenten/8"
    remote.lose_answers = 1
    await _link(client, superuser, database, CONTACTMOMENTEN, "contactmoment", contactmoment)
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert (job.state, job.last_status) == ("pending", 500)
    later = job.available_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert job.state == "done"
    assert len(remote.calls("POST")) == 1  # the retry found it and posted nothing
    [mirror] = list(remote.objects)
    assert job.remote_url == mirror


async def test_zrc_025_ssrf_addresses_are_refused(client, superuser, database, settings, remote):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    metadata = {"zaak": f.url(zaak), "contactmoment": "http://169.254.169.254/latest/meta-data"}
    resp = await client.post(CONTACTMOMENTEN, json=metadata, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "contactmoment"
    assert resp.json()["invalidParams"][0]["code"] == "forbidden-address"
    assert await mirror_jobs(database) == []
    assert remote.requests == []
    # a service the operator configured may be on an internal address, also without
    # outbound_allow_private: its root was chosen by the operator, not by the client
    strict = create_app(_settings(settings, remote, outbound_allow_private=False), database)
    transport = httpx.ASGITransport(app=strict)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        internal = {
            "zaak": f.url(zaak),
            "contactmoment": f"{remote.root('contactmomenten')}contactmomenten/1",
        }
        resp = await c.post(CONTACTMOMENTEN, json=internal, headers=superuser)
    assert resp.status_code == 201
    assert len(await mirror_jobs(database)) == 1


async def test_zrc_024_a_verzoek_of_an_unknown_register_is_refused(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    body = {"zaak": f.url(zaak), "verzoek": "https://onbekend.example.nl/api/v1/verzoeken/1"}
    resp = await client.post(VERZOEKEN, json=body, headers=superuser)
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("verzoek", "unknown-service")
    assert await mirror_jobs(database) == []


async def test_zrc_024_parked_past_the_horizon_is_shown_and_offered_again(
    client, superuser, database, mirrored, remote, monkeypatch
):
    verzoek = f"{remote.root('verzoeken')}verzoeken/6"
    remote.stop()
    try:
        await _link(client, superuser, database, VERZOEKEN, "verzoek", verzoek)
        async with database.transaction() as session:
            await session.execute(
                update(Spiegeling).values(park_after=clock.now() - dt.timedelta(seconds=1))
            )
        await mirror_step(mirrored, database)
    finally:
        remote.start()
    [job] = await mirror_jobs(database)
    assert job.state == "parked"
    shown = await _cli(monkeypatch, mirrored, "spiegels")
    assert "geparkeerd:   1" in shown
    assert f"objectverzoeken aanmaken  parked (1 pogingen)  {verzoek}" in shown
    again = await _cli(monkeypatch, mirrored, "spiegels", "--opnieuw")
    assert "1 spiegelingen staan weer in de wachtrij." in again
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert job.state == "done"
    assert len(remote.objects) == 1


async def _cli(monkeypatch: pytest.MonkeyPatch, settings: Settings, *args: str) -> str:
    """Run `mijnzaken zaken …` on the test database (in a thread, as from a shell)."""
    from typer.testing import CliRunner

    from mijnzaken import cli
    from mijnzaken.core.settings import get_settings

    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli.app, ["zaken", *args], catch_exceptions=False
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


async def test_zrc_025_a_klantcontact_of_our_own_register_gets_an_onderwerpobject(
    client, superuser, database, remote
):
    klantcontact = await kf.create_klantcontact(client, superuser)
    zaak, link = await _link(
        client, superuser, database, CONTACTMOMENTEN, "contactmoment", klantcontact["url"]
    )
    listed = await client.get(
        f"{kf.API}/onderwerpobjecten",
        params={"onderwerpobjectidentificatorObjectId": f.url(zaak)},
        headers=superuser,
    )
    [onderwerp] = [
        o for o in listed.json()["results"] if o["klantcontact"]["uuid"] == klantcontact["uuid"]
    ]
    assert onderwerp["onderwerpobjectidentificator"]["objectId"] == f.url(zaak)
    assert onderwerp["onderwerpobjectidentificator"]["codeObjecttype"] == "zaak"
    assert await mirror_jobs(database) == []  # mirrored in the same transaction, no remote call
    assert (await client.delete(link["url"], headers=superuser)).status_code == 204
    listed = await client.get(f"{kf.API}/onderwerpobjecten", headers=superuser)
    assert [
        o for o in listed.json()["results"] if o["klantcontact"]["uuid"] == klantcontact["uuid"]
    ] == []
    assert remote.requests == []


async def test_zrc_025_an_unknown_klantcontact_of_our_own_register_is_refused(
    client, superuser, database
):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    missing = f"http://testserver{kf.API}/klantcontacten/{uuid.uuid4()}"
    resp = await client.post(
        CONTACTMOMENTEN, json={"zaak": f.url(zaak), "contactmoment": missing}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "does_not_exist"


async def test_zrc_024_the_serving_process_mirrors_after_commit(database, mirrored, remote):
    """serve's own runner (started by the app's lifespan): woken by the commit."""
    from mijnzaken.zaken import spiegeling

    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    verzoek = f"{remote.root('verzoeken')}verzoeken/10"
    async with spiegeling.running(mirrored, database) as spiegelaar:
        assert spiegelaar is not None
        async with database.transaction() as session:
            ctx = Ctx(None, session, Urls("http://testserver"), None, mirrored)  # type: ignore[arg-type]
            await spiegel.gemaakt(ctx, OBJECTVERZOEK, uuid.uuid4(), f.url(zaak), verzoek)
        for _ in range(100):
            if remote.objects:
                break
            await asyncio.sleep(0.05)
    assert len(remote.objects) == 1


async def test_zrc_024_deleting_the_zaak_removes_its_mirrors(
    client, superuser, database, mirrored, remote
):
    verzoek = f"{remote.root('verzoeken')}verzoeken/11"
    contactmoment = f"{remote.root('contactmomenten')}contactmomenten/11"
    zaak, _link_body = await _link(client, superuser, database, VERZOEKEN, "verzoek", verzoek)
    body = {"zaak": f.url(zaak), "contactmoment": contactmoment}
    assert (await client.post(CONTACTMOMENTEN, json=body, headers=superuser)).status_code == 201
    await mirror_step(mirrored, database)
    assert len(remote.objects) == 2
    crs = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
    assert (await client.delete(f.url(zaak), headers={**superuser, **crs})).status_code == 204
    await mirror_step(mirrored, database)
    assert remote.objects == {}
    assert sorted(r.path.rsplit("/", 1)[0] for r in remote.calls("DELETE")) == [
        "/contactmomenten/api/v1/objectcontactmomenten",
        "/verzoeken/api/v1/objectverzoeken",
    ]
