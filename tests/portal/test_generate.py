"""`mijnzaken demo generate --portaal-burgers P`: every generated portal citizen sees all of
their zaken and documents in MijnGemeente, and a later run adds new citizens after them."""

from __future__ import annotations

import re
from typing import Any

from mijnzaken import generate as generate_module
from mijnzaken.generate import Portaal, generate, portaal_bsn
from tests.oidc_provider import Provider
from tests.portal.conftest import oidc_login

ZAAK_LINK = re.compile(r'href="/mijn/zaken/([0-9a-f-]+)"')
DOCUMENT_LINK = re.compile(r'href="/mijn/zaken/[0-9a-f-]+/documenten/([0-9a-f-]+)"')


async def test_portal_citizens_see_all_their_generated_zaken_and_documents(
    client: Any, database: Any, settings: Any, oidc_provider: Provider, monkeypatch: Any
) -> None:
    # no ANALYZE: statistics of these tiny tables would outlive the test in a shared database
    monkeypatch.setattr(generate_module, "_analyze", _no_analyze)
    local = settings.model_copy(update={"base_url": "http://testserver"})
    portaal = Portaal(burgers=2, zaken=5, documenten=12)
    assert await generate(local, database, citizens=1, zaken=3, portaal=portaal) == 13
    later = Portaal(burgers=1, zaken=5, documenten=12)
    assert await generate(local, database, citizens=1, zaken=0, seed=2, portaal=later) == 5
    for i in range(3):
        client.cookies.clear()
        back = await oidc_login(client, oidc_provider, f"portaal-{i}", {"bsn": portaal_bsn(i)})
        assert back.status_code == 303, back.text
        overview = (await client.get("/mijn/")).text
        zaken = set(ZAAK_LINK.findall(overview))
        assert len(zaken) == 5, i
        assert "U heeft 12 documenten bij uw aanvragen" in overview, i
        shown = 0
        for zaak in zaken:
            page = await client.get(f"/mijn/zaken/{zaak}")
            assert page.status_code == 200
            shown += len(set(DOCUMENT_LINK.findall(page.text)))
        assert shown == 12, i


async def _no_analyze(_session: object) -> None:
    return None
