"""Comparing a register's lean retrieves (ADR 0023) with its declared routes.

A register that serves lean retrieves is compared with itself: the app as it runs and the
same app whose register sends every request through its router. A matrix of requests goes
to both; each answer must be the same (status, the raw header list, the body) and leave the
same processing-log entries."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from sqlalchemy import text
from starlette.routing import Mount

from mijnzaken.app import create_app
from mijnzaken.core.api import LeanDispatch
from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.verwerkingen import schrijver
from tests.conftest import BASE, make_token

# an error's `instance` is a fresh URN per answer
INSTANCE = re.compile(rb'"instance":"urn:uuid:[0-9a-f-]{36}"')
# what differs between two entries of the same read: identities, times and the chain
VOLATILE = {
    "id",
    "actie_id",
    "actie_versie_id",
    "uuid",
    "tijdstip",
    "tijdstip_registratie",
    "bewaar_tot",
    "inhoud_hash",
    "volgnummer",
    "keten_hash",
    "verwerking_id",
    "trace_id",
    "operation_id",
}

# (method, path, headers) of one request of a matrix
Request = tuple[str, str, dict[str, str]]


async def refused_callers(
    register: Any, client_id: str, secret: str
) -> list[tuple[int, dict[str, str]]]:
    """(status, headers) of the callers every retrieve refuses, whatever it reads: no token,
    not a JWT, another scheme, a token of `client_id` (registered with `secret`) signed with
    another secret, an unknown client id and an expired token (401), and a client id the
    register knows but no applicatie lists (403). `register` is the tests' fixture."""

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    zonder_applicatie = await register("los", "geheim-los", applicatie=False)
    return [
        (401, {}),
        (401, bearer("geen-jwt")),
        (401, {"Authorization": "Basic dXNlcjpwYXNz"}),
        (401, bearer(make_token(client_id, "niet-het-geheim"))),
        (401, bearer(make_token("onbekend", "x"))),
        (401, bearer(make_token(client_id, secret, iat=1))),
        (403, zonder_applicatie),
    ]


def register_of(app: Any, base: str) -> Any:
    """The register app mounted at `base` (e.g. "/zaken/api/v1") in `app`."""
    for route in app.routes:
        if isinstance(route, Mount) and route.path == base:
            return route.app
    raise AssertionError(f"no register mounted at {base}")


def dispatch_of(app: Any, base: str) -> LeanDispatch:
    """The lean dispatch at the head of the router of the register at `base`."""
    stack = register_of(app, base).router.middleware_stack
    assert isinstance(stack, LeanDispatch), stack
    return stack


@asynccontextmanager
async def lean_and_routed(
    settings: Settings, database: Database, base: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """A client of the app as it runs (lean retrieves) and one of the same app whose register
    at `base` sends every request through its router (the declared routes only), with the
    processing log's writer running as in a serving process."""
    lean, ordinary = create_app(settings, database), create_app(settings, database)
    register_of(ordinary, base).router.middleware_stack = dispatch_of(ordinary, base).app
    async with (
        schrijver.running(database),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=lean), base_url=BASE) as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=ordinary), base_url=BASE) as b,
    ):
        yield a, b


@contextmanager
def routed(app: Any, base: str) -> Iterator[list[str]]:
    """The requests ("METHOD path") that reach the router of the register at `base` inside
    the block: those no lean route took."""
    dispatch = dispatch_of(app, base)
    router = dispatch.app
    seen: list[str] = []

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        seen.append(f"{scope['method']} {scope['path']}")
        await router(scope, receive, send)

    dispatch.app = spy
    try:
        yield seen
    finally:
        dispatch.app = router


async def log_rows(database: Database) -> list[dict[str, Any]]:
    """The processing log's entries with their objects, oldest first, without what differs
    between two entries of the same read."""
    async with database.engine.connect() as conn:
        acties = (
            (await conn.execute(text("SELECT * FROM verwerkingen_verwerkingsactie ORDER BY id")))
            .mappings()
            .all()
        )
        objecten = (
            (
                await conn.execute(
                    text(
                        "SELECT * FROM verwerkingen_verwerktobject"
                        " ORDER BY actie_versie_id, volgorde"
                    )
                )
            )
            .mappings()
            .all()
        )
    out = []
    for actie in acties:
        row = {k: v for k, v in actie.items() if k not in VOLATILE}
        row["objecten"] = [
            {k: v for k, v in o.items() if k not in VOLATILE}
            for o in objecten
            if o["actie_versie_id"] == actie["id"]
        ]
        out.append(row)
    return out


def same_answer(lean: httpx.Response, ordinary: httpx.Response) -> None:
    assert lean.status_code == ordinary.status_code, (lean.text, ordinary.text)
    # the raw header list: names, values and order (Content-Length included)
    assert lean.headers.raw == ordinary.headers.raw
    # an error's `instance` is a fresh URN per answer: the same length, another value
    assert INSTANCE.sub(b"", lean.content) == INSTANCE.sub(b"", ordinary.content)
    assert lean.content.count(b'"instance"') == ordinary.content.count(b'"instance"')


async def assert_same_answers(
    lean: httpx.AsyncClient,
    ordinary: httpx.AsyncClient,
    database: Database,
    matrix: Sequence[Request],
) -> list[int]:
    """Send each request of `matrix` to the routed app, then to the lean one: the same
    answer and the same processing-log entries. Returns the status codes, in order (for a
    test to check that its matrix reaches what it means to)."""
    statuses = []
    for method, path, headers in matrix:
        before = await log_rows(database)
        reference = await ordinary.request(method, path, headers=headers)
        logged = (await log_rows(database))[len(before) :]
        answer = await lean.request(method, path, headers=headers)
        logged_lean = (await log_rows(database))[len(before) + len(logged) :]
        try:
            same_answer(answer, reference)
        except AssertionError as exc:
            raise AssertionError(f"{method} {path}: {exc}") from exc
        assert logged_lean == logged, (method, path)
        statuses.append(reference.status_code)
    return statuses
