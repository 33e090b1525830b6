"""Counting the SQL statements a request costs (for the fixed-number-of-queries tests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import Engine, event

from mijnzaken.core.db import Database
from mijnzaken.verwerkingen import schrijver


@contextmanager
def recording(*engines: Engine) -> Iterator[list[str]]:
    """The statements run on `engines` (sync engines) inside the block, in order."""
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before)


async def run_counted(
    database: Database, send: Callable[[], Awaitable[httpx.Response]]
) -> tuple[list[str], httpx.Response]:
    """The statements `send` executes, and its response."""
    executed, response = await run_recorded(database, send)
    return [statement for statement, _parameters in executed], response


async def run_recorded(
    database: Database, send: Callable[[], Awaitable[httpx.Response]]
) -> tuple[list[tuple[str, Any]], httpx.Response]:
    """The statements `send` executes with their parameters (as the driver got them), and its
    response."""
    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    # the processing log's writer may write through an engine of its own (SQLite); a
    # zaaknummer is taken beside the transaction, through another (PostgreSQL)
    engines = [database.engine.sync_engine]
    if database.aside_engine is not None:
        engines.append(database.aside_engine.sync_engine)
    writer_engine = schrijver.blocking_engine(database)
    if writer_engine is not None:
        engines.append(writer_engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", before)
    try:
        response = await send()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before)
    return statements, response


async def warm_count(database: Database, send: Callable[[], Awaitable[httpx.Response]]) -> int:
    """Statements of `send` once the per-process caches (the catalogue) are warm: it is sent
    twice and the second time is counted, so pages of different sizes compare fairly."""
    first = await send()
    assert first.status_code == 200, first.text
    statements, response = await run_counted(database, send)
    assert response.status_code == 200, response.text
    return len(statements)
