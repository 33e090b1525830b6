"""Finding a customer in the KCC besides by BSN: a business by its KvK-nummer, and persons
and organisations by name in the customer register (Klantinteracties), for a stated purpose.
A result is a button that posts an opaque reference kept in the session, so no BSN or
KvK-nummer reaches a URL; a search that shows anyone writes one processing-log entry naming
everyone it showed; wrong input gets a clear Dutch error."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from mijnzaken.klantbeeld import service as klantbeeld
from tests.kcc.conftest import DOEL, csrf_of, inzien, login, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.oidc_provider import Provider
from tests.zaken import factories as zf

MEDEWERKER = {"name": "Karin de Vries", "roles": ["kcc"]}
KIC = {"component": "kic", "scopes": ["klantinteracties.lezen"]}
KEUZE = re.compile(r'name="keuze" value="([^"]+)"')


async def kvk_inzien(
    client: httpx.AsyncClient, kvk: str, doel: str | None = DOEL
) -> httpx.Response:
    page = await client.get("/kcc/?op=kvk")
    data = {"csrf_token": csrf_of(page), "op": "kvk", "kvk": kvk}
    if doel is not None:
        data["doel"] = doel
    return await client.post("/kcc/inzien", data=data)


async def zoek(client: httpx.AsyncClient, naam: str, doel: str | None = DOEL) -> httpx.Response:
    page = await client.get("/kcc/?op=naam")
    data = {"csrf_token": csrf_of(page), "naam": naam}
    if doel is not None:
        data["doel"] = doel
    return await client.post("/kcc/zoeken", data=data)


def keuzes(page: httpx.Response) -> dict[str, str]:
    """The results of a search page: the name in each row, to its button's reference."""
    found = {}
    for row in page.text.split('<tr class="utrecht-table__row">')[2:]:
        naam = row.split('scope="row">', 1)[1].split("<", 1)[0]
        match = KEUZE.search(row)
        assert match, row
        found[naam] = match.group(1)
    return found


async def kies(client: httpx.AsyncClient, page: httpx.Response, keuze: str) -> httpx.Response:
    return await client.post("/kcc/inzien", data={"csrf_token": csrf_of(page), "keuze": keuze})


# --- by KvK-nummer -----------------------------------------------------------------------------


async def test_a_business_is_looked_up_by_its_kvk_nummer_and_logged_under_it(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Terrasvergunning")
    zaak = await kf.zaak(database, zt, bsn=None, kvk=kf.KVK, omschrijving="Terras aan de gracht")
    await kf.zaak(database, zt, omschrijving="Zaak van een inwoner")
    bakkerij = await kl.organisatie(database, kf.KVK, "Bakkerij De Korenschoof")
    await kl.adres(database, bakkerij, "info@korenschoof.nl")
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    urls: list[str] = []

    async def record(response: httpx.Response) -> None:
        urls.extend([str(response.request.url), response.headers.get("location", "")])

    client.event_hooks["response"].append(record)
    await login(client, oidc_provider, "mw-kvk", MEDEWERKER)
    form = await client.get("/kcc/?op=kvk")
    assert 'aria-current="page">Zoeken op KvK-nummer</a>' in form.text
    page = await kvk_inzien(client, kf.KVK)
    assert page.status_code == 200
    assert "Klantbeeld van Bakkerij De Korenschoof" in page.text
    assert "info@korenschoof.nl" in page.text
    assert "Terras aan de gracht" in page.text
    assert "Zaak van een inwoner" not in page.text
    zaakpagina = await client.get(f"/kcc/zaken/{zaak.uuid}")  # the session keeps the KvK subject
    assert zaakpagina.status_code == 200
    assert "Terras aan de gracht" in zaakpagina.text
    entries = await logboek.acties(database, kf.KVK, "KVK")
    assert sorted(e.actie_naam for e in entries) == ["klantbeeld inzien", "zaak inzien"]
    assert {(e.gebruiker, e.grondslag) for e in entries} == {("mw-kvk", DOEL)}
    assert await logboek.acties(database) == []
    assert not [u for u in urls if kf.KVK in u]


@pytest.mark.parametrize(
    ("kvk", "melding"),
    [
        ("", "Vul het KvK-nummer in."),
        ("1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("123456789", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("1234567a", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("１２３４５６７８", "Een KvK-nummer bestaat uit 8 cijfers."),
    ],
)
async def test_a_wrong_kvk_nummer_gets_a_clear_dutch_error(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider, kvk: str, melding: str
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen")])
    await login(client, oidc_provider, "mw-kvk-fout", MEDEWERKER)
    response = await kvk_inzien(client, kvk)
    assert response.status_code == 400
    assert melding in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-current="page">Zoeken op KvK-nummer</a>' in response.text  # the same form
    if kvk:
        assert kvk not in response.text
    without = await kvk_inzien(client, kf.KVK, None)
    assert without.status_code == 400
    assert "Kies het doel van deze inzage." in without.text
    assert await logboek.acties(database, kf.KVK, "KVK") == []


# --- by name -----------------------------------------------------------------------------------


async def _register(database: Any) -> None:
    await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    await kl.persoon(database, kf.BSN_B, "Piet", "Jansen")
    await kl.persoon(database, kf.BSN_C, "Karel", "Vries")
    await kl.organisatie(database, kf.KVK, "Jansen Bouw B.V.")


async def test_a_name_search_lists_the_matching_persons_and_organisations_and_is_logged(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt, omschrijving="Vergunning van Suzanne")
    await _register(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    urls: list[str] = []

    async def record(response: httpx.Response) -> None:
        urls.extend([str(response.request.url), response.headers.get("location", "")])

    client.event_hooks["response"].append(record)
    await login(client, oidc_provider, "mw-naam", MEDEWERKER)
    page = await zoek(client, "  jansen ")
    assert page.status_code == 200
    found = keuzes(page)
    assert set(found) == {"Jansen Bouw B.V.", "Piet Jansen", "Suzanne Jansen"}
    assert f"BSN {kf.BSN_A}" in page.text
    assert f"KvK-nummer {kf.KVK}" in page.text
    assert "Organisatie" in page.text
    assert "Karel" not in page.text
    # one entry for the search, naming each subject it showed, with the purpose
    for soort, nummer in (("BSN", kf.BSN_A), ("BSN", kf.BSN_B), ("KVK", kf.KVK)):
        [entry] = await logboek.acties(database, nummer, soort)
        assert entry.actie_naam == "klanten zoeken op naam"
        assert (entry.gebruiker, entry.grondslag) == ("mw-naam", DOEL)
    assert await logboek.acties(database, kf.BSN_C) == []
    # every word counts, in any case
    assert set(keuzes(await zoek(client, "SUZANNE jan"))) == {"Suzanne Jansen"}

    # choosing a result opens that subject's view, for the search's purpose
    page = await zoek(client, "jansen", "Behandelen aanvraag")
    view = await kies(client, page, keuzes(page)["Suzanne Jansen"])
    assert view.status_code == 200
    assert "Klantbeeld van Suzanne Jansen" in view.text
    assert "Vergunning van Suzanne" in view.text
    assert "Doel van deze inzage: Behandelen aanvraag." in view.text
    [bekeken] = [e for e in await logboek.acties(database) if e.actie_naam == "klantbeeld inzien"]
    assert bekeken.grondslag == "Behandelen aanvraag"
    assert await logboek.acties(database, kf.BSN_B) != []  # the searches only: no view of Piet
    assert not [
        e
        for e in await logboek.acties(database, kf.BSN_B)
        if e.actie_naam != "klanten zoeken op naam"
    ]
    assert urls
    assert not [u for u in urls if kf.BSN_A in u or kf.BSN_B in u or kf.KVK in u]


async def test_a_reference_that_is_not_of_the_last_search_shows_nothing(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await _register(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-keuze", MEDEWERKER)
    page = await client.get("/kcc/")
    assert (await kies(client, page, "verzonnen")).status_code == 400  # no search yet
    eerste = await zoek(client, "Suzanne")
    oud = keuzes(eerste)["Suzanne Jansen"]
    tweede = await zoek(client, "Piet")
    response = await kies(client, tweede, oud)  # a result of an earlier search
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.text
    assert "Suzanne" not in response.text
    assert [e.actie_naam for e in await logboek.acties(database)] == ["klanten zoeken op naam"]


async def test_a_search_without_results_says_so_and_logs_nothing(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await _register(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-leeg", MEDEWERKER)
    page = await zoek(client, "Pietersen")
    assert page.status_code == 200
    assert "Er is geen persoon of organisatie" in page.text
    assert keuzes(page) == {}
    for soort, nummer in (("BSN", kf.BSN_A), ("BSN", kf.BSN_B), ("KVK", kf.KVK)):
        assert await logboek.acties(database, nummer, soort) == []


async def test_a_role_without_the_customer_register_right_cannot_search_by_name(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await _register(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen")])
    await login(client, oidc_provider, "mw-geen-kic", MEDEWERKER)
    page = await zoek(client, "Jansen")
    assert page.status_code == 200
    assert klantbeeld.GEEN_KLANTREGISTER_ZOEKEN in page.text
    assert "Suzanne" not in page.text
    assert await logboek.acties(database) == []


async def test_more_results_than_shown_are_announced(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    for n in range(klantbeeld.MAX_ZOEKRESULTATEN + 1):
        await kl.organisatie(database, f"{10000000 + n}", f"Jansen Winkel {n}")
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-meer", MEDEWERKER)
    page = await zoek(client, "jansen winkel")
    assert len(keuzes(page)) == klantbeeld.MAX_ZOEKRESULTATEN
    assert f"Er zijn meer dan {klantbeeld.MAX_ZOEKRESULTATEN} resultaten" in page.text


@pytest.mark.parametrize(
    ("naam", "doel", "melding"),
    [
        ("", DOEL, "Vul een naam in."),
        ("   ", DOEL, "Vul een naam in."),
        ("J", DOEL, "Vul ten minste 2 tekens van de naam in."),
        ("J" * 101, DOEL, "Een naam is ten hoogste 100 tekens lang."),
        ("Jansen", None, "Kies het doel van deze inzage."),
        ("Jansen", "Nieuwsgierigheid", "Kies het doel van deze inzage."),
    ],
)
async def test_a_wrong_name_search_gets_a_clear_dutch_error_and_searches_nothing(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    naam: str,
    doel: str | None,
    melding: str,
) -> None:
    zt = await kf.zaaktype(database)
    await _register(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-naam-fout", MEDEWERKER)
    response = await zoek(client, naam, doel)
    assert response.status_code == 400
    assert melding in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-current="page">Zoeken op naam</a>' in response.text
    assert "Suzanne" not in response.text
    assert await logboek.acties(database) == []


async def test_the_bsn_form_stays_the_default(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen")])
    await login(client, oidc_provider, "mw-standaard", MEDEWERKER)
    for pad in ("/kcc/", "/kcc/?op=onbekend"):
        page = await client.get(pad)
        assert 'aria-current="page">Zoeken op burgerservicenummer</a>' in page.text
        assert 'name="bsn"' in page.text
    assert (await inzien(client, kf.BSN_A)).status_code == 200
