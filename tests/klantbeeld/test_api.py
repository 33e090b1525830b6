"""The klantbeeld JSON API at /klantbeeld/api/v1/: a citizen's app with an OpenID Connect
access token sees the citizen's own view; an application with a ZGW JWT names the customer
in the body and sees what its autorisaties allow."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from mijnzaken.verwerkingen import schrijver
from mijnzaken.verwerkingen.models import Verwerkingsactie
from tests.conftest import make_token
from tests.klantbeeld import factories as kf
from tests.klantbeeld import klanten as kl
from tests.oidc_provider import Provider
from tests.zaken import factories as zf

API = "/klantbeeld/api/v1"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def citizen_token(oidc_provider: Provider) -> str:
    oidc_provider.set_user("burger-a", {"bsn": kf.BSN_A, "acr": "substantieel"})
    return oidc_provider.access_token("burger-a")


async def test_citizen_app_sees_own_view_with_running_and_closed_zaken(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database)
    lopend = await kf.zaak(database, zt, stappen=2, omschrijving="Dakkapel")
    afgerond = await kf.zaak(database, zt, stappen=3, afgehandeld=True)
    response = await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))
    assert response.status_code == 200
    body = response.json()
    assert body["kijker"] == {
        "soort": "inwoner",
        "betrouwbaarheidsniveau": "substantieel",
        "namensAnder": False,
    }
    [running] = body["lopendeZaken"]["items"]
    assert running["uuid"] == str(lopend.uuid)
    assert running["status"]["statustekst"] == "Een medewerker beoordeelt uw aanvraag."
    assert [s["omschrijving"] for s in running["statushistorie"]] == ["Ontvangen", "In behandeling"]
    [closed] = body["afgerondeZaken"]["items"]
    assert closed["uuid"] == str(afgerond.uuid)
    assert closed["resultaat"] == "Toegekend"
    assert body["producten"]["beschikbaar"] is True
    assert {p["stand"] for p in body["producten"]["items"]} == {"aangevraagd", "afgehandeld"}


async def test_sections_without_a_register_say_so_instead_of_showing_data(
    client: Any, citizen_token: str
) -> None:
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    for name in ("afspraken",):
        assert body[name]["beschikbaar"] is False, name
        assert body[name]["items"] == []
        assert "nog niet beschikbaar" in body[name]["melding"]


async def test_citizen_app_reads_own_zaak_with_full_timeline(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, stappen=2)
    response = await client.get(f"{API}/zaken/{zaak.uuid}", headers=_bearer(citizen_token))
    assert response.status_code == 200
    tijdlijn = response.json()["tijdlijn"]
    assert [(s["omschrijving"], s["bereikt"], s["huidig"]) for s in tijdlijn] == [
        ("Ontvangen", True, False),
        ("In behandeling", True, True),
        ("Afgehandeld", False, False),
    ]


async def test_citizen_app_gets_404_for_another_citizens_zaak(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database)
    other = await kf.zaak(database, zt, bsn=kf.BSN_B)
    response = await client.get(f"{API}/zaken/{other.uuid}", headers=_bearer(citizen_token))
    assert response.status_code == 404
    unknown = await client.get(f"{API}/zaken/{uuid.uuid4()}", headers=_bearer(citizen_token))
    assert unknown.status_code == 404
    assert response.json()["detail"] == unknown.json()["detail"]


async def test_unknown_access_token_is_refused(client: Any) -> None:
    response = await client.get(f"{API}/klantbeeld", headers=_bearer("not-a-token-of-ours"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_request_without_token_is_refused(client: Any) -> None:
    assert (await client.get(f"{API}/klantbeeld")).status_code == 401


async def test_application_sees_only_zaken_of_its_zaaktypen(
    client: Any, database: Any, register: Any
) -> None:
    allowed = await kf.zaaktype(database)
    other = await kf.zaaktype(database)
    mine = await kf.zaak(database, allowed)
    await kf.zaak(database, other)
    headers = await register(
        "kcc", "kcc-secret", autorisaties=[zf.zrc_autorisatie(allowed, "zaken.lezen")]
    )
    response = await client.post(f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["kijker"]["soort"] == "applicatie"
    assert [z["uuid"] for z in body["lopendeZaken"]["items"]] == [str(mine.uuid)]


async def test_application_sees_beyond_citizen_rules_within_its_rights(
    client: Any, database: Any, register: Any
) -> None:
    intern = await kf.zaaktype(database, indicatie_intern_of_extern="intern")
    zaak = await kf.zaak(database, intern, vertrouwelijkheidaanduiding="vertrouwelijk")
    headers = await register(
        "kcc",
        "kcc-secret",
        autorisaties=[zf.zrc_autorisatie(intern, "zaken.lezen", maximum="vertrouwelijk")],
    )
    body = (
        await client.post(f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=headers)
    ).json()
    assert [z["uuid"] for z in body["lopendeZaken"]["items"]] == [str(zaak.uuid)]


async def test_application_without_zaken_lezen_is_refused(client: Any, register: Any) -> None:
    catalogue_only = {"component": "ztc", "scopes": ["catalogi.lezen"]}
    headers = await register("kcc", "kcc-secret", autorisaties=[catalogue_only])
    response = await client.post(f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=headers)
    assert response.status_code == 403


async def test_application_reads_one_zaak_of_the_customer_named_in_the_body(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, bsn=kf.BSN_B)
    found = await client.post(
        f"{API}/zaken/{zaak.uuid}/_zoek", json={"bsn": kf.BSN_B}, headers=superuser
    )
    assert found.status_code == 200
    wrong_customer = await client.post(
        f"{API}/zaken/{zaak.uuid}/_zoek", json={"bsn": kf.BSN_A}, headers=superuser
    )
    assert wrong_customer.status_code == 404


async def test_bad_bsn_in_the_body_is_a_400_that_does_not_echo_it(
    client: Any, superuser: dict[str, str]
) -> None:
    response = await client.post(
        f"{API}/klantbeeld/_zoek", json={"bsn": "123456789"}, headers=superuser
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["code"] == "invalid"
    assert "123456789" not in response.text


async def test_both_or_neither_identifier_is_a_400(client: Any, superuser: dict[str, str]) -> None:
    for body in ({}, {"bsn": kf.BSN_A, "kvkNummer": kf.KVK}):
        response = await client.post(f"{API}/klantbeeld/_zoek", json=body, headers=superuser)
        assert response.status_code == 400


async def test_business_is_found_by_kvk_nummer(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, bsn=None, kvk=kf.KVK)
    body = (
        await client.post(f"{API}/klantbeeld/_zoek", json={"kvkNummer": kf.KVK}, headers=superuser)
    ).json()
    assert body["onderwerp"] == "kvk"
    assert [z["uuid"] for z in body["lopendeZaken"]["items"]] == [str(zaak.uuid)]


async def test_application_must_name_the_customer_and_a_citizen_may_not(
    client: Any, superuser: dict[str, str], citizen_token: str
) -> None:
    assert (await client.get(f"{API}/klantbeeld", headers=superuser)).status_code == 403
    response = await client.post(
        f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_B}, headers=_bearer(citizen_token)
    )
    assert response.status_code == 403


async def test_view_costs_the_same_statements_for_one_zaak_or_fifty(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async def cost() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            response = await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(statements)

    await kf.zaak(database, zt, stappen=3, afgehandeld=True)
    one = await cost()
    for _ in range(49):
        await kf.zaak(database, zt, stappen=2)
    assert await cost() == one


async def test_citizen_app_sees_gegevens_voorkeuren_and_contact_moments(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database, omschrijving="Parkeervergunning bewoners")
    zaak = await kf.zaak(database, zt, identificatie="ZAAK-1")
    partij = await kl.persoon(database, kf.BSN_A, "Suzanne", "Jansen")
    mail = await kl.adres(database, partij, "suzanne@example.nl")
    await kl.voorkeur(database, partij, "email", zaaktype=zt, digitaal_adres=mail)
    contact = await kl.klantcontact(database, "Vraag over de vergunning", partij=partij, zaak=zaak)
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    [persoon] = body["gegevens"]["items"]
    assert persoon["naam"] == "Suzanne Jansen"
    assert persoon["contactgegevens"] == [
        {
            "uuid": str(mail.uuid),
            "soort": "email",
            "adres": "suzanne@example.nl",
            "geverifieerd": True,
            "standaard": True,
        }
    ]
    standaard, per_zaaktype = body["voorkeuren"]["items"]
    assert (standaard["onderwerpSoort"], standaard["kanaal"]) == ("standaard", "")
    assert per_zaaktype["onderwerp"] == "Parkeervergunning bewoners"
    assert per_zaaktype["onderwerpUrl"] == kl.zaaktype_url(zt)
    assert (per_zaaktype["kanaal"], per_zaaktype["adres"]) == ("email", str(mail.uuid))
    [item] = body["contactmomenten"]["items"]
    assert item["uuid"] == str(contact.uuid)
    assert (item["zaak"], item["zaakidentificatie"]) == (str(zaak.uuid), "ZAAK-1")
    detail = (await client.get(f"{API}/zaken/{zaak.uuid}", headers=_bearer(citizen_token))).json()
    assert [c["onderwerp"] for c in detail["contactmomenten"]["items"]] == [
        "Vraag over de vergunning"
    ]


async def test_application_sees_the_customer_register_only_with_its_read_right(
    client: Any, database: Any, register: Any
) -> None:
    zt = await kf.zaaktype(database)
    await kf.zaak(database, zt)
    partij = await kl.persoon(database, kf.BSN_A)
    await kl.klantcontact(database, "Gebeld", partij=partij)
    zaken = zf.zrc_autorisatie(zt, "zaken.lezen")
    without = await register("kcc", "kcc-secret", autorisaties=[zaken])
    body = (
        await client.post(f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=without)
    ).json()
    for name in ("gegevens", "voorkeuren", "contactmomenten"):
        assert body[name]["beschikbaar"] is False, name
        assert body[name]["melding"] == "Deze applicatie heeft geen toegang tot het klantregister."
    kic = {"component": "kic", "scopes": ["klantinteracties.lezen"]}
    with_right = await register("kcc2", "kcc2-secret", autorisaties=[zaken, kic])
    body = (
        await client.post(f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=with_right)
    ).json()
    assert [c["onderwerp"] for c in body["contactmomenten"]["items"]] == ["Gebeld"]


async def test_view_with_contact_data_costs_the_same_statements_for_few_or_many(
    client: Any, database: Any, citizen_token: str
) -> None:
    zt = await kf.zaaktype(database)
    partij = await kl.persoon(database, kf.BSN_A)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async def cost() -> int:
        statements.clear()
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            response = await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(statements)

    zaak = await kf.zaak(database, zt)
    await kl.adres(database, partij, "a@example.nl")
    await kl.klantcontact(database, "Eerste", partij=partij, zaak=zaak)
    one = await cost()
    for n in range(20):
        other_zt = await kf.zaaktype(database)
        other = await kf.zaak(database, other_zt)
        await kl.klantcontact(database, f"Contact {n}", partij=partij, zaak=other)
        await kl.voorkeur(database, partij, "post", zaaktype=other_zt)
    await kl.adres(database, partij, "0612345678", soort="telefoonnummer")
    assert await cost() == one


async def test_answers_with_every_section_filled_match_the_served_openapi_document(
    client: Any, database: Any, citizen_token: str, superuser: dict[str, str]
) -> None:
    from jsonschema import Draft202012Validator

    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, stappen=2)
    partij = await kl.persoon(database, kf.BSN_A)
    mail = await kl.adres(database, partij, "a@example.nl")
    await kl.adres(database, partij, "0612345678", soort="telefoonnummer", geverifieerd=False)
    await kl.voorkeur(database, partij, "email", digitaal_adres=mail)
    await kl.voorkeur(database, partij, "geen", zaaktype=zt)
    await kl.klantcontact(database, "Gebeld", partij=partij, zaak=zaak)
    await kf.document(client, superuser, await kf.documenttype(database, zt), zaak)
    doc = (await client.get(f"{API}/schema/openapi.json")).json()
    view = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    detail = (await client.get(f"{API}/zaken/{zaak.uuid}", headers=_bearer(citizen_token))).json()
    assert view["gegevens"]["items"]
    assert view["voorkeuren"]["items"]
    assert view["contactmomenten"]["items"]
    assert detail["contactmomenten"]["items"]
    assert view["documenten"]["items"]
    assert detail["documenten"]["items"]
    for body, name in ((view, "Klantbeeld"), (detail, "ZaakDetail")):
        schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
        assert errors == [], name


async def test_an_applications_view_is_logged_and_the_citizen_sees_it(
    client: Any, superuser: dict[str, str], citizen_token: str
) -> None:
    response = await client.post(
        f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=superuser
    )
    assert response.status_code == 200
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    assert body["verwerkingen"]["beschikbaar"] is True
    [entry] = body["verwerkingen"]["items"]
    assert entry["activiteit"] == "klantbeeld inzien"
    # the superuser's token names its user (user_id "test", shown as "Test")
    assert entry["wie"] == "superuser (medewerker Test)"
    assert kf.BSN_A not in response.text


async def _entries(database: Any) -> list[Verwerkingsactie]:
    async with database.transaction() as session:
        stmt = (
            select(Verwerkingsactie)
            .options(selectinload(Verwerkingsactie.objecten))
            .order_by(Verwerkingsactie.id)
        )
        return list((await session.execute(stmt)).scalars())


async def test_an_applications_view_names_the_user_of_its_token_and_is_stored_before_the_answer(
    client: Any, register: Any, database: Any
) -> None:
    await register("kcc", "kcc-secret", alle=True)
    token = make_token("kcc", "kcc-secret", user_id="m.devries", user_representation="M. de Vries")
    async with schrijver.running(database) as writer:
        before = writer.entries
        response = await client.post(
            f"{API}/klantbeeld/_zoek", json={"bsn": kf.BSN_A}, headers=_bearer(token)
        )
        assert response.status_code == 200
        assert writer.entries == before + 1  # by the writer: the read stayed read-only
    [entry] = await _entries(database)
    assert entry.systeem == "client:kcc"
    assert entry.gebruiker == "m.devries"
    assert entry.actor_weergave == "kcc (medewerker M. de Vries)"
    assert [(o.soort_object_id, o.object_id) for o in entry.objecten] == [("BSN", kf.BSN_A)]


async def test_a_citizens_view_and_download_are_stored_before_the_answer(
    client: Any, database: Any, citizen_token: str, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    zaak = await kf.zaak(database, zt, stappen=2)
    created = await kf.document(client, superuser, await kf.documenttype(database, zt), zaak)
    ident = created["url"].rsplit("/", 1)[1]
    async with schrijver.running(database) as writer:
        before = writer.entries
        view = await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))
        assert view.status_code == 200
        [shown] = await _entries(database)
        link = f"{API}/zaken/{zaak.uuid}/documenten/{ident}/inhoud"
        assert (await client.get(link, headers=_bearer(citizen_token))).status_code == 200
        assert writer.entries == before + 2
    first, second = await _entries(database)
    assert (first.actie_naam, second.actie_naam) == (shown.actie_naam, "document downloaden")
    for entry in (first, second):
        assert entry.systeem == "MijnGemeente"
        assert entry.actor_weergave == "U zelf"
        assert [o.object_id for o in entry.objecten] == [kf.BSN_A]
    # what was shown is named: the view's sections with data in them
    assert "zaken" in str(first.objecten[0].soorten_gegevens)


# --- documents -----------------------------------------------------------------------------


async def test_citizen_app_sees_the_documents_and_downloads_one_through_its_link(
    client: Any, database: Any, citizen_token: str, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    iot = await kf.documenttype(database, zt)
    zaak = await kf.zaak(database, zt, stappen=2)
    created = await kf.document(client, superuser, iot, zaak, inhoud=b"beschikking")
    await kf.document(client, superuser, iot, zaak, titel="Concept", status="in_bewerking")
    body = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    assert body["documenten"]["beschikbaar"] is True
    [item] = body["documenten"]["items"]
    ident = created["url"].rsplit("/", 1)[1]
    assert item["uuid"] == ident
    assert item["zaak"] == str(zaak.uuid)
    assert (item["titel"], item["bestandsnaam"], item["formaat"], item["bestandsomvang"]) == (
        "Besluit op uw aanvraag",
        "besluit.pdf",
        "application/pdf",
        11,
    )
    link = f"http://testserver{API}/zaken/{zaak.uuid}/documenten/{ident}/inhoud"
    assert item["inhoud"] == link
    download = await client.get(link, headers=_bearer(citizen_token))
    assert download.status_code == 200
    assert download.content == b"beschikking"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith('attachment; filename="besluit.pdf"')
    log = (await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))).json()
    assert "document downloaden" in [e["activiteit"] for e in log["verwerkingen"]["items"]]


async def test_documents_outside_the_view_are_404_through_the_api(
    client: Any, database: Any, citizen_token: str, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    iot = await kf.documenttype(database, zt)
    eigen = await kf.zaak(database, zt)
    ander = await kf.zaak(database, zt, bsn=kf.BSN_B)
    concept = await kf.document(client, superuser, iot, eigen, status="in_bewerking")
    van_b = await kf.document(client, superuser, iot, ander)
    for zaak, doc in ((eigen, concept), (ander, van_b), (eigen, van_b)):
        ident = doc["url"].rsplit("/", 1)[1]
        response = await client.get(
            f"{API}/zaken/{zaak.uuid}/documenten/{ident}/inhoud", headers=_bearer(citizen_token)
        )
        assert response.status_code == 404
        assert response.json()["status"] == 404
    no_token = await client.get(f"{API}/zaken/{eigen.uuid}/documenten/{uuid.uuid4()}/inhoud")
    assert no_token.status_code == 401


async def test_application_downloads_with_the_customer_in_the_body(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    zt = await kf.zaaktype(database)
    iot = await kf.documenttype(database, zt)
    zaak = await kf.zaak(database, zt)
    created = await kf.document(client, superuser, iot, zaak, inhoud=b"inhoud")
    path = f"{API}/zaken/{zaak.uuid}/documenten/{created['url'].rsplit('/', 1)[1]}/inhoud"
    found = await client.post(f"{path}/_zoek", json={"bsn": kf.BSN_A}, headers=superuser)
    assert found.status_code == 200
    assert found.content == b"inhoud"
    other = await client.post(f"{path}/_zoek", json={"bsn": kf.BSN_B}, headers=superuser)
    assert other.status_code == 404
    assert kf.BSN_B not in other.text
    assert (await client.get(path, headers=superuser)).status_code == 403


async def test_view_costs_the_same_statements_for_one_document_or_many(
    client: Any, database: Any, citizen_token: str, superuser: dict[str, str]
) -> None:
    from tests.statements import warm_count

    zt = await kf.zaaktype(database)
    iot = await kf.documenttype(database, zt)
    zaak = await kf.zaak(database, zt)
    await kf.document(client, superuser, iot, zaak)

    async def view() -> Any:
        return await client.get(f"{API}/klantbeeld", headers=_bearer(citizen_token))

    one = await warm_count(database, view)
    for _ in range(10):
        meer = await kf.zaak(database, zt)
        await kf.document(client, superuser, iot, meer)
        await kf.document(client, superuser, iot, meer, vertrouwelijkheidaanduiding="geheim")
    assert await warm_count(database, view) == one
    assert len((await view()).json()["documenten"]["items"]) == 11
