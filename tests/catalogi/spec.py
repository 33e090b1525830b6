"""Bodies checked against a named schema of the Catalogi spec file; without the specs folder
contract validation is off (the test run says so), here as everywhere."""

from __future__ import annotations

from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import SPECS, SPECS_MISSING

_REGISTRY = (
    None
    if SPECS_MISSING
    else Registry().with_resource(
        "spec",
        Resource.from_contents(
            yaml.safe_load((SPECS / "catalogi" / "openapi.yaml").read_text()),
            default_specification=DRAFT4,
        ),
    )
)


def conforms(body: Any, schema: str) -> None:
    """The body is valid against the named schema of the official spec."""
    if _REGISTRY is None:
        return
    validator = OAS30Validator({"$ref": f"spec#/components/schemas/{schema}"}, registry=_REGISTRY)
    errors = [e.message for e in validator.iter_errors(body)]
    assert not errors, errors
