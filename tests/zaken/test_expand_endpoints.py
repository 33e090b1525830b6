"""`expand` (and `fields`, zrc-029) on the Zaken endpoints written by hand: POST /zaken/_zoek,
the plain-array list and the retrieve of /zaakinformatieobjecten, the nested
/zaken/{uuid}/besluiten; expansion TO zaakinformatieobjecten and zaakeigenschappen from other
resources; and the Moment input type (naive moments are Dutch local time)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select

from mijnzaken.catalogi import models as cm
from mijnzaken.zaken import models as m
from tests.conftest import BASE, SPECS_MISSING, _check_contract
from tests.contract.spec import ContractViolation
from tests.zaken import factories as f

ZAKEN = "/zaken/api/v1/zaken"
ZIO = "/zaken/api/v1/zaakinformatieobjecten"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
DOC = "https://documenten.elders.nl/documenten/api/v1/enkelvoudiginformatieobjecten/"
BESLUIT = "https://besluiten.elders.nl/besluiten/api/v1/besluiten/1"


def _ident(url: str) -> uuid.UUID:
    return uuid.UUID(url.rsplit("/", 1)[-1])


def _tolerating(*allowed: Callable[[str], bool]) -> Any:
    """The contract check, tolerating findings `allowed` recognises (and only those)."""

    async def check(response: httpx.Response) -> None:
        try:
            await _check_contract(response)
        except ContractViolation as exc:
            problems = [line for line in str(exc).splitlines() if line.startswith("  at ")]
            if not problems or not all(any(a(p) for a in allowed) for p in problems):
                raise

    return check


def _selected_fields(problem: str) -> bool:
    """zrc-029 answers only the attributes `fields` names: Zaak's required ones may be missing."""
    return "is a required property" in problem


async def _client(app: Any, *allowed: Callable[[str], bool]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    hooks = {"response": [_tolerating(*allowed)]} if SPECS_MISSING is None else {}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, event_hooks=hooks) as c:
        yield c


@pytest.fixture
async def fields_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async for c in _client(app, _selected_fields):
        yield c


def h(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, **CRS}


async def _store(database: Any, *objs: Any) -> None:
    async with database.transaction() as session:
        session.add_all(objs)
        await session.flush()


async def _zaak(database: Any, zaaktype: cm.ZaakType, **over: Any) -> dict[str, Any]:
    """A zaak with a status, a document, an eigenschap value and a besluit, by URL."""
    zaak = await f.create_zaak(database, zaaktype, **over)
    async with database.transaction() as session:
        statustype = (
            (
                await session.execute(
                    select(cm.StatusType).where(cm.StatusType.zaaktype_id == zaaktype.id)
                )
            )
            .scalars()
            .first()
        )
        eigenschap = (
            await session.execute(
                select(cm.Eigenschap).where(cm.Eigenschap.zaaktype_id == zaaktype.id)
            )
        ).scalar_one()
        assert statustype is not None
        status = m.Status(
            zaak_id=zaak.id,
            statustype_id=statustype.id,
            datum_status_gezet=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
        )
        session.add(status)
        await session.flush()
        row = await session.get(m.Zaak, zaak.id)
        assert row is not None
        row.status_id = status.id
        zio = m.ZaakInformatieObject(
            zaak_id=zaak.id,
            informatieobject=f"{DOC}{zaak.id}",
            titel="Aanvraag",
            registratiedatum=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
            status_id=status.id,
        )
        waarde = m.ZaakEigenschap(zaak_id=zaak.id, eigenschap_id=eigenschap.id, waarde="AB-12")
        besluit = m.ZaakBesluit(zaak_id=zaak.id, besluit=BESLUIT)
        session.add_all([zio, waarde, besluit])
        await session.flush()
    zaak_url = f.url(zaak)
    return {
        "zaak": zaak_url,
        "status": f.url(status),
        "zio": f.url(zio),
        "eigenschap": f"{zaak_url}/zaakeigenschappen/{waarde.uuid}",
        "besluit": f"{zaak_url}/besluiten/{besluit.uuid}",
        "besluiten": f"{zaak_url}/besluiten",
    }


async def _zaaktype(database: Any, **over: Any) -> cm.ZaakType:
    zaaktype = await f.published_zaaktype(database, **over)
    await _store(
        database,
        cm.Eigenschap(
            zaaktype_id=zaaktype.id,
            naam="kenteken",
            definitie="Kenteken",
            specificatie={"formaat": "tekst", "lengte": "8", "kardinaliteit": "1"},
        ),
    )
    return zaaktype


def _count(database: Any) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    return statements, lambda: event.remove(engine, "before_cursor_execute", before)


async def _statements(database: Any, send: Any) -> tuple[int, httpx.Response]:
    seen, stop = _count(database)
    try:
        resp = await send()
    finally:
        stop()
    assert resp.status_code == 200, resp.text
    return len(seen), resp


async def _same_cost_for_one_and_many(database: Any, send: Any, check: Any) -> None:
    """`send` costs as many statements with one zaak as with several (of two zaaktypen)."""
    first = await _zaaktype(database)
    await _zaak(database, first)
    one, resp = await _statements(database, send)
    check(resp, 1)
    second = await _zaaktype(database, identificatie="ZT-2")
    for i in range(4):
        await _zaak(database, first if i % 2 else second)
    many, resp = await _statements(database, send)
    check(resp, 5)
    assert one == many, (one, many)


def _unknown(resp: httpx.Response, name: str) -> None:
    assert resp.status_code == 404, resp.text
    assert resp.json()["code"] == "expand-onbekend-attribuut"
    assert name in resp.json()["detail"]


def _outside(resp: httpx.Response) -> None:
    assert resp.status_code == 400, resp.text
    [param] = resp.json()["invalidParams"]
    assert (param["name"], param["code"]) == ("expand", "expand-buiten-bereik")


# --- POST /zaken/_zoek ---------------------------------------------------------------------


async def test_zoek_expands_by_query_parameter(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    resp = await client.post(
        f"{ZAKEN}/_zoek",
        params={"expand": "zaaktype,status.statustype,eigenschappen,zaakinformatieobjecten"},
        json={},
        headers=h(superuser),
    )
    assert resp.status_code == 200, resp.text
    [item] = resp.json()["results"]
    embedded = item["_expand"]
    assert embedded["zaaktype"]["url"] == item["zaaktype"]
    assert embedded["status"]["url"] == urls["status"]
    assert embedded["status"]["_expand"]["statustype"]["omschrijving"] == "Ontvangen"
    assert [e["waarde"] for e in embedded["eigenschappen"]] == ["AB-12"]
    assert [z["url"] for z in embedded["zaakinformatieobjecten"]] == [urls["zio"]]


async def test_zoek_expands_by_deprecated_body_element(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    resp = await client.post(f"{ZAKEN}/_zoek", json={"expand": "status"}, headers=h(superuser))
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"][0]["_expand"]["status"]["url"] == urls["status"]


async def test_zoek_expand_costs_the_same_statements_for_one_or_many(client, superuser, database):
    def send() -> Any:
        return client.post(
            f"{ZAKEN}/_zoek",
            params={"expand": "zaaktype.catalogus,status.statustype,eigenschappen.eigenschap"},
            json={},
            headers=h(superuser),
        )

    def check(resp: httpx.Response, n: int) -> None:
        results = resp.json()["results"]
        assert len(results) == n
        for item in results:
            assert item["_expand"]["status"]["_expand"]["statustype"]
            assert item["_expand"]["eigenschappen"][0]["_expand"]["eigenschap"]["naam"]

    await _same_cost_for_one_and_many(database, send, check)


async def test_zrc_027_zoek_unknown_expand_is_404(client, superuser, database):
    await _zaak(database, await _zaaktype(database))
    for params, data in (
        ({"expand": "status,bestaatniet"}, {}),
        ({}, {"expand": "status.bestaatniet"}),
        ({}, {"fields": ["url", {"bestaatniet": ["*"]}]}),
    ):
        resp = await client.post(f"{ZAKEN}/_zoek", params=params, json=data, headers=h(superuser))
        _unknown(resp, "bestaatniet")


async def test_zrc_025_zoek_expand_outside_zaken_and_catalogi_is_400(client, superuser, database):
    await _zaak(database, await _zaaktype(database))
    resp = await client.post(
        f"{ZAKEN}/_zoek", params={"expand": "communicatiekanaal"}, json={}, headers=h(superuser)
    )
    _outside(resp)


async def test_zrc_029_zoek_fields_expand_and_select(fields_client, superuser, database):
    zaaktype = await _zaaktype(database)
    urls = await _zaak(
        database,
        zaaktype,
        processobject={
            "datumkenmerk": "startdatum",
            "identificatie": "PO-1",
            "objecttype": "zaak",
            "registratie": "ZRC",
        },
    )
    fields = [
        "url",
        "identificatie",
        {
            "zaaktype": ["identificatie", {"catalogus": ["domein"]}],
            "status": ["volgnummer", "datumStatusGezet", {"statustype": ["*"]}],
            "resultaat": ["*"],
            "zaakinformatieobjecten": ["titel"],
            "processobject": ["identificatie"],
        },
    ]
    resp = await fields_client.post(f"{ZAKEN}/_zoek", json={"fields": fields}, headers=h(superuser))
    assert resp.status_code == 200, resp.text
    [item] = resp.json()["results"]
    assert set(item) == {"url", "identificatie", "zaaktype", "status", "resultaat",
                         "zaakinformatieobjecten", "processobject", "_expand"}  # fmt: skip
    assert item["url"] == urls["zaak"]
    assert item["processobject"] == {"identificatie": "PO-1"}  # a group: its sub-elements
    embedded = item["_expand"]
    assert embedded["zaaktype"] == {
        "identificatie": "ZT-1",
        "catalogus": embedded["zaaktype"]["catalogus"],
        "_expand": {"catalogus": {"domein": "TEST"}},
    }
    assert embedded["status"]["datumStatusGezet"] == "2024-03-02T00:00:00Z"
    assert embedded["status"]["_expand"]["statustype"]["omschrijving"] == "Ontvangen"
    assert "zaak" not in embedded["status"]
    assert embedded["resultaat"] == {}
    assert embedded["zaakinformatieobjecten"] == [{"titel": "Aanvraag"}]


async def test_zrc_029_zoek_fields_cost_the_same_statements_for_one_or_many(
    fields_client, superuser, database
):
    fields = ["url", {"zaaktype": ["url"], "status": [{"statustype": ["omschrijving"]}]}]

    def send() -> Any:
        return fields_client.post(f"{ZAKEN}/_zoek", json={"fields": fields}, headers=h(superuser))

    def check(resp: httpx.Response, n: int) -> None:
        results = resp.json()["results"]
        assert len(results) == n
        for item in results:
            assert item["_expand"]["status"]["_expand"]["statustype"] == {
                "omschrijving": "Ontvangen"
            }

    await _same_cost_for_one_and_many(database, send, check)


async def test_zrc_029_zoek_fields_and_expand_exclude_each_other(client, superuser, database):
    for params, data in (
        ({"expand": "status"}, {"fields": ["url"]}),
        ({}, {"fields": ["url"], "expand": "status"}),
    ):
        resp = await client.post(f"{ZAKEN}/_zoek", params=params, json=data, headers=h(superuser))
        assert resp.status_code == 400, resp.text
        assert resp.json()["invalidParams"][0]["name"] == "fields"


async def test_zrc_029_zoek_fields_of_the_wrong_shape_are_400(client, superuser):
    for fields in ([1], [{"status": "volgnummer"}], [""], [["url"]]):
        resp = await client.post(f"{ZAKEN}/_zoek", json={"fields": fields}, headers=h(superuser))
        assert resp.status_code == 400, (fields, resp.text)
        assert resp.json()["invalidParams"][0] == {
            "name": "fields",
            "code": "invalid",
            "reason": resp.json()["invalidParams"][0]["reason"],
        }


# --- /zaakinformatieobjecten (plain-array list, retrieve) ----------------------------------


async def test_zaakinformatieobject_list_and_retrieve_expand(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    resp = await client.get(
        ZIO, params={"expand": "zaak.zaaktype,status.statustype"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    [item] = resp.json()
    assert item["_expand"]["zaak"]["url"] == urls["zaak"]
    assert item["_expand"]["zaak"]["_expand"]["zaaktype"]["identificatie"] == "ZT-1"
    assert item["_expand"]["status"]["_expand"]["statustype"]["volgnummer"] == 1
    plain = await client.get(urls["zio"], headers=superuser)
    got = await client.get(urls["zio"], params={"expand": "status"}, headers=superuser)
    assert got.status_code == 200, got.text
    assert got.json()["_expand"]["status"]["url"] == urls["status"]
    assert "_expand" not in plain.json()
    assert got.headers["ETag"] != plain.headers["ETag"]  # the ETag covers the expansion


async def test_zaakinformatieobject_list_expand_costs_the_same_for_one_or_many(
    client, superuser, database
):
    def send() -> Any:
        return client.get(
            ZIO, params={"expand": "zaak.eigenschappen,status.statustype"}, headers=superuser
        )

    def check(resp: httpx.Response, n: int) -> None:
        assert len(resp.json()) == n
        for item in resp.json():
            assert item["_expand"]["zaak"]["_expand"]["eigenschappen"][0]["waarde"] == "AB-12"
            assert item["_expand"]["status"]["_expand"]["statustype"]

    await _same_cost_for_one_and_many(database, send, check)


async def test_zrc_027_zaakinformatieobject_unknown_expand_is_404(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    _unknown(await client.get(ZIO, params={"expand": "bestaatniet"}, headers=superuser), "best")
    resp = await client.get(urls["zio"], params={"expand": "zaak.bestaatniet"}, headers=superuser)
    _unknown(resp, "bestaatniet")
    _outside(await client.get(ZIO, params={"expand": "informatieobject"}, headers=superuser))


# --- /zaken/{zaak_uuid}/besluiten (nested list and retrieve) -------------------------------


async def test_zaakbesluit_list_and_retrieve_take_expand(client, superuser, database):
    """A besluit lives in the Besluiten API: the only expandable field points outside (400);
    an empty expand is the plain body."""
    urls = await _zaak(database, await _zaaktype(database))
    listed = await client.get(urls["besluiten"], params={"expand": ""}, headers=superuser)
    assert listed.status_code == 200, listed.text
    assert listed.json() == [{"url": urls["besluit"], "uuid": listed.json()[0]["uuid"],
                              "besluit": BESLUIT}]  # fmt: skip
    got = await client.get(urls["besluit"], params={"expand": ""}, headers=superuser)
    assert got.json() == listed.json()[0]
    _outside(await client.get(urls["besluiten"], params={"expand": "besluit"}, headers=superuser))
    _outside(await client.get(urls["besluit"], params={"expand": "besluit"}, headers=superuser))


async def test_zrc_027_zaakbesluit_unknown_expand_is_404(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    for url in (urls["besluiten"], urls["besluit"]):
        _unknown(await client.get(url, params={"expand": "zaak"}, headers=superuser), "zaak")


async def test_zaakbesluit_list_costs_the_same_for_one_or_many(client, superuser, database):
    zaaktype = await _zaaktype(database)
    urls = await _zaak(database, zaaktype)
    one, _resp = await _statements(
        database, lambda: client.get(urls["besluiten"], params={"expand": ""}, headers=superuser)
    )
    async with database.transaction() as session:
        zaak = (
            await session.execute(select(m.Zaak).where(m.Zaak.uuid == _ident(urls["zaak"])))
        ).scalar_one()
        session.add_all(m.ZaakBesluit(zaak_id=zaak.id, besluit=f"{BESLUIT}{i}") for i in range(4))
    many, resp = await _statements(
        database, lambda: client.get(urls["besluiten"], params={"expand": ""}, headers=superuser)
    )
    assert len(resp.json()) == 5
    assert one == many


# --- expanding TO zaakinformatieobjecten and zaakeigenschappen -----------------------------


async def test_zaak_and_status_expand_to_documents_and_eigenschappen(client, superuser, database):
    urls = await _zaak(database, await _zaaktype(database))
    resp = await client.get(
        urls["zaak"],
        params={"expand": "eigenschappen.eigenschap,zaakinformatieobjecten.status"},
        headers=h(superuser),
    )
    assert resp.status_code == 200, resp.text
    embedded = resp.json()["_expand"]
    [waarde] = embedded["eigenschappen"]
    assert (waarde["url"], waarde["naam"]) == (urls["eigenschap"], "kenteken")
    assert waarde["_expand"]["eigenschap"]["naam"] == "kenteken"
    [document] = embedded["zaakinformatieobjecten"]
    assert document["url"] == urls["zio"]
    assert document["_expand"]["status"]["url"] == urls["status"]
    resp = await client.get(
        urls["status"], params={"expand": "zaakinformatieobjecten"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert [z["url"] for z in resp.json()["_expand"]["zaakinformatieobjecten"]] == [urls["zio"]]


async def test_zaak_list_expanding_documents_costs_the_same_for_one_or_many(
    client, superuser, database
):
    def send() -> Any:
        return client.get(
            ZAKEN, params={"expand": "eigenschappen,zaakinformatieobjecten"}, headers=h(superuser)
        )

    def check(resp: httpx.Response, n: int) -> None:
        results = resp.json()["results"]
        assert len(results) == n
        for item in results:
            assert len(item["_expand"]["eigenschappen"]) == 1
            assert len(item["_expand"]["zaakinformatieobjecten"]) == 1

    await _same_cost_for_one_and_many(database, send, check)


async def test_zrc_028_expanding_a_document_the_caller_may_not_read_is_404(
    client, register, database
):
    """zrc-006 inside `_expand`: a status of my zaak pointing at a document of another zaak
    (of a zaaktype I may not read) cannot be expanded whole, so the answer is a 404."""
    mine = await _zaaktype(database)
    other = await _zaaktype(database, identificatie="ZT-GEHEIM")
    my_urls = await _zaak(database, mine)
    other_urls = await _zaak(database, other)
    async with database.transaction() as session:
        theirs = (
            await session.execute(
                select(m.ZaakInformatieObject).where(
                    m.ZaakInformatieObject.uuid == _ident(other_urls["zio"])
                )
            )
        ).scalar_one()
        mine_status = (
            await session.execute(
                select(m.Status).where(m.Status.uuid == _ident(my_urls["status"]))
            )
        ).scalar_one()
        theirs.status_id = mine_status.id
    reader = await register(
        "lezer", "lezer-geheim", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    plain = await client.get(my_urls["status"], headers=reader)
    assert set(plain.json()["zaakinformatieobjecten"]) == {my_urls["zio"], other_urls["zio"]}
    resp = await client.get(
        my_urls["status"], params={"expand": "zaakinformatieobjecten"}, headers=reader
    )
    assert resp.status_code == 404, resp.text
    assert resp.json()["code"] == "expand-niet-op-te-halen"


# --- Moment: date-times given by a client ---------------------------------------------------


async def test_naive_klantcontact_datumtijd_is_dutch_time_rendered_in_utc(
    client, superuser, database
):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(
        "/zaken/api/v1/klantcontacten",
        json={"zaak": f.url(zaak), "datumtijd": "2024-03-02T10:00:00"},
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["datumtijd"] == "2024-03-02T09:00:00Z"  # CET is UTC+1 in March
    summer = await client.post(
        "/zaken/api/v1/klantcontacten",
        json={"zaak": f.url(zaak), "datumtijd": "2024-07-02T10:00:00"},
        headers=superuser,
    )
    assert summer.json()["datumtijd"] == "2024-07-02T08:00:00Z"  # CEST is UTC+2


async def test_moment_outside_what_utc_can_express_is_400(client, superuser, database):
    zaak = await f.create_zaak(database, await f.published_zaaktype(database))
    resp = await client.post(
        "/zaken/api/v1/klantcontacten",
        json={"zaak": f.url(zaak), "datumtijd": "0001-01-01T00:10:00"},
        headers=superuser,
    )
    assert resp.status_code == 400, resp.text
    assert resp.json()["invalidParams"][0]["name"] == "datumtijd"
