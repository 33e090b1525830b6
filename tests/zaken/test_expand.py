"""The `expand` mechanism (core/expand.py, zrc-025 … zrc-028): through the standard list and
retrieve operations of core/resource.py, and the engine on its own for the zaak fields.

The Zaken resources switch `expandable` on themselves; these tests mount expandable copies of
/statussen and /rollen in front of the Zaken API, so the answers are still checked against the
spec (StatusExpanded, RolExpanded).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import event, select
from starlette.requests import Request
from starlette.routing import Mount

import mijnzaken.catalogi.api.expand  # noqa: F401  (registers the Catalogi loaders)
from mijnzaken.app import create_app
from mijnzaken.catalogi import models as cm
from mijnzaken.core import expand
from mijnzaken.core.api import register_app
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import NotFound, ValidationFailed
from mijnzaken.core.resource import Ctx, add_operations
from mijnzaken.core.urls import Urls
from mijnzaken.zaken import models as m
from mijnzaken.zaken.api import rollen, statussen
from tests.catalogi import factories as cf
from tests.conftest import SPECS_MISSING, _check_contract
from tests.contract.spec import ContractViolation
from tests.zaken import factories as f

STATUSSEN = "/zaken/api/v1/statussen"
ROLLEN = "/zaken/api/v1/rollen"
BASE = "http://testserver"


@pytest.fixture
def app(settings: Any, database: Any) -> Any:
    """The app, with expandable /statussen and /rollen in front of the Zaken API."""
    application = create_app(settings, database)
    router = APIRouter()
    for module in (statussen, rollen):
        add_operations(router, dataclasses.replace(module.RESOURCE, expandable=True))
    sub = register_app(title="Zaken API", version="1.7.0", description="", routers=[router])
    sub.state.runtime = application.state.runtime
    application.router.routes.insert(0, Mount("/zaken/api/v1", app=sub))
    return application


async def _check_contract_but_oneof_erratum(response: httpx.Response) -> None:
    """The spec's `oneOf: [StatusType, GenesteExpansie]` cannot be met: GenesteExpansie is
    any object, so every correct StatusType matches both. Tolerate exactly that finding; the
    Catalogi bodies are checked against their own schemas by the Catalogi tests."""
    try:
        await _check_contract(response)
    except ContractViolation as exc:
        problems = [line for line in str(exc).splitlines() if line.startswith("  at ")]
        if not problems or not all(
            "is valid under each of" in p and "GenesteExpansie" in p for p in problems
        ):
            raise


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    hooks = {"response": [_check_contract_but_oneof_erratum]} if SPECS_MISSING is None else {}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, event_hooks=hooks) as c:
        yield c


async def _store(database: Any, *objs: Any) -> None:
    async with database.transaction() as session:
        session.add_all(objs)
        await session.flush()


async def _types(database: Any, zaaktype: cm.ZaakType) -> tuple[cm.StatusType, cm.RolType]:
    async with database.transaction() as session:
        statustype = (
            await session.execute(
                select(cm.StatusType).where(cm.StatusType.zaaktype_id == zaaktype.id).limit(1)
            )
        ).scalar_one()
        roltype = (
            await session.execute(select(cm.RolType).where(cm.RolType.zaaktype_id == zaaktype.id))
        ).scalar_one()
    return statustype, roltype


async def _zaak_with_status(
    database: Any, zaaktype: cm.ZaakType, **zaak: Any
) -> tuple[m.Zaak, m.Status, m.Rol]:
    """A zaak with a rol (of the zaaktype's roltype) that set its one status."""
    statustype, roltype = await _types(database, zaaktype)
    obj = await f.create_zaak(database, zaaktype, **zaak)
    rol = m.Rol(
        zaak_id=obj.id,
        roltype_id=roltype.id,
        betrokkene="https://brp.example/personen/1",
        betrokkene_type="natuurlijk_persoon",
        registratiedatum=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )
    await _store(database, rol)
    status = m.Status(
        zaak_id=obj.id,
        statustype_id=statustype.id,
        datum_status_gezet=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
        gezetdoor=f.url(rol),
    )
    await _store(database, status)
    return obj, status, rol


def _count(database: Any) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(engine, "before_cursor_execute", before)


async def test_zrc_026_list_expands_nested_paths(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    _zaak, status, rol = await _zaak_with_status(database, zaaktype)
    resp = await client.get(
        STATUSSEN,
        params={"expand": "statustype.zaaktype.catalogus,gezetdoor.roltype,zaakinformatieobjecten"},
        headers=superuser,
    )
    assert resp.status_code == 200, resp.text
    [item] = resp.json()["results"]
    assert item["url"] == f.url(status)
    embedded = item["_expand"]
    assert embedded["statustype"]["url"] == item["statustype"]
    assert embedded["statustype"]["omschrijving"] == "Ontvangen"
    zaaktype_body = embedded["statustype"]["_expand"]["zaaktype"]
    assert zaaktype_body["url"] == cf.url(zaaktype)
    assert zaaktype_body["_expand"]["catalogus"]["url"] == zaaktype_body["catalogus"]
    assert embedded["gezetdoor"]["url"] == f.url(rol)
    assert embedded["gezetdoor"]["_expand"]["roltype"]["omschrijving"] == "Aanvrager"
    assert embedded["zaakinformatieobjecten"] == []  # a list field expands to a list


async def test_without_expand_the_body_is_unchanged(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    _zaak, status, _rol = await _zaak_with_status(database, zaaktype)
    listed = (await client.get(STATUSSEN, headers=superuser)).json()["results"]
    retrieved = (await client.get(f.url(status), headers=superuser)).json()
    assert "_expand" not in listed[0]
    assert retrieved == listed[0]


async def test_retrieve_expands_and_etag_covers_the_expansion(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    _zaak, status, _rol = await _zaak_with_status(database, zaaktype)
    plain = await client.get(f.url(status), headers=superuser)
    expanded = await client.get(f.url(status), params={"expand": "statustype"}, headers=superuser)
    assert expanded.status_code == 200, expanded.text
    assert expanded.json()["_expand"]["statustype"]["url"] == plain.json()["statustype"]
    assert expanded.headers["ETag"] != plain.headers["ETag"]
    again = await client.get(
        f.url(status),
        params={"expand": "statustype"},
        headers={**superuser, "If-None-Match": expanded.headers["ETag"]},
    )
    assert again.status_code == 304


async def test_rol_expands_its_statussen_list(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    _zaak, _status, rol = await _zaak_with_status(database, zaaktype)
    resp = await client.get(f.url(rol), params={"expand": "roltype,statussen"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["_expand"]["roltype"]["url"] == body["roltype"]
    assert [s["url"] for s in body["_expand"]["statussen"]] == body["statussen"]


async def test_list_with_expand_costs_the_same_statements_for_one_or_many(
    client, superuser, database
):
    wanted = {"expand": "statustype.zaaktype.statustypen,gezetdoor.roltype.zaaktype"}

    async def statements() -> int:
        seen, stop = _count(database)
        try:
            resp = await client.get(STATUSSEN, params=wanted, headers=superuser)
        finally:
            stop()
        assert resp.status_code == 200, resp.text
        for item in resp.json()["results"]:
            assert item["_expand"]["gezetdoor"]["_expand"]["roltype"]["_expand"]["zaaktype"]
        return len(seen)

    first = await f.published_zaaktype(database)
    await _zaak_with_status(database, first)
    one = await statements()
    second = await f.published_zaaktype(database, identificatie="ZT-2")
    for i in range(5):
        await _zaak_with_status(database, first if i % 2 else second)
    assert await statements() == one


async def test_zrc_027_unknown_expand_attribute_is_404(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    _zaak, status, _rol = await _zaak_with_status(database, zaaktype)
    for url, value in (
        (STATUSSEN, "statustype,bestaatniet"),
        (f.url(status), "statustype.bestaatniet"),
        (STATUSSEN, "datumStatusGezet"),  # an attribute, but not a reference
    ):
        resp = await client.get(url, params={"expand": value}, headers=superuser)
        assert resp.status_code == 404, (value, resp.text)
        assert resp.json()["code"] == "expand-onbekend-attribuut"
        assert value.split(",")[-1] in resp.json()["detail"]


async def test_zrc_025_expand_outside_zaken_and_catalogi_is_400(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    await _zaak_with_status(database, zaaktype)
    resp = await client.get(ROLLEN, params={"expand": "roltype,betrokkene"}, headers=superuser)
    assert resp.status_code == 400, resp.text
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("expand", "expand-buiten-bereik")
    with pytest.raises(ValidationFailed):
        expand.paths("zaakinformatieobjecten.informatieobject", "zaken", "zaken")


async def test_zrc_028_expanding_what_the_caller_may_not_read_is_404(client, register, database):
    """zrc-006 holds inside `_expand`, and zrc-028 says what cannot be returned makes the
    request a 404: a status set by a rol of a zaak of another zaaktype."""
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, identificatie="ZT-GEHEIM")
    _zaak, status, _rol = await _zaak_with_status(database, mine)
    _other_zaak, _other_status, hidden_rol = await _zaak_with_status(database, other)
    async with database.transaction() as session:
        row = await session.get(m.Status, status.id)
        assert row is not None
        row.gezetdoor = f.url(hidden_rol)
    reader = await register(
        "lezer", "lezer-geheim", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    resp = await client.get(
        f.url(status), params={"expand": "gezetdoor,statustype"}, headers=reader
    )
    assert resp.status_code == 404, resp.text
    assert resp.json()["code"] == "expand-niet-op-te-halen"
    assert "gezetdoor" in resp.json()["detail"]
    assert f.url(hidden_rol) not in resp.text
    # the same answer as for a rol that does not exist: nothing about the hidden one leaks
    async with database.transaction() as session:
        row = await session.get(m.Status, status.id)
        assert row is not None
        row.gezetdoor = f"{BASE}{ROLLEN}/{uuid.uuid4()}"  # no such rol
    missing = await client.get(
        f.url(status), params={"expand": "gezetdoor,statustype"}, headers=reader
    )
    assert (missing.status_code, missing.json()["detail"]) == (404, resp.json()["detail"])
    # what the caller may read still expands
    readable = await client.get(f.url(status), params={"expand": "statustype"}, headers=reader)
    assert readable.status_code == 200, readable.text
    assert readable.json()["_expand"]["statustype"]["url"] == readable.json()["statustype"]


# The engine on its own, for the fields of a zaak (rendered here by hand).


@pytest.fixture
async def ctx(settings: Any, database: Any) -> AsyncIterator[Ctx]:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    auth = AuthContext(client_id="test", heeft_alle_autorisaties=True)
    async with database.transaction() as session:
        yield Ctx(Request(scope), session, Urls(BASE), auth, settings)


def _zaak_body(zaak: m.Zaak, status: m.Status | None, rollen: list[m.Rol]) -> dict[str, Any]:
    return {
        "url": f.url(zaak),
        "zaaktype": f"{BASE}/catalogi/api/v1/zaaktypen/{zaak.zaaktype_uuid}",
        "hoofdzaak": None,
        "status": f.url(status) if status else None,
        "resultaat": None,
        "rollen": [f.url(r) for r in rollen],
        "relevanteAndereZaken": [],
        "eigenschappen": [],
    }


async def test_engine_expands_zaak_fields_with_empty_objects_for_null(ctx, database):
    zaaktype = await f.published_zaaktype(database)
    zaak, status, rol = await _zaak_with_status(database, zaaktype)
    body = _zaak_body(zaak, status, [rol])
    tree = expand.paths(
        "zaaktype,status,status.statustype,rollen.roltype,resultaat.resultaattype,hoofdzaak",
        "zaken",
        "zaken",
    )
    await expand.expand(ctx, [body], "zaken", "zaken", tree)
    embedded = body["_expand"]
    assert embedded["zaaktype"]["identificatie"] == "ZT-1"
    assert embedded["status"]["url"] == f.url(status)
    assert embedded["status"]["_expand"]["statustype"]["volgnummer"] == 1
    assert [r["_expand"]["roltype"]["omschrijving"] for r in embedded["rollen"]] == ["Aanvrager"]
    assert embedded["resultaat"] == {}  # the spec's EmptyObject
    assert embedded["hoofdzaak"] == {}


async def test_zrc_028_engine_refuses_urls_that_are_not_ours(ctx, database):
    zaaktype = await f.published_zaaktype(database)
    zaak, status, rol = await _zaak_with_status(database, zaaktype)
    tree = expand.paths("zaaktype,rollen", "zaken", "zaken")
    body = _zaak_body(zaak, status, [rol])
    await expand.expand(ctx, [body], "zaken", "zaken", tree)
    assert [r["url"] for r in body["_expand"]["rollen"]] == [f.url(rol)]
    foreign_type = _zaak_body(zaak, status, [rol])
    foreign_type["zaaktype"] = (
        f"https://elders.example/catalogi/api/v1/zaaktypen/{zaak.zaaktype_uuid}"
    )
    with pytest.raises(NotFound) as refused:
        await expand.expand(ctx, [foreign_type], "zaken", "zaken", tree)
    assert refused.value.code == "expand-niet-op-te-halen"
    foreign_rol = _zaak_body(zaak, status, [rol])
    foreign_rol["rollen"].append("https://elders.example/zaken/api/v1/rollen/1")
    with pytest.raises(NotFound):
        await expand.expand(ctx, [foreign_rol], "zaken", "zaken", tree)


async def test_engine_page_of_zaken_costs_one_batch_per_level(ctx, database):
    """Statements depend on the requested levels, not on the number of zaken."""
    tree = expand.paths("zaaktype,status.statustype,rollen.roltype", "zaken", "zaken")

    async def statements(n: int) -> int:
        bodies = []
        for _ in range(n):
            zaak, status, rol = await _zaak_with_status(database, zaaktype)
            bodies.append(_zaak_body(zaak, status, [rol]))
        seen, stop = _count(database)
        try:
            await expand.expand(ctx, bodies, "zaken", "zaken", tree)
        finally:
            stop()
        assert all(b["_expand"]["status"]["_expand"]["statustype"] for b in bodies)
        return len(seen)

    zaaktype = await f.published_zaaktype(database)
    cold = await statements(1)  # the catalogue types are loaded and kept for the next pages
    one, seven = await statements(1), await statements(7)
    assert one == seven, (one, seven)
    # statussen with their documents (one statement), rollen with the statussen they set
    # (one statement); the zaaktype, statustypen and roltypen come from the catalogue cache
    assert one == 2, one
    assert cold > one


async def test_engine_expands_every_catalogi_type(ctx, database):
    catalogus = await cf.create_catalogus(database)
    zaaktype = await f.published_zaaktype(
        database, catalogus_id=catalogus.id, besluittype_omschrijvingen=["Vergunningsbesluit"]
    )
    await cf.create_besluittype(database, catalogus, concept=False)
    await cf.create_informatieobjecttype(database, catalogus, concept=False)
    statustype, _roltype = await _types(database, zaaktype)
    await _store(
        database,
        cm.ResultaatType(
            zaaktype_id=zaaktype.id,
            omschrijving="Verleend",
            resultaattypeomschrijving="https://selectielijst.example/resultaattypeomschrijvingen/1",
            selectielijstklasse="https://selectielijst.example/resultaten/1",
        ),
        cm.Eigenschap(
            zaaktype_id=zaaktype.id,
            naam="kenteken",
            definitie="Kenteken",
            specificatie={"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
            statustype_id=statustype.id,
        ),
        cm.ZaakObjectType(
            zaaktype_id=zaaktype.id,
            ander_objecttype=False,
            objecttype="https://objecttypen.example/1",
            relatie_omschrijving="Voertuig",
        ),
    )
    url = cf.url(zaaktype)
    [body] = (await expand._TARGETS[("catalogi", "zaaktypen")].load(ctx, [zaaktype.uuid])).values()
    assert body["url"] == url
    tree = expand.paths(
        "catalogus.besluittypen.informatieobjecttypen,statustypen,roltypen,"
        "resultaattypen.zaaktype,eigenschappen.statustype,zaakobjecttypen,besluittypen",
        "catalogi",
        "zaaktypen",
    )
    await expand.expand(ctx, [body], "catalogi", "zaaktypen", tree)
    embedded = body["_expand"]
    assert embedded["catalogus"]["url"] == body["catalogus"]
    [besluittype] = embedded["catalogus"]["_expand"]["besluittypen"]
    assert besluittype["omschrijving"] == "Vergunningsbesluit"
    assert [i["omschrijving"] for i in besluittype["_expand"]["informatieobjecttypen"]] == []
    assert [s["volgnummer"] for s in embedded["statustypen"]] == [1, 2]
    assert [r["omschrijving"] for r in embedded["roltypen"]] == ["Aanvrager"]
    assert [r["_expand"]["zaaktype"]["url"] for r in embedded["resultaattypen"]] == [url]
    [eigenschap] = embedded["eigenschappen"]
    assert eigenschap["_expand"]["statustype"]["url"] == cf.url(statustype)
    assert [z["relatieOmschrijving"] for z in embedded["zaakobjecttypen"]] == ["Voertuig"]
    assert [b["url"] for b in embedded["besluittypen"]] == body["besluittypen"]
    assert body["besluittypen"]  # the name resolved to the published besluittype


def test_paths_merge_into_one_tree():
    tree = expand.paths("status,status.statustype, rollen.roltype,rollen", "zaken", "zaken")
    assert tree == {"status": {"statustype": {}}, "rollen": {"roltype": {}}}
    assert expand.paths(None, "zaken", "zaken") == {}
    assert expand.paths("", "zaken", "zaken") == {}
    with pytest.raises(NotFound):
        expand.paths("status.", "zaken", "zaken")


async def test_zrc_029_fields_expand_and_select(ctx, database):
    zaaktype = await f.published_zaaktype(database)
    zaak, status, rol = await _zaak_with_status(database, zaaktype)
    fields = [
        "url",
        {"zaaktype": ["identificatie", {"catalogus": ["domein"]}]},
        {"status": ["*"]},
        {"resultaat": ["*"]},
    ]
    tree = expand.fields_paths(fields, "zaken", "zaken")
    assert tree == {"zaaktype": {"catalogus": {}}, "status": {}, "resultaat": {}}
    body = _zaak_body(zaak, status, [rol])
    await expand.expand(ctx, [body], "zaken", "zaken", tree)
    selected = expand.select_fields(body, fields)
    assert selected["url"] == f.url(zaak)
    assert "rollen" not in selected
    catalogus = selected["_expand"]["zaaktype"]["catalogus"]  # an expanded field keeps its URL
    assert selected["_expand"]["zaaktype"] == {
        "identificatie": "ZT-1",
        "catalogus": catalogus,
        "_expand": {"catalogus": {"domein": "TEST"}},
    }
    assert selected["_expand"]["status"]["url"] == f.url(status)  # "*": every attribute
    assert selected["_expand"]["resultaat"] == {}
    with pytest.raises(NotFound):
        expand.fields_paths([{"bestaatniet": ["*"]}], "zaken", "zaken")
