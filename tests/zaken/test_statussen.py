"""Black-box tests of /statussen: setting statussen, and closing (zrc-007, zrc-021) and
reopening (zrc-008) a zaak by it."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from typing import Any

import pytest
from sqlalchemy import select, update

from mijnzaken.catalogi import models as cm
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.outbox import OutboxMessage
from mijnzaken.zaken import models as m
from tests.catalogi import factories as cf
from tests.statements import warm_count
from tests.zaken import factories as f

API = "/zaken/api/v1/statussen"


# --- helpers -----------------------------------------------------------------------------


async def statustypen(database, zaaktype) -> list[cm.StatusType]:
    """The statustypen of the zaaktype by volgnummer: [Ontvangen, Afgehandeld]."""
    async with database.transaction() as session:
        stmt = (
            select(cm.StatusType)
            .where(cm.StatusType.zaaktype_id == zaaktype.id)
            .order_by(cm.StatusType.volgnummer)
        )
        return list((await session.execute(stmt)).scalars())


async def create_resultaattype(database, zaaktype, **over: Any) -> cm.ResultaatType:
    fields: dict[str, Any] = {
        "zaaktype_id": zaaktype.id,
        "omschrijving": "Verleend",
        "resultaattypeomschrijving": "https://selectielijst.example.nl/resultaattypeomschrijvingen/1",
        "selectielijstklasse": "https://selectielijst.example.nl/resultaten/1",
        "archiefnominatie": "vernietigen",
        "archiefactietermijn": "P10Y",
        "brondatum_archiefprocedure": {"afleidingswijze": "afgehandeld"},
        "begin_geldigheid": dt.date(2024, 1, 1),
    }
    fields.update(over)
    return await f._store(database, cm.ResultaatType(**fields))


async def give_resultaat(database, zaak, resultaattype) -> m.Resultaat:
    return await f._store(database, m.Resultaat(zaak_id=zaak.id, resultaattype_id=resultaattype.id))


async def load_zaak(database, zaak) -> m.Zaak:
    async with database.transaction() as session:
        return (await session.execute(select(m.Zaak).where(m.Zaak.id == zaak.id))).scalar_one()


async def setup(database, resultaat: dict[str, Any] | None = None, **zaak_over):
    """A zaaktype with statustypen Ontvangen (1) and Afgehandeld (2), a zaak of it and,
    when `resultaat` is given, a resultaat of a resultaattype with those fields."""
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype, **zaak_over)
    ontvangen, afgehandeld = await statustypen(database, zaaktype)
    if resultaat is not None:
        await give_resultaat(
            database, zaak, await create_resultaattype(database, zaaktype, **resultaat)
        )
    return zaaktype, zaak, ontvangen, afgehandeld


def body(zaak, statustype, /, **over: Any) -> dict[str, Any]:
    data = {
        "zaak": f.url(zaak),
        "statustype": cf.url(statustype),
        "datumStatusGezet": "2024-03-02T10:00:00Z",
        "statustoelichting": "Aanvraag ontvangen",
    }
    data.update(over)
    return data


async def client_with(register, zaaktype, *scopes: str) -> dict[str, str]:
    name = "-".join(s.rsplit(".", 1)[-1] for s in scopes)
    return await register(
        name, f"geheim-{name}", autorisaties=[f.zrc_autorisatie(zaaktype, *scopes)]
    )


# --- create, retrieve, list ----------------------------------------------------------------


async def test_create_retrieve_head_and_list(client, superuser, database):
    _zt, zaak, ontvangen, _eind = await setup(database)
    resp = await client.post(API, json=body(zaak, ontvangen), headers=superuser)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == created["url"]
    assert created["zaak"] == f.url(zaak)
    assert created["statustype"] == cf.url(ontvangen)
    assert created["datumStatusGezet"] == "2024-03-02T10:00:00Z"
    assert created["indicatieLaatstGezetteStatus"] is True
    assert created["gezetdoor"] == ""
    assert created["zaakinformatieobjecten"] == []

    retrieved = await client.get(created["url"], headers=superuser)
    assert retrieved.json() == created
    head = await client.head(created["url"], headers=superuser)
    assert head.status_code == 200
    assert head.headers["etag"] == retrieved.headers["etag"]
    listed = await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)
    assert listed.json()["results"] == [created]
    assert (await load_zaak(database, zaak)).status_id is not None


async def test_expand_parameter_is_accepted(client, superuser, database):
    # what `_expand` holds is tested with core/expand.py; here: the parameter is taken
    _zt, zaak, ontvangen, _eind = await setup(database)
    created = (await client.post(API, json=body(zaak, ontvangen), headers=superuser)).json()
    listed = await client.get(API, params={"expand": "zaak"}, headers=superuser)
    assert listed.status_code == 200
    [item] = listed.json()["results"]
    assert {k: v for k, v in item.items() if k != "_expand"} == created
    one = await client.get(created["url"], params={"expand": "zaak"}, headers=superuser)
    assert one.status_code == 200
    assert {k: v for k, v in one.json().items() if k != "_expand"} == created


async def test_unknown_query_parameter_is_400(client, superuser):
    resp = await client.get(API, params={"statusType": "x"}, headers=superuser)
    assert resp.status_code == 400


async def test_naive_moment_is_dutch_local_time(client, superuser, database):
    _zt, zaak, ontvangen, _eind = await setup(database)
    resp = await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-07-01T12:00:00"), headers=superuser
    )
    assert resp.json()["datumStatusGezet"] == "2024-07-01T10:00:00Z"  # CEST is UTC+2


async def test_create_writes_audit_trail_and_notification(client, superuser, database):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    headers = {**superuser, "X-Audit-Toelichting": "Ontvangst bevestigd"}
    created = (await client.post(API, json=body(zaak, ontvangen), headers=headers)).json()
    async with database.transaction() as session:
        trail = (await session.execute(select(AuditTrail))).scalars().all()
        outbox = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(t.bron, t.actie, t.resource, t.hoofd_object) for t in trail] == [
        ("ZRC", "create", "status", f.url(zaak))
    ]
    assert trail[0].nieuw == created
    assert trail[0].toelichting == "Ontvangst bevestigd"
    [message] = outbox
    assert message.payload["kanaal"] == "zaken"
    assert message.payload["resource"] == "status"
    assert message.payload["hoofdObject"] == f.url(zaak)
    assert message.payload["resourceUrl"] == created["url"]
    assert message.payload["kenmerken"] == {
        "bronorganisatie": zaak.bronorganisatie,
        "zaaktype": cf.url(zaaktype),
        "vertrouwelijkheidaanduiding": "openbaar",
    }


async def test_bad_references_are_400_naming_the_field(client, superuser, database):
    _zt, zaak, ontvangen, _eind = await setup(database)
    missing_zaak = "http://testserver/zaken/api/v1/zaken/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    cases = [
        (body(zaak, ontvangen, zaak=missing_zaak), "zaak", "does_not_exist"),
        (body(zaak, ontvangen, statustype="https://elders.example/st/1"), "statustype", "no_match"),
        (body(zaak, ontvangen, statustype="geen url"), "statustype", "invalid"),
        (body(zaak, ontvangen, datumStatusGezet="gisteren"), "datumStatusGezet", "invalid"),
        (
            body(zaak, ontvangen, datumStatusGezet="9999-12-31T23:59:59-05:00"),
            "datumStatusGezet",
            "invalid",
        ),
        ({"zaak": f.url(zaak)}, "statustype", "required"),
    ]
    for data, name, code in cases:
        resp = await client.post(API, json=data, headers=superuser)
        assert resp.status_code == 400, (data, resp.text)
        assert {"name": name, "code": code} in [
            {"name": p["name"], "code": p["code"]} for p in resp.json()["invalidParams"]
        ], resp.text


async def test_zrc_016_statustype_of_another_zaaktype_is_400(client, superuser, database):
    _zt, zaak, _ontvangen, _eind = await setup(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    foreign, _ = await statustypen(database, other)
    resp = await client.post(API, json=body(zaak, foreign), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "statustype"
    assert resp.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"


async def test_filters_statustype_and_indicatie_laatst_gezette_status(client, superuser, database):
    _zt, zaak, ontvangen, _eind = await setup(database)
    # the later status is set first: the latest is the one with the latest datumStatusGezet
    later = (
        await client.post(
            API,
            json=body(zaak, ontvangen, datumStatusGezet="2024-03-05T10:00:00Z"),
            headers=superuser,
        )
    ).json()
    earlier = (
        await client.post(
            API,
            json=body(zaak, ontvangen, datumStatusGezet="2024-03-01T10:00:00Z"),
            headers=superuser,
        )
    ).json()
    assert earlier["indicatieLaatstGezetteStatus"] is False
    assert (await client.get(later["url"], headers=superuser)).json()[
        "indicatieLaatstGezetteStatus"
    ]

    async def urls(**params: str) -> list[str]:
        resp = await client.get(API, params=params, headers=superuser)
        assert resp.status_code == 200, resp.text
        return [s["url"] for s in resp.json()["results"]]

    assert await urls(indicatieLaatstGezetteStatus="true") == [later["url"]]
    assert await urls(indicatieLaatstGezetteStatus="false") == [earlier["url"]]
    assert await urls(statustype=cf.url(ontvangen)) == [later["url"], earlier["url"]]
    assert await urls(statustype="https://elders.example/statustypen/1") == []
    resp = await client.get(API, params={"indicatieLaatstGezetteStatus": "ja"}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "indicatieLaatstGezetteStatus"

    # on the same moment the newest status wins, in the pointer and in the list alike
    same = (
        await client.post(
            API,
            json=body(zaak, ontvangen, datumStatusGezet="2024-03-05T10:00:00Z"),
            headers=superuser,
        )
    ).json()
    assert same["indicatieLaatstGezetteStatus"] is True
    assert await urls(indicatieLaatstGezetteStatus="true") == [same["url"]]


async def test_gezetdoor_must_be_a_rol_of_the_same_zaak(client, superuser, database):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    other_zaak = await f.create_zaak(database, zaaktype, identificatie="ANDERE-ZAAK")
    async with database.transaction() as session:
        roltype = (
            await session.execute(select(cm.RolType).where(cm.RolType.zaaktype_id == zaaktype.id))
        ).scalar_one()

    async def rol_of(z) -> m.Rol:
        return await f._store(
            database,
            m.Rol(
                zaak_id=z.id,
                roltype_id=roltype.id,
                betrokkene_type="medewerker",
                registratiedatum=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
            ),
        )

    own, foreign = await rol_of(zaak), await rol_of(other_zaak)
    resp = await client.post(
        API, json=body(zaak, ontvangen, gezetdoor=f.url(foreign)), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "gezetdoor",
        "code": "zaak-mismatch",
        "reason": resp.json()["invalidParams"][0]["reason"],
    }
    missing = "http://testserver/zaken/api/v1/rollen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"
    resp = await client.post(API, json=body(zaak, ontvangen, gezetdoor=missing), headers=superuser)
    assert resp.json()["invalidParams"][0]["code"] == "does_not_exist"
    resp = await client.post(
        API, json=body(zaak, ontvangen, gezetdoor=f.url(own)), headers=superuser
    )
    assert resp.status_code == 201
    assert resp.json()["gezetdoor"] == f.url(own)
    resp = await client.post(API, json=body(zaak, ontvangen, gezetdoor=""), headers=superuser)
    assert resp.status_code == 201
    assert resp.json()["gezetdoor"] == ""


async def test_zaakinformatieobjecten_are_those_linked_to_the_status(client, superuser, database):
    _zt, zaak, ontvangen, _eind = await setup(database)
    created = (await client.post(API, json=body(zaak, ontvangen), headers=superuser)).json()
    async with database.transaction() as session:
        status = (
            await session.execute(
                select(m.Status).where(m.Status.uuid == uuid.UUID(created["uuid"]))
            )
        ).scalar_one()
        links = [
            m.ZaakInformatieObject(
                zaak_id=zaak.id,
                informatieobject=f"https://drc.example.nl/enkelvoudiginformatieobjecten/{i}",
                registratiedatum=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
                status_id=status.id if i < 2 else None,
            )
            for i in range(3)
        ]
        session.add_all(links)
    expected = [f.url(zio) for zio in links[:2]]
    assert (await client.get(created["url"], headers=superuser)).json()[
        "zaakinformatieobjecten"
    ] == expected


async def test_list_costs_a_constant_number_of_queries(client, superuser, register, database):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    reader = await client_with(register, zaaktype, "zaken.lezen")

    async def count_list() -> int:
        return await warm_count(database, lambda: client.get(API, headers=reader))

    assert (
        await client.post(API, json=body(zaak, ontvangen), headers=superuser)
    ).status_code == 201
    one = await count_list()
    for i in range(6):
        z = await f.create_zaak(database, zaaktype, identificatie=f"Z-{i}")
        resp = await client.post(API, json=body(z, ontvangen), headers=superuser)
        assert resp.status_code == 201
        async with database.transaction() as session:
            status_id = (
                await session.execute(
                    select(m.Status.id).where(m.Status.uuid == uuid.UUID(resp.json()["uuid"]))
                )
            ).scalar_one()
            session.add(
                m.ZaakInformatieObject(
                    zaak_id=z.id,
                    informatieobject=f"https://drc.example.nl/eio/{i}",
                    registratiedatum=dt.datetime(2024, 3, 2, tzinfo=dt.UTC),
                    status_id=status_id,
                )
            )
    assert await count_list() == one


# --- authorisation (zrc-006) -------------------------------------------------------------


async def test_zrc_006_only_statussen_of_authorised_zaaktypen(
    client, superuser, register, database
):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    hidden_zaak = await f.create_zaak(database, other, identificatie="VERBORGEN")
    hidden_type, _ = await statustypen(database, other)
    mine = (await client.post(API, json=body(zaak, ontvangen), headers=superuser)).json()
    hidden = (await client.post(API, json=body(hidden_zaak, hidden_type), headers=superuser)).json()
    reader = await client_with(register, zaaktype, "zaken.lezen")
    listed = (await client.get(API, headers=reader)).json()
    assert [s["url"] for s in listed["results"]] == [mine["url"]]
    assert (await client.get(hidden["url"], headers=reader)).status_code == 403
    assert (await client.post(API, json=body(zaak, ontvangen), headers=reader)).status_code == 403
    assert (await client.get(API)).status_code == 401


@pytest.mark.skipif(
    not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL"), reason="row locks need PostgreSQL"
)
async def test_a_client_without_rights_gets_its_403_without_waiting_for_the_zaaks_lock(
    client, superuser, register, database
):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    # the right scope, but for another zaaktype
    other = await f.published_zaaktype(database, catalogus=await cf.create_catalogus(database))
    elsewhere = await register(
        "elders", "elders-geheim", autorisaties=[f.zrc_autorisatie(other, "zaken.aanmaken")]
    )
    mine = await client_with(register, zaaktype, "zaken.aanmaken")
    # another transaction holds the zaak's row lock (as a status being set does)
    async with database.engine.connect() as holder:
        await holder.execute(select(m.Zaak.id).where(m.Zaak.id == zaak.id).with_for_update())
        forbidden = await asyncio.wait_for(
            client.post(API, json=body(zaak, ontvangen), headers=elsewhere), timeout=5
        )
        assert forbidden.status_code == 403
        # the answers keep their order: a statustype of another zaaktype is still a 400
        other_type, _ = await statustypen(database, other)
        mismatch = await asyncio.wait_for(
            client.post(API, json=body(zaak, other_type), headers=elsewhere), timeout=5
        )
        assert mismatch.status_code == 400
        assert mismatch.json()["invalidParams"][0]["code"] == "zaaktype-mismatch"
        # a client with the rights does wait for the lock: the lock is really held
        allowed = asyncio.ensure_future(client.post(API, json=body(zaak, ontvangen), headers=mine))
        await asyncio.sleep(0.5)
        assert not allowed.done()
        await holder.rollback()
    assert (await allowed).status_code == 201


async def test_zaken_aanmaken_sets_only_the_first_status(client, register, database):
    zaaktype, zaak, ontvangen, _eind = await setup(database)
    creator = await client_with(register, zaaktype, "zaken.lezen", "zaken.aanmaken")
    assert (await client.post(API, json=body(zaak, ontvangen), headers=creator)).status_code == 201
    resp = await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-03-03T10:00:00Z"), headers=creator
    )
    assert resp.status_code == 403
    adder = await client_with(register, zaaktype, "zaken.statussen.toevoegen")
    resp = await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-03-03T10:00:00Z"), headers=adder
    )
    assert resp.status_code == 201


# --- closing (zrc-007, zrc-021) ----------------------------------------------------------


async def test_zrc_007_eindstatus_without_resultaat_is_400_and_stores_nothing(
    client, superuser, database
):
    _zt, zaak, _ontvangen, afgehandeld = await setup(database)
    resp = await client.post(API, json=body(zaak, afgehandeld), headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "resultaat-does-not-exist"
    assert (await client.get(API, headers=superuser)).json()["count"] == 0
    stored = await load_zaak(database, zaak)
    assert (stored.einddatum, stored.status_id) == (None, None)
    async with database.transaction() as session:
        assert (await session.execute(select(OutboxMessage))).scalars().all() == []


async def test_zrc_007_eindstatus_closes_the_zaak(client, superuser, database):
    _zt, zaak, ontvangen, afgehandeld = await setup(database, resultaat={})
    await client.post(API, json=body(zaak, ontvangen), headers=superuser)
    # 23:30 UTC on 1 April is 2 April in the Netherlands: the einddatum is the Dutch date
    resp = await client.post(
        API,
        json=body(zaak, afgehandeld, datumStatusGezet="2024-04-01T23:30:00Z"),
        headers=superuser,
    )
    assert resp.status_code == 201, resp.text
    stored = await load_zaak(database, zaak)
    assert stored.einddatum == dt.date(2024, 4, 2)
    assert stored.status_id is not None
    assert resp.json()["indicatieLaatstGezetteStatus"] is True


async def test_zrc_007_earlier_eindstatus_does_not_close(client, superuser, database):
    _zt, zaak, ontvangen, afgehandeld = await setup(database)
    await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-04-01T10:00:00Z"), headers=superuser
    )
    # set before the current status: history, not the current state (and no resultaat needed)
    resp = await client.post(
        API,
        json=body(zaak, afgehandeld, datumStatusGezet="2024-03-01T10:00:00Z"),
        headers=superuser,
    )
    assert resp.status_code == 201
    assert resp.json()["indicatieLaatstGezetteStatus"] is False
    assert (await load_zaak(database, zaak)).einddatum is None


async def test_zrc_007_status_on_closed_zaak_needs_geforceerd_bijwerken(client, register, database):
    zaaktype, zaak, _ontvangen, afgehandeld = await setup(
        database, resultaat={}, einddatum=dt.date(2024, 4, 1)
    )
    adder = await client_with(register, zaaktype, "zaken.statussen.toevoegen")
    later = body(zaak, afgehandeld, datumStatusGezet="2024-04-03T10:00:00Z")
    assert (await client.post(API, json=later, headers=adder)).status_code == 403
    forced = await client_with(
        register, zaaktype, "zaken.statussen.toevoegen", "zaken.geforceerd-bijwerken"
    )
    assert (await client.post(API, json=later, headers=forced)).status_code == 201
    assert (await load_zaak(database, zaak)).einddatum == dt.date(2024, 4, 3)


async def close(client, headers, zaak, afgehandeld, moment="2024-04-01T10:00:00Z") -> None:
    resp = await client.post(
        API, json=body(zaak, afgehandeld, datumStatusGezet=moment), headers=headers
    )
    assert resp.status_code == 201, resp.text


async def test_zrc_021_afgehandeld(client, superuser, database):
    _zt, zaak, _o, afgehandeld = await setup(
        database,
        resultaat={"archiefnominatie": "blijvend_bewaren", "archiefactietermijn": "P10Y"},
    )
    await close(client, superuser, zaak, afgehandeld)
    stored = await load_zaak(database, zaak)
    assert stored.archiefnominatie == "blijvend_bewaren"
    assert stored.archiefactiedatum == dt.date(2034, 4, 1)
    assert stored.startdatum_bewaartermijn == dt.date(2024, 4, 1)


async def test_zrc_021_termijn(client, superuser, database):
    _zt, zaak, _o, afgehandeld = await setup(
        database,
        resultaat={
            "archiefactietermijn": "P10Y",
            "brondatum_archiefprocedure": {"afleidingswijze": "termijn", "procestermijn": "P5Y"},
        },
    )
    await close(client, superuser, zaak, afgehandeld)
    stored = await load_zaak(database, zaak)
    assert stored.archiefnominatie == "vernietigen"
    assert stored.archiefactiedatum == dt.date(2039, 4, 1)


async def test_zrc_021_hoofdzaak(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    hoofdzaak = await f.create_zaak(
        database, zaaktype, identificatie="HOOFD", einddatum=dt.date(2024, 6, 30)
    )
    zaak = await f.create_zaak(database, zaaktype, identificatie="DEEL", hoofdzaak_id=hoofdzaak.id)
    resultaattype = await create_resultaattype(
        database,
        zaaktype,
        archiefactietermijn="P1M",
        brondatum_archiefprocedure={"afleidingswijze": "hoofdzaak"},
    )
    await give_resultaat(database, zaak, resultaattype)
    _o, afgehandeld = await statustypen(database, zaaktype)
    await close(client, superuser, zaak, afgehandeld)
    assert (await load_zaak(database, zaak)).archiefactiedatum == dt.date(2024, 7, 30)


async def test_zrc_021_gerelateerde_zaak(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    related = [
        await f.create_zaak(database, zaaktype, identificatie=f"REL-{i}", einddatum=d)
        for i, d in enumerate([dt.date(2024, 5, 1), dt.date(2024, 8, 1), None])
    ]
    zaak = await f.create_zaak(
        database,
        zaaktype,
        identificatie="ZAAK",
        relevante_andere_zaken=[{"url": f.url(z), "aardRelatie": "bijdrage"} for z in related],
    )
    resultaattype = await create_resultaattype(
        database,
        zaaktype,
        archiefactietermijn="P1Y",
        brondatum_archiefprocedure={"afleidingswijze": "gerelateerde_zaak"},
    )
    await give_resultaat(database, zaak, resultaattype)
    _o, afgehandeld = await statustypen(database, zaaktype)
    await close(client, superuser, zaak, afgehandeld)
    assert (await load_zaak(database, zaak)).archiefactiedatum == dt.date(2025, 8, 1)


async def test_zrc_021_eigenschap(client, superuser, database):
    zaaktype = await f.published_zaaktype(database)
    zaak = await f.create_zaak(database, zaaktype)
    eigenschappen = [
        await f._store(
            database,
            cm.Eigenschap(
                zaaktype_id=zaaktype.id,
                naam=naam,
                definitie=naam,
                specificatie={"formaat": "datum", "lengte": "8", "kardinaliteit": "1"},
            ),
        )
        for naam in ("vervaldatum", "anderedatum")
    ]
    for eigenschap, waarde in zip(eigenschappen, ("20250115", "20300101"), strict=True):
        await f._store(
            database, m.ZaakEigenschap(zaak_id=zaak.id, eigenschap_id=eigenschap.id, waarde=waarde)
        )
    resultaattype = await create_resultaattype(
        database,
        zaaktype,
        archiefactietermijn="P5Y",
        brondatum_archiefprocedure={"afleidingswijze": "eigenschap", "datumkenmerk": "vervaldatum"},
    )
    await give_resultaat(database, zaak, resultaattype)
    _o, afgehandeld = await statustypen(database, zaaktype)
    await close(client, superuser, zaak, afgehandeld)
    assert (await load_zaak(database, zaak)).archiefactiedatum == dt.date(2030, 1, 15)


async def test_zrc_021_ander_datumkenmerk_leaves_archiefactiedatum_empty(
    client, superuser, database
):
    _zt, zaak, _o, afgehandeld = await setup(
        database,
        resultaat={"brondatum_archiefprocedure": {"afleidingswijze": "ander_datumkenmerk"}},
    )
    await close(client, superuser, zaak, afgehandeld)
    stored = await load_zaak(database, zaak)
    assert stored.einddatum == dt.date(2024, 4, 1)
    assert stored.archiefnominatie == "vernietigen"
    assert stored.archiefactiedatum is None


async def test_zrc_021_values_of_the_zaak_are_kept(client, superuser, database):
    _zt, zaak, _o, afgehandeld = await setup(
        database,
        resultaat={},
        archiefnominatie="blijvend_bewaren",
        archiefactiedatum=dt.date(2050, 1, 1),
    )
    await close(client, superuser, zaak, afgehandeld)
    stored = await load_zaak(database, zaak)
    assert (stored.archiefnominatie, stored.archiefactiedatum) == (
        "blijvend_bewaren",
        dt.date(2050, 1, 1),
    )


# --- reopening (zrc-008) -----------------------------------------------------------------


async def test_zrc_008_reopening_clears_einddatum_and_archive_attributes(
    client, superuser, register, database
):
    zaaktype, zaak, ontvangen, afgehandeld = await setup(database, resultaat={})
    await close(client, superuser, zaak, afgehandeld)
    closed = await load_zaak(database, zaak)
    assert closed.einddatum is not None
    assert closed.archiefactiedatum is not None
    reopener = await client_with(register, zaaktype, "zaken.heropenen")
    resp = await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-04-02T10:00:00Z"), headers=reopener
    )
    assert resp.status_code == 201, resp.text
    reopened = await load_zaak(database, zaak)
    assert (reopened.einddatum, reopened.archiefactiedatum, reopened.archiefnominatie) == (
        None,
        None,
        None,
    )
    assert resp.json()["indicatieLaatstGezetteStatus"] is True


async def test_zrc_008_reopening_needs_zaken_heropenen(client, superuser, register, database):
    zaaktype, zaak, ontvangen, afgehandeld = await setup(database, resultaat={})
    await close(client, superuser, zaak, afgehandeld)
    reopen = body(zaak, ontvangen, datumStatusGezet="2024-04-02T10:00:00Z")
    for scopes in (
        ("zaken.statussen.toevoegen",),
        ("zaken.statussen.toevoegen", "zaken.geforceerd-bijwerken"),
    ):
        headers = await client_with(register, zaaktype, *scopes)
        assert (await client.post(API, json=reopen, headers=headers)).status_code == 403
    assert (await load_zaak(database, zaak)).einddatum == dt.date(2024, 4, 1)


async def test_zrc_022_archived_zaak_is_not_reopened(client, superuser, database):
    _zt, zaak, ontvangen, _afgehandeld = await setup(
        database,
        resultaat={},
        einddatum=dt.date(2024, 4, 1),
        archiefstatus="gearchiveerd",
        archiefnominatie="blijvend_bewaren",
        archiefactiedatum=dt.date(2034, 4, 1),
    )
    resp = await client.post(
        API, json=body(zaak, ontvangen, datumStatusGezet="2024-04-02T10:00:00Z"), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "zaak-gearchiveerd"
    stored = await load_zaak(database, zaak)
    assert (stored.archiefnominatie, stored.archiefactiedatum) == (
        "blijvend_bewaren",
        dt.date(2034, 4, 1),
    )


async def test_zrc_007_status_and_closing_are_one_transaction(
    client, superuser, database, monkeypatch
):
    """A failure after the status is written and the zaak closed leaves neither behind."""
    from mijnzaken.zaken.services import status as service

    _zt, zaak, ontvangen, afgehandeld = await setup(database, resultaat={})
    await client.post(API, json=body(zaak, ontvangen), headers=superuser)

    async def broken(*_args: Any) -> None:
        raise RuntimeError("archive look-up failed")

    monkeypatch.setattr(service, "brondatum_of", broken)
    with pytest.raises(RuntimeError):
        await client.post(
            API,
            json=body(zaak, afgehandeld, datumStatusGezet="2024-04-01T10:00:00Z"),
            headers=superuser,
        )
    stored = await load_zaak(database, zaak)
    assert stored.einddatum is None
    listed = (await client.get(API, params={"zaak": f.url(zaak)}, headers=superuser)).json()
    assert [s["statustype"] for s in listed["results"]] == [cf.url(ontvangen)]
    assert listed["results"][0]["indicatieLaatstGezetteStatus"] is True
    async with database.transaction() as session:
        assert len((await session.execute(select(OutboxMessage))).scalars().all()) == 1


async def test_on_the_same_moment_the_status_set_last_is_current_whatever_the_storage_order(
    client, superuser, database
):
    _zt, zaak, ontvangen, _eind = await setup(database)
    first = (await client.post(API, json=body(zaak, ontvangen), headers=superuser)).json()
    last = (await client.post(API, json=body(zaak, ontvangen), headers=superuser)).json()
    assert last["indicatieLaatstGezetteStatus"] is True
    # rewriting the first row moves it behind the second in the table (PostgreSQL writes a
    # new row version at the end of the heap), so storage order no longer follows creation
    async with database.transaction() as session:
        await session.execute(
            update(m.Status)
            .where(m.Status.uuid == uuid.UUID(first["uuid"]))
            .values(statustoelichting="Herzien")
        )
    zaak_url = f.url(zaak)
    crs = {**superuser, "Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
    assert (await client.get(zaak_url, headers=crs)).json()["status"] == last["url"]
    zoek = await client.post(
        "/zaken/api/v1/zaken/_zoek",
        params={"expand": "status"},
        json={"uuid__in": [str(zaak.uuid)]},
        headers=crs,
    )
    assert zoek.status_code == 200, zoek.text
    [item] = zoek.json()["results"]
    assert item["status"] == last["url"]
    assert item["_expand"]["status"]["url"] == last["url"]
    listed = await client.get(
        API, params={"zaak": zaak_url, "indicatieLaatstGezetteStatus": "true"}, headers=superuser
    )
    assert [s["url"] for s in listed.json()["results"]] == [last["url"]]
