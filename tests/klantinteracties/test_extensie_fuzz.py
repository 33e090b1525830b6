"""Fuzz the extension (channel preferences, verification) against its own OpenAPI document:
no 5xx, and every answer as that document describes it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from hypothesis import given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from mijnzaken.app import create_app
from mijnzaken.core.settings import Settings
from mijnzaken.klantinteracties.api import EXTENSIE_ROUTERS
from tests.conftest import BASE
from tests.contract.test_schemathesis import FUZZ_SETTINGS

pytestmark = pytest.mark.slow

API = "/klantinteracties/api/v1"
DOCUMENT: dict[str, Any] = {}


def _schema() -> Any:
    """The extension's document as the app serves it at schema/extensie/openapi.json."""
    if not DOCUMENT:
        routes = [route for router in EXTENSIE_ROUTERS for route in router.routes]
        DOCUMENT.update(get_openapi(title="extensie", version="0.9.0", routes=routes))
        DOCUMENT.setdefault("components", {})["securitySchemes"] = {
            "JWT-Claims": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
    return schemathesis.openapi.from_dict(DOCUMENT)


def _operations() -> list[Any]:
    schema = _schema()
    return [
        pytest.param(op.ok().path, op.ok().method, id=op.ok().label)
        for op in schema.get_all_operations()
    ]


@pytest.fixture(scope="module")
def fuzz_app(settings: Settings) -> Any:
    return create_app(settings)


@pytest.mark.parametrize(("path", "method"), _operations())
def test_fuzz_extension_operation(path: str, method: str, fuzz_app: Any, superuser: Any) -> None:
    operation = _schema()[path][method.upper()]

    @settings(FUZZ_SETTINGS, max_examples=10)
    @given(case=operation.as_strategy())
    def fuzz(case: Any) -> None:
        response = case.call(base_url=BASE + API, app=fuzz_app, headers=superuser)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    fuzz()
