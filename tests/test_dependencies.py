"""Every dependency and endpoint of every mounted app is a coroutine: FastAPI runs a plain
function in a worker thread, a thread hand-off (and a wait for a free thread under load) per
request for work that takes microseconds."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import Mount

from mijnzaken.app import create_app


def _is_coroutine(call: Any) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        or inspect.isasyncgenfunction(call)
        or inspect.iscoroutinefunction(getattr(call, "__call__", None))  # noqa: B004
    )


def _routes(routes: Any) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif isinstance(route, Mount) and hasattr(route.app, "router"):
            found.extend(_routes(route.app.router.routes))
        elif hasattr(route, "original_router"):  # a router included in another
            found.extend(_routes(route.original_router.routes))
    return found


def _sync_calls(dependant: Any, path: str) -> list[str]:
    sync: list[str] = []
    for sub in dependant.dependencies:
        if sub.call is not None and not _is_coroutine(sub.call):
            sync.append(f"{path}: {getattr(sub.call, '__qualname__', sub.call)}")
        sync.extend(_sync_calls(sub, path))
    return sync


def test_no_dependency_or_endpoint_runs_in_a_worker_thread(settings):
    routes = _routes(create_app(settings).router.routes)
    assert len(routes) > 200  # every register's operations were found
    sync = [f"{r.path}: endpoint" for r in routes if not _is_coroutine(r.endpoint)]
    for route in routes:
        sync.extend(_sync_calls(route.dependant, route.path))
    assert sync == []
