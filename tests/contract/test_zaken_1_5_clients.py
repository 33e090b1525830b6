"""Clients written for Zaken API 1.5.1 (what Open Formulieren, Open Inwoner, KISS and GZAC speak
today) keep working.

Every one of the 62 operations of 1.5.1 is called the 1.5 way: each request body is checked
against the 1.5.1 document (a client may send nothing it does not describe), and each answer
against 1.5.1 as well as against 1.7.0. The `client` fixture already checks every successful
Zaken response against 1.5.1 too (tests/contract/spec.py, `compatible`), so the other Zaken
tests add to this proof; this module makes sure no 1.5.1 operation is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from tests.catalogi import factories as cf
from tests.contract.spec import ZAKEN_1_5, Spec, load, specs_dir
from tests.documenten import factories as df
from tests.zaken import factories as f

BASE = "/zaken/api/v1"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
RSIN = "002220647"
BSN = "999993653"
BESLUIT = "https://besluiten.example.nl/besluiten/api/v1/besluiten/1"
CONTACTMOMENT = "https://klanten.example.nl/contactmomenten/api/v1/contactmomenten/1"
VERZOEK = "https://klanten.example.nl/verzoeken/api/v1/verzoeken/1"


class Client15:
    """Calls the Zaken API as a 1.5.1 client and records which operations answered."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], spec: Spec) -> None:
        self.client = client
        self.headers = {**headers, **CRS}
        self.spec = spec
        self.answered: dict[str, set[int]] = {}

    async def __call__(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        expect: int = 200,
    ) -> Any:
        path = httpx.URL(url).path.removeprefix(BASE)
        op = self.spec.find(method, path)
        assert op is not None, f"1.5.1 has no {method} {path}"
        if json is not None:
            problems = self.spec.request_errors(op, json)
            assert not problems, f"not a 1.5.1 request for {op.label}:\n" + "\n".join(problems)
        response = await self.client.request(
            method, url, json=json, params=params, headers=self.headers
        )
        assert response.status_code == expect, (op.label, response.text)
        self._check(op, response)
        self.answered.setdefault(op.operation_id, set()).add(response.status_code)
        return response.json() if response.content else None

    def _check(self, op: Any, response: httpx.Response) -> None:
        """The answer is one 1.5.1 documents for this operation and status."""
        key = self.spec._response_key(op, response.status_code)
        assert key is not None, f"{op.label}: 1.5.1 documents no {response.status_code}"
        documented = op.node / "responses" / key
        if response.request.method == "HEAD" or "content" not in documented:
            assert not response.content or response.request.method == "HEAD"
            return
        schema = documented / "content" / "application/json" / "schema"
        problems = self.spec.schema_errors(
            (op.operation_id, key, "application/json"), schema, response.json()
        )
        assert not problems, f"{op.label} -> {response.status_code} invalid for 1.5.1:\n" + (
            "\n".join(problems)
        )


@pytest.fixture
def spec_151() -> Spec:
    if not (specs_dir() / ZAKEN_1_5).is_file():
        pytest.skip(f"the Zaken 1.5.1 specification is not at {specs_dir() / ZAKEN_1_5}")
    return load(ZAKEN_1_5)


class Catalogue:
    """A published zaaktype with what a 1.5 client's zaak needs of it."""

    zaaktype: cm.ZaakType
    ontvangen: cm.StatusType
    afgehandeld: cm.StatusType
    initiator: cm.RolType
    resultaattype: cm.ResultaatType
    eigenschap: cm.Eigenschap
    document: str  # of our Documenten register, of an informatieobjecttype of the zaaktype

    async def create(self, database: Database) -> Catalogue:
        self.zaaktype = await cf.create_zaaktype(database, concept=False)
        self.ontvangen = await cf.create_statustype(database, self.zaaktype, volgnummer=1)
        self.afgehandeld = await cf.create_statustype(
            database, self.zaaktype, volgnummer=2, omschrijving="Afgehandeld"
        )
        self.initiator = await cf.create_roltype(database, self.zaaktype)
        self.resultaattype = await cf.create_resultaattype(database, self.zaaktype)
        self.eigenschap = await cf.create_eigenschap(database, self.zaaktype)
        return self


async def _register_and_follow(call: Client15, c: Catalogue) -> dict[str, Any]:
    """What a form (Open Formulieren) and the citizen portal (Open Inwoner) do: register a
    zaak with its initiator and first status, then find it by BSN and read it."""
    zaak = await call(
        "POST",
        f"{BASE}/zaken",
        json={
            "bronorganisatie": RSIN,
            "zaaktype": cf.url(c.zaaktype),
            "verantwoordelijkeOrganisatie": RSIN,
            "startdatum": "2024-03-01",
            "omschrijving": "Aanvraag via een 1.5-client",
            "kenmerken": [{"kenmerk": "OF-123", "bron": "Open Formulieren"}],
        },
        expect=201,
    )
    rol = await call(
        "POST",
        f"{BASE}/rollen",
        json={
            "zaak": zaak["url"],
            "roltype": cf.url(c.initiator),
            "betrokkeneType": "natuurlijk_persoon",
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": BSN, "geslachtsnaam": "Jansen"},
        },
        expect=201,
    )
    status = await call(
        "POST",
        f"{BASE}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": cf.url(c.ontvangen),
            "datumStatusGezet": "2024-03-01T09:00:00Z",
            "statustoelichting": "Ontvangen",
            "gezetdoor": rol["url"],
        },
        expect=201,
    )
    by_bsn = {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN}
    listed = await call("GET", f"{BASE}/zaken", params={**by_bsn, "expand": "status,rollen"})
    assert [z["url"] for z in listed["results"]] == [zaak["url"]]
    found = await call("POST", f"{BASE}/zaken/_zoek", json={**by_bsn, "expand": "zaaktype"})
    assert found["results"][0]["_expand"]["zaaktype"]["url"] == cf.url(c.zaaktype)
    read = await call("GET", zaak["url"], params={"expand": "status.statustype"})
    assert read["status"] == status["url"]
    await call("HEAD", zaak["url"])
    statussen = await call("GET", f"{BASE}/statussen", params={"zaak": zaak["url"]})
    assert [s["url"] for s in statussen["results"]] == [status["url"]]
    assert (await call("GET", status["url"]))["gezetdoor"] == rol["url"]
    await call("HEAD", status["url"])
    rollen = await call("GET", f"{BASE}/rollen", params={"zaak": zaak["url"]})
    assert [r["url"] for r in rollen["results"]] == [rol["url"]]
    assert (await call("GET", rol["url"]))["statussen"] == [status["url"]]
    await call("HEAD", rol["url"])
    return zaak


async def _handle(call: Client15, c: Catalogue, zaak: dict[str, Any]) -> None:
    """What a case handling system (GZAC) does: change the zaak, relate objects, documents,
    properties, besluiten, contactmomenten and verzoeken, and close it with a resultaat."""
    url = zaak["url"]
    whole = {
        "bronorganisatie": RSIN,
        "zaaktype": cf.url(c.zaaktype),
        "verantwoordelijkeOrganisatie": RSIN,
        "startdatum": "2024-03-01",
        "omschrijving": "In behandeling genomen",
    }
    assert (await call("PUT", url, json=whole))["omschrijving"] == "In behandeling genomen"
    patched = await call("PATCH", url, json={"toelichting": "Aanvullende stukken gevraagd"})
    assert patched["toelichting"] == "Aanvullende stukken gevraagd"

    # a zaakobject as 1.5 describes a terrein/gebouwd object: with its oaoIdentificatie
    adres = {
        "oaoIdentificatie": "0363200000218908",
        "wplWoonplaatsNaam": "Amsterdam",
        "gorOpenbareRuimteNaam": "Dam",
        "aoaHuisnummer": 1,
    }
    zaakobject = await call(
        "POST",
        f"{BASE}/zaakobjecten",
        json={
            "zaak": url,
            "objectType": "terrein_gebouwd_object",
            "relatieomschrijving": "Het pand",
            "objectIdentificatie": {
                "identificatie": "0363100012345678",
                "adresAanduidingGrp": adres,
            },
        },
        expect=201,
    )
    stored = zaakobject["objectIdentificatie"]["adresAanduidingGrp"]
    assert {name: stored[name] for name in adres} == adres
    listed = await call("GET", f"{BASE}/zaakobjecten", params={"zaak": url})
    assert [o["url"] for o in listed["results"]] == [zaakobject["url"]]
    await call("GET", zaakobject["url"])
    await call("HEAD", zaakobject["url"])
    replaced = {
        "zaak": url,
        "objectType": "terrein_gebouwd_object",
        "relatieomschrijving": "Het pand op de hoek",
        "objectIdentificatie": {
            "identificatie": "0363100012345678",
            "adresAanduidingGrp": {**adres, "aoaHuisletter": "A"},
        },
    }
    updated = await call("PUT", zaakobject["url"], json=replaced)
    assert updated["objectIdentificatie"]["adresAanduidingGrp"]["aoaHuisletter"] == "A"
    await call("PATCH", zaakobject["url"], json={"relatieomschrijving": "Het pand"})

    zio = await call(
        "POST",
        f"{BASE}/zaakinformatieobjecten",
        json={"zaak": url, "informatieobject": c.document, "titel": "Aanvraagformulier"},
        expect=201,
    )
    assert [z["url"] for z in await call("GET", f"{BASE}/zaakinformatieobjecten")] == [zio["url"]]
    await call("GET", zio["url"])
    await call("HEAD", zio["url"])
    await call(
        "PUT",
        zio["url"],
        json={"zaak": url, "informatieobject": c.document, "titel": "Aanvraag", "beschrijving": ""},
    )
    await call("PATCH", zio["url"], json={"beschrijving": "Het ingevulde formulier"})

    eigenschappen = f"{url}/zaakeigenschappen"
    eigenschap = {"zaak": url, "eigenschap": cf.url(c.eigenschap), "waarde": "AB-123-C"}
    zaakeigenschap = await call("POST", eigenschappen, json=eigenschap, expect=201)
    assert [e["url"] for e in await call("GET", eigenschappen)] == [zaakeigenschap["url"]]
    await call("GET", zaakeigenschap["url"])
    await call("HEAD", zaakeigenschap["url"])
    await call("PUT", zaakeigenschap["url"], json={**eigenschap, "waarde": "XY-987-Z"})
    assert (await call("PATCH", zaakeigenschap["url"], json={"waarde": "XY-987-A"}))[
        "waarde"
    ] == "XY-987-A"

    besluiten = f"{url}/besluiten"
    zaakbesluit = await call("POST", besluiten, json={"besluit": BESLUIT}, expect=201)
    assert [b["url"] for b in await call("GET", besluiten)] == [zaakbesluit["url"]]
    await call("GET", zaakbesluit["url"])

    klantcontact = await call(
        "POST",
        f"{BASE}/klantcontacten",
        json={"zaak": url, "datumtijd": "2024-03-02T10:00:00Z", "kanaal": "telefoon"},
        expect=201,
    )
    assert [k["url"] for k in (await call("GET", f"{BASE}/klantcontacten"))["results"]] == [
        klantcontact["url"]
    ]
    await call("GET", klantcontact["url"])

    for collection, field, ref in (
        ("zaakcontactmomenten", "contactmoment", CONTACTMOMENT),
        ("zaakverzoeken", "verzoek", VERZOEK),
    ):
        link = await call(
            "POST", f"{BASE}/{collection}", json={"zaak": url, field: ref}, expect=201
        )
        assert [x["url"] for x in await call("GET", f"{BASE}/{collection}")] == [link["url"]]
        await call("GET", link["url"])

    resultaat_body = {"zaak": url, "resultaattype": cf.url(c.resultaattype), "toelichting": ""}
    resultaat = await call("POST", f"{BASE}/resultaten", json=resultaat_body, expect=201)
    assert [r["url"] for r in (await call("GET", f"{BASE}/resultaten"))["results"]] == [
        resultaat["url"]
    ]
    await call("GET", resultaat["url"])
    await call("HEAD", resultaat["url"])
    await call("PUT", resultaat["url"], json={**resultaat_body, "toelichting": "Verleend"})
    await call("PATCH", resultaat["url"], json={"toelichting": "Vergunning verleend"})
    closed = await call(
        "POST",
        f"{BASE}/statussen",
        json={
            "zaak": url,
            "statustype": cf.url(c.afgehandeld),
            "datumStatusGezet": "2024-03-20T15:00:00Z",
        },
        expect=201,
    )
    assert (await call("GET", url))["einddatum"] == "2024-03-20"
    assert (await call("GET", closed["url"]))["indicatieLaatstGezetteStatus"] is True

    trail = await call("GET", f"{url}/audittrail")
    assert {entry["resource"] for entry in trail} >= {"zaak", "status", "rol", "resultaat"}
    await call("GET", f"{url}/audittrail/{trail[0]['uuid']}")


async def _clean_up(call: Client15, zaak: dict[str, Any]) -> None:
    """Removing what was related, and the zaak itself (with zaken.verwijderen)."""
    url = zaak["url"]
    removable = [
        *(z["url"] for z in await call("GET", f"{BASE}/zaakinformatieobjecten")),
        *(e["url"] for e in await call("GET", f"{url}/zaakeigenschappen")),
        *(b["url"] for b in await call("GET", f"{url}/besluiten")),
        *(x["url"] for x in await call("GET", f"{BASE}/zaakcontactmomenten")),
        *(x["url"] for x in await call("GET", f"{BASE}/zaakverzoeken")),
        *(o["url"] for o in (await call("GET", f"{BASE}/zaakobjecten"))["results"]),
        *(r["url"] for r in (await call("GET", f"{BASE}/resultaten"))["results"]),
        *(r["url"] for r in (await call("GET", f"{BASE}/rollen"))["results"]),
    ]
    for item in removable:
        await call("DELETE", item, expect=204)
    await call("DELETE", url, expect=204)
    gone = await call("GET", f"{BASE}/zaken")
    assert gone["count"] == 0


async def test_every_1_5_1_operation_answers_a_1_5_client_validly(
    client, superuser, database, spec_151
):
    call = Client15(client, superuser, spec_151)
    catalogue = await Catalogue().create(database)
    [catalogue.document] = await df.linkable_documents(
        client, superuser, database, zaaktype=catalogue.zaaktype
    )
    zaak = await _register_and_follow(call, catalogue)
    await _handle(call, catalogue, zaak)
    await _clean_up(call, zaak)
    every = {op.operation_id for op in spec_151.operations}
    assert len(every) == 62
    assert sorted(every - set(call.answered)) == []
    assert all(any(200 <= s < 300 for s in statuses) for statuses in call.answered.values())


async def test_a_1_5_client_reads_zaken_written_by_1_7_clients(
    client, superuser, database, spec_151
):
    """Zaken another (1.7) client registered, with the attributes 1.7 added, read back by a
    1.5 client: every answer is one 1.5.1 allows."""
    catalogue = await Catalogue().create(database)
    zaak = await f.create_zaak(
        database,
        catalogue.zaaktype,
        processobjectaard="parkeervergunning",
        startdatum_bewaartermijn=dt.date(2030, 1, 1),
        processobject={
            "datumkenmerk": "einddatum",
            "identificatie": "PV-1",
            "objecttype": "parkeervergunning",
            "registratie": "PV",
        },
    )
    await f.create_rol(database, zaak, catalogue.initiator, BSN)
    await f.create_status(database, zaak, catalogue.ontvangen)
    call = Client15(client, superuser, spec_151)
    by_bsn = {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": BSN}
    listed = await call("GET", f"{BASE}/zaken", params={**by_bsn, "expand": "rollen,status"})
    assert [z["url"] for z in listed["results"]] == [f.url(zaak)]
    assert listed["results"][0]["processobjectaard"] == "parkeervergunning"
    await call("GET", f.url(zaak), params={"expand": "zaaktype,status.statustype"})
