"""The query parameters of a list, read as FastAPI reads a query model, at a fraction of
its cost.

FastAPI reads a query model (`Annotated[Filters, Query()]`) by walking every field of the
model on every request: its aliases, whether it takes a list, its value. A list such as
`GET /zaken` declares some forty filters and a request gives two or three, so that walk
was a noticeable part of the citizen's zaken list. `QueryModel` walks the fields once, at
start-up, into a map from request key to field; a request then costs one look-up per
parameter given and one validation of the model, with the same results and the same
errors (`RequestValidationError`, located as FastAPI locates them) as FastAPI's own
reading. A request that gives a key the map cannot place by itself (one of two aliases of
the same field, a scalar given twice, a key two fields answer to) is read by FastAPI's own
function instead.

This module deliberately does not use `from __future__ import annotations`: FastAPI reads
the annotation of the parameter declared here at run time.
"""

from typing import Annotated, Any

from fastapi import Query
from fastapi._compat import ModelField, field_annotation_is_sequence, get_cached_model_fields
from fastapi.dependencies.utils import (
    _get_param_aliases,
    _is_json_field,
    get_dependant,
    request_params_to_args,
)
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.datastructures import QueryParams

_LOC = ("query",)


def _declared(model: type[BaseModel]) -> ModelField:
    """The parameter FastAPI makes of `Annotated[model, Query()]`."""

    async def endpoint(filters: Annotated[model, Query()]) -> None:  # type: ignore[valid-type]
        """Only declared: its parameter is what FastAPI would read."""

    (field,) = get_dependant(path="/", call=endpoint).query_params
    return field


class QueryModel:
    """Reads the query parameters of a request into `model` as FastAPI would."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.field = _declared(model)
        # request key -> (the key FastAPI validates it under, the field's index, a list?)
        keys: dict[str, tuple[str, int, bool]] = {}
        shared: set[str] = set()
        for index, field in enumerate(get_cached_model_fields(model)):
            listed = not _is_json_field(field) and field_annotation_is_sequence(
                field.field_info.annotation
            )
            for alias, request_key in _get_param_aliases(field):
                if request_key in keys:
                    shared.add(request_key)
                keys[request_key] = (alias, index, listed)
        for key in shared:
            del keys[key]
        self.keys = keys

    def parse(self, query: QueryParams) -> Any:
        """The model of `query`, or RequestValidationError with FastAPI's errors."""
        params = self._placed(query)
        if params is None:
            values, errors = request_params_to_args([self.field], query)
            value = values.get(self.field.name)
        else:
            value, errors = self.field.validate(params, {}, loc=_LOC)
        if errors:
            raise RequestValidationError(errors)
        return value

    def _placed(self, query: QueryParams) -> dict[str, Any] | None:
        """What FastAPI hands the model for `query`; None when a key is not plainly one
        field's (FastAPI's own reading decides those)."""
        params: dict[str, Any] = {}
        fields: dict[int, str] = {}  # field index -> the request key that gave it
        keys = self.keys
        for key, value in query.multi_items():
            found = keys.get(key)
            if found is None:
                return None
            alias, index, listed = found
            if fields.setdefault(index, key) != key:
                return None  # two aliases of one field
            if listed:
                params.setdefault(alias, []).append(value)
            elif alias in params:
                return None  # a scalar given twice
            else:
                params[alias] = value
        return params
