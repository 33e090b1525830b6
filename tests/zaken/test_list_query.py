"""The lists read their query parameters themselves (core/query.py): the filters and the
errors must be exactly what FastAPI's own reading of the query model gives, for every list
of the application and for good, bad and odd queries."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.dependencies.utils import request_params_to_args
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams

from mijnzaken.app import create_app
from mijnzaken.core.query import QueryModel
from mijnzaken.core.settings import Settings
from mijnzaken.zaken.schemas.zaak import ZaakFilter

BSN = "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn"
QUERIES = [
    "",
    f"{BSN}=999993653&expand=status,status.statustype,zaaktype,resultaat,rollen",
    f"{BSN}=999993653&page=2",
    f"{BSN}=1234567890",  # longer than a BSN
    "page=0",
    "page=abc",
    "page=",
    "page=1&page=2",  # a scalar twice
    "ordering=-startdatum&ordering=identificatie",
    "ordering=-startdatum,identificatie",
    "bronorganisatie__in=1,2&bronorganisatie__in=3",
    "archiefnominatie=onbekend",
    "archiefnominatie=vernietigen&archiefstatus=gearchiveerd",
    "startdatum__gt=geen-datum&einddatum__isnull=misschien",
    "startdatum__gte=2024-01-01&startdatum__lt=2025-01-01",
    "einddatumGepland=2024-01-01",
    "einddatum_gepland=2024-01-01",  # the Python name (populate_by_name)
    "einddatumGepland=2024-01-01&einddatum_gepland=2024-01-02",  # two names of one field
    "identificatie=%00",  # NUL: refused by the models' validator
    "onbekend=1",
    "onbekend=1&onbekend=2&page=1",
    "zaaktype=https://example.nl/zaaktypen/1&maximaleVertrouwelijkheidaanduiding=openbaar",
    "rol__betrokkeneType=natuurlijk_persoon&rol__omschrijvingGeneriek=initiator",
    "rol__betrokkeneType=iets",
    "zaak=https://example.nl/zaken/1&status=x&type=y&pageSize=5&name=a",
    "expand=",
    "uuid=not-a-uuid",
]


def _fastapi(model: type[Any], query: QueryParams) -> Any:
    """What FastAPI's reading gives: the model, or the errors."""
    field = QueryModel(model).field
    values, errors = request_params_to_args([field], query)
    return repr(errors) if errors else values[field.name]


def _ours(model: type[Any], query: QueryParams) -> Any:
    try:
        return QueryModel(model).parse(query)
    except RequestValidationError as exc:
        return repr(exc.errors())


def _list_models() -> list[type[Any]]:
    """The query model of every list of the application."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    models: dict[str, type[Any]] = {}

    def walk(routes: Any) -> None:
        for route in routes:
            if isinstance(route, APIRoute) and route.name == "list_endpoint":
                model = route.dependant.query_params[0].field_info.annotation
                models[model.__qualname__ + model.__module__] = model
            for inner in ("original_router", "app"):
                child = getattr(route, inner, None)
                child_routes = getattr(getattr(child, "router", child), "routes", None)
                if child_routes is not None and child is not route:
                    walk(child_routes)

    walk(app.router.routes)
    return list(models.values())


def test_every_list_reads_its_query_as_fastapi_does() -> None:
    models = _list_models()
    assert ZaakFilter in models
    assert len(models) > 30  # every register's lists were found
    for model in models:
        for raw in QUERIES:
            query = QueryParams(raw)
            assert _ours(model, query) == _fastapi(model, query), (model, raw)


@pytest.mark.parametrize(
    ("raw", "placed"),
    [
        (f"{BSN}=1&expand=zaaktype", True),
        ("ordering=a&ordering=b", True),  # a list given twice is one field's values
        ("page=1&page=2", False),
        ("einddatumGepland=2024-01-01&einddatum_gepland=2024-01-02", False),
        ("onbekend=1", False),
    ],
)
def test_only_plain_queries_skip_fastapis_reading(raw: str, placed: bool) -> None:
    """The odd cases go to FastAPI's own function, which decides them (see above)."""
    assert (QueryModel(ZaakFilter)._placed(QueryParams(raw)) is not None) is placed
