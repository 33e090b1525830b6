"""Operator tasks run from the CLI, each one transaction on the configured database."""

from __future__ import annotations

from mijnzaken.autorisaties import service as autorisaties
from mijnzaken.core.db import Database
from mijnzaken.core.settings import get_settings


async def set_secret(client_id: str, secret: str) -> None:
    """Register or rotate the JWT secret of `client_id`."""
    database = Database(get_settings().database_url)
    try:
        async with database.transaction() as session:
            await autorisaties.set_secret(session, client_id, secret)
    finally:
        await database.dispose()


async def ensure_applicatie(client_id: str, secret: str, label: str, alle: bool) -> None:
    """Register `client_id` with its secret and an Applicatie; update both if they exist."""
    database = Database(get_settings().database_url)
    try:
        async with database.transaction() as session:
            await autorisaties.ensure_applicatie(session, client_id, secret, label, alle)
    finally:
        await database.dispose()
