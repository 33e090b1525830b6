"""Black-box tests of the Autorisaties API and of ZGW JWT authentication."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from mijnzaken.core.outbox import OutboxMessage
from tests.conftest import make_token

ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"


def applicatie(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "clientIds": ["portaal"],
        "label": "Portaal",
        "heeftAlleAutorisaties": False,
        "autorisaties": [
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": ZAAKTYPE,
                "maxVertrouwelijkheidaanduiding": "beperkt_openbaar",
            }
        ],
    }
    body.update(over)
    return body


async def test_create_and_read_applicatie(client, superuser):
    resp = await client.post(
        "/autorisaties/api/v1/applicaties", json=applicatie(), headers=superuser
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["clientIds"] == ["portaal"]
    assert body["autorisaties"][0]["componentWeergave"] == "Zaken API"
    assert resp.headers["api-version"] == "1.1.0"
    again = await client.get(body["url"], headers=superuser)
    assert again.json() == body
    consumer = await client.get(
        "/autorisaties/api/v1/applicaties/consumer",
        params={"clientId": "portaal"},
        headers=superuser,
    )
    assert consumer.json()["url"] == body["url"]


async def test_ac_001_client_id_unique(client, superuser):
    await client.post("/autorisaties/api/v1/applicaties", json=applicatie(), headers=superuser)
    resp = await client.post(
        "/autorisaties/api/v1/applicaties", json=applicatie(label="Ander"), headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "clientId-exists"


async def test_ac_002_all_or_some_autorisaties(client, superuser):
    both = applicatie(heeftAlleAutorisaties=True)
    resp = await client.post("/autorisaties/api/v1/applicaties", json=both, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "ambiguous-authorizations-specified"
    neither = applicatie(autorisaties=[])
    resp = await client.post("/autorisaties/api/v1/applicaties", json=neither, headers=superuser)
    assert resp.json()["invalidParams"][0]["code"] == "missing-authorizations"


async def test_ac_003_required_fields_per_component(client, superuser):
    body = applicatie(autorisaties=[{"component": "zrc", "scopes": ["zaken.lezen"]}])
    resp = await client.post("/autorisaties/api/v1/applicaties", json=body, headers=superuser)
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalidParams"]}
    assert names == {"autorisaties.0.zaaktype", "autorisaties.0.maxVertrouwelijkheidaanduiding"}


async def test_patch_null_label_is_rejected_not_500(client, superuser):
    created = (
        await client.post("/autorisaties/api/v1/applicaties", json=applicatie(), headers=superuser)
    ).json()
    resp = await client.patch(created["url"], json={"label": None}, headers=superuser)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "label"


async def test_changes_write_notifications_to_outbox(client, superuser, database):
    created = (
        await client.post("/autorisaties/api/v1/applicaties", json=applicatie(), headers=superuser)
    ).json()
    await client.delete(created["url"], headers=superuser)
    async with database.transaction() as session:
        rows = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [r.payload["actie"] for r in rows] == ["create", "destroy"]
    assert {r.kanaal for r in rows} == {"autorisaties"}


async def test_failed_create_leaves_no_outbox_row(client, superuser, database):
    await client.post(
        "/autorisaties/api/v1/applicaties", json=applicatie(autorisaties=[]), headers=superuser
    )
    async with database.transaction() as session:
        assert (await session.execute(select(OutboxMessage))).first() is None


async def test_unknown_query_parameter_is_400(client, superuser):
    resp = await client.get(
        "/autorisaties/api/v1/applicaties", params={"foo": "bar"}, headers=superuser
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "unknown-parameters"


# --- authentication -----------------------------------------------------------------------


async def test_no_token_is_401(client):
    resp = await client.get("/autorisaties/api/v1/applicaties")
    assert resp.status_code == 401
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["code"] == "not_authenticated"


async def test_wrong_secret_is_401(client, register):
    await register("c1", "goed", alle=True)
    headers = {"Authorization": f"Bearer {make_token('c1', 'fout')}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 401


async def test_alg_none_is_401(client, register):
    await register("c1", "goed", alle=True)
    token = jwt.encode({"client_id": "c1", "iat": int(time.time())}, None, algorithm="none")
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 401


async def test_unknown_client_is_401(client):
    headers = {"Authorization": f"Bearer {make_token('niemand', 'x')}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 401


@pytest.mark.parametrize("iat_offset", [-7200, 3600])
async def test_old_or_future_token_is_401(client, register, iat_offset):
    await register("c1", "goed", alle=True)
    token = make_token("c1", "goed", iat=int(time.time()) + iat_offset)
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 401


async def test_expired_exp_is_401(client, register):
    await register("c1", "goed", alle=True)
    token = make_token("c1", "goed", exp=int(time.time()) - 3600)
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 401


async def test_missing_scope_is_403(client, register):
    headers = await register(
        "c1", "goed", autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen"]}]
    )
    resp = await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    assert resp.status_code == 403
    assert resp.json()["code"] == "permission_denied"


async def test_secret_without_applicatie_has_no_rights_until_created(client, register, superuser):
    headers = await register("later", "geheim", applicatie=False)
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 403
    body = applicatie(
        clientIds=["later"], autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}]
    )
    resp = await client.post("/autorisaties/api/v1/applicaties", json=body, headers=superuser)
    assert resp.status_code == 201
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 200


# A client sends one token with many requests: what was checked of it once must not outlive a
# change of its secret, its rights or its validity.


async def test_a_token_that_worked_fails_at_once_when_its_secret_is_rotated(
    client, register, database
):
    from mijnzaken.autorisaties import service

    headers = await register("c1", "oud", alle=True)
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 200
    async with database.transaction() as session:
        await service.set_secret(session, "c1", "nieuw")
    resp = await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    assert resp.status_code == 401
    assert resp.json()["detail"] == "De handtekening van de token is ongeldig."
    assert (
        await client.get(
            "/autorisaties/api/v1/applicaties",
            headers={"Authorization": f"Bearer {make_token('c1', 'nieuw')}"},
        )
    ).status_code == 200


async def test_a_token_that_worked_fails_once_its_exp_has_passed(client, register):
    await register("c1", "goed", alle=True)
    leeway = 30  # the settings' default
    # valid for one to two more seconds, counting the leeway
    exp = int(time.time()) + 2 - leeway
    headers = {"Authorization": f"Bearer {make_token('c1', 'goed', exp=exp)}"}
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 200
    time.sleep(max(0.0, exp + leeway - time.time()) + 0.05)
    resp = await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    assert resp.status_code == 401
    assert resp.json()["detail"] == "De token is verlopen."


async def test_a_token_that_worked_loses_a_right_at_once_when_it_is_revoked(
    client, register, superuser
):
    headers = await register(
        "c1", "goed", autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}]
    )
    listed = await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    assert listed.status_code == 200
    [mine] = [a for a in listed.json()["results"] if a["clientIds"] == ["c1"]]
    changed = {**mine, "autorisaties": [{"component": "ztc", "scopes": ["catalogi.lezen"]}]}
    resp = await client.put(mine["url"], json=changed, headers=superuser)
    assert resp.status_code == 200, resp.text
    assert (
        await client.get("/autorisaties/api/v1/applicaties", headers=headers)
    ).status_code == 403
