"""A zaak or besluit of this register linking a document of another installation's
Documenten API: a second, real MijnZaken in its own process (tests/klantbeeld/remote_server.py).

The document is fetched there with the ZGW JWT configured for that API and its Catalogi API
(MIJNZAKEN_REMOTE_SERVICES): it must exist (zrc-003, brc-003) and its informatieobjecttype,
published by both installations in the catalogus with the same domein and rsin, must be one of
the zaaktype's (zrc-017) or besluittype's (brc-008). A URL of a service that is not configured
gets the SSRF checks of core/outbound.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mijnzaken.app import create_app
from mijnzaken.core.db import Database
from mijnzaken.core.settings import RemoteService, Settings
from tests.besluiten import factories as bf
from tests.documenten import factories as df
from tests.documenten.remote_drc import Documents, fill
from tests.klantbeeld.remote_server import CLIENT_ID, SECRET, running_remote
from tests.zaken import factories as zf

ZIO = "/zaken/api/v1/zaakinformatieobjecten"
BIO = "/besluiten/api/v1/besluitinformatieobjecten"
EIO = "/documenten/api/v1/enkelvoudiginformatieobjecten"


@pytest.fixture(scope="module")
def remote() -> Iterator[Documents]:
    with running_remote(fill) as server:
        yield Documents(server)


def _with_services(settings: Settings, *services: RemoteService) -> Settings:
    return settings.model_copy(update={"remote_services": list(services)})


@pytest.fixture
def app(settings: Settings, database: Database, remote: Documents) -> Any:
    # the remote's Documenten API and its Catalogi API (where its documents' types live)
    services = [
        RemoteService(api_root=api, client_id=CLIENT_ID, secret=SECRET)
        for api in (remote.api, f"{remote.remote.url}/catalogi/api/v1")
    ]
    return create_app(_with_services(settings, *services), database)


async def _zaak(client: Any, headers: dict[str, str], database: Database) -> Any:
    """A zaak whose zaaktype lists the informatieobjecttype "Bijlage" of our catalogue."""
    zaaktype = await zf.published_zaaktype(database)
    await df.linkable_documents(client, headers, database, zaaktype=zaaktype, count=0)
    return await zf.create_zaak(database, zaaktype)


async def test_zrc_003_remote_document_is_fetched_with_the_configured_jwt(
    client, superuser, database, remote
):
    zaak = await _zaak(client, superuser, database)
    mark = len(remote.remote.requests)
    document = remote.create()
    link = await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": document}, headers=superuser
    )
    assert link.status_code == 201, link.text
    assert link.json()["informatieobject"] == document
    # after the document's creation: the document, its informatieobjecttype and that
    # type's catalogus, three calls
    calls = remote.remote.since(mark, wait=4)[1:]
    assert [c.split("?")[0] for c in calls] == [
        f"GET {document.removeprefix(remote.remote.url)}",
        f"GET {remote.types['Bijlage'].removeprefix(remote.remote.url)}",
        f"GET /catalogi/api/v1/catalogussen/{calls[2].rsplit('/', 1)[-1]}",
    ]


async def test_zrc_003_remote_document_that_does_not_exist_is_400(
    client, superuser, database, remote
):
    zaak = await _zaak(client, superuser, database)
    missing = f"{remote.api}/enkelvoudiginformatieobjecten/{uuid.uuid4()}"
    resp = await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": missing}, headers=superuser
    )
    assert resp.status_code == 400
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("informatieobject", "bad-url")
    # a URL of the remote that names no document
    not_a_document = f"{remote.remote.url}/catalogi/api/v1/informatieobjecttypen/{uuid.uuid4()}"
    resp = await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": not_a_document}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "invalid-resource"


async def test_zrc_017_remote_document_of_a_type_the_zaaktype_lacks_is_400(
    client, superuser, database, remote
):
    zaak = await _zaak(client, superuser, database)
    memo = remote.create("Intern memo")
    resp = await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": memo}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == (
        "missing-zaaktype-informatieobjecttype-relation"
    )


async def test_brc_003_brc_008_remote_document_of_a_besluit(client, superuser, database, remote):
    besluittype = await bf.published_besluittype(database)
    await df.linkable_documents(client, superuser, database, besluittype=besluittype, count=0)
    besluit = await bf.create_besluit(database, besluittype)
    ok = await client.post(
        BIO,
        json={"besluit": bf.url(besluit), "informatieobject": remote.create()},
        headers=superuser,
    )
    assert ok.status_code == 201, ok.text
    memo = remote.create("Intern memo")
    refused = await client.post(
        BIO, json={"besluit": bf.url(besluit), "informatieobject": memo}, headers=superuser
    )
    assert refused.status_code == 400
    assert refused.json()["invalidParams"][0]["code"] == (
        "missing-besluittype-informatieobjecttype-relation"
    )
    missing = f"{remote.api}/enkelvoudiginformatieobjecten/{uuid.uuid4()}"
    gone = await client.post(
        BIO, json={"besluit": bf.url(besluit), "informatieobject": missing}, headers=superuser
    )
    assert gone.status_code == 400
    assert gone.json()["invalidParams"][0]["code"] == "bad-url"


@pytest.mark.parametrize(
    ("address", "code"),
    [
        # cloud metadata, and a private network without MIJNZAKEN_OUTBOUND_ALLOW_PRIVATE
        (
            "http://169.254.169.254/documenten/api/v1/enkelvoudiginformatieobjecten/1",
            "forbidden-address",
        ),
        ("http://10.0.0.1/documenten/api/v1/enkelvoudiginformatieobjecten/1", "forbidden-address"),
        ("http://[::1]:9/documenten/api/v1/enkelvoudiginformatieobjecten/1", "forbidden-address"),
        # not http(s): refused as a URL before any rule runs
        ("file:///etc/documenten/api/v1/enkelvoudiginformatieobjecten/1", "invalid"),
    ],
)
async def test_zrc_003_remote_url_to_a_forbidden_address_is_400(
    client, superuser, database, address, code
):
    zaak = await _zaak(client, superuser, database)
    resp = await client.post(
        ZIO, json={"zaak": zf.url(zaak), "informatieobject": address}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "informatieobject"
    assert resp.json()["invalidParams"][0]["code"] == code


async def test_zrc_003_unconfigured_remote_on_loopback_is_refused_without_a_call(
    settings, database, remote, register
):
    # the same register, but not under a configured service: a client's URL to our own
    # network is refused before anything is sent
    app = create_app(_with_services(settings), database)
    headers = await register("admin", "geheim-admin", alle=True)
    document = remote.create()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        zaak = await _zaak(client, headers, database)
        mark = len(remote.remote.requests)
        resp = await client.post(
            ZIO, json={"zaak": zf.url(zaak), "informatieobject": document}, headers=headers
        )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "forbidden-address"
    assert remote.remote.requests[mark:] == []


async def test_zrc_017_second_remote_document_of_the_same_type_reads_no_catalogue(
    client, superuser, database, remote
):
    zaak = await _zaak(client, superuser, database)
    first, second = remote.create(), remote.create()  # both "Bijlage"
    mark = len(remote.remote.requests)
    for document in (first, second):
        link = await client.post(
            ZIO, json={"zaak": zf.url(zaak), "informatieobject": document}, headers=superuser
        )
        assert link.status_code == 201, link.text
    # a request of our own after the links, so the log holds every call they made
    httpx.get(f"{remote.api}/informatieobjecttypen-bestaat-niet", headers=remote.headers)
    calls = [c.split("?")[0] for c in remote.remote.since(mark, wait=5)]
    # the first: the document, its (published) informatieobjecttype and that type's
    # catalogus; the second: only the document, which may change and is read each time
    assert calls[:4] == [
        f"GET {first.removeprefix(remote.remote.url)}",
        f"GET {remote.types['Bijlage'].removeprefix(remote.remote.url)}",
        f"GET /catalogi/api/v1/catalogussen/{calls[2].rsplit('/', 1)[-1]}",
        f"GET {second.removeprefix(remote.remote.url)}",
    ]
    assert calls[4:] == ["GET /documenten/api/v1/informatieobjecttypen-bestaat-niet"]
