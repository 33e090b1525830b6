"""The official ZGW OpenAPI documents as test oracles: find the operation of a request on our
server and check a response against what the standard documents for it.

Navigation and `$ref` resolution (also into sibling files) go through jsonschema-path; bodies are
validated with openapi-schema-validator's OAS 3.0 read validator, which knows `nullable`,
`readOnly` and `writeOnly`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml
from jsonschema.exceptions import best_match
from jsonschema_path import SchemaPath
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The moving URL some ZGW files use for their Catalogi references; SOURCES.md maps it here.
_REMOTE_PREFIX = "https://raw.githubusercontent.com/VNG-Realisatie/gemma-zaken/master/"
_MIRROR = "_gemma-zaken"


def specs_dir() -> Path:
    """The shared specs folder: MIJNZAKEN_SPECS_DIR, else `../shared/specs` next to the repo."""
    configured = os.environ.get("MIJNZAKEN_SPECS_DIR")
    if configured:
        return Path(configured).resolve()
    # resolved, so that it compares equal to resolved paths when ../shared is a link
    return (Path(__file__).resolve().parents[3] / "shared" / "specs").resolve()


@dataclass(frozen=True)
class Register:
    name: str
    base_path: str
    spec_file: str  # relative to the specs folder
    # every operation implemented: the drift check and the fuzzer cover it. A register under
    # construction is only contract-checked response by response.
    complete: bool = True
    # the spec whose Fout/ValidatieFout schemas error bodies are checked against, when the
    # register's own spec defines none (the Klantinteracties spec documents no error bodies)
    error_spec: str | None = None
    # paths (below the base path) of our own documented extensions of the standard; the
    # official spec does not cover them, their own tests do
    extensions: tuple[str, ...] = ()
    # whether schemathesis' own response-schema check applies when fuzzing. The Klantinteracties
    # spec needs this module's reading (`oneOf` + `discriminator`, `allOf` + `nullable`), so its
    # fuzzed responses are validated by the Checker only.
    fuzz_schema_check: bool = True
    # examples per operation when fuzzing (None: the fuzzer's default); keeps a register with
    # many operations within the suite's time budget
    fuzz_examples: int | None = None
    # older versions whose clients must keep working: a successful response to an operation
    # such a version has is checked against that version too
    compatible: tuple[str, ...] = ()
    # when several specs share one base path: the paths (below it) this one covers
    claims: tuple[str, ...] = ()


ZAKEN_1_5 = "zaken/1.5.1/openapi.yaml"  # what Open Formulieren, Open Inwoner, KISS, GZAC speak
REGISTERS = (
    Register("catalogi", "/catalogi/api/v1", "catalogi/openapi.yaml"),
    Register("autorisaties", "/autorisaties/api/v1", "autorisaties/openapi.yaml"),
    Register("zaken", "/zaken/api/v1", "zaken/openapi.yaml", compatible=(ZAKEN_1_5,)),
    Register("besluiten", "/besluiten/api/v1", "besluiten/openapi.yaml"),
    Register("documenten", "/documenten/api/v1", "documenten/openapi.yaml", fuzz_examples=15),
    Register(
        "notificaties",
        "/notificaties/api/v1",
        "notificaties/openapi.yaml",
        extensions=("/beheer",),
    ),
    Register(
        "klantinteracties",
        "/klantinteracties/api/v1",
        "klantinteracties/openapi.yaml",
        error_spec="zaken/openapi.yaml",
        extensions=(
            "/kanaalvoorkeuren",
            "/digitaleadressen/{uuid}/verificatie",
            "/schema/extensie",
        ),
        fuzz_schema_check=False,
        fuzz_examples=15,
    ),
    # Verwerkingenlogging: the read (inzage) and write APIs share one base path
    Register(
        "verwerkingen-inzage",
        "/verwerkingen/api/v1",
        "verwerkingenlogging/api-read/openapi.yaml",
        extensions=("/verwerkingsacties",),
        claims=("/verwerkte-objecten",),
    ),
    Register(
        "verwerkingen",
        "/verwerkingen/api/v1",
        "verwerkingenlogging/api-write/openapi.yaml",
        extensions=("/verwerkte-objecten",),
    ),
)
COMPLETE = tuple(r for r in REGISTERS if r.complete)

# Served by every register next to the API; not API operations.
SCHEMA_ENDPOINTS = frozenset(
    {"/schema", "/schema/", "/schema/openapi.json", "/schema/openapi.yaml"}
)

# Places where a spec's schema contradicts its own text and the reference implementation. The
# response is checked against the schema named here instead, and every use is reported.
ERRATA: dict[tuple[str, str, str], tuple[str, str]] = {
    ("zaken/openapi.yaml", "status_create", "201"): (
        "Status",
        "StatusRequestbody requires zaakinformatieobjecten without listing it; the created "
        "status is a Status, which lists it",
    ),
    ("zaken/openapi.yaml", "zaaknummer_reserveren", "201"): (
        "OneOrMultipleZaakIdentificaties",
        "the 201 schema says an array, the operation's description and the spec's own "
        "OneOrMultipleZaakIdentificaties schema allow one object when one number is asked for",
    ),
    ("autorisaties/openapi.yaml", "applicatie_consumer", "200"): (
        "Applicatie",
        "spec schema says an array of Applicatie, its description ('zoek de bijbehorende "
        "applicatie op') and Open Zaak / vng-api-common return one Applicatie object",
    ),
}

# Schemas added to a spec for the ERRATA above, by spec file.
_ABONNEMENT_ZONDER_AUTH = {
    "type": "object",
    "required": ["callbackUrl", "kanalen"],
    "properties": {
        "url": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 1000},
        "callbackUrl": {"type": "string", "format": "uri", "minLength": 1},
        "kanalen": {"type": "array", "items": {"$ref": "#/components/schemas/FilterGroup"}},
    },
}
EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {
    "notificaties/openapi.yaml": {
        "AbonnementZonderAuth": _ABONNEMENT_ZONDER_AUTH,
        "AbonnementZonderAuthLijst": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/AbonnementZonderAuth"},
        },
    }
}
_NO_AUTH = (
    "the Abonnement schema requires `auth`, the subscriber's secret header value; the "
    "standard's own notes ('met uitzondering van de auth gegevens') and the reference "
    "implementation never return it"
)
for _op, _status in (
    ("abonnement_list", "200"),
    ("abonnement_create", "201"),
    ("abonnement_read", "200"),
    ("abonnement_update", "200"),
    ("abonnement_partial_update", "200"),
):
    ERRATA[("notificaties/openapi.yaml", _op, _status)] = (
        "AbonnementZonderAuthLijst" if _op == "abonnement_list" else "AbonnementZonderAuth",
        _NO_AUTH,
    )

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class ContractViolation(AssertionError):
    """A response that the official specification does not allow."""


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    template: str  # as in the spec, e.g. /zaaktypen/{uuid}
    operation_id: str
    node: SchemaPath = field(compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.template} ({self.operation_id})"


@dataclass
class Finding:
    """Something allowed but worth reporting, e.g. an error status the spec does not list."""

    register: str
    operation: str
    status: int
    note: str


def _read_yaml(path: Path) -> Any:
    with path.open("rb") as fh:
        return _loosen_nullable_refs(_loosen_expansion_unions(yaml.load(fh, Loader=_Loader)))


def _loosen_nullable_refs(node: Any) -> Any:
    """Erratum: `{allOf: [{$ref: X}], nullable: true}` is how the specs (drf-spectacular) write
    "an X or null". Read literally in OAS 3.0, `nullable` without a `type` beside it adds
    nothing and the referenced X still refuses null; it is read as "X or null", as meant."""
    if isinstance(node, dict):
        for value in node.values():
            _loosen_nullable_refs(value)
        if node.get("nullable") is True and "allOf" in node and "type" not in node:
            node["anyOf"] = [{"allOf": node.pop("allOf")}, {"enum": [None]}]
    elif isinstance(node, list):
        for item in node:
            _loosen_nullable_refs(item)
    return node


# Corrections to documents that other documents refer to: (file under the specs folder,
# path to the schema node, the node as the standard means it, why). Every correction used is
# listed in the test report.
_CATALOGI_1_3_2_IOT = (
    ("components", "schemas", "ZaakType", "properties", "informatieobjecttypen"),
    {"type": "array", "readOnly": True, "items": {"type": "string", "format": "uri"}},
    "Catalogi 1.3.2 types ZaakType.informatieobjecttypen as one string; its description, "
    "Catalogi 1.3.3 and the reference implementation make it a list of URLs",
)
REFERENCED_ERRATA: dict[str, list[tuple[tuple[str, ...], dict[str, Any], str]]] = {
    # what Zaken 1.5.1 refers to (the moving "current_version" URL) ...
    f"{_MIRROR}/api-specificatie/ztc/current_version/openapi.yaml": [_CATALOGI_1_3_2_IOT],
    # ... and Zaken 1.7.0
    f"{_MIRROR}/docs/standaard/catalogi/ztc/1.3.x/1.3.2/openapi.yaml": [_CATALOGI_1_3_2_IOT],
}
CORRECTED: list[str] = []  # the corrections applied in this run, for the report


@cache
def _referenced_yaml(path: Path) -> Any:
    """A document other documents refer to, parsed once per run (the resolver asks for it
    again for every validator it builds, and parsing the Catalogi document takes a second),
    with its REFERENCED_ERRATA applied."""
    data = _read_yaml(path)
    try:
        name = path.resolve().relative_to(specs_dir()).as_posix()
    except ValueError:
        return data
    for where, corrected, why in REFERENCED_ERRATA.get(name, []):
        node = data
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = corrected
        CORRECTED.append(f"{name} {'/'.join(where)}: {why}")
    return data


def _loosen_expansion_unions(node: Any) -> Any:
    """Erratum: the `_expand` members of the ZGW specs are `oneOf: [<Type>, GenesteExpansie]`
    (or `EmptyObject`), and both of those admit any object, so a correct body always matches
    two branches and `oneOf` fails. They are read as `anyOf`, which is what the specs mean."""
    if isinstance(node, dict):
        one_of = node.get("oneOf")
        if isinstance(one_of, list) and any(
            isinstance(o, dict)
            and str(o.get("$ref", "")).endswith(("/GenesteExpansie", "/EmptyObject"))
            for o in one_of
        ):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _loosen_expansion_unions(value)
    elif isinstance(node, list):
        for item in node:
            _loosen_expansion_unions(item)
    return node


def _local_file(uri: str, root: Path) -> Path:
    if uri.startswith(_REMOTE_PREFIX):
        return root / _MIRROR / uri.removeprefix(_REMOTE_PREFIX)
    parts = urlsplit(uri)
    if parts.scheme != "file":
        raise ContractViolation(f"refusing to fetch {uri!r}: specs must resolve offline")
    return Path(url2pathname(parts.path))


def _external_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield ref
        for value in node.values():
            yield from _external_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _external_refs(value)


def _twin_in_mirror(path: Path, root: Path) -> Path:
    """The byte-identical copy under `_gemma-zaken/`, whose relative refs resolve."""
    raw = path.read_bytes()
    for candidate in sorted((root / _MIRROR).rglob("openapi.yaml")):
        if candidate.stat().st_size == len(raw) and candidate.read_bytes() == raw:
            return candidate
    raise ContractViolation(
        f"{path} refers to other files but has no identical copy under {root / _MIRROR}"
    )


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _json_path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


class Spec:
    """One official OpenAPI document, loaded once."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        root = root or specs_dir()
        self.path = path
        self.data: dict[str, Any] = _read_yaml(path)
        with contextlib.suppress(ValueError):
            extra = EXTRA_SCHEMAS.get(path.relative_to(root).as_posix(), {})
            self.data.setdefault("components", {}).setdefault("schemas", {}).update(extra)
        base = _twin_in_mirror(path, root) if any(_external_refs(self.data)) else path

        def read(uri: str) -> Any:
            return _referenced_yaml(_local_file(uri, root))

        handlers = {"file": read, "http": read, "https": read}
        self.root = SchemaPath.from_dict(self.data, base_uri=base.as_uri(), handlers=handlers)
        self.operations: list[Operation] = []
        paths = self.root / "paths"
        for template in self.data.get("paths", {}):
            item = paths / template
            for method in METHODS:
                if method in self.data["paths"][template]:
                    op = item / method
                    self.operations.append(
                        Operation(method, template, (op / "operationId").read_str(), op)
                    )
        # concrete segments win over templated ones (/applicaties/consumer before /{uuid})
        self._templates = sorted(
            {o.template for o in self.operations},
            key=lambda t: (t.count("{"), -len(t)),
        )
        self._regexes = {t: _template_regex(t) for t in self._templates}
        self._validators: dict[tuple[str, ...], Any] = {}

    @property
    def title(self) -> str:
        info = self.data.get("info", {})
        return f"{info.get('title')} {info.get('version')}"

    def match_template(self, path: str) -> str | None:
        """The spec path template that `path` (without base path) falls under."""
        for template in self._templates:
            if self._regexes[template].match(path):
                return template
        return None

    def find(self, method: str, path: str) -> Operation | None:
        template = self.match_template(path)
        if template is None:
            return None
        method = method.lower()
        for op in self.operations:
            if op.template == template and op.method == method:
                return op
        return None

    def by_id(self, operation_id: str) -> Operation:
        for op in self.operations:
            if op.operation_id == operation_id:
                return op
        raise KeyError(operation_id)

    def documented_statuses(self, op: Operation) -> list[str]:
        return [str(s) for s in (op.node / "responses").keys()]  # noqa: SIM118 - SchemaPath

    def _response_key(self, op: Operation, status: int) -> str | None:
        documented = self.documented_statuses(op)
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in documented:
                return key
        return None

    def _validator(
        self, key: tuple[str, ...], schema: SchemaPath, kind: Any = OAS30ReadValidator
    ) -> Any:
        validator = self._validators.get(key)
        if validator is None:
            with schema.resolve() as resolved:
                validator = kind(
                    resolved.contents,
                    _resolver=resolved.resolver,
                    format_checker=oas30_format_checker,
                )
            self._validators[key] = validator
        return validator

    def request_errors(
        self, op: Operation, body: Any, media: str = "application/json"
    ) -> list[str]:
        """What is wrong with `body` as the request body of `op` (a client may not send
        readOnly members)."""
        schema = op.node / "requestBody" / "content" / media / "schema"
        key = ("request", op.operation_id, media)
        return self._errors(self._validator(key, schema, OAS30WriteValidator), body)

    def schema_errors(
        self, schema_key: tuple[str, ...], schema: SchemaPath, body: Any
    ) -> list[str]:
        return self._errors(self._validator(schema_key, schema), body)

    @staticmethod
    def _errors(validator: Any, body: Any) -> list[str]:
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        out = []
        for err in errors[:10]:
            shown = best_match([err]) if err.context else err
            where = _json_path(shown.absolute_path)
            rule = "/".join(str(p) for p in shown.absolute_schema_path)
            out.append(f"  at {where}: {shown.message} (schema rule: {rule})")
        if len(errors) > 10:
            out.append(f"  ... and {len(errors) - 10} more")
        return out

    def component_schema(self, name: str) -> SchemaPath:
        return self.root / "components" / "schemas" / name


@cache
def load(spec_file: str) -> Spec:
    """The spec at `spec_file` (relative to the specs folder), cached for the process."""
    root = specs_dir()
    return Spec(root / spec_file, root)


def register_for(path: str) -> tuple[Register, str] | None:
    """The register whose base path `path` is under, and the rest of the path."""
    for register in REGISTERS:
        if path == register.base_path or path.startswith(register.base_path + "/"):
            sub_path = path.removeprefix(register.base_path)
            if register.claims and not any(
                sub_path == c or sub_path.startswith(c + "/") for c in register.claims
            ):
                continue
            return register, sub_path
    return None


def _is_extension(register: Register, sub_path: str) -> bool:
    """`sub_path` is one of the register's extension paths or below one."""
    return any(
        re.match(_template_regex(t).pattern.removesuffix("$") + "(/.*)?$", sub_path)
        for t in register.extensions
    )


def _error_spec(register: Register, spec: Spec) -> Spec:
    return load(register.error_spec) if register.error_spec else spec


@dataclass
class Exchange:
    """What the checker needs to know about one request and its response."""

    method: str
    path: str  # full path on our server, without query
    status: int
    headers: Mapping[str, str]  # response headers, case-insensitive mapping
    body: bytes
    request_headers: Mapping[str, str] = field(default_factory=dict)


class Checker:
    """Checks exchanges with the registers against the official specs; collects findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def check(self, ex: Exchange) -> Operation | None:
        """Raise ContractViolation when `ex` is not allowed by the spec of its register.

        Returns the operation it was checked against (None when not a register API path).
        """
        found = register_for(ex.path)
        if found is None:
            return None
        register, sub_path = found
        if sub_path in SCHEMA_ENDPOINTS or _is_extension(register, sub_path):
            return None
        op = self._check(register, register.spec_file, sub_path, ex)
        if 200 <= ex.status < 300:
            for older in register.compatible:
                if load(older).find(ex.method, sub_path) is not None:
                    self._check(register, older, sub_path, ex)
        return op

    def _check(
        self, register: Register, spec_file: str, sub_path: str, ex: Exchange
    ) -> Operation | None:
        spec = load(spec_file)
        where = f"{ex.method} {ex.path} -> {ex.status}"
        op = spec.find(ex.method, sub_path)
        if op is None:
            self._check_unknown_operation(spec, register, sub_path, ex, where)
            return None
        where = f"{where} [{spec.title}, operation {op.label}]"

        if ex.status == 304 and self._is_conditional(spec, op, ex):
            if ex.body:
                raise ContractViolation(f"{where}: a 304 response must have no body")
            return op
        key = spec._response_key(op, ex.status)
        if key is None:
            documented = ", ".join(spec.documented_statuses(op))
            if 400 <= ex.status < 500 or ex.status == 503:
                # Not listed for this operation, but a well-formed ZGW error: allowed, reported.
                # 503 is the one server status we answer on purpose: a read whose
                # processing-log entry could not be stored is not shown (ADR 0013).
                self._check_error_body(_error_spec(register, spec), ex, where)
                self.findings.append(
                    Finding(
                        register.name,
                        op.label,
                        ex.status,
                        f"status {ex.status} not documented (documented: {documented})",
                    )
                )
                return op
            raise ContractViolation(
                f"{where}: status {ex.status} is not documented for this operation "
                f"(documented: {documented})"
            )
        response = op.node / "responses" / key
        content = response / "content"
        media_types = [str(m) for m in content.keys()] if "content" in response else []  # noqa: SIM118
        if ex.method.upper() == "HEAD" or not media_types:
            if ex.body and ex.method.upper() != "HEAD":
                raise ContractViolation(
                    f"{where}: the spec documents no body for status {key}, "
                    f"but the response has {len(ex.body)} bytes: {ex.body[:200]!r}"
                )
            return op
        media = _media_type(ex.headers.get("content-type"))
        if media not in media_types:
            raise ContractViolation(
                f"{where}: Content-Type {media or '(none)'!r} is not documented for status "
                f"{key} (documented: {', '.join(media_types)})"
            )
        if media == "application/octet-stream":
            return op  # binary content (a document's download): its type is all there is
        body = self._parse_json(ex, where)
        schema = content / media / "schema"
        erratum = ERRATA.get((spec_file, op.operation_id, key))
        if erratum is not None:
            schema = spec.component_schema(erratum[0])
            self.findings.append(
                Finding(
                    register.name,
                    op.label,
                    ex.status,
                    f"ERRATUM: body checked against {erratum[0]}: {erratum[1]}",
                )
            )
        problems = spec.schema_errors((op.operation_id, key, media), schema, body)
        if problems:
            raise ContractViolation(
                f"{where}: body does not match the documented schema "
                f"({self._schema_name(spec, op, key, media)}):\n"
                + "\n".join(problems)
                + f"\nbody: {ex.body[:500].decode(errors='replace')}"
            )
        return op

    @staticmethod
    def _schema_name(spec: Spec, op: Operation, key: str, media: str) -> str:
        raw = spec.data["paths"][op.template][op.method]["responses"][key]["content"][media]
        ref = raw.get("schema", {}).get("$ref", "inline schema")
        return str(ref).rsplit("/", 1)[-1]

    @staticmethod
    def _is_conditional(spec: Spec, op: Operation, ex: Exchange) -> bool:
        # The specs document If-None-Match (and its 304) as a parameter, not as a response.
        if "if-none-match" not in {k.lower() for k in ex.request_headers}:
            return False
        params = spec.data["paths"][op.template][op.method].get("parameters", [])
        return any(str(p.get("name", "")).lower() == "if-none-match" for p in params)

    @staticmethod
    def _parse_json(ex: Exchange, where: str) -> Any:
        try:
            return json.loads(ex.body)
        except ValueError as exc:
            raise ContractViolation(
                f"{where}: body is not valid JSON ({exc}): {ex.body[:200]!r}"
            ) from exc

    def _check_error_body(self, spec: Spec, ex: Exchange, where: str) -> None:
        media = _media_type(ex.headers.get("content-type"))
        if ex.method.upper() == "HEAD":
            return
        if media != "application/problem+json":
            raise ContractViolation(
                f"{where}: an error response must be application/problem+json, got {media!r}"
            )
        body = self._parse_json(ex, where)
        name = "ValidatieFout" if ex.status == 400 else "Fout"
        problems = spec.schema_errors(("#", name), spec.component_schema(name), body)
        if problems:
            raise ContractViolation(
                f"{where}: error body is not a valid {name}:\n" + "\n".join(problems)
            )

    def _check_unknown_operation(
        self, spec: Spec, register: Register, sub_path: str, ex: Exchange, where: str
    ) -> None:
        template = spec.match_template(sub_path)
        what = (
            f"the spec ({spec.title}) has no {ex.method} on {template}"
            if template
            else f"the spec ({spec.title}) has no path {sub_path!r}"
        )
        if ex.status in (404, 405):
            # The register refused it too, as it should; its error body must still be a Fout.
            self._check_error_body(_error_spec(register, spec), ex, where)
            self.findings.append(
                Finding(
                    register.name,
                    f"{ex.method} {sub_path}",
                    ex.status,
                    f"request outside the spec ({what}); refused",
                )
            )
            return
        raise ContractViolation(
            f"{where}: undocumented API operation — {what}, yet the register answered "
            f"{ex.status}. Either the operation is not part of the standard (remove it) or the "
            "test calls a wrong path/method."
        )
