"""A besluit on a zaak of a remote Zaken API (brc-006, brc-007, brc-009): the zaak and its
zaaktype are read there within the request, and the ZaakBesluit there is made and removed after
commit by the mirror jobs of zaken/spiegeling.py. The remote is a real HTTP listener that plays
a Zaken and a Catalogi API (tests/zaken/remote_register.py), and, in the last test, a second
real MijnZaken in its own process (tests/klantbeeld/remote_server.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from mijnzaken.app import create_app
from mijnzaken.besluiten import models as m
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.zaken.models import ZaakBesluit
from tests.besluiten import factories as f
from tests.catalogi import factories as cf
from tests.conftest import make_token
from tests.klantbeeld.remote_server import CLIENT_ID, Remote, running_remote
from tests.klantbeeld.remote_server import SECRET as B_SECRET
from tests.zaken import factories as zf
from tests.zaken.remote_register import (
    RemoteRegister,
    mirror_jobs,
    mirror_step,
    remote_register,
)

SECRET = "zrc-geheim-voor-mijnzaken"  # what the listener's services are configured with


@pytest.fixture(scope="module")
def remote() -> Iterator[RemoteRegister]:
    with remote_register() as register:
        yield register


@pytest.fixture(autouse=True)
def _fresh(remote: RemoteRegister) -> None:
    remote.reset()


@pytest.fixture
def mirrored(settings: Settings, remote: RemoteRegister) -> Settings:
    """The remote Zaken and Catalogi APIs configured; the SSRF checks stay strict for any
    other URL (a configured root is the operator's, also on a loopback address)."""
    services = [
        RemoteService(api_root=remote.root(api), client_id="mijnzaken-brc", secret=SECRET)
        for api in ("zaken", "catalogi")
    ]
    return settings.model_copy(
        update={
            "remote_services": services,
            "outbound_allow_private": False,
            "outbound_timeout": 3.0,
        }
    )


@pytest.fixture
def app(mirrored: Settings, database: Any) -> Any:
    return create_app(mirrored, database)


def _remote_zaak(
    remote: RemoteRegister,
    besluittypen: tuple[str, ...] = ("Vergunning",),
    *,
    rsin: str = f.RSIN,
    zaaktype: str | None = None,
) -> str:
    """A zaak in the remote Zaken API whose zaaktype, in a remote catalogus (domein TEST as
    cf.create_catalogus, this rsin), lists besluittypen with these omschrijvingen; or whose
    zaaktype is the URL `zaaktype`."""
    catalogi = remote.root("catalogi")
    if zaaktype is None:
        catalogus = remote.publish(
            f"{catalogi}catalogussen/{uuid.uuid4()}", {"domein": "TEST", "rsin": rsin}
        )
        types = [
            remote.publish(
                f"{catalogi}besluittypen/{uuid.uuid4()}",
                {"omschrijving": omschrijving, "catalogus": catalogus},
            )
            for omschrijving in besluittypen
        ]
        zaaktype = remote.publish(
            f"{catalogi}zaaktypen/{uuid.uuid4()}",
            {"besluittypen": types, "catalogus": catalogus},
        )
    return remote.publish(
        f"{remote.root('zaken')}zaken/{uuid.uuid4()}",
        {"identificatie": "ZAAK-ELDERS-1", "zaaktype": zaaktype},
    )


async def _besluittype(database: Any) -> Any:
    return await f.published_besluittype(database, omschrijving="Vergunning")


async def _besluiten(database: Any) -> list[m.Besluit]:
    async with database.transaction() as session:
        return list((await session.execute(select(m.Besluit))).scalars())


async def _create(client: Any, headers: Any, besluittype: Any, zaak: str) -> dict[str, Any]:
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=headers)
    assert resp.status_code == 201, resp.text
    created: dict[str, Any] = resp.json()
    return created


def _error(resp: Any) -> tuple[str, str]:
    assert resp.status_code == 400, resp.text
    [param] = resp.json()["invalidParams"]
    return param["name"], param["code"]


async def test_brc_006_besluit_on_a_remote_zaak_is_mirrored_there_as_zaakbesluit(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    zaak = _remote_zaak(remote)
    created = await _create(client, superuser, besluittype, zaak)
    assert created["zaak"] == zaak  # as given
    # within the request only reads: the zaak, its zaaktype, catalogus and besluittype
    assert {r.method for r in remote.requests} == {"GET"}
    assert remote.requests[0].path.startswith("/zaken/api/v1/zaken/")
    # no ZaakBesluit of our own Zaken register: the zaak is not ours
    async with database.transaction() as session:
        assert (await session.execute(select(ZaakBesluit))).first() is None

    assert await mirror_step(mirrored, database) == 1
    [post] = remote.calls("POST")
    assert post.path == f"{zaak.removeprefix(remote.origin)}/besluiten"
    assert post.body == {"besluit": created["url"]}
    assert post.claims(SECRET)["client_id"] == "mijnzaken-brc"
    [job] = await mirror_jobs(database)
    assert (job.soort, job.state, job.attempts, job.last_status) == (
        "zaakbesluiten",
        "done",
        1,
        201,
    )
    assert job.remote_url in remote.objects  # the URL the remote answered with, kept
    assert remote.objects[job.remote_url]["besluit"] == created["url"]
    assert await mirror_step(mirrored, database) == 0  # mirrored once


async def test_brc_006_remote_zaak_is_returned_filtered_and_cannot_change(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    zaak = _remote_zaak(remote)
    created = await _create(client, superuser, besluittype, zaak)
    await _create(client, superuser, besluittype, _remote_zaak(remote))  # another remote zaak
    await f.create_besluit(database, besluittype)  # no zaak

    got = await client.get(created["url"], headers=superuser)
    assert got.json()["zaak"] == zaak
    found = await client.get(f.API, params={"zaak": zaak}, headers=superuser)
    assert [b["url"] for b in found.json()["results"]] == [created["url"]]
    unknown = f"{remote.root('zaken')}zaken/{uuid.uuid4()}"
    none = await client.get(f.API, params={"zaak": unknown}, headers=superuser)
    assert none.json()["results"] == []

    same = await client.patch(created["url"], json={"zaak": zaak}, headers=superuser)
    assert same.status_code == 200, same.text
    assert same.json()["zaak"] == zaak
    for change in (unknown, ""):
        resp = await client.patch(created["url"], json={"zaak": change}, headers=superuser)
        assert _error(resp) == ("zaak", "wijzigen-niet-toegelaten")


async def test_brc_006_remote_zaak_notification_and_audit_trail_are_the_besluits(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    zaak = _remote_zaak(remote)
    created = await _create(client, superuser, besluittype, zaak)
    async with database.transaction() as session:
        messages = [o.payload for o in (await session.execute(select(OutboxMessage))).scalars()]
    # kanaal besluiten with its kenmerken; nothing on kanaal zaken (the remote tells its own)
    assert [(p["kanaal"], p["resource"], p["actie"]) for p in messages] == [
        ("besluiten", "besluit", "create")
    ]
    assert messages[0]["hoofdObject"] == created["url"]
    assert messages[0]["kenmerken"] == {
        "verantwoordelijkeOrganisatie": f.RSIN,
        "besluittype": cf.url(besluittype),
    }
    trail = (await client.get(f"{created['url']}/audittrail", headers=superuser)).json()
    assert [(e["bron"], e["actie"]) for e in trail] == [("brc", "create")]
    assert trail[0]["wijzigingen"]["nieuw"]["zaak"] == zaak


async def test_brc_006_remote_zaak_that_does_not_exist_is_a_400(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    missing = f"{remote.root('zaken')}zaken/{uuid.uuid4()}"
    resp = await client.post(f.API, json=f.body(besluittype, zaak=missing), headers=superuser)
    assert _error(resp) == ("zaak", "bad-url")
    not_a_zaak = remote.publish(f"{remote.root('zaken')}statussen/{uuid.uuid4()}", {})
    resp = await client.post(f.API, json=f.body(besluittype, zaak=not_a_zaak), headers=superuser)
    assert _error(resp) == ("zaak", "invalid-resource")
    assert await _besluiten(database) == []
    assert await mirror_jobs(database) == []


async def test_brc_006_remote_zaken_api_down_is_a_400_not_a_500(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    zaak = _remote_zaak(remote)
    remote.stop()
    try:
        resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
    finally:
        remote.start()
    assert _error(resp) == ("zaak", "bad-url")
    assert "unreachable" in resp.json()["invalidParams"][0]["reason"]
    assert await _besluiten(database) == []


async def test_brc_006_zaak_of_an_unconfigured_or_forbidden_address_is_refused(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    for zaak, code in (
        ("https://elders.example.nl/zaken/api/v1/zaken/1", "unknown-service"),
        ("http://169.254.169.254/zaken/api/v1/zaken/1", "forbidden-address"),
        # the listener's own address, but not under a configured root: checked as a client's
        (f"{remote.origin}/andere/api/v1/zaken/{uuid.uuid4()}", "forbidden-address"),
    ):
        resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
        assert _error(resp) == ("zaak", code), zaak
    assert remote.requests == []  # nothing was fetched
    assert await _besluiten(database) == []


async def test_brc_007_remote_zaaktype_without_the_besluittype_is_refused(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    for zaak in (
        _remote_zaak(remote, ("Subsidie", "Boete")),
        # the same omschrijving in a catalogue of another organisation is another type
        _remote_zaak(remote, ("Vergunning",), rsin=f.OTHER_RSIN),
    ):
        resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
        assert _error(resp) == ("nonFieldErrors", "zaaktype-mismatch")
    assert await _besluiten(database) == []
    assert await mirror_jobs(database) == []


async def test_brc_007_remote_zaaktype_naming_our_besluittype_or_of_our_catalogue_is_accepted(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    # a remote zaaktype that lists our besluittype by URL: no more calls needed
    catalogus = remote.publish(f"{remote.root('catalogi')}catalogussen/1", {})
    by_url = remote.publish(
        f"{remote.root('catalogi')}zaaktypen/{uuid.uuid4()}",
        {"besluittypen": [cf.url(besluittype)], "catalogus": catalogus},
    )
    await _create(client, superuser, besluittype, _remote_zaak(remote, zaaktype=by_url))
    assert not any(r.path.startswith("/catalogi/api/v1/catalogussen") for r in remote.requests)
    # a remote zaak of a zaaktype of our own catalogue, compared as for a local zaak
    ours = await f.zaaktype_allowing(database, besluittype)
    await _create(client, superuser, besluittype, _remote_zaak(remote, zaaktype=cf.url(ours)))
    other = await zf.published_zaaktype(database, besluittype_omschrijvingen=["Subsidie"])
    resp = await client.post(
        f.API,
        json=f.body(besluittype, zaak=_remote_zaak(remote, zaaktype=cf.url(other))),
        headers=superuser,
    )
    assert _error(resp) == ("nonFieldErrors", "zaaktype-mismatch")


async def test_brc_007_remote_zaaktype_that_cannot_be_read_is_a_400(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    missing_type = f"{remote.root('catalogi')}zaaktypen/{uuid.uuid4()}"
    zaak = _remote_zaak(remote, zaaktype=missing_type)
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
    assert _error(resp) == ("zaak", "invalid-resource")
    assert await _besluiten(database) == []


def _gets(remote: RemoteRegister, api: str) -> list[str]:
    """The paths of the GETs the listener had under `api` (zaken, catalogi)."""
    return [r.path for r in remote.calls("GET") if r.path.startswith(f"/{api}/api/v1/")]


async def test_brc_007_second_besluit_on_the_same_remote_zaaktype_reads_no_catalogue(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    zaak = _remote_zaak(remote, ("Subsidie", "Vergunning"))
    zaaktype = remote.resources[urlsplit(zaak).path]["zaaktype"]
    await _create(client, superuser, besluittype, zaak)
    # the zaak, then its zaaktype, catalogus and besluittypen up to the one that fits: 3 + n
    assert len(_gets(remote, "catalogi")) == 4
    assert _gets(remote, "zaken") == [urlsplit(zaak).path]
    remote.requests.clear()

    await _create(client, superuser, besluittype, zaak)
    other = _remote_zaak(remote, zaaktype=zaaktype)  # another zaak of the same zaaktype
    await _create(client, superuser, besluittype, other)
    assert _gets(remote, "catalogi") == []
    # a zaak may change: it is read each time
    assert _gets(remote, "zaken") == [urlsplit(zaak).path, urlsplit(other).path]


async def test_brc_007_remote_zaaktype_is_asked_again_after_a_failure(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    catalogi = remote.root("catalogi")
    zaaktype = f"{catalogi}zaaktypen/{uuid.uuid4()}"
    zaak = _remote_zaak(remote, zaaktype=zaaktype)
    # not there (404), then there without its besluittypen: neither answer is kept
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
    assert _error(resp) == ("zaak", "invalid-resource")
    catalogus = remote.publish(
        f"{catalogi}catalogussen/{uuid.uuid4()}", {"domein": "TEST", "rsin": f.RSIN}
    )
    remote.publish(zaaktype, {"catalogus": catalogus})
    resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
    assert _error(resp) == ("zaak", "invalid-resource")
    remote.publish(zaaktype, {"catalogus": catalogus, "besluittypen": [cf.url(besluittype)]})
    await _create(client, superuser, besluittype, zaak)
    assert _gets(remote, "catalogi").count(urlsplit(zaaktype).path) == 3

    # a remote that is down is not remembered either
    catalogus_down = remote.publish(
        f"{catalogi}catalogussen/{uuid.uuid4()}", {"domein": "TEST", "rsin": f.RSIN}
    )
    vergunning = remote.publish(
        f"{catalogi}besluittypen/{uuid.uuid4()}",
        {"omschrijving": "Vergunning", "catalogus": catalogus_down},
    )
    by_name = remote.publish(
        f"{catalogi}zaaktypen/{uuid.uuid4()}",
        {"catalogus": catalogus_down, "besluittypen": [vergunning]},
    )
    zaak = _remote_zaak(remote, zaaktype=by_name)
    remote.stop()
    try:
        resp = await client.post(f.API, json=f.body(besluittype, zaak=zaak), headers=superuser)
    finally:
        remote.start()
    assert _error(resp) == ("zaak", "bad-url")
    remote.requests.clear()
    await _create(client, superuser, besluittype, zaak)
    assert len(_gets(remote, "catalogi")) == 3


async def test_brc_007_concept_types_are_read_again_after_the_time_limit(
    superuser, database, mirrored, remote
):
    # a time limit of 0: only what cannot change, a published type, is kept
    besluittype = await _besluittype(database)
    catalogi = remote.root("catalogi")
    catalogus = remote.publish(
        f"{catalogi}catalogussen/{uuid.uuid4()}", {"domein": "TEST", "rsin": f.RSIN}
    )
    published = remote.publish(
        f"{catalogi}besluittypen/{uuid.uuid4()}",
        {"omschrijving": "Vergunning", "catalogus": catalogus, "concept": False},
    )
    concept = remote.publish(
        f"{catalogi}zaaktypen/{uuid.uuid4()}",
        {"catalogus": catalogus, "besluittypen": [published], "concept": True},
    )
    zaak = _remote_zaak(remote, zaaktype=concept)
    settings = mirrored.model_copy(update={"remote_catalogi_cache_ttl": 0.0})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings, database)),
        base_url="http://testserver",
    ) as short:
        for _ in range(2):
            await _create(short, superuser, besluittype, zaak)
    reads = _gets(remote, "catalogi")
    assert reads.count(urlsplit(concept).path) == 2
    assert reads.count(urlsplit(catalogus).path) == 2
    assert reads.count(urlsplit(published).path) == 1


async def test_brc_006_remote_down_then_up_the_zaakbesluit_lands_after_retry(
    client, superuser, database, mirrored, remote, monkeypatch
):
    besluittype = await _besluittype(database)
    created = await _create(client, superuser, besluittype, _remote_zaak(remote))
    remote.stop()
    try:
        assert await mirror_step(mirrored, database) == 1
        [job] = await mirror_jobs(database)
        assert (job.state, job.attempts, job.last_status) == ("pending", 1, None)
        assert job.available_at > clock.now()  # waits for its backoff
        assert await mirror_step(mirrored, database) == 0  # not due yet
    finally:
        remote.start()
    later = job.available_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert await mirror_step(mirrored, database) == 1
    [job] = await mirror_jobs(database)
    assert (job.state, job.attempts, job.last_status) == ("done", 2, 201)
    [post] = remote.calls("POST")
    assert post.body == {"besluit": created["url"]}


async def test_brc_006_a_retry_after_a_lost_answer_makes_no_second_zaakbesluit(
    client, superuser, database, mirrored, remote, monkeypatch
):
    besluittype = await _besluittype(database)
    await _create(client, superuser, besluittype, _remote_zaak(remote))
    remote.lose_answers = 1  # stored, but answered with 500
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert (job.state, job.last_status) == ("pending", 500)
    later = job.available_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    await mirror_step(mirrored, database)
    [job] = await mirror_jobs(database)
    assert job.state == "done"
    assert len(remote.calls("POST")) == 1  # the retry found it in the zaak's besluiten
    assert list(remote.objects) == [job.remote_url]


async def test_brc_009_deleting_the_besluit_removes_the_remote_zaakbesluit(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    created = await _create(client, superuser, besluittype, _remote_zaak(remote))
    await mirror_step(mirrored, database)
    [aanmaken] = await mirror_jobs(database)
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert remote.calls("DELETE") == []  # after commit, by the queue
    assert await mirror_step(mirrored, database) == 1
    [delete] = remote.calls("DELETE")
    assert f"{remote.origin}{delete.path}" == aanmaken.remote_url  # the URL it answered with
    assert remote.objects == {}
    jobs = await mirror_jobs(database)
    assert [(j.actie, j.state) for j in jobs] == [("aanmaken", "done"), ("verwijderen", "done")]
    assert await _besluiten(database) == []


async def test_brc_009_delete_before_mirroring_sends_nothing(
    client, superuser, database, mirrored, remote
):
    besluittype = await _besluittype(database)
    created = await _create(client, superuser, besluittype, _remote_zaak(remote))
    sent = len(remote.requests)
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert await mirror_jobs(database) == []  # the create was never attempted: dropped
    assert await mirror_step(mirrored, database) == 0
    assert len(remote.requests) == sent


# --- against a second, real MijnZaken as the remote Zaken and Catalogi API ---------------

_B_ZAAK: dict[str, uuid.UUID] = {}


async def _fill_b(database: Database) -> None:
    """B's catalogue has our domein and rsin (cf.create_catalogus) and a besluittype
    "Vergunning" that B's zaaktype lists; one zaak of that zaaktype."""
    catalogus = await cf.create_catalogus(database)
    await cf.create_besluittype(database, catalogus, omschrijving="Vergunning", concept=False)
    zaaktype = await zf.published_zaaktype(
        database, catalogus=catalogus, besluittype_omschrijvingen=["Vergunning"]
    )
    _B_ZAAK["uuid"] = (await zf.create_zaak(database, zaaktype)).uuid


@pytest.fixture(scope="module")
def b() -> Iterator[Remote]:
    with running_remote(_fill_b) as server:
        yield server


async def test_brc_006_and_brc_009_with_a_second_mijnzaken_as_the_remote_zaken_api(
    settings, database, superuser, b
):
    services = [
        RemoteService(api_root=f"{b.url}/{api}/api/v1", client_id=CLIENT_ID, secret=B_SECRET)
        for api in ("zaken", "catalogi")
    ]
    a_settings = settings.model_copy(update={"remote_services": services})
    besluittype = await _besluittype(database)
    zaak = f"{b.url}/zaken/api/v1/zaken/{_B_ZAAK['uuid']}"
    b_headers = {"Authorization": f"Bearer {make_token(CLIENT_ID, B_SECRET)}"}
    transport = httpx.ASGITransport(app=create_app(a_settings, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as a:
        created = await _create(a, superuser, besluittype, zaak)
        # brc-007 was checked by name in B's catalogue: zaak, zaaktype, catalogus, besluittype
        mark = len(b.requests)
        assert await mirror_step(a_settings, database) == 1
        assert b.since(mark, wait=2)[-1] == f"POST /zaken/api/v1/zaken/{_B_ZAAK['uuid']}/besluiten"
        there = httpx.get(f"{zaak}/besluiten", headers=b_headers).json()
        assert [z["besluit"] for z in there] == [created["url"]]
        [job] = await mirror_jobs(database)
        assert job.remote_url == there[0]["url"]

        wrong = await f.published_besluittype(database, omschrijving="Subsidie")
        resp = await a.post(f.API, json=f.body(wrong, zaak=zaak), headers=superuser)
        assert _error(resp) == ("nonFieldErrors", "zaaktype-mismatch")

        assert (await a.delete(created["url"], headers=superuser)).status_code == 204
        await mirror_step(a_settings, database)
    assert httpx.get(f"{zaak}/besluiten", headers=b_headers).json() == []
