"""The claims of a ZGW token are checked strictly: a claim the register cannot store or
show (in the audit trail, the processing log) is the client's error, 401, before anything
is read or written, never a failed write and a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_token
from tests.zaken import factories as zf

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
BAD_CLAIMS = [
    ("user_id", "\ud800"),  # a lone surrogate: JSON carries it, UTF-8 cannot
    ("user_representation", "Jan \udfff"),
    ("user_id", "a\x00b"),  # PostgreSQL refuses NUL in text
    ("user_representation", "regel\neen"),
    ("user_representation", "x" * 256),  # longer than the audit trail keeps
    ("user_id", ["Jan"]),
    ("user_id", True),
]


async def _zaak_body(database: Any) -> dict[str, str]:
    zaaktype = await zf.published_zaaktype(database)
    return {
        "zaaktype": f"http://testserver/catalogi/api/v1/zaaktypen/{zaaktype.uuid}",
        "bronorganisatie": "002220647",
        "verantwoordelijkeOrganisatie": "002220647",
        "startdatum": "2025-01-01",
    }


@pytest.mark.parametrize(("claim", "value"), BAD_CLAIMS)
async def test_a_user_claim_that_is_no_storable_text_is_refused_with_401(
    client, register, database, claim, value
):
    await register("gebruiker", "gebruiker-secret", alle=True)
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    token = make_token("gebruiker", "gebruiker-secret", **{claim: value})
    headers = {"Authorization": f"Bearer {token}", **CRS}

    read = await client.get(zf.url(zaak), headers=headers)
    create = await client.post(
        "/zaken/api/v1/zaken", json=await _zaak_body(database), headers=headers
    )

    for response in (read, create):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "not_authenticated"
        assert f"'{claim}'" in response.json()["detail"]


async def test_a_client_id_with_a_lone_surrogate_is_refused_with_401(client, database):
    token = make_token("\ud800client", "geheim")
    response = await client.get(
        "/zaken/api/v1/zaken", headers={"Authorization": f"Bearer {token}", **CRS}
    )
    assert response.status_code == 401, response.text
    assert "'client_id'" in response.json()["detail"]


async def test_a_numeric_user_id_and_a_full_length_name_are_accepted_and_audited(
    client, register, database
):
    await register("gebruiker", "gebruiker-secret", alle=True)
    naam = "Jan\xa0" + "é" * 251  # 255 characters, a no-break space among them
    token = make_token("gebruiker", "gebruiker-secret", user_id=12, user_representation=naam)
    headers = {"Authorization": f"Bearer {token}", **CRS}
    created = await client.post(
        "/zaken/api/v1/zaken", json=await _zaak_body(database), headers=headers
    )
    assert created.status_code == 201, created.text
    audit = await client.get(f"{created.json()['url']}/audittrail", headers=headers)
    assert audit.status_code == 200, audit.text
    [entry] = audit.json()
    assert (entry["gebruikersId"], entry["gebruikersWeergave"]) == ("12", naam)
