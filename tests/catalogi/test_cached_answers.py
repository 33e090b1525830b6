"""Detail answers of the ten Catalogi collections come from the rendered types kept per
process (catalogi/services/cache.py, ADR 0007): byte for byte the answer the endpoint renders
itself, with the same ETag, the same authorisation, and the change of a write, a publish or a
delete visible to the very next request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import pytest

from mijnzaken.catalogi import models as m
from mijnzaken.catalogi.api import common
from mijnzaken.core.db import Database
from tests.catalogi import factories as f
from tests.statements import run_counted

MISSING = "00000000-0000-4000-8000-000000000000"
# collection: a change through PATCH that shows in the type's own body
CHANGES: dict[str, dict[str, Any]] = {
    "catalogussen": {"naam": "Gewijzigde catalogus"},
    "zaaktypen": {"toelichting": "Gewijzigd"},
    "statustypen": {"toelichting": "Gewijzigd"},
    "roltypen": {"omschrijving": "Gewijzigd"},
    "resultaattypen": {"toelichting": "Gewijzigd"},
    "eigenschappen": {"toelichting": "Gewijzigd"},
    "informatieobjecttypen": {"omschrijving": "Bijlage"},
    "besluittypen": {"toelichting": "Gewijzigd"},
    "zaakobjecttypen": {"relatieOmschrijving": "Gewijzigd"},
    "zaaktype-informatieobjecttypen": {"volgnummer": 2},
}
COLLECTIONS = list(CHANGES)


@pytest.fixture
async def types(database: Database) -> dict[str, Any]:
    """One type of every collection, all in one catalogus, the zaaktype's a concept."""
    catalogus = await f.create_catalogus(database)
    zaaktype = await f.create_zaaktype(
        database, catalogus, besluittype_omschrijvingen=["Vergunningsbesluit"]
    )
    return {
        "catalogussen": catalogus,
        "zaaktypen": zaaktype,
        "statustypen": await f.create_statustype(database, zaaktype),
        "roltypen": await f.create_roltype(database, zaaktype),
        "resultaattypen": await f.create_resultaattype(database, zaaktype),
        "eigenschappen": await f.create_eigenschap(database, zaaktype),
        "informatieobjecttypen": await f.create_informatieobjecttype(database, catalogus),
        "besluittypen": await f.create_besluittype(database, catalogus),
        "zaakobjecttypen": await f._store(
            database,
            m.ZaakObjectType(
                zaaktype_id=zaaktype.id,
                ander_objecttype=False,
                objecttype="https://objecttypen.example.nl/api/v2/objecttypes/1",
                relatie_omschrijving="Voertuig",
                begin_geldigheid=zaaktype.begin_geldigheid,
            ),
        ),
        "zaaktype-informatieobjecttypen": await f._store(
            database,
            m.ZaakTypeInformatieObjectType(
                zaaktype_id=zaaktype.id,
                informatieobjecttype_omschrijving="Aanvraagformulier",
                volgnummer=1,
                richting="inkomend",
            ),
        ),
    }


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A switch: detail endpoints render every answer themselves, as before the cache."""

    async def nothing(_ctx: Any, _idents: Sequence[Any]) -> dict[Any, Any]:
        return {}

    def switch() -> None:
        for collection in COLLECTIONS:
            monkeypatch.setitem(common.CACHED, collection, nothing)

    return switch


async def _reader(register: Any, name: str, component: str, scope: str) -> dict[str, str]:
    headers: dict[str, str] = await register(
        name, f"{name}-secret", autorisaties=[{"component": component, "scopes": [scope]}]
    )
    return headers


def _without_instance(response: httpx.Response) -> dict[str, Any]:
    """A Fout body but its `instance`, which names each answer."""
    body: dict[str, Any] = response.json()
    body.pop("instance", None)
    return body


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_a_cached_answer_is_the_answer_rendered_fresh(
    client, superuser, database, types, uncached, collection
):
    target = f.url(types[collection])
    expand = {"expand": "catalogus"} if collection != "catalogussen" else {"expand": "zaaktypen"}
    if collection == "zaaktype-informatieobjecttypen":
        expand = {"expand": "zaaktype,informatieobjecttype"}
    answers = []
    for params in ({}, expand):
        await client.get(target, params=params, headers=superuser)  # fills the cache
        statements, cached = await run_counted(
            database, lambda p=params: client.get(target, params=p, headers=superuser)
        )
        answers.append((params, cached, len(statements)))
    head = await client.head(target, headers=superuser)
    uncached()
    for params, cached, _count in answers:
        fresh = await client.get(target, params=params, headers=superuser)
        assert cached.status_code == fresh.status_code == 200, fresh.text
        assert cached.content == fresh.content
        assert cached.headers["ETag"] == fresh.headers["ETag"]
    fresh_head = await client.head(target, headers=superuser)
    assert head.status_code == fresh_head.status_code == 200
    assert head.headers["ETag"] == fresh_head.headers["ETag"] == answers[0][1].headers["ETag"]
    assert head.content == b""
    # only the authentication (which reads the catalogue version with it) reached the database
    assert answers[0][2] == 1


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_an_update_is_answered_at_once(client, superuser, types, collection):
    target = f.url(types[collection])
    before = await client.get(target, headers=superuser)
    assert (await client.get(target, headers=superuser)).content == before.content  # cached
    resp = await client.patch(target, json=CHANGES[collection], headers=superuser)
    assert resp.status_code == 200, resp.text
    after = await client.get(target, headers=superuser)
    assert after.status_code == 200
    assert after.content != before.content
    assert after.json() == resp.json()
    assert after.headers["ETag"] != before.headers["ETag"]
    head = await client.head(target, headers=superuser)
    assert head.headers["ETag"] == after.headers["ETag"]


@pytest.mark.parametrize(
    "collection",
    [c for c in COLLECTIONS if c not in ("catalogussen", "zaaktypen")],
)
async def test_a_delete_is_answered_at_once(client, superuser, types, collection):
    target = f.url(types[collection])
    zaaktype = f.url(types["zaaktypen"])
    for _ in range(2):  # rendered, then from the cache
        assert (await client.get(target, headers=superuser)).status_code == 200
        owner = (await client.get(zaaktype, headers=superuser)).json()
    resp = await client.delete(target, headers=superuser)
    assert resp.status_code in (200, 204), resp.text
    gone = await client.get(target, headers=superuser)
    assert gone.status_code == 404, gone.text
    assert (await client.head(target, headers=superuser)).status_code == 404
    if collection not in ("informatieobjecttypen", "besluittypen"):  # concepts: not listed
        # the zaaktype that listed it lists it no more
        assert (await client.get(zaaktype, headers=superuser)).json() != owner


async def test_a_created_type_is_listed_by_its_cached_zaaktype_at_once(client, superuser, types):
    zaaktype = f.url(types["zaaktypen"])
    for _ in range(2):
        before = (await client.get(zaaktype, headers=superuser)).json()
    assert len(before["statustypen"]) == 1
    body = {
        "omschrijving": "Afgehandeld",
        "volgnummer": 2,
        "zaaktype": zaaktype,
    }
    resp = await client.post("/catalogi/api/v1/statustypen", json=body, headers=superuser)
    assert resp.status_code == 201, resp.text
    after = (await client.get(zaaktype, headers=superuser)).json()
    assert after["statustypen"] == [*before["statustypen"], resp.json()["url"]]


async def test_a_publish_is_answered_at_once_also_by_the_types_that_refer_to_it(
    client, superuser, types
):
    informatieobjecttype = f.url(types["informatieobjecttypen"])
    zaaktype = f.url(types["zaaktypen"])
    besluittype = f.url(types["besluittypen"])
    for _ in range(2):
        assert (await client.get(informatieobjecttype, headers=superuser)).json()["concept"]
        # only published versions are referred to by URL
        assert (await client.get(zaaktype, headers=superuser)).json()["informatieobjecttypen"] == []
        assert (await client.get(zaaktype, headers=superuser)).json()["besluittypen"] == []
    for target in (informatieobjecttype, besluittype):
        resp = await client.post(f"{target}/publish", headers=superuser)
        assert resp.status_code == 200, resp.text
    assert not (await client.get(informatieobjecttype, headers=superuser)).json()["concept"]
    after = (await client.get(zaaktype, headers=superuser)).json()
    assert after["informatieobjecttypen"] == [informatieobjecttype]
    assert after["besluittypen"] == [besluittype]


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_a_client_without_a_read_scope_is_refused_also_when_it_is_cached(
    client, superuser, register, types, uncached, collection
):
    target = f.url(types[collection])
    writer = await _reader(register, "schrijver", "ztc", "catalogi.schrijven")
    other = await _reader(register, "ac", "ac", "autorisaties.lezen")
    for _ in range(2):  # the type is in the cache
        assert (await client.get(target, headers=superuser)).status_code == 200
    refused = {}
    for name, headers in (("writer", writer), ("other", other), ("nobody", {})):
        refused[name] = (
            await client.get(target, headers=headers),
            await client.head(target, headers=headers),
        )
    uncached()
    for name, headers in (("writer", writer), ("other", other), ("nobody", {})):
        get, head = refused[name]
        fresh = await client.get(target, headers=headers)
        assert get.status_code == fresh.status_code
        assert get.status_code in (401, 403)
        assert _without_instance(get) == _without_instance(fresh)
        assert head.status_code == (await client.head(target, headers=headers)).status_code


@pytest.mark.parametrize(
    ("component", "scope"), [("zrc", "zaken.lezen"), ("drc", "documenten.lezen")]
)
async def test_the_other_registers_read_scopes_read_cached_types(
    client, superuser, register, types, component, scope
):
    """ztc-014, as for a fresh answer."""
    zaaktype = f.url(types["zaaktypen"])
    recht = {"component": component, "scopes": [scope], "max_vertrouwelijkheidaanduiding": "geheim"}
    if component == "zrc":
        recht["zaaktype"] = zaaktype
    else:
        recht["informatieobjecttype"] = f.url(types["informatieobjecttypen"])
    headers = await register("register", "register-secret", autorisaties=[recht])
    fresh = await client.get(zaaktype, headers=superuser)
    resp = await client.get(zaaktype, headers=headers)
    assert resp.status_code == 200, resp.text
    assert resp.content == fresh.content


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_a_missing_type_is_the_same_404(client, superuser, types, uncached, collection):
    target = f"{f.BASE}/{collection}/{MISSING}"
    await client.get(f.url(types[collection]), headers=superuser)  # a warm cache
    missing = await client.get(target, headers=superuser)
    head = await client.head(target, headers=superuser)
    uncached()
    fresh = await client.get(target, headers=superuser)
    assert missing.status_code == fresh.status_code == 404
    assert _without_instance(missing) == _without_instance(fresh)
    assert head.status_code == 404


async def test_if_none_match_with_the_cached_etag_is_304(client, superuser, types):
    target = f.url(types["zaaktypen"])
    first = await client.get(target, headers=superuser)
    etag = first.headers["ETag"]
    for method in ("GET", "HEAD"):
        resp = await client.request(method, target, headers={**superuser, "If-None-Match": etag})
        assert resp.status_code == 304
        assert resp.headers["ETag"] == etag


async def test_a_zaaktype_on_another_date_is_rendered_for_that_date(client, superuser, types):
    """The kept bodies refer to the versions valid today; `datumGeldigheid` another day is
    answered as before."""
    besluittype = f.url(types["besluittypen"])
    zaaktype = f.url(types["zaaktypen"])
    resp = await client.patch(
        besluittype, json={"eindeGeldigheid": "2024-06-30"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert (await client.post(f"{besluittype}/publish", headers=superuser)).status_code == 200
    for _ in range(2):
        today = (await client.get(zaaktype, headers=superuser)).json()
        assert today["besluittypen"] == []
    then = await client.get(zaaktype, params={"datumGeldigheid": "2024-03-01"}, headers=superuser)
    assert then.json()["besluittypen"] == [besluittype]


def _list_params(types: dict[str, Any], collection: str) -> dict[str, str]:
    """Filters that find the type of `collection` (and every state: concept ones too)."""
    zaaktype = f.url(types["zaaktypen"])
    catalogus = f.url(types["catalogussen"])
    if collection == "catalogussen":
        return {"domein": "TEST"}
    if collection == "zaakobjecttypen":
        return {"zaaktype": zaaktype}
    if collection in ("zaaktypen", "informatieobjecttypen", "besluittypen"):
        return {"status": "alles", "catalogus": catalogus}
    return {"status": "alles", "zaaktype": zaaktype}


@pytest.mark.parametrize("collection", COLLECTIONS)
async def test_a_cached_list_is_the_list_rendered_fresh(
    client, superuser, database, types, uncached, collection
):
    target = f"{f.BASE}/{collection}"
    params = _list_params(types, collection)
    expanded = {**params, "expand": "catalogus" if collection != "catalogussen" else "zaaktypen"}
    if collection == "zaaktype-informatieobjecttypen":
        expanded["expand"] = "zaaktype"
    answers = []
    for query in (params, expanded, {**params, "page": "2"}):
        await client.get(target, params=query, headers=superuser)  # fills the cache
        statements, cached = await run_counted(
            database, lambda q=query: client.get(target, params=q, headers=superuser)
        )
        answers.append((query, cached, len(statements)))
    assert answers[0][1].json()["results"], "the filters find the type"
    # what expand added to a page stays out of the kept bodies
    assert "_expand" not in (await client.get(f.url(types[collection]), headers=superuser)).json()
    uncached()
    for query, cached, _count in answers:
        fresh = await client.get(target, params=query, headers=superuser)
        assert cached.status_code == fresh.status_code
        if cached.status_code == 200:
            assert cached.content == fresh.content
        else:  # page 2 does not exist
            assert _without_instance(cached) == _without_instance(fresh)
    # the authentication and the page of UUIDs (a page that is not full needs no count)
    assert answers[0][2] == 2


async def test_a_cached_list_pages_as_before(
    settings, database, register, types, uncached, monkeypatch
):
    from mijnzaken.app import create_app

    for volgnummer in (2, 3, 4):
        await f.create_statustype(
            database, types["zaaktypen"], volgnummer=volgnummer, omschrijving=f"Stap {volgnummer}"
        )
    headers = await register("lezer", "lezer-secret", alle=True)
    app = create_app(settings.model_copy(update={"page_size": 3}), database)
    target = f"{f.BASE}/statustypen"
    params = {"status": "alles", "zaaktype": f.url(types["zaaktypen"])}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f.BASE) as c:
        pages = []
        for page in ("1", "2", "3"):
            await c.get(target, params={**params, "page": page}, headers=headers)
            statements, cached = await run_counted(
                database,
                lambda p=page: c.get(target, params={**params, "page": p}, headers=headers),
            )
            pages.append((page, cached, len(statements)))
        uncached()
        for page, cached, _count in pages:
            fresh = await c.get(target, params={**params, "page": page}, headers=headers)
            assert cached.status_code == fresh.status_code
            if cached.status_code == 200:
                assert cached.content == fresh.content
            else:  # beyond the last page
                assert _without_instance(cached) == _without_instance(fresh)
    first, second, beyond = pages
    assert first[1].json()["count"] == 4
    assert first[1].json()["next"] is not None
    assert [len(first[1].json()["results"]), len(second[1].json()["results"])] == [3, 1]
    assert beyond[1].status_code == 404
    assert first[2] == 3  # behind a full page the count follows


async def test_a_list_on_another_date_is_rendered_for_that_date(client, superuser, types):
    besluittype = f.url(types["besluittypen"])
    resp = await client.patch(
        besluittype, json={"eindeGeldigheid": "2024-06-30"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert (await client.post(f"{besluittype}/publish", headers=superuser)).status_code == 200
    target = f"{f.BASE}/zaaktypen"
    params = {"status": "alles"}
    for _ in range(2):
        today = (await client.get(target, params=params, headers=superuser)).json()
        assert today["results"][0]["besluittypen"] == []
    then = await client.get(
        target, params={**params, "datumGeldigheid": "2024-03-01"}, headers=superuser
    )
    assert then.json()["results"][0]["besluittypen"] == [besluittype]


async def test_a_list_shows_an_update_at_once(client, superuser, types):
    target = f"{f.BASE}/statustypen"
    params = _list_params(types, "statustypen")
    for _ in range(2):
        before = (await client.get(target, params=params, headers=superuser)).json()
    statustype = f.url(types["statustypen"])
    resp = await client.patch(statustype, json={"toelichting": "Gewijzigd"}, headers=superuser)
    assert resp.status_code == 200, resp.text
    after = (await client.get(target, params=params, headers=superuser)).json()
    assert before["results"][0]["toelichting"] != "Gewijzigd"
    assert after["results"] == [resp.json()]


async def test_a_kept_concept_stays_out_of_the_lists_of_published_types(client, superuser, types):
    zaaktype = f.url(types["zaaktypen"])
    for _ in range(2):  # the concept's body is kept
        assert (await client.get(zaaktype, headers=superuser)).json()["concept"]
    target = f"{f.BASE}/zaaktypen"
    for _ in range(2):
        published = (await client.get(target, headers=superuser)).json()
        concepts = (
            await client.get(target, params={"status": "concept"}, headers=superuser)
        ).json()
    assert published["results"] == []
    assert [z["url"] for z in concepts["results"]] == [zaaktype]
