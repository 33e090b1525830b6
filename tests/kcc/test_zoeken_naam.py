"""How a name search in the KCC matches: every word of the query begins a word of the name, in
any case and with or without accents, on SQLite as on PostgreSQL ("ölçer" and "OLCER" find
"Ölçer"); the search words follow every change of a name through the API; on PostgreSQL the
search reads an index of the words, not the whole register."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import event

from mijnzaken.klantinteracties.services import inwoner
from tests.kcc.conftest import login, rol
from tests.kcc.test_zoeken import KIC, MEDEWERKER, keuzes, zoek
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantinteracties import factories as kif
from tests.oidc_provider import Provider
from tests.zaken import factories as zf


async def _ingelogd(client: httpx.AsyncClient, database: Any, provider: Provider) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, provider, "mw-unicode", MEDEWERKER)


@pytest.mark.parametrize(
    ("zoekterm", "gevonden"),
    [
        ("ölçer", {"Émile Ölçer"}),
        ("ÖLÇER", {"Émile Ölçer"}),
        ("olcer", {"Émile Ölçer"}),
        ("émile ölç", {"Émile Ölçer"}),
        ("EMILE", {"Émile Ölçer"}),
        ("søren", {"Søren Ærø"}),
        ("AERO", {"Søren Ærø"}),
        ("strasse", {"Straße en Zoon B.V."}),
        ("STRAẞE", {"Straße en Zoon B.V."}),
        ("ölçer søren", set()),  # every word must match the same name
    ],
)
async def test_a_name_search_ignores_case_and_accents_of_any_letter(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    zoekterm: str,
    gevonden: set[str],
) -> None:
    await kl.persoon(database, kf.BSN_A, "Émile", "Ölçer")
    await kl.persoon(database, kf.BSN_B, "Søren", "Ærø")
    await kl.organisatie(database, kf.KVK, "Straße en Zoon B.V.")
    await _ingelogd(client, database, oidc_provider)
    page = await zoek(client, zoekterm)
    assert page.status_code == 200
    assert set(keuzes(page)) == gevonden


async def test_a_word_of_the_query_matches_the_beginning_of_a_word_of_the_name(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen-de Vries")
    await _ingelogd(client, database, oidc_provider)
    for zoekterm in ("jans", "vrie", "suz de", "Jansen-de", "de vries"):
        assert set(keuzes(await zoek(client, zoekterm))) == {"Suzanne Jansen-de Vries"}, zoekterm
    for zoekterm in ("sen", "anne", "uzanne", "jansenn"):  # no match inside a word
        assert keuzes(await zoek(client, zoekterm)) == {}, zoekterm


async def test_the_search_follows_a_name_changed_or_removed_through_the_api(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    partij = await kif.create_partij(
        client,
        superuser,
        partijIdentificatoren=[kif.bsn_identificator(kf.BSN_A)],
        partijIdentificatie={"contactnaam": {"voornaam": "Anouk", "achternaam": "Ölçer"}},
    )
    await _ingelogd(client, database, oidc_provider)
    assert set(keuzes(await zoek(client, "olcer"))) == {"Anouk Ölçer"}
    changed = await client.patch(
        f"{kif.API}/partijen/{partij['uuid']}",
        json={"partijIdentificatie": {"contactnaam": {"voornaam": "Anouk", "achternaam": "Şahin"}}},
        headers=superuser,
    )
    assert changed.status_code == 200, changed.text
    assert keuzes(await zoek(client, "olcer")) == {}
    assert set(keuzes(await zoek(client, "sahin"))) == {"Anouk Şahin"}
    # another field changed: the name's words stay
    other = await client.patch(
        f"{kif.API}/partijen/{partij['uuid']}", json={"voorkeurstaal": "tur"}, headers=superuser
    )
    assert other.status_code == 200, other.text
    assert set(keuzes(await zoek(client, "anouk"))) == {"Anouk Şahin"}
    removed = await client.delete(f"{kif.API}/partijen/{partij['uuid']}", headers=superuser)
    assert removed.status_code == 204, removed.text
    assert keuzes(await zoek(client, "sahin")) == {}


async def test_on_postgresql_the_search_reads_the_index_of_name_words(database: Any) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("the plan of PostgreSQL")
    await kl.persoon(database, kf.BSN_A, "Émile", "Ölçer")
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "klantinteracties_partijzoekwoord" in statement:
            seen.append((statement, parameters))

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with database.transaction() as session:
            found = await inwoner.op_naam(session, "ölç émile", 5)
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
    assert [k.naam for k in found] == ["Émile Ölçer"]
    [(statement, parameters)] = seen
    async with database.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("SET enable_seqscan = off")  # a tiny table: ask for the best path
        rows = await driver.fetch(f"EXPLAIN {statement}", *parameters)
        await driver.execute("RESET enable_seqscan")
        await conn.rollback()
    plan = "\n".join(r[0] for r in rows)
    # the prefix is a range condition of an index (with seqscan off, a condition no index
    # can serve still gives a Seq Scan)
    assert "Seq Scan on klantinteracties_partijzoekwoord" not in plan, plan
    assert "Index Cond: ((woord >= " in plan, plan
