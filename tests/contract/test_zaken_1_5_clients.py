"""Clients written for Zaken API 1.5.1 (what Open Formulieren, Open Inwoner, KISS and GZAC speak
today) keep working: the requests they send are accepted, and what we answer is valid against
the 1.5.1 specification as well as against 1.7.0."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.catalogi import factories as cf
from tests.contract.spec import Spec, specs_dir
from tests.zaken import factories as f

BASE = "/zaken/api/v1"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


@pytest.fixture(scope="module")
def spec_151() -> Spec:
    path = specs_dir() / "zaken" / "1.5.1" / "openapi.yaml"
    if not path.is_file():
        pytest.skip(f"the Zaken 1.5.1 specification is not at {path}")
    return Spec(path)


def assert_valid_151(spec: Spec, response: httpx.Response) -> None:
    """The response is one the 1.5.1 specification allows for this operation and status."""
    sub_path = response.request.url.path.removeprefix(BASE)
    op = spec.find(response.request.method, sub_path)
    assert op is not None, f"1.5.1 has no {response.request.method} {sub_path}"
    key = spec._response_key(op, response.status_code)
    assert key is not None, f"{op.label}: 1.5.1 documents no status {response.status_code}"
    schema = op.node / "responses" / key / "content" / "application/json" / "schema"
    problems = spec.schema_errors(("1.5.1", op.operation_id, key), schema, response.json())
    assert not problems, f"{op.label} -> {response.status_code} invalid for 1.5.1:\n" + "\n".join(
        problems
    )


async def test_a_zaak_registered_and_read_as_a_1_5_client_does(
    client: httpx.AsyncClient, superuser: dict[str, str], database: Any, spec_151: Spec
) -> None:
    zaaktype = await f.published_zaaktype(database)
    h = {**superuser, **CRS}
    created = await client.post(
        f"{BASE}/zaken",
        headers=h,
        json={
            "bronorganisatie": "002220647",
            "zaaktype": cf.url(zaaktype),
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2024-03-01",
            "omschrijving": "Aanvraag via een 1.5-client",
        },
    )
    assert created.status_code == 201, created.text
    assert_valid_151(spec_151, created)
    zaak = created.json()

    statustypen = (
        await client.get(
            "/catalogi/api/v1/statustypen", headers=superuser, params={"zaaktype": cf.url(zaaktype)}
        )
    ).json()["results"]
    roltypen = (
        await client.get(
            "/catalogi/api/v1/roltypen", headers=superuser, params={"zaaktype": cf.url(zaaktype)}
        )
    ).json()["results"]
    status = await client.post(
        f"{BASE}/statussen",
        headers=superuser,
        json={
            "zaak": zaak["url"],
            "statustype": statustypen[0]["url"],
            "datumStatusGezet": "2024-03-01T09:00:00Z",
            "statustoelichting": "Ontvangen",
        },
    )
    assert status.status_code == 201, status.text
    rol = await client.post(
        f"{BASE}/rollen",
        headers=superuser,
        json={
            "zaak": zaak["url"],
            "roltype": roltypen[0]["url"],
            "betrokkeneType": "natuurlijk_persoon",
            "roltoelichting": "Aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": "999993653", "geslachtsnaam": "Jansen"},
        },
    )
    assert rol.status_code == 201, rol.text
    assert_valid_151(spec_151, rol)

    for response in (
        await client.get(zaak["url"], headers=h),
        await client.get(
            f"{BASE}/zaken",
            headers=h,
            params={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "999993653"},
        ),
        await client.get(f"{BASE}/statussen", headers=superuser, params={"zaak": zaak["url"]}),
        await client.get(f"{BASE}/rollen", headers=superuser, params={"zaak": zaak["url"]}),
        await client.get(status.json()["url"], headers=superuser),
        await client.get(rol.json()["url"], headers=superuser),
    ):
        assert response.status_code == 200, response.text
        assert_valid_151(spec_151, response)
    listed = (
        await client.get(
            f"{BASE}/zaken",
            headers=h,
            params={"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "999993653"},
        )
    ).json()
    assert [z["url"] for z in listed["results"]] == [zaak["url"]]
