"""The application sends a request under a mounted base path straight to its register, portal
or KCC app (app.MijnZaken): the mounted app sees the scope a Starlette Mount gave it, and
everything else (the base path itself, /metrics, the start page, unknown paths) is answered
by the main app as before."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from starlette.applications import Starlette
from starlette.routing import Mount

from mijnzaken.app import KCC, PORTAL, REGISTERS
from tests.conftest import BASE

PREFIXES = [path for path, _title, _factory in REGISTERS] + [PORTAL, KCC]
PROBE = "/__scope__/a%2Fb/"


def _through_starlette(app: FastAPI) -> Any:
    """The app as Starlette alone answers it: route list and middleware for every request."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        await Starlette.__call__(app, scope, receive, send)

    return asgi


@pytest.fixture
def probed(app: FastAPI) -> FastAPI:
    """The app with a route in every mounted app that answers what it was given."""

    async def probe(request: Request) -> dict[str, Any]:
        scope = request.scope
        return {
            "path": scope["path"],
            "raw_path": scope.get("raw_path", b"").decode(),
            "root_path": scope["root_path"],
            "app_root_path": scope.get("app_root_path"),
            "path_params": scope["path_params"],
            "main_router": scope["router"] is app.router,
            "app": type(scope["app"]).__name__,
            "url": str(request.url),
            "base_url": str(request.base_url),
            "keys": sorted(k for k in scope if k != "fastapi_astack"),
        }

    for route in app.router.routes:
        if isinstance(route, Mount):
            sub = route.app
            assert isinstance(sub, FastAPI)
            sub.add_api_route("/__scope__/{rest:path}", probe, methods=["GET"])
    return app


async def _both(app: Any, method: str, path: str, root_path: str = "") -> list[httpx.Response]:
    answers = []
    for asgi in (app, _through_starlette(app)):
        transport = httpx.ASGITransport(app=asgi, root_path=root_path)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
            answers.append(await c.request(method, path))
    return answers


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("root_path", ["", "/achter-proxy"])
async def test_every_mounted_prefix_reaches_its_app_with_the_same_scope(
    probed: FastAPI, prefix: str, root_path: str
) -> None:
    direct, starlette = await _both(probed, "GET", root_path + prefix + PROBE, root_path)
    assert direct.status_code == 200, direct.text
    assert direct.json() == starlette.json()
    seen = direct.json()
    assert seen["root_path"] == root_path + prefix
    assert seen["path"] == root_path + prefix + "/__scope__/a/b/"
    assert seen["main_router"] is True
    assert seen["url"] == f"{BASE}{root_path}{prefix}/__scope__/a/b/"


async def test_a_mounted_request_skips_the_main_apps_route_list_and_middleware(
    app: FastAPI,
) -> None:
    passed: list[str] = []
    stack = app.build_middleware_stack()

    async def counting(scope: Any, receive: Any, send: Any) -> None:
        passed.append(scope["path"])
        await stack(scope, receive, send)

    app.middleware_stack = counting
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        assert (await c.get("/zaken/api/v1/zaken")).status_code == 412  # no Accept-Crs
        assert (await c.get("/metrics")).status_code == 200
    assert passed == ["/metrics"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/metrics"),
        ("HEAD", "/metrics"),
        ("GET", "/bestaat-niet"),
        ("GET", "/zaken"),
        ("GET", "/zaken/api/v1"),
        ("GET", "/zaken/api/v1/"),
        ("GET", "/zaken/api/v1//zaken"),
        ("GET", "/zaken/api/v12/zaken"),
        ("GET", "/zaken/api/v1/bestaat-niet"),
        ("GET", "/zaken/api/v1/zaken"),
        ("GET", "/zaken/api/v1/zaken/"),
        ("HEAD", "/zaken/api/v1/zaken/00000000-0000-0000-0000-000000000000"),
        ("POST", "/zaken/api/v1/zaken"),
        ("GET", "/zaken/api/v1/schema/openapi.yaml"),
        ("GET", "/catalogi/api/v1/schema/"),
        ("GET", "/mijn"),
        ("GET", "/mijn/"),
        ("GET", "/kcc/"),
        ("GET", "/kcc/bestaat-niet"),
        ("GET", "/verwerkingen/api/v1/verwerkingsacties"),
    ],
)
async def test_answers_are_the_same_as_through_the_route_list(
    app: FastAPI, method: str, path: str
) -> None:
    direct, starlette = await _both(app, method, path)
    assert direct.status_code == starlette.status_code
    assert _fixed(direct) == _fixed(starlette)


def _fixed(response: httpx.Response) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body, with what is new in every answer blanked out: a ZGW error's
    `instance` and the values of cookies set (a page's CSRF token, also in its form)."""
    headers = response.headers.multi_items()
    body = re.sub(rb'"instance":"[^"]*"', b'"instance":""', response.content)
    for name, value in headers:
        if name == "set-cookie":
            token = value.split(";", 1)[0].split("=", 1)[1]
            body = body.replace(token.encode(), b"-")
    headers = [
        (name, re.sub(r"=[^;]*", "=-", value, count=1) if name == "set-cookie" else value)
        for name, value in headers
    ]
    return headers, body


async def test_the_start_page_metrics_and_unknown_paths_still_answer(app: FastAPI) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        assert "MijnZaken" in (await c.get("/")).text
        metrics = await c.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        assert (await c.get("/bestaat-niet")).status_code == 404
        # the base path without its slash is redirected to the register, as by Starlette
        redirect = await c.get("/zaken/api/v1")
        assert redirect.status_code == 307
        assert redirect.headers["location"] == f"{BASE}/zaken/api/v1/"
        # a register's own 404 and its API-version header
        missing = await c.get("/zaken/api/v1/bestaat-niet")
        assert missing.status_code == 404
        assert missing.headers["api-version"]


async def test_a_mount_put_in_front_later_is_taken_first(app: FastAPI) -> None:
    other = FastAPI()

    @other.get("/zaken")
    async def zaken() -> dict[str, str]:
        return {"van": "voor"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        assert (await c.get("/zaken/api/v1/zaken")).status_code == 412  # no Accept-Crs
        app.router.routes.insert(0, Mount("/zaken/api/v1", app=other))
        assert (await c.get("/zaken/api/v1/zaken")).json() == {"van": "voor"}
