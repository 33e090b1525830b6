"""The Verwerkingenlogging write and read APIs: every operation, the vertrouwelijkheid rules,
and that PUT, PATCH and DELETE append instead of overwrite. Every response is checked against
the official specs (tests/contract/spec.py)."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mijnzaken.verwerkingen import keten
from mijnzaken.verwerkingen.models import Verwerkingsactie

API = "/verwerkingen/api/v1"
BSN = "999993653"
ANDER = "999990019"
SUBJECT = {"objecttype": "persoon", "soortObjectId": "BSN", "objectId": BSN}
PERIODE = {"beginDatum": "2020-01-01", "eindDatum": "2100-01-01"}


def vrl(*scopes: str) -> dict[str, Any]:
    return {"component": "vrl", "scopes": list(scopes)}


def actie(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "actieNaam": "Zoeken personen",
        "handelingNaam": "Intake",
        "verwerkingNaam": "Huwelijk",
        "verwerkingId": str(uuid.uuid4()),
        "verwerkingsactiviteitId": "5f0bef4c-f66f-4311-84a5-19e8bf359eaf",
        "vertrouwelijkheid": "normaal",
        "bewaartermijn": "P10Y",
        "uitvoerder": "00000001821002193000",
        "systeem": "FooBarApp v2.1",
        "gebruiker": "medewerker-12",
        "gegevensbron": "FooBar Database Publiekszaken",
        "tijdstip": "2024-04-05T14:35:42+01:00",
        "verwerkteObjecten": [
            {
                "objecttype": "persoon",
                "soortObjectId": "BSN",
                "objectId": BSN,
                "betrokkenheid": "Getuige",
                "verwerkteSoortenGegevens": [{"soortGegeven": "BSN"}],
            }
        ],
    }
    body.update(fields)
    return body


async def _create(client: Any, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/verwerkingsacties", json=actie(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_create_and_read_a_verwerkingsactie(client: Any, superuser: Any) -> None:
    created = await _create(client, superuser)
    assert created["url"].endswith(f"/verwerkingsacties/{created['actieId']}")
    assert created["tijdstip"] == "2024-04-05T13:35:42Z"
    assert created["systeem"] == "FooBarApp v2.1"
    [obj] = created["verwerkteObjecten"]
    assert obj["objectId"] == BSN
    assert obj["url"].endswith(f"/verwerkte-objecten/{obj['verwerktObjectId']}")
    read = await client.get(created["url"], headers=superuser)
    assert read.status_code == 200
    assert read.json() == created


async def test_list_filters_on_the_data_subject_and_period(client: Any, superuser: Any) -> None:
    mine = await _create(client, superuser)
    other = actie()
    other["verwerkteObjecten"][0]["objectId"] = ANDER
    assert (
        await client.post(f"{API}/verwerkingsacties", json=other, headers=superuser)
    ).status_code == 201
    await _create(client, superuser, tijdstip="2019-06-01T10:00:00Z")
    page = await client.get(
        f"{API}/verwerkingsacties", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    assert page.status_code == 200
    assert [a["actieId"] for a in page.json()["results"]] == [mine["actieId"]]
    everything = await client.get(f"{API}/verwerkingsacties", params=SUBJECT, headers=superuser)
    assert everything.json()["count"] == 2


async def test_list_needs_the_data_subject(client: Any, superuser: Any) -> None:
    response = await client.get(
        f"{API}/verwerkingsacties", params={"objecttype": "persoon"}, headers=superuser
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert {"soortObjectId", "objectId"} <= names


async def test_confidential_entries_need_the_confidential_scope(
    client: Any, register: Any, superuser: Any
) -> None:
    normaal = await _create(client, superuser)
    geheim = await _create(client, superuser, vertrouwelijkheid="vertrouwelijk")
    lezer = await register("lezer", "lezer-secret", autorisaties=[vrl("verwerkingen.lezen")])
    page = await client.get(f"{API}/verwerkingsacties", params=SUBJECT, headers=lezer)
    assert [a["actieId"] for a in page.json()["results"]] == [normaal["actieId"]]
    assert (await client.get(geheim["url"], headers=lezer)).status_code == 404
    objects = await client.get(
        f"{API}/verwerkte-objecten", params={**SUBJECT, **PERIODE}, headers=lezer
    )
    assert objects.json()["count"] == 1
    chosen = await client.get(
        f"{API}/verwerkingsacties",
        params={**SUBJECT, "vertrouwelijkheid": "vertrouwelijk"},
        headers=superuser,
    )
    assert [a["actieId"] for a in chosen.json()["results"]] == [geheim["actieId"]]


async def test_writing_needs_the_right_scope(client: Any, register: Any) -> None:
    lezer = await register("lezer", "lezer-secret", autorisaties=[vrl("verwerkingen.lezen")])
    response = await client.post(f"{API}/verwerkingsacties", json=actie(), headers=lezer)
    assert response.status_code == 403
    schrijver = await register(
        "schrijver", "schrijver-secret", autorisaties=[vrl("verwerkingen.aanmaken")]
    )
    response = await client.post(
        f"{API}/verwerkingsacties", json=actie(vertrouwelijkheid="vertrouwelijk"), headers=schrijver
    )
    assert response.status_code == 403
    assert (await client.get(f"{API}/verwerkingsacties", params=SUBJECT)).status_code == 401


async def test_bad_input_is_a_400_and_nothing_is_stored(
    client: Any, superuser: Any, database: Any
) -> None:
    for bad in (
        actie(bewaartermijn="tien jaar"),
        actie(bewaartermijn="-P1Y"),
        actie(uitvoerder="123"),
        actie(tijdstip="2024-04-05T14:35:42"),
        actie(verwerkteObjecten=[]),
        actie(vertrouwelijkheid="geheim"),
    ):
        response = await client.post(f"{API}/verwerkingsacties", json=bad, headers=superuser)
        assert response.status_code == 400, bad
    async with database.transaction() as session:
        assert (await session.execute(select(func.count(Verwerkingsactie.id)))).scalar() == 0


async def test_put_appends_a_version_and_keeps_the_old_one(
    client: Any, superuser: Any, database: Any
) -> None:
    created = await _create(client, superuser)
    body = actie(actieNaam="Raadplegen", verwerkteObjecten=created["verwerkteObjecten"])
    response = await client.put(created["url"], json=body, headers=superuser)
    assert response.status_code == 200, response.text
    assert response.json()["actieNaam"] == "Raadplegen"
    same = response.json()["verwerkteObjecten"][0]["verwerktObjectId"]
    assert same == created["verwerkteObjecten"][0]["verwerktObjectId"]
    assert (await client.get(created["url"], headers=superuser)).json()["actieNaam"] == "Raadplegen"
    async with database.transaction() as session:
        rows = list(
            (
                await session.execute(select(Verwerkingsactie).order_by(Verwerkingsactie.id))
            ).scalars()
        )
        assert [(r.versie, r.actie_naam, r.actueel) for r in rows] == [
            (1, "Zoeken personen", False),
            (2, "Raadplegen", True),
        ]
        await keten.seal(session)
    async with database.transaction() as session:
        assert (await keten.verify(session)).in_orde


async def test_put_refuses_objects_it_does_not_know(client: Any, superuser: Any) -> None:
    created = await _create(client, superuser)
    objects = [dict(created["verwerkteObjecten"][0], verwerktObjectId=str(uuid.uuid4()))]
    response = await client.put(
        created["url"], json=actie(verwerkteObjecten=objects), headers=superuser
    )
    assert response.status_code == 400


async def test_delete_marks_as_vervallen_without_losing_the_entry(
    client: Any, superuser: Any, database: Any
) -> None:
    created = await _create(client, superuser)
    response = await client.delete(created["url"], headers=superuser)
    assert response.status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404
    page = await client.get(f"{API}/verwerkingsacties", params=SUBJECT, headers=superuser)
    assert page.json()["count"] == 0
    async with database.transaction() as session:
        rows = list((await session.execute(select(Verwerkingsactie))).scalars())
        assert sorted((r.versie, r.vervallen) for r in rows) == [(1, False), (2, True)]


async def test_patch_changes_bewaartermijn_of_a_whole_verwerking(
    client: Any, superuser: Any, register: Any
) -> None:
    verwerking = str(uuid.uuid4())
    first = await _create(client, superuser, verwerkingId=verwerking)
    second = await _create(client, superuser, verwerkingId=verwerking)
    response = await client.patch(
        f"{API}/verwerkingsacties",
        params={"verwerkingId": verwerking},
        json={"bewaartermijn": "P20Y"},
        headers=superuser,
    )
    assert response.status_code == 204
    for created in (first, second):
        assert (await client.get(created["url"], headers=superuser)).json()[
            "bewaartermijn"
        ] == "P20Y"
    bijwerker = await register(
        "bijwerker", "bijwerker-secret", autorisaties=[vrl("verwerkingen.bijwerken")]
    )
    response = await client.patch(
        f"{API}/verwerkingsacties",
        params={"verwerkingId": verwerking},
        json={"vertrouwelijkheid": "vertrouwelijk"},
        headers=bijwerker,
    )
    assert response.status_code == 403
    missing = await client.patch(
        f"{API}/verwerkingsacties",
        params={"verwerkingId": str(uuid.uuid4())},
        json={"bewaartermijn": "P1Y"},
        headers=superuser,
    )
    assert missing.status_code == 404


async def test_inzage_api_shows_the_subject_only_and_leaves_out_internal_fields(
    client: Any, superuser: Any
) -> None:
    both = actie()
    both["verwerkteObjecten"].append(
        {"objecttype": "persoon", "soortObjectId": "BSN", "objectId": ANDER}
    )
    created = (await client.post(f"{API}/verwerkingsacties", json=both, headers=superuser)).json()
    page = await client.get(
        f"{API}/verwerkte-objecten", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    assert page.status_code == 200
    [item] = page.json()["results"]
    assert item["objectId"] == BSN
    nested = item["verwerkingsactie"]
    assert nested["actieId"] == created["actieId"]
    assert "systeem" not in nested
    assert "gebruiker" not in nested
    assert [o["objectId"] for o in nested["verwerkteObjecten"]] == [BSN]
    one = await client.get(item["url"], headers=superuser)
    assert one.status_code == 200
    assert one.json() == item
    assert (
        await client.get(f"{API}/verwerkte-objecten/{uuid.uuid4()}", headers=superuser)
    ).status_code == 404


@pytest.mark.parametrize("missing", ["beginDatum", "eindDatum"])
async def test_inzage_api_needs_the_period(client: Any, superuser: Any, missing: str) -> None:
    params = {**SUBJECT, **PERIODE}
    del params[missing]
    response = await client.get(f"{API}/verwerkte-objecten", params=params, headers=superuser)
    assert response.status_code == 400


async def test_traceparent_header_sets_the_trace_id(
    client: Any, superuser: Any, database: Any
) -> None:
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await client.post(
        f"{API}/verwerkingsacties",
        json=actie(),
        headers={**superuser, "traceparent": f"00-{trace}-00f067aa0ba902b7-01"},
    )
    assert response.status_code == 201
    async with database.transaction() as session:
        row = (await session.execute(select(Verwerkingsactie))).scalar_one()
        assert row.trace_id == trace
        assert len(row.operation_id) == 16


async def test_inzage_objects_of_acties_on_the_same_moment_come_newest_actie_first(
    client: Any, superuser: Any
) -> None:
    # one moment for both acties: the order (and so which page holds which object) must not
    # depend on how the database happens to return them
    first = await _create(client, superuser)
    second = await _create(client, superuser)
    acties = await client.get(
        f"{API}/verwerkingsacties", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    assert [a["actieId"] for a in acties.json()["results"]] == [
        second["actieId"],
        first["actieId"],
    ]
    objecten = await client.get(
        f"{API}/verwerkte-objecten", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    assert objecten.status_code == 200
    assert [o["verwerkingsactie"]["actieId"] for o in objecten.json()["results"]] == [
        second["actieId"],
        first["actieId"],
    ]


@pytest.mark.skipif(
    not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL"),
    reason="SQLite's row ids are 64-bit; PostgreSQL's SERIAL is not",
)
async def test_the_log_goes_on_past_two_billion_entries(
    client: Any, superuser: Any, database: Any
) -> None:
    # the processing log gets an entry for every read of personal data: its row ids must not
    # end at the 32-bit limit
    async with database.engine.begin() as conn:
        await conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('verwerkingen_verwerkingsactie', 'id'),"
                " 2147483647)"
            )
        )
    created = await _create(client, superuser)
    read = await client.get(created["url"], headers=superuser)
    assert read.status_code == 200
    assert read.json()["verwerkteObjecten"][0]["objectId"] == BSN
    async with database.transaction() as session:
        ids = (await session.execute(select(Verwerkingsactie.id))).scalars().all()
    assert ids == [2147483648]


async def _inzage(client: Any, superuser: Any) -> tuple[list[str], list[str]]:
    """The actie ids of the acties list and of the verwerkte objecten list of the subject."""
    acties = await client.get(
        f"{API}/verwerkingsacties", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    objecten = await client.get(
        f"{API}/verwerkte-objecten", params={**SUBJECT, **PERIODE}, headers=superuser
    )
    assert acties.status_code == objecten.status_code == 200
    return (
        [a["actieId"] for a in acties.json()["results"]],
        [o["verwerkingsactie"]["actieId"] for o in objecten.json()["results"]],
    )


async def test_the_inzage_goes_by_the_moment_of_an_actie_not_by_when_it_was_written(
    client: Any, superuser: Any
) -> None:
    # the write API takes the moment from its caller: an actie written later may have
    # happened earlier, and its row id then says nothing about its place
    april = await _create(client, superuser, tijdstip="2024-04-05T14:35:42Z")
    older = await _create(client, superuser, tijdstip="2021-01-02T08:00:00Z")
    may = await _create(client, superuser, tijdstip="2024-05-01T09:00:00Z")
    newest_first = [may["actieId"], april["actieId"], older["actieId"]]
    assert await _inzage(client, superuser) == (newest_first, newest_first)


async def test_a_new_moment_in_a_put_moves_the_actie_in_the_inzage(
    client: Any, superuser: Any
) -> None:
    moved = await _create(client, superuser, tijdstip="2024-04-05T14:35:42Z")
    other = await _create(client, superuser, tijdstip="2024-04-06T10:00:00Z")
    body = actie(
        tijdstip="2024-04-07T10:00:00Z",
        verwerkingId=moved["verwerkingId"],
        verwerkteObjecten=moved["verwerkteObjecten"],
    )
    assert (await client.put(moved["url"], json=body, headers=superuser)).status_code == 200
    newest_first = [moved["actieId"], other["actieId"]]
    assert await _inzage(client, superuser) == (newest_first, newest_first)
    # the version a PATCH appends keeps that moment
    response = await client.patch(
        f"{API}/verwerkingsacties",
        params={"verwerkingId": moved["verwerkingId"]},
        json={"bewaartermijn": "P20Y"},
        headers=superuser,
    )
    assert response.status_code == 204
    assert await _inzage(client, superuser) == (newest_first, newest_first)


async def test_an_actie_that_names_the_subject_twice_is_one_actie_in_the_list(
    client: Any, superuser: Any
) -> None:
    subject = actie()["verwerkteObjecten"][0]
    twice = await _create(
        client,
        superuser,
        tijdstip="2024-04-06T10:00:00Z",
        verwerkteObjecten=[subject, dict(subject, betrokkenheid="Aanvrager")],
    )
    once = await _create(client, superuser, tijdstip="2024-04-05T10:00:00Z")
    acties, objecten = await _inzage(client, superuser)
    assert acties == [twice["actieId"], once["actieId"]]
    # the inzage of objects shows each object: both of the first actie
    assert objecten == [twice["actieId"], twice["actieId"], once["actieId"]]
    page = await client.get(f"{API}/verwerkingsacties", params=SUBJECT, headers=superuser)
    assert page.json()["count"] == 2
