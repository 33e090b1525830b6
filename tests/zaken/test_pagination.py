"""Pagination of the zaken list: the count query runs only behind a full page, and the
envelope (count, next, previous, 404 beyond the last page) stays the same."""

from __future__ import annotations

from tests.statements import run_counted
from tests.zaken import factories as f

LIST = f"{f.BASE}/zaken"


async def _zaken(database, n: int) -> None:
    zaaktype = await f.published_zaaktype(database)
    for i in range(n):
        await f.create_zaak(database, zaaktype, identificatie=f"P-{i:03}")


def h(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Accept-Crs": "EPSG:4326"}


def _counts(statements: list[str]) -> int:
    return sum(1 for s in statements if "count(" in s.lower())


async def test_a_page_that_is_not_full_is_counted_without_a_count_query(
    client, superuser, database
):
    await _zaken(database, 3)
    statements, resp = await run_counted(database, lambda: client.get(LIST, headers=h(superuser)))
    body = resp.json()
    assert (body["count"], len(body["results"]), body["next"]) == (3, 3, None)
    assert _counts(statements) == 0
    assert (await client.get(LIST, params={"page": 2}, headers=h(superuser))).status_code == 404
    assert (await client.get(LIST, params={"page": 0}, headers=h(superuser))).status_code == 404


async def test_a_full_page_is_counted_and_the_last_page_follows_from_its_rows(
    client, superuser, database, settings
):
    size = settings.page_size
    await _zaken(database, size + 2)
    statements, resp = await run_counted(database, lambda: client.get(LIST, headers=h(superuser)))
    first = resp.json()
    assert (first["count"], len(first["results"])) == (size + 2, size)
    assert first["next"] == f"{LIST}?page=2"
    assert _counts(statements) == 1
    statements, resp = await run_counted(
        database, lambda: client.get(LIST, params={"page": 2}, headers=h(superuser))
    )
    last = resp.json()
    assert (last["count"], len(last["results"]), last["next"]) == (size + 2, 2, None)
    assert last["previous"] == LIST
    assert _counts(statements) == 0
    assert (await client.get(LIST, params={"page": 3}, headers=h(superuser))).status_code == 404


async def test_a_page_that_is_exactly_full_has_no_next_page(client, superuser, database, settings):
    await _zaken(database, settings.page_size)
    first = (await client.get(LIST, headers=h(superuser))).json()
    assert (first["count"], first["next"]) == (settings.page_size, None)
    assert (await client.get(LIST, params={"page": 2}, headers=h(superuser))).status_code == 404


async def test_a_page_number_beyond_any_offset_is_404_not_a_database_error(
    client, superuser, database
):
    """A page whose offset does not fit in 64 bits holds no rows: 404, never a 500 from the
    database driver (found by fuzzing)."""
    await _zaken(database, 1)
    for page in (2**53, 10**30):
        resp = await client.get(LIST, params={"page": page}, headers=h(superuser))
        assert resp.status_code == 404
        assert resp.json()["code"] == "not_found"
