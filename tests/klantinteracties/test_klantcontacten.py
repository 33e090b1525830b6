"""Black-box tests of /klantcontacten, /betrokkenen, /onderwerpobjecten, /bijlagen,
/maak-klantcontact, /actoren, /actorklantcontacten and /internetaken."""

from __future__ import annotations

from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.klantinteracties import models as m
from tests.klantinteracties import factories as f
from tests.zaken import factories as zf

KLANTCONTACTEN = f"{f.API}/klantcontacten"


def medewerker(**over):
    body = {
        "naam": "Anna Jansen",
        "soortActor": "medewerker",
        "actorIdentificatie": {"functie": "KCC", "telefoonnummer": "0201234567"},
    }
    body.update(over)
    return body


async def test_klantcontact_is_numbered_and_announced_on_kanaal_klantcontacten(
    client, superuser, database
):
    created = await f.create_klantcontact(
        client, superuser, metadata={"bron": "kiss"}, indicatieContactGelukt=True
    )
    assert created["nummer"] == "0000000001"
    assert created["metadata"] == {"bron": "kiss"}
    assert created["hadBetrokkenen"] == []
    assert (await client.get(created["url"], headers=superuser)).json() == created
    outbox = await f.rows(database, OutboxMessage)
    assert outbox[0].payload["kanaal"] == "klantcontacten"
    assert outbox[0].payload["kenmerken"]["indicatieContactGelukt"] == "true"


async def test_klantcontact_requires_kanaal_onderwerp_taal_and_vertrouwelijk(client, superuser):
    resp = await client.post(KLANTCONTACTEN, json={}, headers=superuser)
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"kanaal", "onderwerp", "taal", "vertrouwelijk"}


async def test_betrokkene_links_partij_and_klantcontact(client, superuser):
    partij = await f.create_partij(client, superuser, partijIdentificatoren=[f.bsn_identificator()])
    kc = await f.create_klantcontact(client, superuser)
    betrokkene = await f.post(
        client,
        superuser,
        "betrokkenen",
        {
            "wasPartij": {"uuid": partij["uuid"]},
            "hadKlantcontact": {"uuid": kc["uuid"]},
            "rol": "klant",
            "initiator": True,
            "contactnaam": {
                "voornaam": "Jan",
                "achternaam": "Vries",
                "voorvoegselAchternaam": "de",
            },
        },
    )
    assert betrokkene["volledigeNaam"] == "Jan de Vries"
    again = (await client.get(kc["url"], headers=superuser)).json()
    assert again["hadBetrokkenen"] == [{"uuid": betrokkene["uuid"], "url": betrokkene["url"]}]
    for params in (
        {"hadBetrokkene__wasPartij__partijIdentificator__objectId": f.BSN},
        {"hadBetrokkene__uuid": betrokkene["uuid"]},
        {"hadBetrokkene__wasPartij": "true"},
    ):
        listed = (await client.get(KLANTCONTACTEN, params=params, headers=superuser)).json()
        assert listed["count"] == 1, params
    listed = await client.get(
        f"{f.API}/betrokkenen", params={"contactnaamAchternaam": "Vries"}, headers=superuser
    )
    assert listed.json()["count"] == 1


async def test_onderwerpobject_about_a_local_zaak_must_name_an_existing_one(
    client, superuser, database
):
    zaak = await zf.create_zaak(database, await zf.published_zaaktype(database))
    kc = await f.create_klantcontact(client, superuser)

    def body(object_id):
        return {
            "klantcontact": {"uuid": kc["uuid"]},
            "onderwerpobjectidentificator": {
                "objectId": object_id,
                "codeObjecttype": "zaak",
                "codeRegister": "mijnzaken",
                "codeSoortObjectId": "url",
            },
        }

    created = await f.post(client, superuser, "onderwerpobjecten", body(zf.url(zaak)))
    assert created["klantcontact"]["uuid"] == kc["uuid"]
    missing = "http://testserver/zaken/api/v1/zaken/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    resp = await client.post(f"{f.API}/onderwerpobjecten", json=body(missing), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "onderwerpobjectidentificator.objectId"
    remote = await f.post(
        client, superuser, "onderwerpobjecten", body("https://openzaak.example.nl/zaken/1")
    )
    assert remote["onderwerpobjectidentificator"]["objectId"].startswith("https://openzaak")
    listed = await client.get(
        KLANTCONTACTEN,
        params={"onderwerpobject__onderwerpobjectidentificatorObjectId": zf.url(zaak)},
        headers=superuser,
    )
    assert [k["url"] for k in listed.json()["results"]] == [kc["url"]]


async def test_onderwerpobject_destroy_with_cascade_keeps_shared_klantcontacten(
    client, superuser, database
):
    alleen = await f.create_klantcontact(client, superuser)
    gedeeld = await f.create_klantcontact(client, superuser)
    eerste = await f.post(
        client,
        superuser,
        "onderwerpobjecten",
        {"klantcontact": {"uuid": alleen["uuid"]}, "wasKlantcontact": {"uuid": gedeeld["uuid"]}},
    )
    await f.post(
        client, superuser, "onderwerpobjecten", {"klantcontact": {"uuid": gedeeld["uuid"]}}
    )
    resp = await client.delete(eerste["url"], params={"cascade": "true"}, headers=superuser)
    assert resp.status_code == 200
    assert resp.json() == {"behouden": [gedeeld["url"]]}
    assert (await client.get(alleen["url"], headers=superuser)).status_code == 404
    assert (await client.get(gedeeld["url"], headers=superuser)).status_code == 200
    assert len(await f.rows(database, m.Onderwerpobject)) == 1


async def test_onderwerpobject_destroy_without_cascade_is_204(client, superuser):
    kc = await f.create_klantcontact(client, superuser)
    obj = await f.post(
        client, superuser, "onderwerpobjecten", {"klantcontact": {"uuid": kc["uuid"]}}
    )
    resp = await client.delete(obj["url"], headers=superuser)
    assert resp.status_code == 204
    assert (await client.get(kc["url"], headers=superuser)).status_code == 200


async def test_bijlage_of_a_klantcontact(client, superuser):
    kc = await f.create_klantcontact(client, superuser)
    bijlage = await f.post(
        client,
        superuser,
        "bijlagen",
        {
            "wasBijlageVanKlantcontact": {"uuid": kc["uuid"]},
            "bijlageidentificator": {"objectId": "abc", "codeObjecttype": "document"},
        },
    )
    assert bijlage["bijlageidentificator"]["codeRegister"] == ""
    assert (await client.get(kc["url"], headers=superuser)).json()["omvatteBijlagen"] == [
        {"uuid": bijlage["uuid"], "url": bijlage["url"]}
    ]
    listed = await client.get(
        f"{f.API}/bijlagen", params={"klantcontact__uuid": kc["uuid"]}, headers=superuser
    )
    assert listed.json()["count"] == 1


async def test_maak_klantcontact_stores_all_three_or_nothing(client, superuser, database):
    partij = await f.create_partij(client, superuser)
    body = {
        "klantcontact": f.klantcontact(),
        "betrokkene": {"wasPartij": {"uuid": partij["uuid"]}, "rol": "klant", "initiator": True},
        "onderwerpobject": {
            "onderwerpobjectidentificator": {
                "objectId": "6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c",
                "codeObjecttype": "zaak",
                "codeRegister": "open-zaak",
                "codeSoortObjectId": "uuid",
            }
        },
    }
    resp = await client.post(f"{f.API}/maak-klantcontact", json=body, headers=superuser)
    assert resp.status_code == 201, resp.text
    made = resp.json()
    assert made["betrokkene"]["hadKlantcontact"]["uuid"] == made["klantcontact"]["uuid"]
    assert made["onderwerpobject"]["klantcontact"]["uuid"] == made["klantcontact"]["uuid"]
    kc = (await client.get(made["klantcontact"]["url"], headers=superuser)).json()
    assert len(kc["hadBetrokkenen"]) == 1
    assert len(kc["gingOverOnderwerpobjecten"]) == 1
    body["betrokkene"]["rol"] = "onbekend"
    bad = await client.post(f"{f.API}/maak-klantcontact", json=body, headers=superuser)
    assert bad.status_code == 400
    assert len(await f.rows(database, m.Klantcontact)) == 1


async def test_actor_shapes_and_link_to_klantcontact(client, superuser):
    actor = await f.post(client, superuser, "actoren", medewerker())
    assert actor["actorIdentificatie"]["functie"] == "KCC"
    bad = await client.post(
        f"{f.API}/actoren",
        json=medewerker(actorIdentificatie={"functie": "KCC", "telefoonnummer": "12"}),
        headers=superuser,
    )
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "actorIdentificatie.telefoonnummer"
    kc = await f.create_klantcontact(client, superuser)
    link = {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": kc["uuid"]}}
    await f.post(client, superuser, "actorklantcontacten", link)
    again = await client.post(f"{f.API}/actorklantcontacten", json=link, headers=superuser)
    assert again.status_code == 400
    shown = (await client.get(kc["url"], headers=superuser)).json()["hadBetrokkenActoren"]
    assert [a["naam"] for a in shown] == ["Anna Jansen"]


async def test_internetaak_assignment_status_and_notification(client, superuser, database):
    kc = await f.create_klantcontact(client, superuser)
    eerste = await f.post(client, superuser, "actoren", medewerker())
    tweede = await f.post(client, superuser, "actoren", medewerker(naam="Piet"))
    base = {
        "gevraagdeHandeling": "Terugbellen",
        "aanleidinggevendKlantcontact": {"uuid": kc["uuid"]},
        "status": "te_verwerken",
    }
    missing = await client.post(f"{f.API}/internetaken", json=base, headers=superuser)
    assert missing.status_code == 400
    taak = await f.post(
        client,
        superuser,
        "internetaken",
        {**base, "toegewezenAanActoren": [{"uuid": eerste["uuid"]}, {"uuid": tweede["uuid"]}]},
    )
    assert taak["toegewezenAanActor"]["uuid"] == eerste["uuid"]
    assert taak["afgehandeldOp"] is None
    done = await client.patch(taak["url"], json={"status": "verwerkt"}, headers=superuser)
    assert done.json()["afgehandeldOp"] is not None
    assert [a["uuid"] for a in done.json()["toegewezenAanActoren"]] == [
        eerste["uuid"],
        tweede["uuid"],
    ]
    reassigned = await client.patch(
        taak["url"], json={"toegewezenAanActor": {"uuid": tweede["uuid"]}}, headers=superuser
    )
    assert [a["uuid"] for a in reassigned.json()["toegewezenAanActoren"]] == [tweede["uuid"]]
    wrong = await client.patch(
        taak["url"],
        json={"status": "te_verwerken", "afgehandeldOp": "2026-01-01T10:00:00Z"},
        headers=superuser,
    )
    assert wrong.status_code == 400
    listed = await client.get(
        f"{f.API}/internetaken", params={"actoren__naam": "piet"}, headers=superuser
    )
    assert listed.json()["count"] == 1
    kanalen = [o.payload["kanaal"] for o in await f.rows(database, OutboxMessage)]
    assert kanalen.count("internetaken") == 3
