"""A row queued with `outbox.insert_at_commit` (a created object nobody reads back before the
commit) is written as the transaction commits: on PostgreSQL in the statement of its
notification and audit record, one round trip; a rollback leaves none of the three."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from mijnzaken.core import audit, outbox
from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.outbox import OutboxMessage
from tests.statements import recording

URL = "http://testserver/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000002"


def _audit(resource: str) -> dict[str, Any]:
    return audit.values(
        bron="ZRC",
        auth=AuthContext(client_id="test", label="Test"),
        actie="create",
        resultaat=201,
        hoofd_object=URL,
        resource=resource,
        resource_url=URL,
    )


async def _change(database, *, fails: bool) -> list[str]:
    """A change that queues a row of its own (here: an audit record of resource `rol`), then
    its notification with its audit record; the statements its commit ran."""
    with recording(database.engine.sync_engine) as statements:
        async with database.transaction() as session:
            outbox.insert_at_commit(session, AuditTrail.__table__, _audit("rol"))
            message = outbox.message_values(
                kanaal="zaken", hoofd_object=URL, resource="rol", resource_url=URL, actie="create"
            )
            outbox.notify_with(session, message, AuditTrail.__table__, _audit("zaak"))
            if fails:
                raise RuntimeError("the change fails after it queued its rows")
    return statements


async def _count(database, model, *where) -> int:
    async with database.transaction() as session:
        stmt = select(func.count()).select_from(model).where(*where)
        return int((await session.execute(stmt)).scalar_one())


async def test_a_row_queued_at_commit_goes_with_the_notification_or_not_at_all(database):
    with pytest.raises(RuntimeError):
        await _change(database, fails=True)
    assert await _count(database, AuditTrail) == 0
    assert await _count(database, OutboxMessage) == 0

    statements = await _change(database, fails=False)
    assert await _count(database, AuditTrail, AuditTrail.resource == "rol") == 1
    assert await _count(database, AuditTrail, AuditTrail.resource == "zaak") == 1
    assert await _count(database, OutboxMessage) == 1
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "WITH"))]
    if database.engine.dialect.name == "postgresql":
        assert len(writes) == 1, writes  # the row, the audit record and the notification
    else:
        assert len(writes) == 3, writes


async def test_a_row_queued_at_commit_without_a_notification_is_written_too(database):
    async with database.transaction() as session:
        outbox.insert_at_commit(session, AuditTrail.__table__, _audit("rol"))
    assert await _count(database, AuditTrail, AuditTrail.resource == "rol") == 1
    assert await _count(database, OutboxMessage) == 0
