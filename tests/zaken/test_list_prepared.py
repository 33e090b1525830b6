"""The zaken list and `_zoek` keep their page select per shape of search
(`repository.zaak.prepared_search`): built once, executed with the filters' values as
parameters. It must select what the statement built per request selects."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

import pytest
from sqlalchemy import Select

from mijnzaken.core.db import Database
from mijnzaken.core.pagination import PAGE_LIMIT, PAGE_OFFSET, plain_rows
from mijnzaken.core.query import QueryModel
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.repository import zaak as repo
from mijnzaken.zaken.schemas.zaak import ZaakFilter
from tests.zaken import factories as f
from tests.zaken.test_citizen_list import (
    API,
    BSN,
    BSN_FILTER,
    CRS,
    EXPAND,
    NEIGHBOUR,
    Municipality,
)


@pytest.fixture
async def municipality(database: Database) -> Municipality:
    found = Municipality(database)
    await found.prepare()
    return found


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> OrderedDict[Any, Select[Any]]:
    """An empty store of kept statements (other tests fill the process's)."""
    store: OrderedDict[Any, Select[Any]] = OrderedDict()
    monkeypatch.setattr(repo, "_PREPARED", store)
    return store


async def test_citizen_lists_build_their_search_statement_once(
    client, superuser, municipality, kept, monkeypatch
):
    for i in range(3):
        await municipality.zaak(i)
    built: list[Any] = []
    search_stmt = repo.search_stmt

    def counted(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return search_stmt(*args, **kwargs)

    monkeypatch.setattr(repo, "search_stmt", counted)
    headers = {**superuser, **CRS}
    for bsn in (BSN, NEIGHBOUR, BSN):
        listed = await client.get(API, params={BSN_FILTER: bsn, "expand": EXPAND}, headers=headers)
        assert listed.status_code == 200
        assert listed.json()["count"] == 3
        found = await client.post(
            f"{API}/_zoek", params={"expand": EXPAND}, json={BSN_FILTER: bsn}, headers=headers
        )
        assert found.json() == listed.json() | {"next": None, "previous": None}
    # six lists of two citizens, by GET and by _zoek: one statement for the shape
    assert len(built) == 1
    assert len(kept) == 1


def _filters(**values: Any) -> ZaakFilter:
    return ZaakFilter.model_validate(values)


SEARCHES = [
    {},
    {BSN_FILTER: BSN},
    {BSN_FILTER: NEIGHBOUR, "ordering": ["-startdatum"]},
    {BSN_FILTER: BSN, "rol__betrokkeneType": "natuurlijk_persoon"},
    {"identificatie": "ZAAK-1"},
    {
        "startdatum__gte": "2024-02-01",
        "startdatum__lt": "2024-04-01",
        "ordering": ["identificatie"],
    },
    {"einddatum__isnull": True, "ordering": ["-einddatum", "identificatie"]},
    {"einddatum__isnull": False},
    {"maximaleVertrouwelijkheidaanduiding": "openbaar"},
    {"archiefstatus": "nog_te_archiveren", "registratiedatum__lt": "2100-01-01"},
]


@pytest.mark.parametrize("values", SEARCHES)
async def test_prepared_search_selects_what_the_built_statement_selects(
    database, municipality, kept, values
):
    for i in range(5):
        zaak = await municipality.zaak(i)
        async with database.transaction() as session:
            stored = await session.get(Zaak, zaak.id)
            assert stored is not None
            stored.startdatum = dt.date(2024, 1 + i, 1)
            stored.einddatum = dt.date(2024, 6, 1) if i % 2 else None
            stored.vertrouwelijkheidaanduiding = "openbaar" if i < 3 else "geheim"
    filters = _filters(**values)
    criteria = repo.Criteria(search=filters, ordering=repo.check_ordering(filters.ordering))
    restricted = Zaak.vertrouwelijkheidaanduiding.in_(["openbaar", "intern"])
    for access, key in ((None, True), (restricted, "openbaar-intern")):
        prepared = repo.prepared_search(criteria, lambda a=access: a, key)
        assert prepared is not None
        stmt, parameters = prepared
        built = repo.as_rows(repo.search_stmt(criteria, access))
        async with database.reading() as session:
            for size, offset in ((2, 0), (2, 2), (100, 0)):
                expected = await plain_rows(session, built.limit(size).offset(offset))
                found = await plain_rows(
                    session, stmt, {**parameters, PAGE_LIMIT: size, PAGE_OFFSET: offset}
                )
                assert [tuple(r) for r in found] == [tuple(r) for r in expected], values
                if size == 100:
                    assert expected or values.get(BSN_FILTER) == NEIGHBOUR or access is not None


@pytest.mark.parametrize(
    ("values", "extra"),
    [
        ({"bronorganisatie__in": ["123456782"]}, {}),
        ({}, {"zaaktype_uuids": []}),
        ({}, {"uuids": []}),
        ({}, {"roltype_ids": [1]}),
    ],
)
def test_searches_on_lists_of_values_are_built_per_request(kept, values, extra):
    criteria = repo.Criteria(search=_filters(**values), **extra)
    assert repo.prepared_search(criteria, lambda: None, True) is None
    assert not kept


def test_values_are_parameters_and_the_rest_makes_the_shape(kept):
    def prepared(access_key: Any = True, **values: Any) -> tuple[Select[Any], dict[str, Any]]:
        filters = _filters(**values)
        criteria = repo.Criteria(search=filters, ordering=repo.check_ordering(filters.ordering))
        found = repo.prepared_search(criteria, lambda: None, access_key)
        assert found is not None
        return found

    first, parameters = prepared(**{BSN_FILTER: BSN})
    assert parameters == {"f_inp_bsn": BSN}
    assert prepared(**{BSN_FILTER: NEIGHBOUR})[0] is first
    assert prepared(**{BSN_FILTER: BSN, "ordering": ["-startdatum"]})[0] is not first
    assert prepared(**{BSN_FILTER: BSN, "einddatum__isnull": True})[0] is not first
    assert prepared(access_key="another client", **{BSN_FILTER: BSN})[0] is not first
    for n in range(repo._PREPARED_KEPT + 10):
        prepared(access_key=n)
    assert len(kept) == repo._PREPARED_KEPT


async def test_a_full_page_of_a_prepared_search_is_counted(client, superuser, database, settings):
    """Behind a full page the count runs on the kept statement with its parameters."""
    zaaktype = await f.published_zaaktype(database, identificatie="ZT-VOL")
    for i in range(settings.page_size + 1):
        await f.create_zaak(database, zaaktype, identificatie=f"ZAAK-VOL-{i}")
    headers = {**superuser, **CRS}
    first = (await client.get(API, params={"identificatie": "ZAAK-VOL-1"}, headers=headers)).json()
    assert first["count"] == 1
    page = (await client.get(API, headers=headers)).json()
    assert page["count"] == settings.page_size + 1
    assert page["next"] is not None
    second = (await client.get(API, params={"page": 2}, headers=headers)).json()
    assert len(second["results"]) == 1


LIST_QUERIES = [
    {BSN_FILTER: BSN, "expand": EXPAND},
    {BSN_FILTER: NEIGHBOUR, "expand": "status.statustype.zaaktype,rollen.roltype,resultaat"},
    {BSN_FILTER: BSN, "ordering": "-identificatie", "expand": "zaaktype"},
    {"ordering": "-startdatum,identificatie", "page": "1"},
    {"identificatie": "ZAAK-2", "expand": "status,rollen.statussen"},
    {"einddatum__isnull": "true", "rol__betrokkeneType": "natuurlijk_persoon"},
    {"maximaleVertrouwelijkheidaanduiding": "openbaar", "startdatum__gt": "2000-01-01"},
    {"rol__omschrijvingGeneriek": "belanghebbende", "expand": "rollen"},
    {"bronorganisatie__in": "002220647,123456782"},
    {"page": "2"},
    {"page": "abc"},
    {"ordering": "fout"},
    {"onbekend": "1"},
    {BSN_FILTER: "1234567890"},
]


async def test_the_lean_list_answers_as_the_generic_one(
    client, superuser, municipality, monkeypatch
):
    """Every list and _zoek answer, byte for byte (error instances aside), with the query
    read and the statement built the lean way and the generic way (FastAPI's reading of
    the query model, the statement built per request)."""
    for i in range(4):
        await municipality.zaak(i)
    headers = {**superuser, **CRS}

    async def answers() -> list[tuple[int, bytes]]:
        found = []
        for params in LIST_QUERIES:
            for response in (
                await client.get(API, params=params, headers=headers),
                await client.post(
                    f"{API}/_zoek",
                    params={"expand": params["expand"]} if "expand" in params else {},
                    json={k: v for k, v in params.items() if k not in ("expand", "page")},
                    headers=headers,
                ),
            ):
                body = response.content
                if response.status_code >= 400:
                    body = body.split(b'"instance"')[0]  # a fresh urn:uuid per answer
                found.append((response.status_code, body))
        return found

    lean = await answers()
    assert {status for status, _body in lean} >= {200, 400}
    monkeypatch.setattr(QueryModel, "_placed", lambda _self, _query: None)
    monkeypatch.setattr(repo, "prepared_search", lambda *_args: None)
    assert await answers() == lean
