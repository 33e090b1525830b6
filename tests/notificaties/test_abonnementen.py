"""ABONNEMENT: subscribing checks the kanalen, the filters and the callback URL (which must
receive a test notificatie, and must not point into our own network)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.notificaties.factories import API, abonnement_body, consumer, publisher, subscribe

pytestmark = pytest.mark.usefixtures("kanalen")

FILTERS = {"zaaktype": "*", "bronorganisatie": "002220647", "vertrouwelijkheidaanduiding": "*"}


async def test_subscribe_sends_a_test_notificatie_with_the_auth_header_and_hides_auth(
    client, register, receiver
):
    con = await consumer(register)
    created = await client.post(
        f"{API}/abonnement",
        json=abonnement_body(
            f"{receiver.url}/callback", [{"naam": "zaken", "filters": FILTERS}], auth="Bearer s3"
        ),
        headers=con,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert "auth" not in body
    assert body["callbackUrl"] == f"{receiver.url}/callback"
    assert body["kanalen"] == [{"naam": "zaken", "filters": FILTERS}]
    assert body["sendCloudevents"] is False
    [test] = receiver.received
    assert test.path == "/callback"
    assert test.headers["Authorization"] == "Bearer s3"
    assert test.json()["kanaal"] == "test"

    assert (await client.get(body["url"], headers=con)).json() == body
    assert [a["url"] for a in (await client.get(f"{API}/abonnement", headers=con)).json()] == [
        body["url"]
    ]


async def test_unknown_kanaal_is_refused(client, register, receiver):
    con = await consumer(register)
    resp = await client.post(
        f"{API}/abonnement",
        json=abonnement_body(receiver.url, [{"naam": "zaken"}, {"naam": "bestaat-niet"}]),
        headers=con,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"] == [
        {
            "name": "kanalen.1.naam",
            "code": "kanaal_naam",
            "reason": resp.json()["invalidParams"][0]["reason"],
        }
    ]
    assert receiver.received == []


async def test_filters_that_do_not_fit_the_kanaal_are_refused(client, register, receiver):
    con = await consumer(register)
    resp = await client.post(
        f"{API}/abonnement",
        json=abonnement_body(
            receiver.url, [{"naam": "zaken", "filters": {"zaaktype": "*", "kleur": "rood"}}]
        ),
        headers=con,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "inconsistent-abonnement-filters"


async def test_callback_that_does_not_accept_the_test_notificatie_is_refused(
    client, register, receiver
):
    receiver.status = 401
    con = await consumer(register)
    resp = await client.post(f"{API}/abonnement", json=abonnement_body(receiver.url), headers=con)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0] == {
        "name": "callbackUrl",
        "code": "invalid-callback-url",
        "reason": "De opgegeven callback URL kan geen notificaties ontvangen.",
    }


@pytest.mark.parametrize(
    ("callback", "code"),
    [
        ("http://169.254.169.254/latest/meta-data/", "forbidden-address"),
        ("http://[fe80::1]/hook", "forbidden-address"),
        ("http://[::ffff:169.254.169.254]/hook", "forbidden-address"),
        ("http://100.100.100.200/hook", "forbidden-address"),
        ("ftp://example.nl/hook", "invalid"),
        ("file:///etc/passwd", "invalid"),
    ],
)
async def test_callback_into_forbidden_addresses_is_refused_with_a_clear_400(
    client, register, callback, code
):
    con = await consumer(register)
    resp = await client.post(f"{API}/abonnement", json=abonnement_body(callback), headers=con)
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["name"] == "callbackUrl"
    assert resp.json()["invalidParams"][0]["code"] == code


async def test_loopback_and_private_callbacks_need_allow_private(
    client, register, receiver, nrc_settings, app
):
    app.state.runtime.settings = nrc_settings.model_copy(update={"outbound_allow_private": False})
    for mounted in app.routes:
        sub = getattr(mounted, "app", None)
        if sub is not None and hasattr(sub, "state"):
            sub.state.runtime = app.state.runtime
    con = await consumer(register)
    for callback in (receiver.url, "http://10.1.2.3/hook", "http://localhost:1/hook"):
        resp = await client.post(f"{API}/abonnement", json=abonnement_body(callback), headers=con)
        assert resp.status_code == 400, callback
        assert resp.json()["invalidParams"][0]["code"] == "forbidden-address"
    assert receiver.received == []


async def test_put_patch_and_delete(client, register, receiver):
    con = await consumer(register)
    created = await subscribe(client, con, f"{receiver.url}/a")
    replaced = await client.put(
        created["url"],
        json=abonnement_body(
            f"{receiver.url}/b", [{"naam": "zaken", "filters": FILTERS}], auth="Bearer new"
        ),
        headers=con,
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["callbackUrl"] == f"{receiver.url}/b"
    assert receiver.received[-1].headers["Authorization"] == "Bearer new"

    patched = await client.patch(
        created["url"], json={"kanalen": [{"naam": "zaaktypen"}]}, headers=con
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["kanalen"] == [{"naam": "zaaktypen", "filters": {}}]
    assert patched.json()["callbackUrl"] == f"{receiver.url}/b"

    assert (await client.delete(created["url"], headers=con)).status_code == 204
    assert (await client.get(created["url"], headers=con)).status_code == 404


async def test_another_client_cannot_change_or_cancel_an_abonnement(client, register, receiver):
    owner = await consumer(register, "eigenaar")
    other = await consumer(register, "ander")
    created = await subscribe(client, owner, receiver.url)
    hijack = abonnement_body("http://127.0.0.1:1/elders")
    assert (await client.put(created["url"], json=hijack, headers=other)).status_code == 403
    assert (await client.delete(created["url"], headers=other)).status_code == 403
    assert (await client.get(created["url"], headers=other)).status_code == 200


async def test_publisher_may_read_but_not_subscribe(client, register, receiver):
    pub = await publisher(register)
    assert (await client.get(f"{API}/abonnement", headers=pub)).status_code == 200
    resp = await client.post(f"{API}/abonnement", json=abonnement_body(receiver.url), headers=pub)
    assert resp.status_code == 403


async def test_abonnement_list_costs_the_same_number_of_queries_whatever_it_holds(
    client, register, receiver, database
):
    con = await consumer(register)

    async def count() -> int:
        statements: list[str] = []

        def before(_conn, _cursor, statement, *_args):
            statements.append(statement)

        engine = database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            assert (await client.get(f"{API}/abonnement", headers=con)).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    await subscribe(client, con, receiver.url)
    one = await count()
    for _ in range(4):
        await subscribe(
            client, con, receiver.url, kanalen=[{"naam": "zaken"}, {"naam": "besluiten"}]
        )
    assert await count() == one
