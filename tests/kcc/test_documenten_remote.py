"""Document downloads in the KCC for zaken of a remote Zaken API whose documents live in a
remote Documenten API (a second, real MijnZaken: tests/klantbeeld/remote_server.py, with the
data and fixtures of tests/klantbeeld/test_remote_documenten_medewerker.py): the content is
passed on from the remote only for a document the employee's roles may read; any other is the
404 page, and the remote is not asked for its content."""

from __future__ import annotations

from typing import Any

import httpx

from mijnzaken.verwerkingen import service as verwerkingen
from tests.documenten import factories as df
from tests.kcc.conftest import DOEL, rol
from tests.klantbeeld import factories as kf
from tests.klantbeeld.remote_server import Remote
from tests.klantbeeld.test_remote_documenten_medewerker import (  # the remote and its data
    DATA,
    _as,
    _documenten,
    _type,
    _zaak_page,
    _zaken,
    app,  # noqa: F401
    remote,  # noqa: F401
    zonder_type,  # noqa: F401
)
from tests.oidc_provider import Provider


def _pad(naam: str, zaak: str = "Dakkapel") -> str:
    return f"/kcc/zaken/{DATA.zaken[zaak]}/documenten/{DATA.documenten[naam]}"


async def _downloads(database: Any) -> list[Any]:
    async with database.transaction() as session:
        found = await verwerkingen.voor_betrokkene(session, "BSN", kf.BSN_A)
        return [e for e in found if e.actie_naam == "document downloaden"]


async def test_an_employee_downloads_a_remote_document_within_the_role_and_nothing_else(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    remote: Remote,  # noqa: F811
) -> None:
    await rol(database, "vergunningen", [_zaken(remote), _documenten(_type(remote, "brief"))])
    await _as(client, oidc_provider, "mw-remote-download", ["vergunningen"])
    page = await _zaak_page(client)
    assert f'href="{_pad("besluit")}" download' in page.text
    assert _pad("notitie") not in page.text

    mark = len(remote.requests)
    response = await client.get(_pad("besluit"))
    assert response.status_code == 200
    assert response.content == b"inhoud"
    assert response.headers["content-disposition"].startswith('attachment; filename="besluit.pdf"')
    calls = remote.since(mark, wait=2)
    besluit = DATA.documenten["besluit"]
    assert f"GET {df.EIO}/{besluit}/download" in [c.split("?")[0] for c in calls]
    [entry] = await _downloads(database)
    assert (entry.gebruiker, entry.grondslag) == ("mw-remote-download", DOEL)

    # another informatieobjecttype, above the role's maximum: the 404 page, no content read
    mark = len(remote.requests)
    for naam in ("notitie", "memo"):
        denied = await client.get(_pad(naam))
        assert denied.status_code == 404, naam
        assert "Pagina niet gevonden" in denied.text, naam
        assert "content-disposition" not in denied.headers, naam
    calls = remote.since(mark, wait=2)
    assert not [c for c in calls if "/download" in c]
    assert len(await _downloads(database)) == 1
