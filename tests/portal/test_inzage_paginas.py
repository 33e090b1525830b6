"""'Wie heeft mijn gegevens ingezien' in pages: the newest entries first, 50 a page, with
links to the newer and older ones; a page that does not exist is the 404 page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from mijnzaken.verwerkingen import service as verwerkingen
from tests.klantbeeld import factories as kf
from tests.portal.conftest import demo_login

EERSTE = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


async def test_the_log_page_shows_the_newest_entries_in_pages(
    client: httpx.AsyncClient, database: Any
) -> None:
    async with database.transaction() as session:
        for i in range(120):
            verwerkingen.log(
                session,
                activiteit=f"Raadpleging {i:03d}",
                betrokkenen=[verwerkingen.Betrokkene("BSN", kf.BSN_A)],
                systeem="Zaaksysteem",
                tijdstip=EERSTE + dt.timedelta(hours=i),
            )
    await demo_login(client, 0)
    eerste = (await client.get("/mijn/inzage")).text
    assert "Pagina 1 van 3" in eerste
    assert "Raadpleging 119" in eerste
    assert "Raadpleging 070" in eerste
    assert "Raadpleging 069" not in eerste
    # now the first view's own entry is the newest: 121 entries, the third page 020 to 000
    derde = await client.get("/mijn/inzage?pagina=3")
    assert derde.status_code == 200
    assert "Raadpleging 000" in derde.text
    assert "Raadpleging 020" in derde.text
    assert "Raadpleging 021" not in derde.text
    assert 'rel="prev" href="/mijn/inzage?pagina=2"' in derde.text
    assert 'rel="next"' not in derde.text
    assert (await client.get("/mijn/inzage?pagina=9")).status_code == 404
