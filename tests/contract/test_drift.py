"""Our generated OpenAPI document of each register against the official one: the same operations,
query parameters and response properties. A failure lists exactly what differs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mijnzaken.app import REGISTERS as APP_REGISTERS
from tests.contract.spec import COMPLETE, ERRATA, METHODS, Register, Spec, load, specs_dir

pytestmark = pytest.mark.skipif(
    not specs_dir().is_dir(), reason=f"specs folder {specs_dir()} not found; drift not checked"
)

Ours = dict[str, Any]


def _generated(register: Register) -> Ours:
    """Our document, without our own extension paths (they are not in the standard)."""
    factory = next(f for path, _t, f in APP_REGISTERS if path == register.base_path)
    doc: Ours = factory().openapi()
    doc["paths"] = {
        template: item
        for template, item in doc.get("paths", {}).items()
        if not any(template.startswith(e) for e in register.extensions)
    }
    return doc


def _norm(template: str) -> str:
    # path parameter names are not part of the contract, their places are
    return re.sub(r"\{[^}]+\}", "{}", template)


def _deref(doc: Ours, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"external $ref in generated document: {ref}"
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _properties(doc: Ours, schema: Any) -> set[str]:
    """Property names of an object schema, through $ref and allOf."""
    schema = _deref(doc, schema)
    if not isinstance(schema, dict):
        return set()
    # a property marked `x-extensie` is ours, documented as not part of the standard
    names = {n for n, p in schema.get("properties", {}).items() if not p.get("x-extensie")}
    for part in schema.get("allOf", []):
        names |= _properties(doc, part)
    return names


def _item_properties(doc: Ours, schema: Any) -> set[str] | None:
    """Property names of the `results` items of a paginated list (None when not a list)."""
    schema = _deref(doc, schema)
    results = _deref(doc, (schema or {}).get("properties", {}).get("results"))
    if not isinstance(results, dict) or "items" not in results:
        return None
    return _properties(doc, results["items"])


def _operations(doc: Ours) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for template, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = dict(_deref(doc, item[method]))
                op["parameters"] = [
                    _deref(doc, p) for p in [*item.get("parameters", []), *op.get("parameters", [])]
                ]
                out[(_norm(template), method)] = op
    return out


def _label(key: tuple[str, str]) -> str:
    return f"{key[1].upper()} {key[0]}"


def _pairs(register: Register) -> tuple[Spec, Ours, dict[Any, Any], dict[Any, Any]]:
    spec = load(register.spec_file)
    ours = _generated(register)
    return spec, ours, _operations(spec.data), _operations(ours)


@pytest.mark.parametrize("register", COMPLETE, ids=lambda r: r.name)
def test_same_operations_and_operation_ids(register: Register) -> None:
    spec, _ours, official, generated = _pairs(register)
    missing = sorted(set(official) - set(generated))
    extra = sorted(set(generated) - set(official))
    wrong_ids = [
        f"{_label(k)}: {generated[k].get('operationId')!r}, spec {official[k]['operationId']!r}"
        for k in sorted(set(official) & set(generated))
        if generated[k].get("operationId") != official[k]["operationId"]
    ]
    problems = []
    if missing:
        problems.append(f"{len(missing)} operations of {spec.title} missing:")
        problems += [f"  {_label(k)} ({official[k]['operationId']})" for k in missing]
    if extra:
        problems.append(f"{len(extra)} operations not in {spec.title}:")
        problems += [f"  {_label(k)} ({generated[k].get('operationId')})" for k in extra]
    if wrong_ids:
        problems.append("operationId differs:")
        problems += [f"  {w}" for w in wrong_ids]
    assert not problems, "\n".join(problems)


def _missing_note(official: dict[Any, Any], generated: dict[Any, Any]) -> list[str]:
    missing = sorted(set(official) - set(generated))
    if not missing:
        return []
    return [
        f"  ({len(missing)} operations missing, not compared here; listed by "
        "test_same_operations_and_operation_ids)"
    ]


def _query_names(op: dict[str, Any]) -> set[str]:
    return {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}


@pytest.mark.parametrize("register", COMPLETE, ids=lambda r: r.name)
def test_same_query_parameters(register: Register) -> None:
    spec, _ours, official, generated = _pairs(register)
    problems = _missing_note(official, generated)
    for key in sorted(set(official) & set(generated)):
        want, got = _query_names(official[key]), _query_names(generated[key])
        if want != got:
            problems.append(
                f"  {_label(key)}: missing {sorted(want - got)}, extra {sorted(got - want)}"
            )
    assert not problems, f"query parameters differ from {spec.title}:\n" + "\n".join(problems)


def _main_schema(op: dict[str, Any]) -> tuple[str, Any] | None:
    for status in ("200", "201"):
        response = op.get("responses", {}).get(status)
        if response and "application/json" in response.get("content", {}):
            return status, response["content"]["application/json"].get("schema")
    return None


@pytest.mark.parametrize("register", COMPLETE, ids=lambda r: r.name)
def test_same_response_properties(register: Register) -> None:
    spec, ours, official, generated = _pairs(register)
    problems = _missing_note(official, generated)
    for key in sorted(set(official) & set(generated)):
        main = _main_schema(official[key])
        if main is None:
            continue
        status, schema = main
        if not _properties(spec.data, schema) and _item_properties(spec.data, schema) is None:
            continue  # the spec leaves this body unspecified ("Unspecified response body")
        erratum = ERRATA.get((register.spec_file, official[key]["operationId"], status))
        if erratum is not None:
            schema = {"$ref": f"#/components/schemas/{erratum[0]}"}
        our_main = _main_schema(generated[key])
        if our_main is None:
            problems.append(f"  {_label(key)}: no application/json {status} response documented")
            continue
        for what, want, got in (
            ("properties", _properties(spec.data, schema), _properties(ours, our_main[1])),
            (
                "results[] properties",
                _item_properties(spec.data, schema),
                _item_properties(ours, our_main[1]),
            ),
        ):
            if want != got:
                want, got = want or set(), got or set()
                problems.append(
                    f"  {_label(key)} {status} {what}: missing {sorted(want - got)}, "
                    f"extra {sorted(got - want)}"
                )
    assert not problems, f"response schemas differ from {spec.title}:\n" + "\n".join(problems)
