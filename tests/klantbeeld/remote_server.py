"""A second, real MijnZaken for the remote-register tests: its own SQLite database, filled
through its models and services, served by uvicorn in its own process on a free loopback port.

`Remote.requests` holds the request lines of its access log, so a test can count the calls the
klantbeeld made to it. `remote_settings` configures our MijnZaken to read from it, `client_of`
talks to an app configured otherwise than the test's, and `serving` runs a throw-away HTTP
server for a remote that misbehaves in a way a real MijnZaken does not.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from mijnzaken.catalogi import models as cm
from mijnzaken.core.db import Database
from mijnzaken.core.migrate import upgrade
from mijnzaken.core.services import RemoteService
from mijnzaken.core.settings import Settings
from mijnzaken.verwerkingen import schrijver
from tests.conftest import make_token
from tests.documenten import factories as df

CLIENT_ID = "klantbeeld"
SECRET = "klantbeeld-geheim"
_REQUEST = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP')


def closed_port() -> str:
    """The origin of a loopback port nothing listens on: a remote register that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def remote_settings(
    settings: Settings,
    *,
    zaken_api: str | None = None,
    klantinteracties_api: str | None = None,
    documenten_apis: Sequence[str] = (),
) -> Settings:
    """`settings` with the klantbeeld reading its zaken from `zaken_api`, the customer
    register from `klantinteracties_api` and documents from `documenten_apis` (a
    `running_remote`, or an address standing in for one), each with CLIENT_ID's credentials.
    The outbound timeout is the default: the remote is a real process, and on a machine that
    also runs the other database's suite a working remote answered a list after more than
    3 s, which failed a test on something it does not test. A test of a remote that does not
    answer sets its own short timeout."""
    values: dict[str, Any] = {"outbound_timeout": Settings.model_fields["outbound_timeout"].default}
    roots = list(documenten_apis)
    if zaken_api is not None:
        values.update(
            klantbeeld_zaken_api_url=zaken_api,
            klantbeeld_zaken_client_id=CLIENT_ID,
            klantbeeld_zaken_secret=SECRET,
        )
    if klantinteracties_api is not None:
        values["klantbeeld_klantinteracties_api_url"] = klantinteracties_api
        roots.append(klantinteracties_api)
    if roots:
        values["remote_services"] = [
            *settings.remote_services,
            *(RemoteService(api_root=root, client_id=CLIENT_ID, secret=SECRET) for root in roots),
        ]
    return settings.model_copy(update=values)


@asynccontextmanager
async def client_of(app: Any, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `app` (one built with other settings than the `app` fixture's), with the
    processing log's writer running, as in the `client` fixture."""
    transport = httpx.ASGITransport(app=app)
    async with (
        schrijver.running(database),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """A request handler for `serving`: `answer` sends a JSON body; nothing is logged."""

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on a free loopback port that answers with `handler`, in a thread, for
    the length of the block; its origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Remote:
    url: str  # the origin, e.g. http://127.0.0.1:54321
    requests: list[str] = field(default_factory=list)  # "GET /path?query", in order
    database_url: str = ""  # its database, for what its API cannot make

    def since(self, mark: int, *, wait: int) -> list[str]:
        """The requests logged after the first `mark`, once `wait` of them arrived (the access
        log line is written just after the answer)."""
        deadline = time.monotonic() + 5
        while len(self.requests) < mark + wait and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests[mark:]


async def _register_client(database: Database) -> None:
    from mijnzaken.autorisaties import service

    async with database.transaction() as session:
        await service.set_secret(session, CLIENT_ID, SECRET)
        await service.create(
            session,
            {
                "client_ids": [CLIENT_ID],
                "label": "Klantbeeld",
                "heeft_alle_autorisaties": True,
                "autorisaties": [],
                "alleen_is_gereed_voor_publicatie": False,
            },
        )


async def identificaties(database: Database) -> None:
    """The factories fill the searched columns of a rol; the API also shows the
    betrokkeneIdentificatie, which the klantbeeld checks: fill it in for every rol."""
    from sqlalchemy import select

    from mijnzaken.zaken import models as zm

    async with database.transaction() as session:
        for rol in (await session.execute(select(zm.Rol))).scalars():
            if rol.inp_bsn is not None:
                rol.betrokkene_identificatie = {"inpBsn": rol.inp_bsn}
            elif rol.inn_nnp_id is not None:
                rol.betrokkene_identificatie = {"innNnpId": rol.inn_nnp_id}


def document(
    remote: Remote, zaak: str, informatieobjecttype: str, inhoud: bytes | None, **over: Any
) -> str:
    """A document of the informatieobjecttype with uuid `informatieobjecttype`, made through
    the remote's Documenten API and linked to its zaak with uuid `zaak` through its Zaken API
    (`over`: the document's fields); its uuid."""
    headers = {"Authorization": f"Bearer {make_token(CLIENT_ID, SECRET)}"}
    body = df.eio_body(cm.InformatieObjectType(), inhoud=inhoud, **over)
    body["informatieobjecttype"] = (
        f"{remote.url}/catalogi/api/v1/informatieobjecttypen/{informatieobjecttype}"
    )
    created = httpx.post(f"{remote.url}{df.EIO}", json=body, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    link = httpx.post(
        f"{remote.url}/zaken/api/v1/zaakinformatieobjecten",
        json={"zaak": f"{remote.url}/zaken/api/v1/zaken/{zaak}", "informatieobject": url},
        headers=headers,
        timeout=30,
    )
    assert link.status_code == 201, link.text
    return str(url.rsplit("/", 1)[1])


@contextmanager
def running_remote(
    fill: Callable[[Database], Awaitable[object]], **settings: str
) -> Iterator[Remote]:
    """Start a MijnZaken whose database `fill` filled, with a client CLIENT_ID that may read
    everything, and these extra settings (`page_size="5"`); stop it afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/remote.sqlite3"
        upgrade(url)

        async def _fill() -> None:
            database = Database(url)
            try:
                await _register_client(database)
                await fill(database)
                await identificaties(database)
            finally:
                await database.dispose()

        asyncio.run(_fill())
        env = dict(os.environ)
        env.update(
            MIJNZAKEN_DATABASE_URL=url,
            MIJNZAKEN_DISPATCHER="false",
            MIJNZAKEN_DEMO="false",
        )
        env.update({f"MIJNZAKEN_{k.upper()}": v for k, v in settings.items()})
        env.pop("MIJNZAKEN_BASE_URL", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-W",
                "ignore",
                "-m",
                "uvicorn",
                "mijnzaken.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        reader: threading.Thread | None = None
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + 60
            origin = None
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                if not line and proc.poll() is not None:
                    break
                found = re.search(r"Uvicorn running on (http://[\d.]+:\d+)", line)
                if found:
                    origin = found.group(1)
                    break
            assert origin, "the remote MijnZaken did not start"
            remote = Remote(origin, database_url=url)
            stream = proc.stdout

            def _read() -> None:  # keeps the pipe drained and records the access log
                for line in stream:
                    hit = _REQUEST.search(line)
                    if hit:
                        remote.requests.append(f"{hit.group(1)} {hit.group(2)}")

            reader = threading.Thread(target=_read, daemon=True)
            reader.start()
            yield remote
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            if reader is not None:
                reader.join(timeout=5)
            if proc.stdout is not None:
                proc.stdout.close()
