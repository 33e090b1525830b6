"""The lean retrieve (ADR 0023) in the Besluiten register: GET of a besluit or a
besluitinformatieobject without query string is answered ahead of FastAPI's routing, with
the answer the declared route gives, byte for byte. The Besluiten API declares no headers
operation: HEAD stays the router's."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from mijnzaken.besluiten import models as m
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from tests.besluiten import factories as f
from tests.lean import assert_same_answers, dispatch_of, lean_and_routed, refused_callers, routed
from tests.statements import run_counted

API = "/besluiten/api/v1"
ZERO = "00000000-0000-0000-0000-000000000000"
LEAN = [("GET", "/besluiten/{uuid}"), ("GET", "/besluitinformatieobjecten/{uuid}")]


@pytest.fixture
async def clients(
    settings: Settings, database: Database
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with lean_and_routed(settings, database, API) as both:
        yield both


async def _bio(database: Database, besluit: m.Besluit, informatieobject: str) -> m.Besluit:
    async with database.transaction() as session:
        link = m.BesluitInformatieObject(
            uuid=uuid.uuid4(),
            besluit_id=besluit.id,
            informatieobject=informatieobject,
            registratiedatum=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC),
        )
        session.add(link)
        await session.flush()
    return link


def test_every_retrieve_of_the_register_is_lean(app):
    """The start-up comparison finds each declared retrieve of the register where the lean
    route expects it; no other route of the register is taken."""
    assert dispatch_of(app, API).taken() == LEAN


async def test_the_lean_retrieve_answers_as_the_declared_route_does(
    clients, register, superuser, database
):
    lean, ordinary = clients
    besluittype = await f.published_besluittype(database)
    other_type = await f.published_besluittype(database)
    zaak = await f.zaak_allowing(database, besluittype)
    # a besluit with everything: its zaak, the optional dates, a vervalreden
    besluit = await f.create_besluit(
        database,
        besluittype,
        zaak,
        toelichting="Met ë en \u2603",
        bestuursorgaan="College",
        vervaldatum=dt.date(2025, 5, 1),
        vervalreden="tijdelijk",
        publicatiedatum=dt.date(2024, 5, 3),
        verzenddatum=dt.date(2024, 5, 4),
        uiterlijke_reactiedatum=dt.date(2024, 6, 1),
    )
    kaal = await f.create_besluit(database, besluittype)
    remote = await f.create_besluit(
        database, besluittype, zaak_url="https://zaken.example/api/v1/zaken/1"
    )
    anders = await f.create_besluit(database, other_type)
    link = await _bio(database, besluit, "https://documenten.example/api/v1/eio/1")
    link_anders = await _bio(database, anders, "https://documenten.example/api/v1/eio/2")
    lezer = await register(
        "lezer", "geheim-lezer", autorisaties=[f.brc_autorisatie(besluittype, "besluiten.lezen")]
    )
    aanmaker = await register(
        "aanmaker",
        "geheim-aanmaker",
        autorisaties=[f.brc_autorisatie(besluittype, "besluiten.aanmaken")],
    )
    refused = await refused_callers(register, "lezer", "geheim-lezer")

    one = f"{API}/besluiten/{besluit.uuid}"
    ident = str(besluit.uuid)
    first = await lean.get(one, headers=superuser)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    bio = f"{API}/besluitinformatieobjecten/{link.uuid}"

    rows: list[tuple[int, str, str, dict[str, str]]] = [
        (200, "GET", one, superuser),
        (200, "GET", one, lezer),
        (200, "GET", f"{API}/besluiten/{kaal.uuid}", superuser),
        (200, "GET", f"{API}/besluiten/{remote.uuid}", lezer),
        # no headers operation: HEAD is the router's
        (405, "HEAD", one, superuser),
        (405, "HEAD", one, {}),
        # conditional requests
        (304, "GET", one, {**superuser, "If-None-Match": etag}),
        (304, "GET", one, {**superuser, "If-None-Match": f'W/{etag}, "other"'}),
        (304, "GET", one, {**superuser, "If-None-Match": "*"}),
        (200, "GET", one, {**superuser, "If-None-Match": '"other"'}),
        # with query parameters: the declared route (expand, an unknown one, an empty one)
        (200, "GET", f"{one}?expand=besluittype,zaak", superuser),
        # a zaak the reader may not see, a field that cannot be expanded (zrc-027, zrc-028)
        (404, "GET", f"{one}?expand=zaak", lezer),
        (404, "GET", f"{one}?expand=onbekend", superuser),
        (400, "GET", f"{one}?onbekend=1", superuser),
        (200, "GET", f"{one}?expand=", superuser),
        (401, "GET", f"{one}?expand=zaak", {}),
        # authentication
        *((status, "GET", one, headers) for status, headers in refused),
        # authorisation: no scope, another besluittype
        (403, "GET", one, aanmaker),
        (403, "GET", f"{API}/besluiten/{anders.uuid}", lezer),
        (200, "GET", f"{API}/besluiten/{anders.uuid}", superuser),
        # not found, and paths that name no besluit
        (404, "GET", f"{API}/besluiten/{ZERO}", superuser),
        (404, "GET", f"{API}/besluiten/geen-uuid", superuser),
        (401, "GET", f"{API}/besluiten/geen-uuid", {}),
        (404, "GET", f"{API}/besluiten/{ident[:8]}{ident[9:]}", superuser),
        (404, "GET", f"{API}/besluiten/{ident[:-1]}", superuser),
        (307, "GET", f"{one}/", superuser),
        # the forms of a UUID that FastAPI's validation accepts
        (200, "GET", f"{API}/besluiten/{ident.upper()}", superuser),
        (200, "GET", f"{API}/besluiten/{besluit.uuid.hex}", superuser),
        (200, "GET", f"{API}/besluiten/urn:uuid:{ident}", superuser),
        (200, "GET", f"{API}/besluiten/%7B{ident}%7D", superuser),
        # other methods and the paths under a besluit
        (405, "OPTIONS", one, superuser),
        (405, "POST", one, superuser),
        (200, "GET", f"{one}/audittrail", superuser),
        # the besluitinformatieobjecten
        (200, "GET", bio, superuser),
        (200, "GET", bio, lezer),
        (304, "GET", bio, {**superuser, "If-None-Match": "*"}),
        (405, "HEAD", bio, superuser),
        (401, "GET", bio, {}),
        (403, "GET", bio, aanmaker),
        (403, "GET", f"{API}/besluitinformatieobjecten/{link_anders.uuid}", lezer),
        (200, "GET", f"{bio}?expand=besluit", superuser),
        (404, "GET", f"{API}/besluitinformatieobjecten/geen-uuid", superuser),
        (404, "GET", f"{API}/besluitinformatieobjecten/{ZERO}", superuser),
    ]
    statuses = await assert_same_answers(
        lean, ordinary, database, [(m, p, h) for _s, m, p, h in rows]
    )
    assert statuses == [s for s, *_ in rows]
    assert first.json()["zaak"].endswith(f"/zaken/{zaak.uuid}")
    assert first.json()["vervalreden"] == "tijdelijk"


async def test_a_besluit_detail_is_answered_without_the_router(client, app, superuser, database):
    """GET of a besluit without query string takes the lean route and costs what the
    declared route costs; with a query string it goes to the router."""
    besluittype = await f.published_besluittype(database)
    besluit = await f.create_besluit(
        database, besluittype, await f.zaak_allowing(database, besluittype)
    )
    one = f"{API}/besluiten/{besluit.uuid}"
    with routed(app, API) as seen:
        statements, resp = await run_counted(database, lambda: client.get(one, headers=superuser))
        assert resp.status_code == 200, resp.text
        assert seen == []
        # an empty `expand` asks for nothing more: the same answer, from the router
        by_router, again = await run_counted(
            database, lambda: client.get(one, params={"expand": ""}, headers=superuser)
        )
        assert seen == [f"GET {one}"]
    assert again.content == resp.content
    assert len(statements) == len(by_router), (statements, by_router)
