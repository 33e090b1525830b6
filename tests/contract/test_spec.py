"""The contract checker itself: it must reject what the spec does not allow."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.contract.spec import Checker, ContractViolation, Exchange, specs_dir

pytestmark = pytest.mark.skipif(not specs_dir().is_dir(), reason="specs folder not found")

JSON = {"content-type": "application/json"}
PROBLEM = {"content-type": "application/problem+json"}
FOUT = {
    "code": "not_found",
    "title": "Niet gevonden.",
    "status": 404,
    "detail": "x",
    "instance": "urn:uuid:1",
}
UUID = "6ea3a4b1-5a22-4f4b-9bd1-0a1d1bdf5a5c"


def check(method: str, path: str, status: int, headers: dict[str, str], body: Any) -> Checker:
    checker = Checker()
    raw = b"" if body is None else json.dumps(body).encode()
    checker.check(Exchange(method, path, status, headers, raw))
    return checker


def test_valid_error_body_passes() -> None:
    assert check("GET", f"/catalogi/api/v1/catalogussen/{UUID}", 404, PROBLEM, FOUT).findings == []


def test_list_body_missing_required_fields_is_rejected() -> None:
    body = {"count": 1, "next": None, "previous": None, "results": [{"domein": "TOOLONG"}]}
    with pytest.raises(ContractViolation, match=r"\$\.results\[0\]\.domein: 'TOOLONG' is too long"):
        check("GET", "/catalogi/api/v1/catalogussen", 200, JSON, body)


def test_wrong_content_type_is_rejected() -> None:
    with pytest.raises(ContractViolation, match="Content-Type 'text/html' is not documented"):
        check(
            "GET", f"/catalogi/api/v1/catalogussen/{UUID}", 404, {"content-type": "text/html"}, FOUT
        )


def test_undocumented_error_status_is_allowed_and_reported() -> None:
    checker = check("GET", "/catalogi/api/v1/catalogussen", 404, PROBLEM, FOUT)
    assert [f.status for f in checker.findings] == [404]


def test_undocumented_error_status_with_bad_body_is_rejected() -> None:
    with pytest.raises(ContractViolation, match="error body is not a valid Fout"):
        check("GET", "/catalogi/api/v1/catalogussen", 404, PROBLEM, {"detail": "x"})


def test_undocumented_success_status_is_rejected() -> None:
    with pytest.raises(ContractViolation, match="status 202 is not documented"):
        check("GET", "/catalogi/api/v1/catalogussen", 202, JSON, {})


def test_served_operation_outside_the_spec_is_rejected() -> None:
    with pytest.raises(ContractViolation, match="undocumented API operation"):
        check("DELETE", f"/catalogi/api/v1/catalogussen/{UUID}", 204, {}, None)


def test_refused_operation_outside_the_spec_is_reported() -> None:
    body = {**FOUT, "status": 405, "code": "method_not_allowed"}
    checker = check("DELETE", f"/catalogi/api/v1/catalogussen/{UUID}", 405, PROBLEM, body)
    assert "outside the spec" in checker.findings[0].note


def test_schema_endpoints_and_other_paths_are_not_checked() -> None:
    assert (
        Checker().check(Exchange("GET", "/catalogi/api/v1/schema/openapi.json", 200, {}, b"x"))
        is None
    )
    assert Checker().check(Exchange("GET", "/", 200, {}, b"<html>")) is None


def test_concrete_path_wins_over_template() -> None:
    op = Checker().check(
        Exchange(
            "GET",
            "/autorisaties/api/v1/applicaties/consumer",
            404,
            PROBLEM,
            json.dumps(FOUT).encode(),
        )
    )
    assert op is not None
    assert op.operation_id == "applicatie_consumer"
