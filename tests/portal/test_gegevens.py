"""Mijn gegevens and contact moments in MijnGemeente: what the citizen sees of the customer
register, adding and confirming an address with a one-time code read from the queued message,
choosing a channel per zaaktype, and what nobody else sees or changes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from mijnzaken.app import create_app
from mijnzaken.berichten import service as berichten
from mijnzaken.berichten.bezorging import Bezorger
from mijnzaken.core import clock
from mijnzaken.core.settings import Settings
from mijnzaken.klantinteracties import models as m
from mijnzaken.klantinteracties.services import voorkeur as voorkeur_service
from tests.berichten.postbus import smtp_server
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.portal.conftest import csrf_of, demo_login, oidc_login, portal_settings

GEGEVENS = "/mijn/gegevens"


async def _code(database: Any, ontvanger: str) -> str:
    """The code in the newest message to `ontvanger`, read as the citizen reads it."""
    async with database.transaction() as session:
        found = [b for b in await berichten.lijst(session) if b.ontvanger == ontvanger]
    assert found, "no message was queued"
    match = re.search(r"\b(\d{6})\b", found[0].tekst)
    assert match is not None
    return match.group(1)


async def _post(client: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
    page = await client.get(GEGEVENS)
    return await client.post(path, data={"csrf_token": csrf_of(page), **data})


async def _adressen(database: Any) -> list[m.DigitaalAdres]:
    async with database.transaction() as session:
        return list((await session.execute(select(m.DigitaalAdres))).scalars())


async def test_mijn_gegevens_shows_name_contact_data_and_preferences(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    await kf.zaak(database, zt)
    partij = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    mail = await kl.adres(database, partij, "suzanne@example.nl")
    await kl.adres(database, partij, "0612345678", soort="telefoonnummer", geverifieerd=False)
    await kl.voorkeur(database, partij, "email", digitaal_adres=mail)
    await demo_login(client)
    page = await client.get(GEGEVENS)
    assert page.status_code == 200
    assert "Suzanne Jansen" in page.text
    assert "suzanne@example.nl" in page.text
    assert "Nee, nog niet bevestigd" in page.text
    assert "Nu: Per e-mail naar suzanne@example.nl" in page.text
    assert "Parkeervergunning bewoners" in page.text
    assert "Nu: Zoals uw standaardvoorkeur" in page.text
    # an unconfirmed number is not offered as a channel
    assert "Per sms naar 0612345678" not in page.text


async def test_new_email_is_confirmed_with_the_code_and_then_chosen_for_a_zaaktype(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    await kf.zaak(database, zt)
    await demo_login(client)
    added = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="nieuw@example.nl")
    assert added.status_code == 303, added.text
    bevestig = added.headers["location"]
    assert kf.BSN_A not in bevestig
    page = await client.get(bevestig)
    assert "Vul de code van 6 cijfers in die wij naar" in page.text
    assert "nieuw@example.nl" in page.text
    code = await _code(database, "nieuw@example.nl")
    done = await client.post(bevestig, data={"csrf_token": csrf_of(page), "code": code})
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Uw contactgegeven is bevestigd." in page.text
    assert "Per e-mail naar nieuw@example.nl" in page.text
    [adres] = await _adressen(database)
    assert adres.verificatie_datum == clock.today()
    chosen = await client.post(
        f"{GEGEVENS}/voorkeuren",
        data={
            "csrf_token": csrf_of(page),
            "onderwerp": kl.zaaktype_url(zt),
            "kanaal": f"email:{adres.uuid}",
        },
    )
    assert chosen.status_code == 303, chosen.text
    page = await client.get(chosen.headers["location"])
    assert "Uw voorkeur is opgeslagen." in page.text
    async with database.transaction() as session:
        partij = await voorkeur_service.partij_met_bsn(session, kf.BSN_A)
        assert partij is not None
        keuze = await voorkeur_service.bepaal_kanaal(session, partij, zaaktype=kl.zaaktype_url(zt))
        standaard = await voorkeur_service.bepaal_kanaal(session, partij)
        history = list((await session.execute(select(m.Toestemming))).scalars())
    assert (keuze.kanaal, keuze.adres, keuze.bron) == ("email", "nieuw@example.nl", "zaaktype")
    assert standaard.kanaal is None  # only the zaaktype was chosen
    assert [h.actie for h in history] == ["gegeven"]
    assert history[0].gebruiker == "Inwoner"  # who, by role: never the BSN


async def test_default_preference_and_withdrawing_a_zaaktype_preference(
    client: Any, database: Any
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt)
    partij = await kl.persoon(database, kf.BSN_A)
    await kl.voorkeur(database, partij, "post", zaaktype=zt)
    await demo_login(client)
    assert (
        await _post(client, f"{GEGEVENS}/voorkeuren", onderwerp="", kanaal="geen")
    ).status_code == 303
    withdraw = await _post(
        client, f"{GEGEVENS}/voorkeuren", onderwerp=kl.zaaktype_url(zt), kanaal=""
    )
    assert withdraw.status_code == 303
    async with database.transaction() as session:
        keuze = await voorkeur_service.bepaal_kanaal(
            session, partij.uuid, zaaktype=kl.zaaktype_url(zt)
        )
    assert (keuze.kanaal, keuze.bron) == ("geen", "standaard")


async def test_wrong_code_says_how_many_tries_are_left_and_then_that_it_is_void(
    client: Any, database: Any
) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    adres = await kl.adres(
        database, partij, "0612345678", soort="telefoonnummer", geverifieerd=False
    )
    await demo_login(client)
    url = f"{GEGEVENS}/adressen/{adres.uuid}"
    assert (await _post(client, f"{url}/code")).status_code == 303
    code = await _code(database, "0612345678")
    wrong = "000000" if code != "000000" else "111111"
    first = await _post(client, f"{url}/bevestigen", code=wrong)
    assert first.status_code == 400
    assert "De code klopt niet. U kunt het nog 4 keer proberen." in first.text
    assert 'aria-invalid="true"' in first.text
    for _ in range(4):
        last = await _post(client, f"{url}/bevestigen", code=wrong)
    assert "te vaak verkeerd ingevoerd" in last.text
    # void now, even with the right code; and nothing confirmed
    after = await _post(client, f"{url}/bevestigen", code=code)
    assert "te vaak verkeerd ingevoerd" in after.text
    [stored] = await _adressen(database)
    assert stored.verificatie_datum is None
    assert kf.BSN_A not in after.text


async def test_expired_code_is_refused_with_a_clear_message(client: Any, database: Any) -> None:
    await demo_login(client)
    added = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="laat@example.nl")
    code = await _code(database, "laat@example.nl")
    page = await client.get(added.headers["location"])
    async with database.transaction() as session:  # the code's time has passed
        await session.execute(
            update(m.Verificatie).values(verloopt_op=clock.now() - dt.timedelta(seconds=1))
        )
    expired = await client.post(
        added.headers["location"], data={"csrf_token": csrf_of(page), "code": code}
    )
    assert expired.status_code == 400
    assert "De code is verlopen." in expired.text


async def test_code_that_is_not_six_digits_is_refused_without_counting(
    client: Any, database: Any
) -> None:
    await demo_login(client)
    added = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="a@example.nl")
    answer = await _post(client, f"{added.headers['location']}", code="12ab")
    assert answer.status_code == 400
    assert "Vul de code van 6 cijfers in" in answer.text
    async with database.transaction() as session:
        [verificatie] = list((await session.execute(select(m.Verificatie))).scalars())
    assert verificatie.pogingen == 0


@pytest.mark.parametrize(
    ("soort", "waarde", "melding"),
    [
        ("email", "geen-adres", "Vul een geldig e-mailadres in"),
        ("telefoonnummer", "0900123456", "Voer een geldig telefoonnummer in"),
        ("email", "", "Vul het adres of nummer in."),
        ("fax", "0301234567", "Kies een e-mailadres of een telefoonnummer."),
        ("email", f"{'a' * 75}@example.nl", "Een adres is ten hoogste 80 tekens lang."),
    ],
)
async def test_invalid_address_gets_a_dutch_message_and_nothing_is_stored(
    client: Any, database: Any, soort: str, waarde: str, melding: str
) -> None:
    await demo_login(client)
    answer = await _post(client, f"{GEGEVENS}/adressen", soort=soort, adres=waarde)
    assert answer.status_code == 400
    assert melding in answer.text
    assert 'role="alert"' in answer.text
    assert await _adressen(database) == []
    async with database.transaction() as session:
        assert await berichten.lijst(session) == []


async def test_changed_address_must_be_confirmed_again(client: Any, database: Any) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    adres = await kl.adres(database, partij, "oud@example.nl")
    await kl.voorkeur(database, partij, "email", digitaal_adres=adres)
    await demo_login(client)
    url = f"{GEGEVENS}/adressen/{adres.uuid}/wijzigen"
    form = await client.get(url)
    assert 'value="oud@example.nl"' in form.text
    changed = await client.post(
        url, data={"csrf_token": csrf_of(form), "adres": "nieuw@example.nl"}
    )
    assert changed.status_code == 303
    assert changed.headers["location"].endswith("/bevestigen")
    await _code(database, "nieuw@example.nl")
    page = await client.get(GEGEVENS)
    assert "nieuw@example.nl" in page.text
    assert "het adres is niet bevestigd; deze keuze geldt niet" in page.text
    bad = await client.post(url, data={"csrf_token": csrf_of(form), "adres": "x@"})
    assert bad.status_code == 400
    assert "Vul een geldig e-mailadres in" in bad.text


async def test_unconfirmed_address_cannot_be_chosen(client: Any, database: Any) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    adres = await kl.adres(database, partij, "nog@example.nl", geverifieerd=False)
    await demo_login(client)
    answer = await _post(
        client, f"{GEGEVENS}/voorkeuren", onderwerp="", kanaal=f"email:{adres.uuid}"
    )
    assert answer.status_code == 400
    assert "Dit adres is nog niet bevestigd." in answer.text
    async with database.transaction() as session:
        assert list((await session.execute(select(m.Kanaalvoorkeur))).scalars()) == []


async def test_preference_form_refuses_what_it_does_not_offer(client: Any, database: Any) -> None:
    await demo_login(client)
    for data in (
        {"onderwerp": "", "kanaal": "duif"},
        {"onderwerp": "https://elders.example/zaaktypen/1", "kanaal": "post"},
        {"onderwerp": "", "kanaal": f"email:{uuid.uuid4()}"},
    ):
        answer = await _post(client, f"{GEGEVENS}/voorkeuren", **data)
        assert answer.status_code == 400, data


async def test_new_forms_without_csrf_token_are_refused(client: Any, database: Any) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    adres = await kl.adres(database, partij, "a@example.nl", geverifieerd=False)
    await demo_login(client)
    base = f"{GEGEVENS}/adressen/{adres.uuid}"
    for path, data in (
        (f"{GEGEVENS}/adressen", {"soort": "email", "adres": "b@example.nl"}),
        (f"{base}/code", {}),
        (f"{base}/bevestigen", {"code": "123456"}),
        (f"{base}/wijzigen", {"adres": "c@example.nl"}),
        (f"{GEGEVENS}/voorkeuren", {"onderwerp": "", "kanaal": "post"}),
    ):
        answer = await client.post(path, data={"csrf_token": "vals", **data})
        assert answer.status_code == 400, path
    assert [a.adres for a in await _adressen(database)] == ["a@example.nl"]
    async with database.transaction() as session:
        assert await berichten.lijst(session) == []


async def test_citizen_never_reaches_another_citizens_address_by_url(
    client: Any, database: Any
) -> None:
    ander = await kl.persoon(database, kf.BSN_B, "Piet", "de Boer")
    adres = await kl.adres(database, ander, "piet@example.nl", geverifieerd=False)
    await demo_login(client, burger=0)
    base = f"{GEGEVENS}/adressen/{adres.uuid}"
    assert (await client.get(f"{base}/bevestigen")).status_code == 404
    assert (await client.get(f"{base}/wijzigen")).status_code == 404
    for path, data in (
        (f"{base}/code", {}),
        (f"{base}/bevestigen", {"code": "123456"}),
        (f"{base}/wijzigen", {"adres": "kaping@example.nl"}),
    ):
        answer = await _post(client, path, **data)
        assert answer.status_code == 404, path
        assert "piet@example.nl" not in answer.text
    assert "piet@example.nl" not in (await client.get(GEGEVENS)).text
    [stored] = await _adressen(database)
    assert stored.adres == "piet@example.nl"
    answer = await _post(
        client, f"{GEGEVENS}/voorkeuren", onderwerp="", kanaal=f"email:{adres.uuid}"
    )
    assert answer.status_code == 400
    async with database.transaction() as session:
        assert await berichten.lijst(session) == []


async def test_overview_shows_own_recent_contact_moments_only(client: Any, database: Any) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, identificatie="ZAAK-2026-0000000007")
    mij = await kl.persoon(database, kf.BSN_A)
    ander = await kl.persoon(database, kf.BSN_B)
    await kl.klantcontact(database, "Vraag over mijn vergunning", partij=mij, zaak=zaak)
    await kl.klantcontact(database, "Melding over de buren", partij=mij, dag=5)
    await kl.klantcontact(database, "Geheim gesprek", partij=mij, vertrouwelijk=True)
    await kl.klantcontact(database, "Contact van een ander", partij=ander)
    await demo_login(client)
    page = await client.get("/mijn/")
    assert "Vraag over mijn vergunning" in page.text
    assert "ZAAK-2026-0000000007" in page.text
    assert "Melding over de buren" in page.text
    assert page.text.index("Melding over de buren") < page.text.index("Vraag over mijn")
    assert "Geheim gesprek" not in page.text
    assert "Contact van een ander" not in page.text


async def test_zaak_page_shows_contact_moments_about_that_zaak(client: Any, database: Any) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt)
    andere_zaak = await kf.zaak(database, zt)
    mij = await kl.persoon(database, kf.BSN_A)
    ander = await kl.persoon(database, kf.BSN_B)
    await kl.klantcontact(database, "Gebeld over de aanvraag", partij=mij, zaak=zaak)
    await kl.klantcontact(database, "Notitie bij de aanvraag", zaak=zaak, kanaal="balie")
    await kl.klantcontact(database, "Buurman belde hierover", partij=ander, zaak=zaak)
    await kl.klantcontact(database, "Iemand belde anoniem", zaak=zaak, naamloos=True)
    await kl.klantcontact(database, "Over de andere aanvraag", partij=mij, zaak=andere_zaak)
    await demo_login(client)
    page = await client.get(f"/mijn/zaken/{zaak.uuid}")
    section = page.text.split("Contactmomenten over deze aanvraag")[1]
    assert "Gebeld over de aanvraag" in section
    assert "Notitie bij de aanvraag (balie)" in section
    assert "Buurman belde hierover" not in section
    assert "Iemand belde anoniem" not in section
    assert "Over de andere aanvraag" not in section


async def test_representative_sees_contact_moments_of_covered_zaken_and_no_gegevens(
    client: Any, database: Any, oidc_provider: Any
) -> None:
    gedekt = await kf.zaaktype(database, identificatie="PARKEERVERGUNNING")
    anders = await kf.zaaktype(database, identificatie="BIJSTAND")
    zaak = await kf.zaak(database, gedekt)
    niet = await kf.zaak(database, anders)
    mij = await kl.persoon(database, kf.BSN_A)
    await kl.adres(database, mij, "suzanne@example.nl")
    await kl.klantcontact(database, "Over de parkeervergunning", partij=mij, zaak=zaak)
    await kl.klantcontact(database, "Over de bijstand", partij=mij, zaak=niet)
    await kl.klantcontact(database, "Los gesprek", partij=mij)
    back = await oidc_login(
        client,
        oidc_provider,
        "gemachtigde",
        {
            "bsn": kf.BSN_B,
            "vertegenwoordigde": {"bsn": kf.BSN_A},
            "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
        },
    )
    assert back.status_code == 303
    overview = await client.get("/mijn/")
    assert "Over de parkeervergunning" in overview.text
    assert "Over de bijstand" not in overview.text
    assert "Los gesprek" not in overview.text
    page = await client.get(GEGEVENS)
    assert "uw machtiging geldt voor aanvragen, niet voor deze gegevens" in page.text
    assert "suzanne@example.nl" not in page.text
    assert f'action="{GEGEVENS}/adressen"' not in page.text
    added = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="x@example.nl")
    assert added.status_code == 400
    assert "U kunt deze gegevens hier niet wijzigen." in added.text
    assert [a.adres for a in await _adressen(database)] == ["suzanne@example.nl"]


async def test_code_arrives_by_email_at_a_real_smtp_server_and_confirms_the_address(
    settings: Settings, database: Any, oidc_provider: Any
) -> None:
    with smtp_server() as (postbus, port):
        smtp = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
        configured = portal_settings(settings, oidc_provider.issuer, **smtp)
        app = create_app(configured, database)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            await demo_login(client)
            added = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="s@example.nl")
            bezorger = Bezorger(configured, database)
            try:
                assert await bezorger.step() == 1
            finally:
                await bezorger.close()
            [(ontvangers, mail)] = postbus.ontvangen
            assert ontvangers == ["s@example.nl"]
            assert mail["Subject"] == "Uw verificatiecode"
            match = re.search(r"\b(\d{6})\b", mail.get_payload())
            assert match is not None
            assert kf.BSN_A not in mail.as_string()
            page = await client.get(added.headers["location"])
            done = await client.post(
                added.headers["location"],
                data={"csrf_token": csrf_of(page), "code": match.group(1)},
            )
            assert done.status_code == 303
            assert (
                "Uw contactgegeven is bevestigd."
                in (await client.get(done.headers["location"])).text
            )


async def test_business_login_sees_its_gegevens_without_forms(
    client: Any, database: Any, oidc_provider: Any
) -> None:
    back = await oidc_login(client, oidc_provider, "bakkerij", {"kvk": kf.KVK})
    assert back.status_code == 303
    page = await client.get(GEGEVENS)
    assert page.status_code == 200
    assert "KvK-nummer" in page.text
    assert f'action="{GEGEVENS}/adressen"' not in page.text
    assert f'action="{GEGEVENS}/voorkeuren"' not in page.text
    assert "Standaard (alle berichten): Geen voorkeur opgegeven" in page.text
    refused = await _post(client, f"{GEGEVENS}/voorkeuren", onderwerp="", kanaal="post")
    assert refused.status_code == 400
    assert "U kunt deze gegevens hier niet wijzigen." in refused.text


async def test_a_citizen_cannot_pile_up_addresses_to_send_codes_to(
    client: Any, database: Any
) -> None:
    partij = await kl.persoon(database, kf.BSN_A)
    for n in range(10):
        await kl.adres(database, partij, f"adres{n}@example.nl")
    await demo_login(client)
    answer = await _post(client, f"{GEGEVENS}/adressen", soort="email", adres="elf@example.nl")
    assert answer.status_code == 400
    assert "U kunt niet meer dan 10 e-mailadressen en telefoonnummers opgeven." in answer.text
    async with database.transaction() as session:
        assert await berichten.lijst(session) == []
