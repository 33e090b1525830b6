"""A person whose data are secret (`indicatieGeheimhouding` of their partij: the one who gave
the data asked that they be treated as secret). A name search still finds them, since the
employee may need to help them, but the result list marks them clearly and shows no number
and no contact data of theirs; their view opens for the search's purpose, logged as any
other, with a warning that the data go to no one but the customer."""

from __future__ import annotations

from typing import Any

import httpx

from tests.kcc.conftest import DOEL, login, rol
from tests.kcc.test_zoeken import KIC, MEDEWERKER, keuzes, kies, zoek
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.klantbeeld import logboek
from tests.oidc_provider import Provider
from tests.zaken import factories as zf

GEHEIM = "Geheimhouding"
WAARSCHUWING = "De gegevens van deze klant zijn geheim."


def _rij(page: httpx.Response, naam: str) -> str:
    """The table row of the result named `naam`."""
    [rij] = [
        r
        for r in page.text.split('<tr class="utrecht-table__row">')[2:]
        if r.split('scope="row">', 1)[1].startswith(naam)
    ]
    return rij.split("</tr>", 1)[0]


async def test_a_person_with_secret_data_is_marked_and_shown_without_number_or_contact_data(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    geheim = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen", geheim=True)
    await kl.adres(database, geheim, "suzanne@geheim.example")
    await kl.adres(database, geheim, "0612345678", soort="telefoonnummer")
    open_ = await kl.persoon(database, kf.BSN_B, "Piet", "Jansen", geheim=False)
    await kl.adres(database, open_, "piet@example.nl")
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-geheim", MEDEWERKER)

    page = await zoek(client, "jansen")
    assert page.status_code == 200
    assert {n.strip() for n in keuzes(page)} == {"Suzanne Jansen", "Piet Jansen"}
    suzanne, piet = _rij(page, "Suzanne Jansen"), _rij(page, "Piet Jansen")
    assert GEHEIM in suzanne
    assert "Afgeschermd" in suzanne
    assert GEHEIM not in piet
    assert f"BSN {kf.BSN_B}" in piet
    assert kf.BSN_A not in page.text  # not in the row, not in the button's hidden text
    for contact in ("suzanne@geheim.example", "0612345678", "piet@example.nl"):
        assert contact not in page.text
    assert "hun nummer staat niet in deze lijst" in page.text
    # the search showed her name: it is logged under her number as under his
    for bsn in (kf.BSN_A, kf.BSN_B):
        [entry] = await logboek.acties(database, bsn)
        assert (entry.actie_naam, entry.grondslag) == ("klanten zoeken op naam", DOEL)

    # her view opens for the purpose, with the warning; his has none
    view = await kies(client, page, keuzes(page)[next(n for n in keuzes(page) if "Suz" in n)])
    assert view.status_code == 200
    assert "Klantbeeld van Suzanne Jansen" in view.text
    assert WAARSCHUWING in view.text
    page = await zoek(client, "piet")
    view = await kies(client, page, keuzes(page)["Piet Jansen"])
    assert "Klantbeeld van Piet Jansen" in view.text
    assert WAARSCHUWING not in view.text


async def test_a_search_without_secret_persons_shows_no_secrecy_notice(
    client: httpx.AsyncClient, database: Any, oidc_provider: Provider
) -> None:
    zt = await kf.zaaktype(database)
    await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")  # not stated: null
    await rol(database, "kcc", [zf.zrc_autorisatie(zt, "zaken.lezen"), KIC])
    await login(client, oidc_provider, "mw-niet-geheim", MEDEWERKER)
    page = await zoek(client, "jansen")
    assert set(keuzes(page)) == {"Suzanne Jansen"}
    assert GEHEIM not in page.text
    assert f"BSN {kf.BSN_A}" in page.text
