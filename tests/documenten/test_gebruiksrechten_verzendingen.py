"""Gebruiksrechten (drc-006) and verzendingen (one address each)."""

from __future__ import annotations

from tests.documenten import factories as f

GR = "/documenten/api/v1/gebruiksrechten"
VZ = "/documenten/api/v1/verzendingen"


def recht(doc, **over):
    data = {
        "informatieobject": doc["url"],
        "startdatum": "2024-01-01T00:00:00Z",
        "omschrijvingVoorwaarden": "Alleen voor intern gebruik",
    }
    data.update(over)
    return data


async def test_drc_006_gebruiksrechten_set_and_reset_the_indicatie(client, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    assert doc["indicatieGebruiksrecht"] is None
    first = await client.post(GR, json=recht(doc), headers=superuser)
    assert first.status_code == 201, first.text
    second = await client.post(
        GR, json=recht(doc, einddatum="2025-01-01T00:00:00Z"), headers=superuser
    )
    assert second.status_code == 201
    assert (await client.get(doc["url"], headers=superuser)).json()["indicatieGebruiksrecht"]
    listed = await client.get(GR, params={"informatieobject": doc["url"]}, headers=superuser)
    assert len(listed.json()) == 2
    ended = await client.get(
        GR, params={"einddatum__lt": "2026-01-01T00:00:00Z"}, headers=superuser
    )
    assert [r["url"] for r in ended.json()] == [second.json()["url"]]
    started = await client.get(
        GR, params={"startdatum__gte": "2024-01-01T00:00:00Z"}, headers=superuser
    )
    assert len(started.json()) == 2
    patched = await client.patch(
        first.json()["url"], json={"omschrijvingVoorwaarden": "Openbaar"}, headers=superuser
    )
    assert patched.status_code == 200
    assert patched.json()["omschrijvingVoorwaarden"] == "Openbaar"
    # another document's URL (the last hex digit changed, whatever it was)
    other = doc["url"][:-1] + ("1" if doc["url"].endswith("0") else "0")
    moved = await client.patch(
        first.json()["url"], json={"informatieobject": other}, headers=superuser
    )
    assert moved.status_code == 400
    assert (await client.delete(first.json()["url"], headers=superuser)).status_code == 204
    assert (await client.get(doc["url"], headers=superuser)).json()["indicatieGebruiksrecht"]
    assert (await client.delete(second.json()["url"], headers=superuser)).status_code == 204
    assert (await client.get(doc["url"], headers=superuser)).json()[
        "indicatieGebruiksrecht"
    ] is None


async def test_gebruiksrechten_follow_the_documents_authorisation(
    client, superuser, register, database
):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot, vertrouwelijkheidaanduiding="geheim")
    created = await client.post(GR, json=recht(doc), headers=superuser)
    reader = await register(
        "reader", "s", autorisaties=[f.drc_autorisatie(iot, "documenten.lezen", maximum="intern")]
    )
    assert (await client.get(GR, headers=reader)).json() == []
    assert (await client.get(created.json()["url"], headers=reader)).status_code == 403


def verzending(doc, **over):
    data = {
        "betrokkene": "https://klantinteracties.example/api/v1/partijen/1",
        "informatieobject": doc["url"],
        "aardRelatie": "geadresseerde",
        "contactPersoon": "https://klantinteracties.example/api/v1/partijen/2",
        "verzenddatum": "2024-03-04",
    }
    data.update(over)
    return data


async def test_verzendingen_with_each_address_variant(client, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    variants = [
        {
            "binnenlandsCorrespondentieadres": {
                "huisnummer": 1,
                "naamOpenbareRuimte": "Markt",
                "woonplaatsnaam": "Utrecht",
            }
        },
        {
            "buitenlandsCorrespondentieadres": {
                "adresBuitenland1": "1 Rue de la Paix",
                "landPostadres": "https://landen.example/fr",
            }
        },
        {
            "correspondentiePostadres": {
                "postBusOfAntwoordnummer": 100,
                "postadresPostcode": "3500AA",
                "postadresType": "postbusnummer",
                "woonplaatsnaam": "Utrecht",
            }
        },
        {"emailadres": "burger@example.nl"},
        {"faxnummer": "0301234567"},
        {"telefoonnummer": "0612345678"},
        {"mijnOverheid": True},
    ]
    for variant in variants:
        resp = await client.post(VZ, json=verzending(doc, **variant), headers=superuser)
        assert resp.status_code == 201, (variant, resp.text)
        for key, value in variant.items():
            got = resp.json()[key]
            assert got == value or all(got[k] == v for k, v in value.items())
    listed = await client.get(VZ, params={"informatieobject": doc["url"]}, headers=superuser)
    assert listed.json()["count"] == len(variants)
    assert (await client.get(VZ, params={"aardRelatie": "afzender"}, headers=superuser)).json()[
        "count"
    ] == 0


async def test_verzending_needs_exactly_one_address(client, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot)
    none = await client.post(VZ, json=verzending(doc), headers=superuser)
    assert none.status_code == 400
    assert none.json()["invalidParams"][0]["code"] == "invalid-address"
    two = await client.post(
        VZ,
        json=verzending(doc, emailadres="a@example.nl", telefoonnummer="0612345678"),
        headers=superuser,
    )
    assert two.status_code == 400
    created = await client.post(
        VZ, json=verzending(doc, emailadres="a@example.nl"), headers=superuser
    )
    moved = await client.patch(
        created.json()["url"],
        json={"emailadres": None, "telefoonnummer": "0612345678", "toelichting": "gebeld"},
        headers=superuser,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["emailadres"] is None
    assert moved.json()["telefoonnummer"] == "0612345678"
    assert (await client.delete(created.json()["url"], headers=superuser)).status_code == 204
