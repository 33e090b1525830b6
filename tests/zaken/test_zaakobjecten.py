"""Black-box tests of /zaakobjecten: the objects (addresses, buildings, persons …) a zaak is
about, identified by URL or by an objectIdentificatie of their objectType."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mijnzaken.catalogi import models as cm
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from tests.catalogi import factories as cf
from tests.statements import warm_count
from tests.zaken import factories as f

API = "/zaken/api/v1/zaakobjecten"
PAND = "https://bag.example.nl/panden/0363100012345678"


async def zaakobjecttype(database, zaaktype, **over) -> cm.ZaakObjectType:
    fields = {
        "zaaktype_id": zaaktype.id,
        "ander_objecttype": False,
        "objecttype": "https://objecttypen.example.nl/api/v2/objecttypes/1",
        "relatie_omschrijving": "Betreft",
    }
    fields.update(over)
    async with database.transaction() as session:
        obj = cm.ZaakObjectType(**fields)
        session.add(obj)
        await session.flush()
    return obj


async def setup(database, **zaak_over):
    zaaktype = await f.published_zaaktype(database)
    return zaaktype, await f.create_zaak(database, zaaktype, **zaak_over)


def body(zaak, **over):
    data = {
        "zaak": f.url(zaak),
        "objectType": "adres",
        "relatieomschrijving": "Adres van de aanvraag",
        "objectIdentificatie": {
            "identificatie": "0363200000218908",
            "wplWoonplaatsNaam": "Amsterdam",
            "gorOpenbareRuimteNaam": "Dam",
            "huisnummer": 1,
            "postcode": "1012JS",
        },
    }
    data.update(over)
    return data


async def test_create_retrieve_and_list(client, superuser, database):
    _zt, zaak = await setup(database)
    resp = await client.post(API, json=body(zaak), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["zaak"] == f.url(zaak)
    assert created["objectType"] == "adres"
    assert created["objectIdentificatie"]["huisnummer"] == 1
    assert created["objectIdentificatie"]["huisletter"] == ""
    assert "zaakobjecttype" not in created
    assert (await client.get(created["url"], headers=superuser)).json() == created
    head = await client.head(created["url"], headers=superuser)
    assert head.status_code == 200
    assert "etag" in head.headers
    listed = (await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)).json()
    assert listed["results"] == [created]


SHAPES = [
    ("pand", {"identificatie": "0363100012345678"}),
    (
        "buurt",
        {
            "buurtCode": "A1",
            "buurtNaam": "Burgwallen",
            "gemGemeenteCode": "0363",
            "wykWijkCode": "A0",
        },
    ),
    ("gemeente", {"gemeenteNaam": "Amsterdam", "gemeenteCode": "0363"}),
    ("gemeentelijke_openbare_ruimte", {"identificatie": "1", "openbareRuimteNaam": "Dam"}),
    ("huishouden", {"nummer": "H-1", "isGehuisvestIn": {"identificatie": "T-1"}}),
    ("inrichtingselement", {"type": "bord", "identificatie": "B-1"}),
    (
        "kadastrale_onroerende_zaak",
        {"kadastraleIdentificatie": "K-1", "kadastraleAanduiding": "ASD01 A 1234"},
    ),
    ("kunstwerkdeel", {"type": "sluis", "identificatie": "S-1", "naam": "Oranjesluizen"}),
    ("maatschappelijke_activiteit", {"kvkNummer": "12345678", "handelsnaam": "De Korf"}),
    ("medewerker", {"identificatie": "mw-1", "achternaam": "De Vries"}),
    ("natuurlijk_persoon", {"inpBsn": "111222333"}),
    ("niet_natuurlijk_persoon", {"innNnpId": "002220647"}),
    (
        "openbare_ruimte",
        {"identificatie": "OR-1", "wplWoonplaatsNaam": "Amsterdam", "gorOpenbareRuimteNaam": "Dam"},
    ),
    ("organisatorische_eenheid", {"identificatie": "AFD-1"}),
    ("spoorbaandeel", {"type": "normaalspoor", "identificatie": "SP-1"}),
    ("terreindeel", {"type": "gras", "identificatie": "TD-1"}),
    (
        "terrein_gebouwd_object",
        {
            "identificatie": "TGO-1",
            "adresAanduidingGrp": {
                "aoaIdentificatie": "A-1",
                "wplWoonplaatsNaam": "Amsterdam",
                "gorOpenbareRuimteNaam": "Dam",
                "aoaHuisnummer": 1,
            },
        },
    ),
    ("vestiging", {"vestigingsNummer": "000012345678"}),
    ("waterdeel", {"typeWaterdeel": "waterloop", "identificatie": "W-1"}),
    ("wegdeel", {"type": "rijbaan", "identificatie": "WG-1"}),
    ("wijk", {"wijkCode": "A0", "wijkNaam": "Centrum", "gemGemeenteCode": "0363"}),
    ("woonplaats", {"identificatie": "3594", "woonplaatsNaam": "Amsterdam"}),
    ("woz_deelobject", {"nummerWozDeelObject": "1", "isOnderdeelVan": {"wozObjectNummer": "9"}}),
    (
        "woz_object",
        {
            "wozObjectNummer": "9",
            "aanduidingWozObject": {
                "aoaIdentificatie": "A-1",
                "wplWoonplaatsNaam": "Amsterdam",
                "gorOpenbareRuimteNaam": "Dam",
                "aoaHuisnummer": 1,
            },
        },
    ),
    ("woz_waarde", {"waardepeildatum": "20240101", "isVoor": {"wozObjectNummer": "9"}}),
    (
        "zakelijk_recht",
        {
            "identificatie": "ZR-1",
            "avgAard": "eigendom",
            "heeftBetrekkingOp": {
                "kadastraleIdentificatie": "K-1",
                "kadastraleAanduiding": "ASD01 A 1234",
            },
        },
    ),
    ("overige", {"overigeData": {"boomsoort": "eik", "hoogte": 12}}),
]


@pytest.mark.parametrize(("object_type", "ident"), SHAPES, ids=[s[0] for s in SHAPES])
async def test_every_object_type_keeps_its_identification(
    client, superuser, database, object_type, ident
):
    _zt, zaak = await setup(database)
    extra = {"objectTypeOverige": "boom"} if object_type == "overige" else {}
    resp = await client.post(
        API,
        json=body(zaak, objectType=object_type, objectIdentificatie=ident, **extra),
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    stored = resp.json()["objectIdentificatie"]
    for key, value in ident.items():
        if isinstance(value, dict):
            for k, v in value.items():
                assert stored[key][k] == v
        else:
            assert stored[key] == value


@pytest.mark.parametrize("object_type", ["besluit", "enkelvoudig_document", "status"])
async def test_types_without_identification_refer_by_url(client, superuser, database, object_type):
    _zt, zaak = await setup(database)
    data = body(zaak, objectType=object_type, object="https://elders.example.nl/x/1")
    data.pop("objectIdentificatie")
    created = await client.post(API, json=data, headers=superuser)
    assert created.status_code == 201, created.text
    assert "objectIdentificatie" not in created.json()


async def test_identification_is_validated_against_the_object_type(client, superuser, database):
    _zt, zaak = await setup(database)
    cases = [
        ("adres", {"identificatie": "1"}, "objectIdentificatie.wplWoonplaatsNaam"),
        ("pand", {"identificatie": "x" * 101}, "objectIdentificatie.identificatie"),
        (
            "inrichtingselement",
            {"type": "vijver", "identificatie": "1"},
            "objectIdentificatie.type",
        ),
        ("natuurlijk_persoon", {"inpBsn": "123456789"}, "objectIdentificatie.inpBsn"),
        ("overige", {"overigeData": "geen object"}, "objectIdentificatie.overigeData"),
        (
            "woz_object",
            {"wozObjectNummer": "1", "aanduidingWozObject": {"aoaHuisnummer": -1}},
            "objectIdentificatie.aanduidingWozObject.aoaHuisnummer",
        ),
    ]
    for object_type, ident, name in cases:
        extra = {"objectTypeOverige": "boom"} if object_type == "overige" else {}
        resp = await client.post(
            API,
            json=body(zaak, objectType=object_type, objectIdentificatie=ident, **extra),
            headers=superuser,
        )
        assert resp.status_code == 400, (object_type, resp.text)
        assert name in [p["name"] for p in resp.json()["invalidParams"]], resp.text
        assert "123456789" not in resp.text


async def test_object_or_identification_is_required(client, superuser, database):
    _zt, zaak = await setup(database)
    data = body(zaak)
    data.pop("objectIdentificatie")
    resp = await client.post(API, json=data, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "invalid-zaakobject"


async def test_object_type_overige_rules(client, superuser, database):
    _zt, zaak = await setup(database)
    ident = {"overigeData": {"a": 1}}
    missing = await client.post(
        API, json=body(zaak, objectType="overige", objectIdentificatie=ident), headers=superuser
    )
    assert missing.json()["invalidParams"][0]["code"] == "missing-object-type-overige"
    misuse = await client.post(API, json=body(zaak, objectTypeOverige="boom"), headers=superuser)
    assert misuse.json()["invalidParams"][0]["name"] == "objectTypeOverige"
    pattern = await client.post(
        API,
        json=body(zaak, objectType="overige", objectTypeOverige="123", objectIdentificatie=ident),
        headers=superuser,
    )
    assert pattern.json()["invalidParams"][0]["name"] == "objectTypeOverige"
    definitie = {
        "url": "https://objecttypen.example.nl/api/v2/objecttypes/1",
        "schema": ".jsonSchema",
        "objectData": ".record.data",
    }
    data = body(
        zaak,
        objectType="overige",
        objectTypeOverigeDefinitie=definitie,
        object="https://objecten.example.nl/api/v2/objects/1",
    )
    data.pop("objectIdentificatie")
    created = await client.post(API, json=data, headers=superuser)
    assert created.status_code == 201, created.text
    assert created.json()["objectTypeOverigeDefinitie"] == definitie
    no_object = {**data, "object": ""}
    resp = await client.post(API, json=no_object, headers=superuser)
    assert resp.json()["invalidParams"][0]["name"] == "object"


async def test_zaakobjecttype_must_belong_to_the_zaaktype(client, superuser, database):
    zaaktype, zaak = await setup(database)
    own = await zaakobjecttype(database, zaaktype)
    other_zaaktype = await f.published_zaaktype(
        database, catalogus=await cf.create_catalogus(database)
    )
    foreign = await zaakobjecttype(database, other_zaaktype)
    created = await client.post(API, json=body(zaak, zaakobjecttype=cf.url(own)), headers=superuser)
    assert created.status_code == 201, created.text
    assert created.json()["zaakobjecttype"] == cf.url(own)
    resp = await client.post(
        API, json=body(zaak, zaakobjecttype=cf.url(foreign)), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaakobjecttype"
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"


async def test_filters(client, superuser, database):
    _zt, zaak = await setup(database)
    adres = (await client.post(API, json=body(zaak), headers=superuser)).json()
    data = body(zaak, objectType="pand", object=PAND)
    data.pop("objectIdentificatie")
    pand = (await client.post(API, json=data, headers=superuser)).json()

    async def urls(**params):
        resp = await client.get(API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [r["url"] for r in resp.json()["results"]]

    assert await urls(object=PAND) == [pand["url"]]
    assert await urls(objectType="adres") == [adres["url"]]
    assert await urls(zaak=f.url(zaak)) == [adres["url"], pand["url"]]
    assert await urls(expand="zaak") == [adres["url"], pand["url"]]
    for bad in ({"objectType": "boom"}, {"onbekend": "1"}):
        assert (await client.get(API, params=bad, headers=superuser)).status_code == 400
    one = await client.get(pand["url"], params={"expand": "zaak"}, headers=superuser)
    assert one.status_code == 200


async def test_update_and_partial_update(client, superuser, database):
    _zt, zaak = await setup(database)
    created = (await client.post(API, json=body(zaak), headers=superuser)).json()
    new = body(zaak, relatieomschrijving="Nieuw adres")
    new["objectIdentificatie"]["huisnummer"] = 2
    resp = await client.put(created["url"], json=new, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert resp.json()["relatieomschrijving"] == "Nieuw adres"
    assert resp.json()["objectIdentificatie"]["huisnummer"] == 2
    resp = await client.patch(
        created["url"], json={"relatieomschrijving": "Hoofdadres"}, headers=superuser
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["relatieomschrijving"] == "Hoofdadres"
    assert resp.json()["objectIdentificatie"]["huisnummer"] == 2
    bad = await client.patch(
        created["url"], json={"objectIdentificatie": {"identificatie": "1"}}, headers=superuser
    )
    assert bad.status_code == 400
    null = await client.patch(created["url"], json={"zaak": None}, headers=superuser)
    assert null.status_code == 400


async def test_zaak_object_and_object_type_cannot_change(client, superuser, database):
    zaaktype, zaak = await setup(database)
    other = await f.create_zaak(database, zaaktype, identificatie="ANDER")
    created = (await client.post(API, json=body(zaak), headers=superuser)).json()
    for change, name in (
        ({"zaak": f.url(other)}, "zaak"),
        ({"object": PAND}, "object"),
        ({"objectType": "pand", "objectIdentificatie": {"identificatie": "1"}}, "objectType"),
    ):
        resp = await client.patch(created["url"], json=change, headers=superuser)
        assert resp.status_code == 400, change
        assert resp.json()["invalidParams"] == [
            {
                "name": name,
                "code": "wijzigen-niet-toegelaten",
                "reason": "Dit gegeven mag niet wijzigen.",
            }
        ]


async def test_changes_write_audit_trail_and_notifications(client, superuser, database):
    _zt, zaak = await setup(database)
    created = (await client.post(API, json=body(zaak), headers=superuser)).json()
    await client.patch(created["url"], json={"relatieomschrijving": "X"}, headers=superuser)
    await client.put(created["url"], json=body(zaak), headers=superuser)
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail).order_by(AuditTrail.id))).scalars().all()
        outbox = (
            (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id)))
            .scalars()
            .all()
        )
    actions = ["create", "partial_update", "update", "destroy"]
    assert [(t.actie, t.bron, t.resource) for t in trail] == [
        (a, "ZRC", "zaakobject") for a in actions
    ]
    assert trail[1].oud["relatieomschrijving"] == "Adres van de aanvraag"
    assert trail[1].nieuw["relatieomschrijving"] == "X"
    assert [o.payload["actie"] for o in outbox] == actions
    payload = outbox[0].payload
    assert payload["kanaal"] == "zaken"
    assert payload["resource"] == "zaakobject"
    assert payload["kenmerken"]["vertrouwelijkheidaanduiding"] == "openbaar"


async def test_zrc_006_zaakobjecten_of_unauthorised_zaaktypen_are_never_shown(
    client, register, database
):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    visible = (await client.post(API, json=body(zaak), headers=admin)).json()
    secret = (await client.post(API, json=body(hidden), headers=admin)).json()
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    listed = (await client.get(API, headers=reader)).json()
    assert [o["url"] for o in listed["results"]] == [visible["url"]]
    assert (await client.get(secret["url"], headers=reader)).status_code == 403
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.post(API, json=body(hidden), headers=writer)).status_code == 403
    assert (await client.delete(secret["url"], headers=writer)).status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype, zaak = await setup(database, einddatum=dt.date(2024, 4, 1))
    admin = await register("admin", "geheim-admin", alle=True)
    created = (await client.post(API, json=body(zaak), headers=admin)).json()
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[
            f.zrc_autorisatie(
                zaaktype, "zaken.lezen", "zaken.aanmaken", "zaken.bijwerken", "zaken.verwijderen"
            )
        ],
    )
    assert (await client.post(API, json=body(zaak), headers=writer)).status_code == 403
    change = {"relatieomschrijving": "X"}
    assert (await client.patch(created["url"], json=change, headers=writer)).status_code == 403
    assert (await client.delete(created["url"], headers=writer)).status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    assert (await client.post(API, json=body(zaak), headers=forced)).status_code == 201
    assert (await client.patch(created["url"], json=change, headers=forced)).status_code == 200
    assert (await client.delete(created["url"], headers=forced)).status_code == 204


async def test_aanmaken_scope_may_create_on_an_open_zaak(client, register, database):
    zaaktype, zaak = await setup(database)
    creator = await register(
        "maker", "geheim-maker", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.aanmaken")]
    )
    assert (await client.post(API, json=body(zaak), headers=creator)).status_code == 201


async def test_list_costs_the_same_number_of_queries_whatever_the_page_holds(
    client, register, database
):
    zaaktype, zaak = await setup(database)
    own = await zaakobjecttype(database, zaaktype)
    admin = await register("admin", "geheim-admin", alle=True)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )

    async def count_list() -> int:
        return await warm_count(database, lambda: client.get(API, headers=reader))

    data = body(zaak, zaakobjecttype=cf.url(own))
    assert (await client.post(API, json=data, headers=admin)).status_code == 201
    one = await count_list()
    for i in range(6):
        z = await f.create_zaak(database, zaaktype, identificatie=f"Z-{i}")
        data = body(z, zaakobjecttype=cf.url(own))
        assert (await client.post(API, json=data, headers=admin)).status_code == 201
    assert await count_list() == one


async def test_free_form_data_keeps_every_digit_and_character(client, superuser, database):
    """Stored JSON is written and read with orjson, which cannot hold integers beyond 64 bits:
    those take the standard library's way, so nothing a client stored is rounded."""
    _zaaktype, zaak = await setup(database)
    data = {"registratienummer": 123456789012345678901234567890, "naam": "Kerkstraat ë"}
    resp = await client.post(
        API,
        json=body(
            zaak,
            objectType="overige",
            objectTypeOverige="perceel",
            objectIdentificatie={"overigeData": data},
        ),
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    got = await client.get(resp.json()["url"], headers=superuser)
    assert got.json()["objectIdentificatie"]["overigeData"] == data
