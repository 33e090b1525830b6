"""The lean retrieve (ADR 0023) in the Documenten register: GET and HEAD of a document,
gebruiksrecht, objectinformatieobject or verzending without query string are answered ahead
of FastAPI's routing, with the answer the declared route gives, byte for byte. A document's
versions (`?versie=`, `?registratieOp=`) and `expand` stay the router's."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest

from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from tests.documenten import factories as f
from tests.lean import assert_same_answers, dispatch_of, lean_and_routed, refused_callers, routed
from tests.statements import run_counted
from tests.zaken import factories as zf

API = "/documenten/api/v1"
EIO = f"{API}/enkelvoudiginformatieobjecten"
ZERO = "00000000-0000-0000-0000-000000000000"
LEAN = [
    ("GET", "/gebruiksrechten/{uuid}"),
    ("HEAD", "/gebruiksrechten/{uuid}"),
    ("GET", "/enkelvoudiginformatieobjecten/{uuid}"),
    ("HEAD", "/enkelvoudiginformatieobjecten/{uuid}"),
    ("GET", "/objectinformatieobjecten/{uuid}"),
    ("HEAD", "/objectinformatieobjecten/{uuid}"),
    ("GET", "/verzendingen/{uuid}"),
    ("HEAD", "/verzendingen/{uuid}"),
]


@pytest.fixture
async def clients(
    settings: Settings, database: Database
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with lean_and_routed(settings, database, API) as both:
        yield both


async def _lock(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> str:
    resp = await client.post(f"{url}/lock", headers=headers)
    assert resp.status_code == 200, resp.text
    lock: str = resp.json()["lock"]
    return lock


async def _created(
    client: httpx.AsyncClient, path: str, body: dict, headers: dict[str, str]
) -> str:
    resp = await client.post(path, json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return httpx.URL(resp.json()["url"]).path


def test_every_retrieve_of_the_register_is_lean(app):
    """The start-up comparison finds each declared retrieve of the register where the lean
    route expects it; no other route of the register is taken."""
    assert dispatch_of(app, API).taken() == LEAN


async def test_the_lean_retrieve_answers_as_the_declared_route_does(
    clients, register, superuser, database
):
    lean, ordinary = clients
    iot = await f.informatieobjecttype(database)
    other_type = await f.informatieobjecttype(database)
    doc = await f.create_eio(
        lean, superuser, iot, titel="Met ë en \u2603", trefwoorden=["bouw"], inhoud=b"eerste"
    )
    one = httpx.URL(doc["url"]).path
    ident = one.rsplit("/", 1)[1]
    # a document with three versions, unlocked again
    versioned = await f.create_eio(lean, superuser, iot, inhoud=b"versie een")
    lock = await _lock(lean, versioned["url"], superuser)
    patched = await lean.patch(
        versioned["url"],
        json={"titel": "Twee", "lock": lock, "inhoud": base64.b64encode(b"twee").decode()},
        headers=superuser,
    )
    assert patched.status_code == 200, patched.text
    put = await lean.put(
        versioned["url"], json=f.eio_body(iot, inhoud=None, lock=lock), headers=superuser
    )
    assert put.status_code == 200, put.text
    unlocked = await lean.post(f"{versioned['url']}/unlock", json={"lock": lock}, headers=superuser)
    assert unlocked.status_code == 204, unlocked.text
    # a locked document, and one that awaits its bestandsdelen (locked, parts listed)
    locked = await f.create_eio(lean, superuser, iot)
    await _lock(lean, locked["url"], superuser)
    planned = await lean.post(
        EIO, json=f.eio_body(iot, inhoud=None, bestandsomvang=10), headers=superuser
    )
    assert planned.status_code == 201, planned.text
    assert planned.json()["bestandsdelen"]
    # without content, confidential, and of a type the reader has no rights on
    leeg = await f.create_eio(lean, superuser, iot, inhoud=None)
    geheim = await f.create_eio(lean, superuser, iot, vertrouwelijkheidaanduiding="geheim")
    anders = await f.create_eio(lean, superuser, other_type)
    # the document's gebruiksrecht and verzending, and a zaak it belongs to
    recht = await _created(
        lean,
        f"{API}/gebruiksrechten",
        {
            "informatieobject": doc["url"],
            "startdatum": "2024-01-01T00:00:00Z",
            "omschrijvingVoorwaarden": "Alleen intern",
        },
        superuser,
    )
    verzending = await _created(
        lean,
        f"{API}/verzendingen",
        {
            "betrokkene": "https://klantinteracties.example/api/v1/partijen/1",
            "informatieobject": doc["url"],
            "aardRelatie": "geadresseerde",
            "contactPersoon": "https://klantinteracties.example/api/v1/partijen/2",
            "verzenddatum": "2024-03-04",
            "emailadres": "burger@example.nl",
        },
        superuser,
    )
    zaaktype = await zf.published_zaaktype(database)
    [gekoppeld] = await f.linkable_documents(lean, superuser, database, zaaktype=zaaktype)
    zaak = await zf.create_zaak(database, zaaktype)
    link = await lean.post(
        "/zaken/api/v1/zaakinformatieobjecten",
        json={"zaak": zf.url(zaak), "informatieobject": gekoppeld},
        headers=superuser,
    )
    assert link.status_code == 201, link.text
    [oio] = (
        await lean.get(
            f"{API}/objectinformatieobjecten",
            params={"informatieobject": gekoppeld},
            headers=superuser,
        )
    ).json()
    relatie = httpx.URL(oio["url"]).path

    lezer = await register(
        "lezer",
        "geheim-lezer",
        autorisaties=[f.drc_autorisatie(iot, "documenten.lezen", maximum="intern")],
    )
    aanmaker = await register(
        "aanmaker", "geheim-aanmaker", autorisaties=[f.drc_autorisatie(iot, "documenten.aanmaken")]
    )
    refused = await refused_callers(register, "lezer", "geheim-lezer")

    first = await lean.get(one, headers=superuser)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    path = httpx.URL(versioned["url"]).path

    def doc_path(body: dict) -> str:
        return httpx.URL(body["url"]).path

    rows: list[tuple[int, str, str, dict[str, str]]] = [
        (200, "GET", one, superuser),
        (200, "HEAD", one, superuser),
        (200, "GET", one, lezer),
        (200, "HEAD", one, lezer),
        (200, "GET", path, superuser),
        (200, "GET", doc_path(locked), superuser),
        (200, "GET", doc_path(planned.json()), superuser),
        (200, "HEAD", doc_path(planned.json()), superuser),
        (200, "GET", doc_path(leeg), superuser),
        # conditional requests
        (304, "GET", one, {**superuser, "If-None-Match": etag}),
        (304, "GET", one, {**superuser, "If-None-Match": f'W/{etag}, "other"'}),
        (304, "GET", one, {**superuser, "If-None-Match": "*"}),
        (200, "GET", one, {**superuser, "If-None-Match": '"other"'}),
        (304, "HEAD", one, {**superuser, "If-None-Match": etag}),
        # with query parameters: the declared route (versions, expand, unknown, empty)
        (200, "GET", f"{path}?versie=1", superuser),
        (200, "GET", f"{path}?versie=2", lezer),
        (200, "HEAD", f"{path}?versie=1", superuser),
        (304, "GET", f"{path}?versie=1", {**superuser, "If-None-Match": "*"}),
        (404, "GET", f"{path}?versie=9", superuser),
        (400, "GET", f"{path}?versie=een", superuser),
        (404, "GET", f"{path}?registratieOp=2000-01-01T00:00:00Z", superuser),
        (200, "GET", f"{path}?registratieOp=2999-01-01T00:00:00Z", superuser),
        (200, "GET", f"{one}?expand=informatieobjecttype", superuser),
        (400, "GET", f"{one}?onbekend=1", superuser),
        (200, "GET", f"{one}?expand=", superuser),
        (401, "GET", f"{path}?versie=1", {}),
        # authentication
        *((status, "GET", one, headers) for status, headers in refused),
        (401, "HEAD", one, {}),
        # authorisation: no scope, another informatieobjecttype, above the maximum
        (403, "GET", one, aanmaker),
        (403, "HEAD", one, aanmaker),
        (403, "GET", doc_path(anders), lezer),
        (403, "GET", doc_path(geheim), lezer),
        (200, "GET", doc_path(geheim), superuser),
        # not found, and paths that name no document
        (404, "GET", f"{EIO}/{ZERO}", superuser),
        (404, "HEAD", f"{EIO}/{ZERO}", superuser),
        (404, "GET", f"{EIO}/geen-uuid", superuser),
        (401, "GET", f"{EIO}/geen-uuid", {}),
        (404, "GET", f"{EIO}/_zoek", superuser),
        (307, "GET", f"{one}/", superuser),
        # the forms of a UUID that FastAPI's validation accepts
        (200, "GET", f"{EIO}/{ident.upper()}", superuser),
        (200, "GET", f"{EIO}/{ident.replace('-', '')}", superuser),
        (200, "GET", f"{EIO}/urn:uuid:{ident}", superuser),
        (200, "GET", f"{EIO}/%7B{ident}%7D", superuser),
        # and those it does not: one hyphen left out, one character short
        (404, "GET", f"{EIO}/{ident[:8]}{ident[9:]}", superuser),
        (404, "GET", f"{EIO}/{ident[:-1]}", superuser),
        # other methods and the paths under a document
        (405, "OPTIONS", one, superuser),
        (405, "POST", one, superuser),
        (200, "GET", f"{one}/download", superuser),
        (403, "GET", f"{doc_path(geheim)}/download", lezer),
        (200, "GET", f"{one}/audittrail", superuser),
        (405, "GET", f"{one}/lock", superuser),
        # the other retrieves of the register
        (200, "GET", recht, superuser),
        (200, "HEAD", recht, superuser),
        (200, "GET", recht, lezer),
        (401, "GET", recht, {}),
        (403, "GET", recht, aanmaker),
        (200, "GET", f"{recht}?expand=informatieobject", superuser),
        (200, "GET", verzending, superuser),
        (200, "HEAD", verzending, lezer),
        (304, "GET", verzending, {**superuser, "If-None-Match": "*"}),
        (200, "GET", relatie, superuser),
        (200, "HEAD", relatie, superuser),
        (403, "GET", relatie, lezer),
        (200, "GET", f"{relatie}?expand=informatieobject", superuser),
        (404, "GET", f"{API}/gebruiksrechten/geen-uuid", superuser),
        (404, "GET", f"{API}/verzendingen/{ZERO}", superuser),
        (404, "HEAD", f"{API}/objectinformatieobjecten/{ZERO}", superuser),
    ]
    statuses = await assert_same_answers(
        lean, ordinary, database, [(m, p, h) for _s, m, p, h in rows]
    )
    assert statuses == [s for s, *_ in rows]
    # the detail of a locked document, and of one that awaits its parts
    assert (await lean.get(doc_path(locked), headers=superuser)).json()["locked"] is True
    waiting = (await lean.get(doc_path(planned.json()), headers=superuser)).json()
    assert waiting["locked"] is True
    assert waiting["bestandsdelen"]
    assert first.json()["inhoud"] == f"{doc['url']}/download?versie=1"


async def test_a_document_detail_is_answered_without_the_router(client, app, superuser, database):
    """GET and HEAD of a document without query string take the lean route and cost what
    the declared route costs: the client look-up and the document; a version goes to the
    router."""
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    one = httpx.URL(doc["url"]).path
    with routed(app, API) as seen:
        for method in ("GET", "HEAD"):
            statements, resp = await run_counted(
                database, lambda m=method: client.request(m, one, headers=superuser)
            )
            assert resp.status_code == 200, resp.text
            assert len(statements) == 2, statements
        assert seen == []
        resp = await client.get(one, params={"versie": 1}, headers=superuser)
        assert resp.status_code == 200, resp.text
        assert seen == [f"GET {one}"]
