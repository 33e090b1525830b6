"""Black-box tests of /partijen and /partij-identificatoren."""

from __future__ import annotations

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.klantinteracties import models as m
from tests.klantinteracties import factories as f

PARTIJEN = f"{f.API}/partijen"
IDENTIFICATOREN = f"{f.API}/partij-identificatoren"


async def test_create_retrieve_and_list_persoon(client, superuser):
    created = await f.create_partij(client, superuser)
    assert created["soortPartij"] == "persoon"
    assert created["nummer"] == "0000000001"
    assert created["partijIdentificatie"]["volledigeNaam"] == "Jan de Vries"
    assert created["bezoekadres"] is None
    resp = await client.get(created["url"], headers=superuser)
    assert resp.status_code == 200
    assert resp.json() == created
    listed = (await client.get(PARTIJEN, headers=superuser)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["url"] == created["url"]


async def test_numbers_follow_the_highest_and_a_given_number_must_be_unique(client, superuser):
    await f.create_partij(client, superuser, nummer="0000000041")
    assert (await f.create_partij(client, superuser))["nummer"] == "0000000042"
    resp = await client.post(PARTIJEN, json=f.persoon(nummer="0000000042"), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "nummer"


async def test_organisatie_and_contactpersoon_who_works_for_it(client, superuser):
    org = await f.post(client, superuser, "partijen", f.organisatie())
    assert org["partijIdentificatie"] == {"naam": "Bakkerij De Korenaar"}
    persoon = await f.post(
        client,
        superuser,
        "partijen",
        f.persoon(
            soortPartij="contactpersoon",
            partijIdentificatie={
                "werkteVoorPartij": {"uuid": org["uuid"]},
                "contactnaam": {"voornaam": "Els", "achternaam": "Bakker"},
            },
        ),
    )
    identificatie = persoon["partijIdentificatie"]
    assert identificatie["werkteVoorPartij"]["url"] == org["url"]
    assert identificatie["volledigeNaam"] == "Els Bakker"
    assert identificatie["uuid"]


async def test_contactpersoon_works_only_for_an_organisatie(client, superuser):
    other = await f.create_partij(client, superuser)
    resp = await client.post(
        PARTIJEN,
        json=f.persoon(
            soortPartij="contactpersoon",
            partijIdentificatie={"werkteVoorPartij": {"uuid": other["uuid"]}},
        ),
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "partijIdentificatie.werkteVoorPartij.uuid"
    assert (await client.get(PARTIJEN, headers=superuser)).json()["count"] == 1


async def test_partij_with_identificatoren_and_addresses_in_one_request(client, superuser):
    adres = await f.create_adres(client, superuser)
    created = await f.create_partij(
        client,
        superuser,
        partijIdentificatoren=[f.bsn_identificator()],
        digitaleAdressen=[{"uuid": adres["uuid"]}],
        voorkeursDigitaalAdres={"uuid": adres["uuid"]},
        bezoekadres={"straatnaam": "Markt", "huisnummer": 1, "postcode": "1234 AB", "land": "nl"},
    )
    assert created["partijIdentificatoren"][0]["partijIdentificator"]["objectId"] == f.BSN
    assert created["partijIdentificatoren"][0]["identificeerdePartij"]["url"] == created["url"]
    assert created["voorkeursDigitaalAdres"]["uuid"] == adres["uuid"]
    assert created["bezoekadres"]["land"] == "NL"
    again = (await client.get(adres["url"], headers=superuser)).json()
    assert again["verstrektDoorPartij"]["uuid"] == created["uuid"]


async def test_invalid_bsn_is_400_without_the_number_and_nothing_is_stored(
    client, superuser, database
):
    resp = await client.post(
        PARTIJEN,
        json=f.persoon(partijIdentificatoren=[f.bsn_identificator("123456789")]),
        headers=superuser,
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["invalidParams"][0]["name"] == (
        "partijIdentificatoren.0.partijIdentificator.objectId"
    )
    assert "123456789" not in resp.text
    assert await f.rows(database, m.Partij) == []
    assert await f.rows(database, m.PartijIdentificator) == []


async def test_voorkeursadres_must_be_one_of_the_partijs_addresses(client, superuser, database):
    adres = await f.create_adres(client, superuser)
    resp = await client.post(
        PARTIJEN, json=f.persoon(voorkeursDigitaalAdres={"uuid": adres["uuid"]}), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "voorkeursDigitaalAdres"
    assert await f.rows(database, m.Partij) == []


async def test_put_leaves_unnamed_optional_fields_and_patch_changes_only_what_it_names(
    client, superuser
):
    created = await f.create_partij(client, superuser, interneNotitie="Belt liever 's ochtends")
    put = await client.put(
        created["url"],
        json={"soortPartij": "persoon", "indicatieActief": False},
        headers=superuser,
    )
    assert put.status_code == 200, put.text
    assert put.json()["interneNotitie"] == "Belt liever 's ochtends"
    assert put.json()["indicatieActief"] is False
    patch = await client.patch(created["url"], json={"voorkeurstaal": "eng"}, headers=superuser)
    assert patch.status_code == 200
    assert patch.json()["voorkeurstaal"] == "eng"
    assert patch.json()["partijIdentificatie"]["volledigeNaam"] == "Jan de Vries"


async def test_replacing_identificatoren_removes_the_ones_not_named(client, superuser, database):
    created = await f.create_partij(
        client, superuser, partijIdentificatoren=[f.bsn_identificator()]
    )
    resp = await client.patch(created["url"], json={"partijIdentificatoren": []}, headers=superuser)
    assert resp.status_code == 200
    assert resp.json()["partijIdentificatoren"] == []
    assert await f.rows(database, m.PartijIdentificator) == []


async def test_changes_write_audit_trail_and_notification_on_kanaal_partijen(
    client, superuser, database
):
    created = await f.create_partij(
        client, superuser, partijIdentificatoren=[f.bsn_identificator()]
    )
    await client.delete(created["url"], headers=superuser)
    trail = await f.rows(database, AuditTrail)
    outbox = await f.rows(database, OutboxMessage)
    assert [t.actie for t in trail] == ["create", "destroy"]
    assert all(f.BSN not in t.resource_weergave for t in trail)
    assert [o.payload["actie"] for o in outbox] == ["create", "destroy"]
    assert outbox[0].payload["kanaal"] == "partijen"
    assert outbox[0].payload["resource"] == "partij"
    assert outbox[0].payload["kenmerken"]["soortPartij"] == "persoon"
    assert await f.rows(database, m.PartijIdentificator) == []


async def test_filters_by_identificator_and_address(client, superuser):
    wanted = await f.create_partij(
        client,
        superuser,
        partijIdentificatoren=[f.bsn_identificator()],
        correspondentieadres={"adresregel1": "Postbus 1", "land": "NL"},
    )
    await f.create_partij(client, superuser)
    for params in (
        {"partijIdentificator__objectId": f.BSN},
        {"partijIdentificator__codeSoortObjectId": "bsn"},
        {"correspondentieadresAdresregel1": "Postbus 1"},
        {"soortPartij": "persoon", "partijIdentificator__codeRegister": "brp"},
    ):
        listed = (await client.get(PARTIJEN, params=params, headers=superuser)).json()
        assert [p["url"] for p in listed["results"]] == [wanted["url"]], params


async def test_page_size_is_honoured_and_capped(client, superuser):
    for _ in range(3):
        await f.create_partij(client, superuser)
    page = (await client.get(PARTIJEN, params={"pageSize": 2}, headers=superuser)).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"].endswith("pageSize=2&page=2")
    assert (
        await client.get(PARTIJEN, params={"pageSize": 0}, headers=superuser)
    ).status_code == 400


async def test_identificator_rules(client, superuser):
    partij = await f.create_partij(client, superuser)
    kvk = await f.post(
        client,
        superuser,
        "partij-identificatoren",
        {
            "identificeerdePartij": {"uuid": partij["uuid"]},
            "partijIdentificator": {
                "codeObjecttype": "niet_natuurlijk_persoon",
                "codeSoortObjectId": "kvk_nummer",
                "objectId": f.KVK,
                "codeRegister": "hr",
            },
        },
    )
    vestiging = {
        "partijIdentificator": {
            "codeObjecttype": "vestiging",
            "codeSoortObjectId": "vestigingsnummer",
            "objectId": "000012345678",
            "codeRegister": "hr",
        }
    }
    # a vestigingsnummer needs its KvK-nummer
    resp = await client.post(IDENTIFICATOREN, json=vestiging, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "subIdentificatorVan"
    child = await f.post(
        client,
        superuser,
        "partij-identificatoren",
        {**vestiging, "subIdentificatorVan": {"uuid": kvk["uuid"]}},
    )
    assert child["subIdentificatorVan"]["uuid"] == kvk["uuid"]
    # globally unique within its parent
    again = await client.post(
        IDENTIFICATOREN,
        json={**vestiging, "subIdentificatorVan": {"uuid": kvk["uuid"]}},
        headers=superuser,
    )
    assert again.status_code == 400
    # a KvK-nummer is 8 digits, registered in hr
    bad = await client.post(
        IDENTIFICATOREN,
        json={
            "partijIdentificator": {
                "codeObjecttype": "niet_natuurlijk_persoon",
                "codeSoortObjectId": "kvk_nummer",
                "objectId": "1234",
                "codeRegister": "hr",
            }
        },
        headers=superuser,
    )
    assert bad.json()["invalidParams"][0]["name"] == "partijIdentificator.objectId"
    wrong_register = await client.post(
        IDENTIFICATOREN,
        json={
            "partijIdentificator": {
                "codeObjecttype": "natuurlijk_persoon",
                "codeSoortObjectId": "bsn",
                "objectId": f.BSN,
                "codeRegister": "hr",
            }
        },
        headers=superuser,
    )
    assert wrong_register.json()["invalidParams"][0]["name"] == "partijIdentificator.codeObjecttype"
    # the parent cannot go while a vestigingsnummer hangs under it
    assert (await client.delete(kvk["url"], headers=superuser)).status_code == 409
    assert (await client.delete(child["url"], headers=superuser)).status_code == 204
    assert (await client.delete(kvk["url"], headers=superuser)).status_code == 204


async def test_one_identificator_of_each_kind_per_partij(client, superuser):
    partij = await f.create_partij(client, superuser, partijIdentificatoren=[f.bsn_identificator()])
    resp = await client.post(
        IDENTIFICATOREN,
        json={"identificeerdePartij": {"uuid": partij["uuid"]}, **f.bsn_identificator(f.BSN_2)},
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unique"


async def test_rsin_must_pass_the_eleven_test(client, superuser):
    body = {
        "partijIdentificator": {
            "codeObjecttype": "niet_natuurlijk_persoon",
            "codeSoortObjectId": "rsin",
            "objectId": "002220648",
            "codeRegister": "hr",
        }
    }
    assert (await client.post(IDENTIFICATOREN, json=body, headers=superuser)).status_code == 400
    body["partijIdentificator"]["objectId"] = f.RSIN
    assert (await client.post(IDENTIFICATOREN, json=body, headers=superuser)).status_code == 201


async def test_scopes_of_component_kic(client, register):
    lezen = await register("lezer", "lezer-secret", autorisaties=[f.kic("klantinteracties.lezen")])
    assert (await client.get(PARTIJEN, headers=lezen)).status_code == 200
    assert (await client.post(PARTIJEN, json=f.persoon(), headers=lezen)).status_code == 403
    zaken = await register(
        "zaken",
        "zaken-secret",
        autorisaties=[
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": "http://x/zaaktypen/1",
                "max_vertrouwelijkheidaanduiding": "openbaar",
            }
        ],
    )
    assert (await client.get(PARTIJEN, headers=zaken)).status_code == 403
    assert (await client.get(PARTIJEN)).status_code == 401
