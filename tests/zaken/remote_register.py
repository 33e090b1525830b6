"""A real HTTP listener for the zrc-024/025 tests that answers like the objectverzoeken and
objectcontactmomenten resources of a Verzoeken and a Contactmomenten API: list with the
`object` / `verzoek` / `contactmoment` filters, create (201 with a url), delete (204, or 404
for an unknown object). For the brc-006 tests it also plays a Zaken and a Catalogi API: the
resources a test publishes (a zaak, its zaaktype, ...) are answered as they are, and each such
zaak has its `/besluiten` (list as a plain array, create, delete). It records every request
(method, path, query, headers, body), can be stopped and started again on the same port (a
remote that is down, then up), and can be told to store a POST but answer it with 500 (a lost
answer).

`mirror_step` and `mirror_jobs` drive and show the mirror jobs (zaken/spiegeling.py) that
talk to it."""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from sqlalchemy import select

from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.zaken.models import Spiegeling
from mijnzaken.zaken.spiegeling import Spiegelaar

COLLECTIONS = {
    "/verzoeken/api/v1/objectverzoeken": "verzoek",
    "/contactmomenten/api/v1/objectcontactmomenten": "contactmoment",
}
ZAKEN = "/zaken/api/v1/zaken/"
ZAAKBESLUITEN = "/besluiten"  # under a zaak of `resources`


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any

    def claims(self, secret: str) -> dict[str, Any]:
        """The claims of the request's bearer JWT, checked with `secret`."""
        scheme, token = self.headers["Authorization"].split(" ", 1)
        assert scheme == "Bearer"
        claims: dict[str, Any] = jwt.decode(token, secret, algorithms=["HS256"])
        return claims


@dataclass
class RemoteRegister:
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> object
    resources: dict[str, Any] = field(default_factory=dict)  # path -> body, answered on GET
    lose_answers: int = 0  # POSTs still to store but answer with 500
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def root(self, api: str) -> str:
        return f"{self.origin}/{api}/api/v1/"

    def reset(self) -> None:
        """Forget what an earlier test did here (the listener lives for a whole module)."""
        self.requests.clear()
        self.objects.clear()
        self.resources.clear()
        self.lose_answers = 0

    def calls(self, method: str) -> list[Request]:
        return [r for r in self.requests if r.method == method]

    def publish(self, url: str, body: dict[str, Any]) -> str:
        """Answer GET `url` (of this listener) with `body` plus its url; returns `url`."""
        self.resources[urlsplit(url).path] = {"url": url, **body}
        return url

    def zaakbesluiten(self, path: str) -> bool:
        """Whether `path` is the /besluiten of a published zaak."""
        return path.endswith(ZAAKBESLUITEN) and path[: -len(ZAAKBESLUITEN)] in self.resources

    def start(self) -> None:
        register = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any = None) -> None:
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self) -> tuple[str, dict[str, str], Any]:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                register.requests.append(
                    Request(self.command, parts.path, query, dict(self.headers.items()), body)
                )
                return parts.path, query, body

            def do_GET(self) -> None:
                path, query, _body = self._record()
                if path in register.resources:
                    if path.startswith(ZAKEN) and "Accept-Crs" not in self.headers:
                        # as a Zaken API: a zaak is answered only with Accept-Crs
                        self._answer(412, {"code": "missing-header"})
                        return
                    self._answer(200, register.resources[path])
                    return
                if register.zaakbesluiten(path):
                    prefix = register.origin + path + "/"
                    self._answer(
                        200, [o for u, o in register.objects.items() if u.startswith(prefix)]
                    )
                    return
                field_name = COLLECTIONS.get(path)
                if field_name is None:
                    self._answer(404, {"detail": "Niet gevonden."})
                    return
                found = [
                    o
                    for url, o in register.objects.items()
                    if url.startswith(register.origin + path + "/")
                    and all(o.get(k) == v for k, v in query.items() if k in ("object", field_name))
                ]
                self._answer(
                    200, {"count": len(found), "next": None, "previous": None, "results": found}
                )

            def do_POST(self) -> None:
                path, _query, body = self._record()
                nested = register.zaakbesluiten(path)
                if (COLLECTIONS.get(path) is None and not nested) or not isinstance(body, dict):
                    self._answer(404, {"detail": "Niet gevonden."})
                    return
                ident = uuid.uuid4()
                url = f"{register.origin}{path}/{ident}"
                created = {"url": url, **({"uuid": str(ident)} if nested else {}), **body}
                register.objects[url] = created
                if register.lose_answers > 0:
                    register.lose_answers -= 1
                    self._answer(500, {"detail": "Interne fout."})
                    return
                self._answer(201, created)

            def do_DELETE(self) -> None:
                path, _query, _body = self._record()
                url = register.origin + path
                if register.objects.pop(url, None) is None:
                    self._answer(404, {"detail": "Niet gevonden."})
                    return
                self._answer(204)

            def log_message(self, *_args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until `start` (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextlib.contextmanager
def remote_register() -> Iterator[RemoteRegister]:
    register = RemoteRegister()
    register.start()
    try:
        yield register
    finally:
        register.stop()


async def mirror_step(settings: Settings, database: Database) -> int:
    """One round of the mirror jobs, as a worker makes it; how many jobs it claimed."""
    spiegelaar = Spiegelaar(settings, database)
    try:
        return await spiegelaar.step()
    finally:
        await spiegelaar.close()


async def mirror_jobs(database: Database) -> list[Spiegeling]:
    """Every mirror job, oldest first."""
    async with database.transaction() as session:
        return list((await session.execute(select(Spiegeling).order_by(Spiegeling.id))).scalars())
