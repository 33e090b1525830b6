"""Application errors and their rendering as ZGW `Fout` / `ValidatieFout` bodies."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("mijnzaken.errors")

PROBLEM_JSON = "application/problem+json"
ERROR_TYPE_BASE = "https://mijnzaken.nl/ref/fouten/"


@dataclass(frozen=True)
class InvalidParam:
    """One entry of `invalidParams`: the field (camelCase), the standard's code, a reason."""

    name: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


class ApiError(Exception):
    """An error that ends the request with a ZGW `Fout` body."""

    status = 500
    code = "error"
    title = "Er is een serverfout opgetreden."

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        self.detail = detail or self.title
        if code:
            self.code = code
        super().__init__(self.detail)

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": f"{ERROR_TYPE_BASE}{type(self).__name__}/",
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }


class NotAuthenticated(ApiError):
    status = 401
    code = "not_authenticated"
    title = "Authenticatiegegevens zijn niet opgegeven of ongeldig."


class PermissionDenied(ApiError):
    status = 403
    code = "permission_denied"
    title = "U heeft geen toestemming om deze actie uit te voeren."


class NotFound(ApiError):
    status = 404
    code = "not_found"
    title = "Niet gevonden."


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"
    title = "Methode niet toegestaan."


class NotAcceptable(ApiError):
    status = 406
    code = "not_acceptable"
    title = "Kan niet voldoen aan de opgegeven Accept header."


class Conflict(ApiError):
    status = 409
    code = "conflict"
    title = "Het verzoek botst met de huidige toestand van de resource."


class PreconditionFailed(ApiError):
    status = 412
    code = "precondition_failed"
    title = "Niet voldaan aan een voorwaarde van het verzoek."


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"
    title = "Niet-ondersteund mediatype in het verzoek."


class ContentTooLarge(ApiError):
    status = 413
    code = "content_too_large"
    title = "Het verzoek is te groot."


class TooManyRequests(ApiError):
    status = 429
    code = "throttled"
    title = "Te veel verzoeken; probeer het later opnieuw."


class ValidationFailed(ApiError):
    """400 with `invalidParams` naming each bad field."""

    status = 400
    code = "invalid"
    title = "Invalid input."

    def __init__(self, params: Sequence[InvalidParam], detail: str | None = None) -> None:
        self.params = list(params)
        super().__init__(detail or "; ".join(f"{p.name}: {p.reason}" for p in self.params))

    @classmethod
    def field(cls, name: str, code: str, reason: str) -> ValidationFailed:
        return cls([InvalidParam(name, code, reason)])

    def body(self, instance: str) -> dict[str, Any]:
        body = super().body(instance)
        body["type"] = f"{ERROR_TYPE_BASE}ValidationError/"
        body["invalidParams"] = [p.as_dict() for p in self.params]
        return body


# pydantic error types -> the codes DRF-based registers (and their clients) use
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "too_short": "min_length",
    "json_invalid": "parse_error",
    "json_type": "parse_error",
    "enum": "invalid_choice",
    "literal_error": "invalid_choice",
    "url_parsing": "invalid",
    "url_type": "invalid",
    "url_scheme": "invalid",
    "url_too_long": "max_length",
    "string_type": "invalid",
    "int_type": "invalid",
    "int_parsing": "invalid",
    "bool_type": "invalid",
    "bool_parsing": "invalid",
    "date_parsing": "invalid",
    "date_from_datetime_parsing": "invalid",
    "date_type": "invalid",
    "datetime_parsing": "invalid",
    "datetime_from_date_parsing": "invalid",
    "uuid_parsing": "invalid",
    "list_type": "not_a_list",
    "dict_type": "invalid",
    "model_type": "invalid",
    "model_attributes_type": "invalid",
    "extra_forbidden": "unknown-parameters",
    "greater_than_equal": "min_value",
    "less_than_equal": "max_value",
    "value_error": "invalid",
    "assertion_error": "invalid",
    "string_pattern_mismatch": "invalid",
    "set_type": "not_a_list",
}


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    if not parts:
        return "nonFieldErrors"
    return ".".join(parts)


def _from_request_validation(exc: RequestValidationError) -> ApiError:
    params: list[InvalidParam] = []
    query_unknown: list[str] = []
    for err in exc.errors():
        loc = err.get("loc", ())
        etype = err.get("type", "invalid")
        if etype == "extra_forbidden" and loc and loc[0] == "query":
            query_unknown.append(_field_name(loc))
            continue
        code = err.get("ctx", {}).get("code") if isinstance(err.get("ctx"), dict) else None
        code = code or _PYDANTIC_CODES.get(etype, "invalid")
        params.append(
            InvalidParam(_field_name(loc), code, str(err.get("msg", "Ongeldige waarde.")))
        )
    if query_unknown and not params:
        names = ", ".join(sorted(query_unknown))
        return ValidationFailed(
            [InvalidParam("nonFieldErrors", "unknown-parameters", f"Onbekende parameters: {names}")]
        )
    params.extend(
        InvalidParam("nonFieldErrors", "unknown-parameters", f"Onbekende parameter: {n}")
        for n in query_unknown
    )
    return ValidationFailed(params)


def from_pydantic(exc: Any) -> ValidationFailed:
    """A pydantic `ValidationError` raised outside request parsing, as `ValidationFailed`."""
    failed = _from_request_validation(RequestValidationError(exc.errors()))
    assert isinstance(failed, ValidationFailed)
    return failed


def error_response(exc: ApiError, headers: dict[str, str] | None = None) -> JSONResponse:
    instance = f"urn:uuid:{uuid.uuid4()}"
    return JSONResponse(
        exc.body(instance), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers
    )


@dataclass(frozen=True)
class _UniqueField:
    constraint: str  # its name on PostgreSQL
    columns: str  # how SQLite names it: "table.column, table.column"
    error: InvalidParam


_UNIQUE_FIELDS: list[_UniqueField] = []


def unique_field(
    constraint: str, table: str, columns: Sequence[str], name: str, code: str, reason: str
) -> None:
    """Declare that a violation of the unique `constraint` (on `columns` of `table`) is the
    client's error on field `name`: a 400 with the standard's `code`, as the check before the
    write would have answered. That check cannot see a concurrent request's uncommitted row;
    the constraint does, and this keeps its answer the same."""
    _UNIQUE_FIELDS.append(
        _UniqueField(
            constraint,
            ", ".join(f"{table}.{c}" for c in columns),
            InvalidParam(name, code, reason),
        )
    )


def _unique_field(exc: IntegrityError) -> InvalidParam | None:
    """The declared field whose unique constraint `exc` violated, if any."""
    names: set[str] = set()
    cause: BaseException | None = exc.orig
    while cause is not None:  # the driver's error may sit behind the DB-API adapter's
        name = getattr(cause, "constraint_name", None)
        if isinstance(name, str):
            names.add(name)
        cause = cause.__cause__
    message = str(exc.orig)
    _sep, _found, sqlite_columns = message.partition("UNIQUE constraint failed: ")
    for known in _UNIQUE_FIELDS:
        if known.constraint in names or (sqlite_columns and sqlite_columns == known.columns):
            return known.error
    return None


_HTTP_ERRORS: dict[int, type[ApiError]] = {
    401: NotAuthenticated,
    403: PermissionDenied,
    404: NotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    409: Conflict,
    412: PreconditionFailed,
    413: ContentTooLarge,
    415: UnsupportedMediaType,
}


def install_error_handlers(app: FastAPI) -> None:
    """Render every error of `app` once, as a ZGW `Fout` body."""

    async def api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc, headers)

    async def request_validation(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
            # /zaken/not-a-uuid names no resource: that is a 404, not bad input
            return error_response(NotFound("Niet gevonden."))
        return error_response(_from_request_validation(exc))

    async def http_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        cls = _HTTP_ERRORS.get(exc.status_code)
        if cls is None:
            err = ApiError(str(exc.detail))
            err.status = exc.status_code
        else:
            err = cls()
        return error_response(err, dict(exc.headers) if exc.headers else None)

    async def integrity(_request: Request, exc: Exception) -> JSONResponse:
        # Two requests raced past a uniqueness check, or a row it refers to just went away.
        # Nothing was stored (the transaction rolled back); the client may try again.
        assert isinstance(exc, IntegrityError)
        field = _unique_field(exc)
        if field is not None:  # the answer the check would have given, had it seen the row
            return error_response(ValidationFailed([field]))
        logger.warning("integrity error: %s", type(exc).__name__)
        return error_response(
            Conflict(
                "Het verzoek botst met gegevens die intussen zijn vastgelegd.", code="conflict"
            )
        )

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Log the type and where, never the request body: it may hold personal data.
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(ApiError())

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(IntegrityError, integrity)
    app.add_exception_handler(Exception, unexpected)
