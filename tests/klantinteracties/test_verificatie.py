"""The extension: verifying a digital address with a one-time code. The code reaches the citizen
as a queued outgoing message; these tests read it from there, as the citizen would."""

from __future__ import annotations

import datetime as dt
import re

from mijnzaken.berichten.models import Bericht
from mijnzaken.core import clock
from mijnzaken.klantinteracties import models as m
from tests.klantinteracties import factories as f


async def _code(database) -> str:
    bericht = (await f.rows(database, Bericht))[-1]
    found = re.search(r"\b(\d{6})\b", bericht.tekst)
    assert found is not None
    return found.group(1)


async def _start(client, headers, adres):
    return await client.post(f"{adres['url']}/verificatie", headers=headers)


async def _confirm(client, headers, adres, code):
    return await client.post(
        f"{adres['url']}/verificatie/bevestigen", json={"code": code}, headers=headers
    )


async def test_code_sent_by_email_and_confirmed_verifies_the_address(client, superuser, database):
    adres = await f.create_adres(client, superuser)
    resp = await _start(client, superuser, adres)
    assert resp.status_code == 201, resp.text
    assert resp.json()["pogingenOver"] == 5
    bericht = (await f.rows(database, Bericht))[0]
    assert (bericht.kanaal, bericht.ontvanger, bericht.status) == (
        "email",
        adres["adres"],
        "wachtrij",
    )
    assert bericht.referentie == adres["url"]
    code = await _code(database)
    stored = (await f.rows(database, m.Verificatie))[0]
    assert code not in stored.code_hash  # only a salted hash is kept
    confirmed = await _confirm(client, superuser, adres, code)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["verificatieDatum"] == clock.today().isoformat()
    listed = await client.get(
        f"{f.API}/digitaleadressen", params={"isGeverifieerd": "true"}, headers=superuser
    )
    assert listed.json()["count"] == 1


async def test_phone_number_gets_its_code_by_sms(client, superuser, database):
    adres = await f.create_adres(
        client, superuser, adres="0612345678", soortDigitaalAdres="telefoonnummer"
    )
    assert (await _start(client, superuser, adres)).status_code == 201
    assert (await f.rows(database, Bericht))[0].kanaal == "sms"


async def test_overig_address_cannot_be_verified(client, superuser, database):
    adres = await f.create_adres(client, superuser, adres="@jan", soortDigitaalAdres="overig")
    assert (await _start(client, superuser, adres)).status_code == 400
    assert await f.rows(database, Bericht) == []


async def test_wrong_code_is_counted_and_the_code_dies_after_the_attempt_limit(
    client, superuser, database
):
    adres = await f.create_adres(client, superuser)
    await _start(client, superuser, adres)
    code = await _code(database)
    wrong = "000000" if code != "000000" else "111111"
    first = await _confirm(client, superuser, adres, wrong)
    assert first.status_code == 400
    assert first.json()["invalidParams"][0]["code"] == "ongeldige-code"
    assert (await f.rows(database, m.Verificatie))[0].pogingen == 1  # kept despite the 400
    for _ in range(4):
        last = await _confirm(client, superuser, adres, wrong)
    assert last.json()["invalidParams"][0]["code"] == "te-veel-pogingen"
    late = await _confirm(client, superuser, adres, code)
    assert late.status_code == 400
    assert late.json()["invalidParams"][0]["code"] == "te-veel-pogingen"
    assert (await client.get(adres["url"], headers=superuser)).json()["verificatieDatum"] is None


async def test_expired_code_is_refused(client, superuser, database, monkeypatch):
    adres = await f.create_adres(client, superuser)
    await _start(client, superuser, adres)
    code = await _code(database)
    later = clock.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    resp = await _confirm(client, superuser, adres, code)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "verlopen"


async def test_a_new_code_voids_the_previous_one(client, superuser, database):
    adres = await f.create_adres(client, superuser)
    await _start(client, superuser, adres)
    old = await _code(database)
    await _start(client, superuser, adres)
    new = await _code(database)
    if old != new:
        assert (await _confirm(client, superuser, adres, old)).status_code == 400
    assert (await _confirm(client, superuser, adres, new)).status_code == 200


async def test_code_for_an_address_that_changed_since_is_refused(client, superuser, database):
    adres = await f.create_adres(client, superuser)
    await _start(client, superuser, adres)
    code = await _code(database)
    await client.patch(adres["url"], json={"adres": "ander@example.nl"}, headers=superuser)
    resp = await _confirm(client, superuser, adres, code)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "geen-code"


async def test_at_most_three_codes_an_hour_per_address(client, superuser, database):
    adres = await f.create_adres(client, superuser)
    for _ in range(3):
        assert (await _start(client, superuser, adres)).status_code == 201
    throttled = await _start(client, superuser, adres)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert len(await f.rows(database, Bericht)) == 3


async def test_verification_needs_its_own_scope(client, register):
    headers = await register(
        "kcc",
        "kcc-secret",
        autorisaties=[f.kic("klantinteracties.lezen", "klantinteracties.aanmaken")],
    )
    adres = await f.create_adres(client, headers)
    assert (await _start(client, headers, adres)).status_code == 403
