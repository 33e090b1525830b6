"""What one running process shares between requests: settings, database, hooks from the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.db import Database
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls, urls_for

if TYPE_CHECKING:
    from mijnzaken.core.auth import Client


@dataclass
class Runtime:
    """Shared state of one process, put on every mounted app's `state.runtime`."""

    settings: Settings
    database: Database
    client_lookup: Callable[[AsyncSession, str], Awaitable[Client | None]] | None = None


def runtime_of(request: Request) -> Runtime:
    runtime: Any = request.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


# Dependencies are coroutines: FastAPI runs a plain function dependency in a worker thread,
# a thread hand-off per request for a lookup of one attribute.
async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


@asynccontextmanager
async def request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The session of one request: one transaction, committed when the block ends and rolled
    back on error; for a read of a register API (`_reads`) a reading session without one."""
    runtime = runtime_of(request)
    if _reads(request) and getattr(request.app.state, READS_WITHOUT_TRANSACTION, False):
        # a GET, HEAD or `_zoek` of a register API only reads: no transaction (ADR 0022)
        async with runtime.database.reading() as session:
            yield session
        return
    async with runtime.database.transaction() as session:
        yield session


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session as a dependency (`request_session`).

    FastAPI caches the dependency within a request, so authentication and the endpoint share it.
    """
    async with request_session(request) as session:
        yield session


_READS = frozenset({"GET", "HEAD"})


def _reads(request: Request) -> bool:
    """A GET or HEAD, or a search: the standard's `POST …/_zoek` is a list with its filters
    in the body and writes nothing (its processing-log entry goes to the writer)."""
    if request.method in _READS:
        return True
    return request.method == "POST" and request.url.path.endswith("/_zoek")


# set on an app's state by `core.api.register_app` (its `reads_without_transaction`)
READS_WITHOUT_TRANSACTION = "reads_without_transaction"


def urls_of(request: Request) -> Urls:
    return urls_for(request, runtime_of(request).settings.base_url)


async def get_urls(request: Request) -> Urls:
    return urls_of(request)


# Ends (commits) after the endpoint returns and before the response is sent: a failed commit
# becomes an error response, never a success answer for data that was not stored.
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
UrlsDep = Annotated[Urls, Depends(get_urls)]
