"""What one running process shares between requests: settings, database, hooks from the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
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


def get_runtime(request: Request) -> Runtime:
    runtime: Any = request.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the endpoint returns, rolled back on error.

    FastAPI caches the dependency within a request, so authentication and the endpoint share it.
    """
    runtime = get_runtime(request)
    async with runtime.database.transaction() as session:
        yield session


def get_urls(request: Request) -> Urls:
    return urls_for(request, get_runtime(request).settings.base_url)


# Ends (commits) after the endpoint returns and before the response is sent: a failed commit
# becomes an error response, never a success answer for data that was not stored.
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
UrlsDep = Annotated[Urls, Depends(get_urls)]
