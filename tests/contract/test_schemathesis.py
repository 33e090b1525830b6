"""Fuzz every operation of the official Catalogi and Autorisaties specs against our ASGI app.

One test per operation: schemathesis generates requests from the OFFICIAL document, sends them
in-process with a superuser token, and checks that no response is a 5xx and that every response
conforms to the spec. An operation our app has no route for fails, naming the operation.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from starlette.routing import Match

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from tests.conftest import BASE, CONTRACT
from tests.contract.spec import COMPLETE, ERRATA, Exchange, Register, load, specs_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not specs_dir().is_dir(), reason=f"specs folder {specs_dir()} not found; no fuzzing"
    ),
]

# Small and reproducible: ~80 operations must finish within a few minutes on 2 cores.
MAX_EXAMPLES = 25
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@cache
def _schema(register: Register) -> Any:
    return schemathesis.openapi.from_path(specs_dir() / register.spec_file)


def _operations() -> list[Any]:
    if not specs_dir().is_dir():
        return []
    params = []
    for register in COMPLETE:
        for op in load(register.spec_file).operations:
            params.append(
                pytest.param(
                    register, op.method, op.template, id=f"{register.name}-{op.operation_id}"
                )
            )
    return params


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Any:
    # Its own Database: schemathesis runs the app on its own event-loop thread, and pooled
    # connections must stay on the loop that opened them.
    return create_app(settings)


def _has_route(app: Any, register: Register, method: str, template: str) -> bool:
    mount = next(r for r in app.routes if getattr(r, "path", None) == register.base_path)
    path = template.replace("{uuid}", str(uuid.uuid4()))
    scope = {"type": "http", "path": path, "method": method.upper(), "root_path": ""}
    return any(route.matches(scope)[0] == Match.FULL for route in mount.app.routes)


def _check_contract(method: str, url: str, response: Any, request_headers: Any) -> None:
    path = url.split("://", 1)[-1]
    path = "/" + path.split("/", 1)[1] if "/" in path else "/"
    CONTRACT.check(
        Exchange(
            method=method,
            path=path.split("?", 1)[0],
            status=response.status_code,
            headers={
                k.lower(): v[0] if isinstance(v, list) else v for k, v in response.headers.items()
            },
            body=response.content,
            request_headers=request_headers,
        )
    )


@pytest.mark.parametrize(("api", "method", "template"), _operations())
def test_fuzz_operation(
    api: Register,
    method: str,
    template: str,
    fuzz_app: Any,
    superuser: dict[str, str],
) -> None:
    spec_op = load(api.spec_file).find(method, template.replace("{uuid}", str(uuid.uuid4())))
    assert spec_op is not None
    if not _has_route(fuzz_app, api, method, template):
        pytest.fail(
            f"{api.name}: {spec_op.label} is not implemented (no route in our app; it "
            "answers 404/405). It is fuzzed as soon as it exists."
        )
    operation = _schema(api)[template][method.upper()]
    base_url = BASE + api.base_path
    # where the spec contradicts itself (ERRATA), our own checker validates the body against
    # the corrected schema instead of schemathesis' check against the literal one
    has_erratum = any(k[0] == api.spec_file and k[1] == spec_op.operation_id for k in ERRATA)
    checks = (
        [not_a_server_error]
        if has_erratum or not api.fuzz_schema_check
        else [not_a_server_error, response_schema_conformance]
    )

    fuzz_settings = (
        settings(FUZZ_SETTINGS, max_examples=api.fuzz_examples)
        if api.fuzz_examples
        else FUZZ_SETTINGS
    )

    @fuzz_settings
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        response = case.call(base_url=base_url, app=fuzz_app, headers=superuser)
        case.validate_response(response, checks=checks)
        _check_contract(
            response.request.method, response.request.url, response, response.request.headers
        )

    fuzz()
