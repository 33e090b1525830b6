"""The lean retrieve (ADR 0023): GET and HEAD of one object without query string answered
ahead of FastAPI's routing. Every answer must be the one the declared route gives, byte for
byte, and leave the same processing-log entries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from mijnzaken.core.api import ApiModel, LeanDispatch, register_app
from mijnzaken.core.db import Database
from mijnzaken.core.resource import Resource, Scopes, add_operations
from mijnzaken.core.settings import Settings
from tests.catalogi import factories as cf
from tests.lean import (
    assert_same_answers,
    dispatch_of,
    lean_and_routed,
    log_rows,
    refused_callers,
    routed,
)
from tests.statements import run_counted
from tests.zaken import factories as f

API = "/zaken/api/v1"
CRS = {"Accept-Crs": "EPSG:4326"}
BSN = "111222333"


@pytest.fixture
async def clients(
    settings: Settings, database: Database
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    async with lean_and_routed(settings, database, API) as both:
        yield both


async def test_the_lean_retrieve_answers_as_the_declared_route_does(
    clients, register, superuser, database
):
    lean, ordinary = clients
    zaaktype = await f.published_zaaktype(database)
    other_type = await f.published_zaaktype(database, identificatie="ZT-2")
    roltype = await cf.create_roltype(database, zaaktype)
    statustype = await cf.create_statustype(database, zaaktype, volgnummer=3)
    resultaattype = await cf.create_resultaattype(database, zaaktype)
    hoofdzaak = await f.create_zaak(database, zaaktype, identificatie="HOOFD")
    # a zaak with everything: BSN-rol, geometry, status, resultaat, hoofdzaak and deelzaak
    zaak = await f.create_zaak(
        database,
        zaaktype,
        identificatie="VOL",
        hoofdzaak_id=hoofdzaak.id,
        zaakgeometrie={"type": "Point", "coordinates": [5.1214, 52.0907]},
        toelichting="Met ë en \u2603",
    )
    await f.create_zaak(database, zaaktype, identificatie="DEEL", hoofdzaak_id=zaak.id)
    rol = await f.create_rol(database, zaak, roltype, bsn=BSN)
    status = await f.create_status(database, zaak, statustype)
    await f.create_resultaat(database, zaak, resultaattype)
    kaal = await f.create_zaak(database, zaaktype, identificatie="KAAL")
    geheim = await f.create_zaak(
        database, zaaktype, identificatie="GEHEIM", vertrouwelijkheidaanduiding="geheim"
    )
    anders = await f.create_zaak(database, other_type, identificatie="ANDERS")
    lezer = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    schrijver_only = await register(
        "aanmaker", "geheim-aanmaker", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.aanmaken")]
    )
    refused = await refused_callers(register, "lezer", "geheim-lezer")

    first = await lean.get(f"{API}/zaken/{zaak.uuid}", headers={**superuser, **CRS})
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]

    one = f"{API}/zaken/{zaak.uuid}"
    matrix: list[tuple[str, str, dict[str, str]]] = [
        ("GET", one, {**superuser, **CRS}),
        ("HEAD", one, {**superuser, **CRS}),
        ("GET", one, {**lezer, **CRS}),
        ("HEAD", one, {**lezer, **CRS}),
        ("GET", f"{API}/zaken/{kaal.uuid}", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/{hoofdzaak.uuid}", {**lezer, **CRS}),
        # conditional requests
        ("GET", one, {**superuser, **CRS, "If-None-Match": etag}),
        ("GET", one, {**superuser, **CRS, "If-None-Match": f'W/{etag}, "other"'}),
        ("GET", one, {**superuser, **CRS, "If-None-Match": "*"}),
        ("GET", one, {**superuser, **CRS, "If-None-Match": '"other"'}),
        ("HEAD", one, {**superuser, **CRS, "If-None-Match": etag}),
        # with query parameters: the declared route (expand, an unknown one, an empty one)
        ("GET", f"{one}?expand=status,rollen,hoofdzaak", {**superuser, **CRS}),
        ("GET", f"{one}?onbekend=1", {**superuser, **CRS}),
        ("GET", f"{one}?expand=", {**superuser, **CRS}),
        ("HEAD", f"{one}?expand=status", {**superuser, **CRS}),
        # the CRS header
        ("GET", one, superuser),
        ("GET", one, {**superuser, "Accept-Crs": "EPSG:28992"}),
        ("GET", one, {**superuser, "Accept-Crs": " EPSG:4326 "}),
        ("HEAD", one, superuser),
        ("GET", one, {}),
        # authentication
        *(("GET", one, {**CRS, **headers}) for _status, headers in refused),
        ("HEAD", one, CRS),
        # authorisation: no scope, another zaaktype, above the maximum vertrouwelijkheid
        ("GET", one, {**CRS, **schrijver_only}),
        ("GET", f"{API}/zaken/{anders.uuid}", {**CRS, **lezer}),
        ("GET", f"{API}/zaken/{geheim.uuid}", {**CRS, **lezer}),
        ("GET", f"{API}/zaken/{geheim.uuid}", {**CRS, **superuser}),
        # not found, and paths that name no zaak
        ("GET", f"{API}/zaken/00000000-0000-0000-0000-000000000000", {**superuser, **CRS}),
        ("HEAD", f"{API}/zaken/00000000-0000-0000-0000-000000000000", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/geen-uuid", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/geen-uuid", CRS),
        ("GET", f"{API}/zaken/geen-uuid", {}),
        ("GET", f"{API}/zaken/_zoek", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/{zaak.uuid}/", {**superuser, **CRS}),
        # the forms of a UUID that FastAPI's validation accepts
        ("GET", f"{API}/zaken/{str(zaak.uuid).upper()}", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/{zaak.uuid.hex}", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/urn:uuid:{zaak.uuid}", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/%7B{zaak.uuid}%7D", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/{str(zaak.uuid)[:8]}-{str(zaak.uuid)[9:]}", {**superuser, **CRS}),
        # and spellings it refuses: a hyphen left out, a character short
        ("GET", f"{API}/zaken/{str(zaak.uuid)[:8]}{str(zaak.uuid)[9:]}", {**superuser, **CRS}),
        ("GET", f"{API}/zaken/{str(zaak.uuid)[:-1]}", {**superuser, **CRS}),
        # other methods on the same path
        ("OPTIONS", one, {**superuser, **CRS}),
        # the other retrieves of the register
        ("GET", f"{API}/statussen/{status.uuid}", superuser),
        ("HEAD", f"{API}/statussen/{status.uuid}", superuser),
        ("GET", f"{API}/rollen/{rol.uuid}", superuser),
        ("GET", f"{API}/rollen/{rol.uuid}", lezer),
        ("GET", f"{API}/rollen/{rol.uuid}", {}),
        ("GET", f"{API}/rollen/{rol.uuid}?expand=zaak", superuser),
        ("GET", f"{API}/statussen/geen-uuid", superuser),
        ("GET", f"{API}/resultaten/00000000-0000-0000-0000-000000000000", superuser),
    ]
    await assert_same_answers(lean, ordinary, database, matrix)
    # the reads of the zaak with a BSN-rol were logged, one entry each, by both paths
    entries = [r for r in await log_rows(database) if r["objecten"]]
    assert entries
    assert all(r["objecten"][0]["object_id"] == BSN for r in entries)


async def test_a_zaak_detail_is_answered_without_the_router(client, app, superuser, database):
    """The lean retrieve is taken for GET and HEAD of a zaak without query string, and
    costs what the declared route costs: the client look-up and the zaak with its
    relations (the processing log writes on connections of its own)."""
    zaaktype = await f.published_zaaktype(database)
    roltype = await cf.create_roltype(database, zaaktype)
    zaak = await f.create_zaak(database, zaaktype)
    await f.create_rol(database, zaak, roltype, bsn=BSN)
    taken = dispatch_of(app, API).taken()
    assert ("GET", "/zaken/{uuid}") in taken
    assert ("HEAD", "/zaken/{uuid}") in taken
    headers = {**superuser, **CRS}
    with routed(app, API) as seen:
        for method in ("GET", "HEAD"):
            statements, resp = await run_counted(
                database,
                lambda m=method: client.request(m, f"{API}/zaken/{zaak.uuid}", headers=headers),
            )
            assert resp.status_code == 200, resp.text
            requests = [s for s in statements if "verwerkingen_" not in s]
            assert len(requests) == 2, requests
            assert "catalogi_versie" in requests[0]
        assert seen == []
        resp = await client.get(
            f"{API}/zaken/{zaak.uuid}", params={"expand": "rollen"}, headers=headers
        )
        assert resp.status_code == 200, resp.text
        assert seen == [f"GET {API}/zaken/{zaak.uuid}"]


def test_a_hand_written_read_keeps_its_route(app):
    """zaaknotities declares its own read: no lean route stands in for it."""
    taken = dispatch_of(app, API).taken()
    assert ("GET", "/zaaknotities/{uuid}") not in taken
    assert ("GET", "/statussen/{uuid}") in taken


def _proef_resource(api: str, router: APIRouter) -> None:
    """A resource of API `api` with the standard retrieve, added to `router`."""

    async def get(_ctx: Any, _ident: Any) -> Any:
        raise AssertionError("not called")

    async def render(_ctx: Any, _items: Any) -> list[dict[str, Any]]:
        raise AssertionError("not called")

    add_operations(
        router,
        Resource(
            api=api,
            collection="dingen",
            name="ding",
            out=ApiModel,
            model=object,
            read=Scopes.of("proef", "lezen"),
            get=get,
            render=render,
        ),
    )


def test_a_route_with_more_than_the_lean_route_knows_keeps_its_route():
    """A router's own dependencies or a route class the resource does not declare are part
    of the answer the lean route would not give: such a retrieve keeps its declared route."""

    async def extra() -> None:
        return None

    plain = APIRouter()
    _proef_resource("proef-plain", plain)
    app = register_app(
        title="Proef", version="1", description="", routers=[plain], api="proef-plain"
    )
    assert app.router.middleware_stack.taken() == [
        ("GET", "/dingen/{uuid}"),
        ("HEAD", "/dingen/{uuid}"),
    ]

    guarded = APIRouter(dependencies=[Depends(extra)])
    _proef_resource("proef-guarded", guarded)
    app = register_app(
        title="Proef", version="1", description="", routers=[guarded], api="proef-guarded"
    )
    assert not isinstance(app.router.middleware_stack, LeanDispatch)

    class OwnRoute(APIRoute):
        pass

    own = APIRouter(route_class=OwnRoute)
    _proef_resource("proef-own", own)
    app = register_app(title="Proef", version="1", description="", routers=[own], api="proef-own")
    assert not isinstance(app.router.middleware_stack, LeanDispatch)
