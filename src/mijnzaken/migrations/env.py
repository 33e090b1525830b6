"""Alembic environment: runs the migrations on the configured (async) database."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection

from mijnzaken.all_models import metadata
from mijnzaken.core.db import UtcDateTime, create_engine
from mijnzaken.core.settings import get_settings

config = context.config


def _url() -> str:
    url = config.attributes.get("database_url") or get_settings().database_url
    assert isinstance(url, str)
    return url


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    # our column types render as the plain SQLAlchemy types they store as
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection | None = None, **kwargs: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_item=_render_item,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        **kwargs,
    )


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(_run_async())
