"""Black-box tests of /rollen: who plays which role in a zaak, with their identification."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mijnzaken.catalogi import models as cm
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.statements import warm_count
from tests.zaken import factories as f

API = "/zaken/api/v1/rollen"
BSN = "111222333"  # passes the eleven-test
OTHER_BSN = "123456782"
INVALID_BSN = "123456789"


async def roltype_of(database, zaaktype) -> cm.RolType:
    async with database.transaction() as session:
        stmt = select(cm.RolType).where(cm.RolType.zaaktype_id == zaaktype.id)
        return (await session.execute(stmt)).scalars().first()


async def setup(database, **zaak_over):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, **zaak_over)
    return zaaktype, zaak, await roltype_of(database, zaaktype)


def body(zaak, roltype, /, **over):
    data = {
        "zaak": f.url(zaak),
        "betrokkeneType": "natuurlijk_persoon",
        "roltype": cf.url(roltype),
        "roltoelichting": "Aanvrager van de vergunning",
        "betrokkeneIdentificatie": {
            "inpBsn": BSN,
            "geslachtsnaam": "Jansen",
            "voorletters": "J",
            "verblijfsadres": {
                "aoaIdentificatie": "0363200000218908",
                "wplWoonplaatsNaam": "Amsterdam",
                "gorOpenbareRuimteNaam": "Dam",
                "aoaHuisnummer": 1,
            },
        },
    }
    data.update(over)
    return data


async def test_create_retrieve_and_list(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    resp = await client.post(API, json=body(zaak, roltype), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["zaak"] == f.url(zaak)
    assert created["roltype"] == cf.url(roltype)
    assert created["omschrijving"] == "Aanvrager"
    assert created["omschrijvingGeneriek"] == "initiator"
    assert created["registratiedatum"].endswith("Z")
    assert created["statussen"] == []
    ident = created["betrokkeneIdentificatie"]
    assert ident["inpBsn"] == BSN
    assert ident["geslachtsnaam"] == "Jansen"
    assert ident["verblijfsadres"]["aoaHuisnummer"] == 1
    assert (await client.get(created["url"], headers=superuser)).json() == created
    listed = (await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)).json()
    assert listed["count"] == 1
    assert listed["results"][0] == created


async def test_read_only_fields_are_set_by_the_register(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    data = body(
        zaak,
        roltype,
        omschrijving="Zelfbedacht",
        omschrijvingGeneriek="beslisser",
        registratiedatum="2000-01-01T00:00:00Z",
    )
    created = (await client.post(API, json=data, headers=superuser)).json()
    assert created["omschrijving"] == "Aanvrager"
    assert created["omschrijvingGeneriek"] == "initiator"
    assert not created["registratiedatum"].startswith("2000")


async def test_head_gives_etag_and_if_none_match_304(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    created = (await client.post(API, json=body(zaak, roltype), headers=superuser)).json()
    head = await client.head(created["url"], headers=superuser)
    assert head.status_code == 200
    etag = head.headers["etag"]
    again = await client.get(created["url"], headers={**superuser, "If-None-Match": etag})
    assert again.status_code == 304


IDENTIFICATIES = [
    (
        "natuurlijk_persoon",
        {"inpBsn": BSN, "anpIdentificatie": "ANP-1", "inpA_nummer": "1234567890"},
        [
            ("betrokkeneIdentificatie__natuurlijkPersoon__inpBsn", BSN),
            ("betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie", "ANP-1"),
            ("betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer", "1234567890"),
        ],
    ),
    (
        "niet_natuurlijk_persoon",
        {"innNnpId": "002220647", "annIdentificatie": "ANN-7", "innRechtsvorm": "stichting"},
        [
            ("betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId", "002220647"),
            ("betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie", "ANN-7"),
        ],
    ),
    (
        "vestiging",
        {"vestigingsNummer": "000012345678", "handelsnaam": ["Bakkerij De Korf"]},
        [("betrokkeneIdentificatie__vestiging__vestigingsNummer", "000012345678")],
    ),
    (
        "organisatorische_eenheid",
        {"identificatie": "AFD-PARK", "naam": "Parkeren"},
        [("betrokkeneIdentificatie__organisatorischeEenheid__identificatie", "AFD-PARK")],
    ),
    (
        "medewerker",
        {"identificatie": "medewerker-" + "x" * 100, "achternaam": "De Vries"},
        [("betrokkeneIdentificatie__medewerker__identificatie", "medewerker-" + "x" * 100)],
    ),
]


@pytest.mark.parametrize(("betrokkene_type", "ident", "filters"), IDENTIFICATIES)
async def test_every_betrokkene_type_is_stored_and_found_by_its_identifiers(
    client, superuser, database, betrokkene_type, ident, filters
):
    _zt, zaak, roltype = await setup(database)
    created = (
        await client.post(
            API,
            json=body(zaak, roltype, betrokkeneType=betrokkene_type, betrokkeneIdentificatie=ident),
            headers=superuser,
        )
    ).json()
    assert created["betrokkeneType"] == betrokkene_type
    for key, value in ident.items():
        assert created["betrokkeneIdentificatie"][key] == value
    # a rol of another type on the same zaak that no filter below may match
    other = body(zaak, roltype, betrokkene="https://brp.example.nl/personen/1")
    other.pop("betrokkeneIdentificatie")
    assert (await client.post(API, json=other, headers=superuser)).status_code == 201
    for name, value in filters:
        found = (await client.get(API, params={name: value}, headers=superuser)).json()
        assert [r["url"] for r in found["results"]] == [created["url"]], name
        none = (await client.get(API, params={name: value + "0"}, headers=superuser)).json()
        assert none["count"] == 0, name
    by_type = (
        await client.get(API, params={"betrokkeneType": betrokkene_type}, headers=superuser)
    ).json()
    assert created["url"] in [r["url"] for r in by_type["results"]]


async def test_filters_on_betrokkene_roltype_and_omschrijving(client, superuser, database):
    zaaktype, zaak, aanvrager = await setup(database)
    behandelaar = await cf.create_roltype(
        database, zaaktype, omschrijving="Behandelaar", omschrijving_generiek="behandelaar"
    )
    first = (
        await client.post(
            API,
            json=body(zaak, aanvrager, betrokkene="https://brp.example.nl/personen/1"),
            headers=superuser,
        )
    ).json()
    second = (
        await client.post(
            API,
            json=body(
                zaak,
                behandelaar,
                betrokkeneType="medewerker",
                betrokkeneIdentificatie={"identificatie": "mw-1"},
            ),
            headers=superuser,
        )
    ).json()

    async def urls(**params):
        resp = await client.get(API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [r["url"] for r in resp.json()["results"]]

    assert await urls(betrokkene="https://brp.example.nl/personen/1") == [first["url"]]
    assert await urls(roltype=cf.url(behandelaar)) == [second["url"]]
    assert await urls(roltype="https://elders.example.nl/roltypen/1") == []
    assert await urls(omschrijving="Behandelaar") == [second["url"]]
    assert await urls(omschrijvingGeneriek="initiator") == [first["url"]]
    assert await urls(betrokkeneType="medewerker") == [second["url"]]
    assert await urls(zaak=f.url(zaak)) == [first["url"], second["url"]]


async def test_bad_filter_values_are_400(client, superuser):
    for params in (
        {"betrokkeneType": "robot"},
        {"omschrijvingGeneriek": "baas"},
        {"onbekend": "1"},
        {"page": "een"},
    ):
        resp = await client.get(API, params=params, headers=superuser)
        assert resp.status_code == 400, params


async def test_expand_is_accepted_on_list_and_retrieve(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    created = (await client.post(API, json=body(zaak, roltype), headers=superuser)).json()
    listed = await client.get(API, params={"expand": "roltype"}, headers=superuser)
    assert listed.status_code == 200
    one = await client.get(created["url"], params={"expand": "roltype"}, headers=superuser)
    assert one.status_code == 200


async def test_zrc_019_roltype_of_another_zaaktype_is_refused(client, superuser, database):
    _zt, zaak, _roltype = await setup(database)
    other_zaaktype = await f.published_zaaktype(
        database, catalogus=await cf.create_catalogus(database)
    )
    foreign = await roltype_of(database, other_zaaktype)
    resp = await client.post(API, json=body(zaak, foreign), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"] == [
        {
            "name": "roltype",
            "code": "zaaktype-mismatch",
            "reason": "Het roltype hoort niet bij het zaaktype van de zaak.",
        }
    ]


async def test_unknown_roltype_and_zaak_are_400(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    missing = "http://testserver/catalogi/api/v1/roltypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    resp = await client.post(API, json=body(zaak, roltype, roltype=missing), headers=superuser)
    assert resp.json()["invalidParams"][0]["name"] == "roltype"
    resp = await client.post(
        API, json=body(zaak, roltype, zaak="http://testserver/elders"), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "zaak"


async def test_invalid_bsn_is_refused_and_never_echoed(client, superuser, database, caplog):
    _zt, zaak, roltype = await setup(database)
    data = body(zaak, roltype, betrokkeneIdentificatie={"inpBsn": INVALID_BSN})
    resp = await client.post(API, json=data, headers=superuser)
    assert resp.status_code == 400
    params = resp.json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in params] == [
        ("betrokkeneIdentificatie.inpBsn", "invalid")
    ]
    assert INVALID_BSN not in resp.text
    assert INVALID_BSN not in caplog.text
    async with database.transaction() as session:
        assert (await session.execute(select(m.Rol))).first() is None


async def test_bad_identification_names_the_nested_field(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    cases = [
        ("natuurlijk_persoon", {"inpA_nummer": "0123"}, "betrokkeneIdentificatie.inpA_nummer"),
        (
            "natuurlijk_persoon",
            {"verblijfsadres": {"aoaIdentificatie": "x"}},
            "betrokkeneIdentificatie.verblijfsadres.wplWoonplaatsNaam",
        ),
        (
            "niet_natuurlijk_persoon",
            {"innRechtsvorm": "eenmanszaak"},
            "betrokkeneIdentificatie.innRechtsvorm",
        ),
        ("medewerker", {"identificatie": "x" * 255}, "betrokkeneIdentificatie.identificatie"),
        ("vestiging", "geen object", "betrokkeneIdentificatie"),
    ]
    for betrokkene_type, ident, name in cases:
        data = body(zaak, roltype, betrokkeneType=betrokkene_type, betrokkeneIdentificatie=ident)
        resp = await client.post(API, json=data, headers=superuser)
        assert resp.status_code == 400, (betrokkene_type, ident)
        assert name in [p["name"] for p in resp.json()["invalidParams"]], resp.text


async def test_betrokkene_or_identification_is_required(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    data = body(zaak, roltype)
    data.pop("betrokkeneIdentificatie")
    resp = await client.post(API, json=data, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "invalid-betrokkene"


async def test_contactpersoon_and_machtiging_are_kept(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    data = body(
        zaak,
        roltype,
        indicatieMachtiging="gemachtigde",
        contactpersoonRol={"naam": "P. de Boer", "emailadres": "p@example.nl"},
    )
    created = (await client.post(API, json=data, headers=superuser)).json()
    assert created["indicatieMachtiging"] == "gemachtigde"
    assert created["contactpersoonRol"]["naam"] == "P. de Boer"
    assert created["contactpersoonRol"]["emailadres"] == "p@example.nl"
    bad = body(zaak, roltype, contactpersoonRol={"naam": "X", "emailadres": "geen-adres"})
    resp = await client.post(API, json=bad, headers=superuser)
    assert resp.json()["invalidParams"][0]["name"] == "contactpersoonRol.emailadres"
    bad = body(zaak, roltype, indicatieMachtiging="voogd")
    assert (await client.post(API, json=bad, headers=superuser)).status_code == 400


async def test_statussen_lists_the_statussen_the_rol_set(client, superuser, database):
    zaaktype, zaak, roltype = await setup(database)
    created = (await client.post(API, json=body(zaak, roltype), headers=superuser)).json()
    async with database.transaction() as session:
        statustypen = (
            (
                await session.execute(
                    select(cm.StatusType)
                    .where(cm.StatusType.zaaktype_id == zaaktype.id)
                    .order_by(cm.StatusType.volgnummer)
                )
            )
            .scalars()
            .all()
        )
        first = m.Status(
            zaak_id=zaak.id,
            statustype_id=statustypen[0].id,
            datum_status_gezet=dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC),
            gezetdoor=created["url"],
        )
        other = m.Status(
            zaak_id=zaak.id,
            statustype_id=statustypen[1].id,
            datum_status_gezet=dt.datetime(2024, 3, 2, 9, tzinfo=dt.UTC),
        )
        session.add_all([first, other])
        await session.flush()
    rol = (await client.get(created["url"], headers=superuser)).json()
    assert rol["statussen"] == [f"{f.BASE}/statussen/{first.uuid}"]


async def test_destroy_removes_the_rol_with_audit_and_notification(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    created = (await client.post(API, json=body(zaak, roltype), headers=superuser)).json()
    resp = await client.delete(created["url"], headers=superuser)
    assert resp.status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail).order_by(AuditTrail.id))).scalars().all()
        outbox = (
            (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id)))
            .scalars()
            .all()
        )
    assert [(t.actie, t.resource, t.hoofd_object) for t in trail] == [
        ("create", "rol", f.url(zaak)),
        ("destroy", "rol", f.url(zaak)),
    ]
    assert BSN not in trail[0].resource_weergave
    assert [o.payload["actie"] for o in outbox] == ["create", "destroy"]
    payload = outbox[0].payload
    assert payload["kanaal"] == "zaken"
    assert payload["resource"] == "rol"
    assert payload["hoofdObject"] == f.url(zaak)
    assert payload["kenmerken"]["bronorganisatie"] == zaak.bronorganisatie


async def test_rol_cannot_be_updated_in_1_7(client, superuser, database):
    _zt, zaak, roltype = await setup(database)
    created = (await client.post(API, json=body(zaak, roltype), headers=superuser)).json()
    resp = await client.put(created["url"], json=body(zaak, roltype), headers=superuser)
    assert resp.status_code == 405


async def test_zrc_006_rollen_of_unauthorised_zaaktypen_are_never_shown(client, register, database):
    mine = await f.published_zaaktype(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    zaak = await f.create_zaak(database, mine)
    hidden = await f.create_zaak(database, other)
    admin = await register("admin", "geheim-admin", alle=True)
    visible = (
        await client.post(
            API,
            json=body(
                zaak,
                await roltype_of(database, mine),
                betrokkeneIdentificatie={"inpBsn": OTHER_BSN},
            ),
            headers=admin,
        )
    ).json()
    secret = (
        await client.post(API, json=body(hidden, await roltype_of(database, other)), headers=admin)
    ).json()
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(mine, "zaken.lezen")]
    )
    listed = (await client.get(API, headers=reader)).json()
    assert [r["url"] for r in listed["results"]] == [visible["url"]]
    by_bsn = await client.get(
        API, params={"betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN}, headers=reader
    )
    assert by_bsn.json()["count"] == 0
    by_zaak = await client.get(API, params={"zaak": f.url(hidden)}, headers=reader)
    assert by_zaak.json()["count"] == 0
    resp = await client.get(secret["url"], headers=reader)
    assert resp.status_code == 403
    assert BSN not in resp.text
    assert (await client.head(secret["url"], headers=reader)).status_code == 403


async def test_zrc_006_vertrouwelijkheid_above_the_maximum_is_hidden(client, register, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, vertrouwelijkheidaanduiding="geheim")
    admin = await register("admin", "geheim-admin", alle=True)
    created = (
        await client.post(API, json=body(zaak, await roltype_of(database, zaaktype)), headers=admin)
    ).json()
    reader = await register(
        "lezer",
        "geheim-lezer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", maximum="openbaar")],
    )
    assert (await client.get(API, headers=reader)).json()["count"] == 0
    assert (await client.get(created["url"], headers=reader)).status_code == 403


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype, zaak, roltype = await setup(database, einddatum=dt.date(2024, 4, 1))
    writer = await register(
        "schrijver",
        "geheim-schrijver",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.bijwerken")],
    )
    assert (await client.post(API, json=body(zaak, roltype), headers=writer)).status_code == 403
    forced = await register(
        "forceer",
        "geheim-forceer",
        autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen", "zaken.geforceerd-bijwerken")],
    )
    created = await client.post(API, json=body(zaak, roltype), headers=forced)
    assert created.status_code == 201
    url = created.json()["url"]
    assert (await client.delete(url, headers=writer)).status_code == 403
    assert (await client.delete(url, headers=forced)).status_code == 204


async def test_without_token_401_and_without_scope_403(client, register, database):
    zaaktype, zaak, roltype = await setup(database)
    assert (await client.get(API)).status_code == 401
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )
    assert (await client.post(API, json=body(zaak, roltype), headers=reader)).status_code == 403


async def test_list_costs_the_same_number_of_queries_whatever_the_page_holds(
    client, register, database
):
    zaaktype, zaak, roltype = await setup(database)
    admin = await register("admin", "geheim-admin", alle=True)
    reader = await register(
        "lezer", "geheim-lezer", autorisaties=[f.zrc_autorisatie(zaaktype, "zaken.lezen")]
    )

    async def count_list() -> int:
        return await warm_count(database, lambda: client.get(API, headers=reader))

    assert (await client.post(API, json=body(zaak, roltype), headers=admin)).status_code == 201
    one = await count_list()
    for i in range(6):
        z = await f.create_zaak(database, zaaktype, identificatie=f"Z-{i}")
        assert (await client.post(API, json=body(z, roltype), headers=admin)).status_code == 201
    assert await count_list() == one
