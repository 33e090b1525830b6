"""The transactional outbox: side effects are rows written with the change that causes them.

A dispatcher delivers them after commit (the Notificaties register routes each row to its
abonnementen, or forwards it to a remote router); a rolled-back change rolls its rows back too,
so nothing is sent for it, and nothing committed is lost before delivery.

A commit that wrote outbox rows (or other work for a runner, `mark_work`) calls the
listeners registered with `on_commit` for that kind of work, so the runner that takes it, in
the same process, starts at once instead of at its next poll; the runners of other kinds
sleep on (a wake costs a runner a transaction that claims nothing). A process that runs no
runner for the kind (a `serve` beside separate workers, a command) signals the others
instead: on PostgreSQL a NOTIFY on channel `WORK_CHANNEL`, its payload naming the kinds, sent
in the transaction (delivered at its commit), on SQLite a touch of the database's `.work`
file after the commit; `core/wake.py` is the receiving end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import JSON, String, Table, bindparam, event, insert
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from mijnzaken.core import clock
from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, mark_written, sqlite_file


class OutboxMessage(Base):
    """One notification waiting for delivery, in the Notificaties API message format."""

    __tablename__ = "core_outbox"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    kanaal: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


_WORK = "mijnzaken.outbox.work"
_TOUCH = "mijnzaken.outbox.touch"
# (outbox row, other table, its row) written as the transaction commits (`notify_with`)
_PENDING = "mijnzaken.outbox.pending"
# (table, row) of a change written as the transaction commits (`insert_at_commit`)
_ROWS = "mijnzaken.outbox.rows"
WORK_CHANNEL = "mijnzaken_work"
# the kind of work of this outbox and of the notificatie deliveries it turns into: the
# dispatcher's. Other runners name their own kind (their lock name, core/runner.py).
NOTIFICATIES = "notificaties"
_listeners: dict[str, list[Callable[[], None]]] = {}


def on_commit(listener: Callable[[], None], kind: str) -> Callable[[], None]:
    """Call `listener` after every commit that wrote work of `kind`; returns the function
    that unregisters it."""
    _listeners.setdefault(kind, []).append(listener)

    def unregister() -> None:
        found = _listeners.get(kind, [])
        if listener in found:
            found.remove(listener)
        if not found:
            _listeners.pop(kind, None)

    return unregister


def listening_kinds() -> frozenset[str]:
    """The kinds of work a runner of this process is woken for."""
    return frozenset(_listeners)


def wake(kinds: Iterable[str]) -> None:
    """Call the listeners of `kinds`: work of theirs may be waiting."""
    for kind in set(kinds):
        for listener in list(_listeners.get(kind, ())):
            listener()


def wake_all() -> None:
    """Call every listener: work may be waiting (a signal from another process that does
    not say which)."""
    wake(list(_listeners))


def work_signal_file(url: URL) -> Path | None:
    """The file whose modification time signals work on the SQLite database `url` (None for
    other databases and in-memory SQLite)."""
    database = sqlite_file(url)
    return Path(database).with_suffix(".work") if database is not None else None


def mark_work(session: AsyncSession, kind: str) -> None:
    """Note that this transaction creates work of `kind` (its runner is woken when it
    commits)."""
    session.info.setdefault(_WORK, set()).add(kind)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _write_pending(session)
    kinds: set[str] = session.info.get(_WORK) or set()
    elsewhere = sorted(kinds - _listeners.keys())
    if not elsewhere:
        return  # this process's own runners take the work (woken after the commit)
    url = session.get_bind().engine.url
    if url.get_backend_name() == "postgresql":
        # the kinds are names of our own (no quoting needed), and the receivers wake
        # only the runners of these
        payload = ",".join(elsewhere)
        session.connection().exec_driver_sql(f"NOTIFY {WORK_CHANNEL}, '{payload}'")
    else:
        session.info[_TOUCH] = work_signal_file(url)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touch: Path | None = session.info.pop(_TOUCH, None)
    kinds: set[str] | None = session.info.pop(_WORK, None)
    if kinds:
        wake(kinds)
    if touch is not None:
        with contextlib.suppress(OSError):  # the runners find the work at their next poll
            touch.touch()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_WORK, None)
    session.info.pop(_TOUCH, None)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rows not written by now belong to no transaction
        session.info.pop(_PENDING, None)
        session.info.pop(_ROWS, None)


def message_values(
    *,
    kanaal: str,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    actie: str,
    kenmerken: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The columns of the outbox row of one Notificaties API message, created now."""
    moment = clock.now()
    return {
        "created_at": moment,
        "kanaal": kanaal,
        "payload": {
            "kanaal": kanaal,
            "hoofdObject": hoofd_object,
            "resource": resource,
            "resourceUrl": resource_url,
            "actie": actie,
            "aanmaakdatum": moment.isoformat().replace("+00:00", "Z"),
            "kenmerken": kenmerken or {},
        },
    }


def notify(
    session: AsyncSession,
    *,
    kanaal: str,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    actie: str,
    kenmerken: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue a Notificaties API message in the current transaction."""
    message = OutboxMessage(
        **message_values(
            kanaal=kanaal,
            hoofd_object=hoofd_object,
            resource=resource,
            resource_url=resource_url,
            actie=actie,
            kenmerken=kenmerken,
        )
    )
    session.add(message)
    mark_work(session, NOTIFICATIES)
    return message


def notify_with(
    session: AsyncSession, message: dict[str, Any], table: Table, row: dict[str, Any]
) -> None:
    """Queue the outbox row `message` (`message_values`) and `row` of `table` (e.g. the
    audit-trail record of the same change) in the current transaction. They are written as
    it commits: on PostgreSQL in one statement (an INSERT with the other table's INSERT in
    its WITH clause), a change answered with one round trip fewer than two ORM rows take.
    Nothing in the transaction reads them back before it commits; a rollback drops them."""
    session.info.setdefault(_PENDING, []).append((message, table, row))
    mark_written(session)
    mark_work(session, NOTIFICATIES)


def insert_at_commit(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Queue `row` of `table` (the object a request creates) to be inserted as the
    transaction commits, before its ORM changes are flushed: on PostgreSQL in the statement
    of the transaction's first `notify_with` (one round trip, no flush of its own), else
    on its own. Only for a row that nothing in the transaction reads back or refers to
    before it commits, and whose key nobody needs (it is not returned); a rollback drops
    it, a failed insert fails the commit."""
    session.info.setdefault(_ROWS, []).append((table, row))
    mark_written(session)


# statements built once per shape: one built per call with its values has no cache key and
# would be compiled on every execution
_Rows = tuple[tuple[Table, dict[str, Any]], ...]
_COMBINED: dict[Any, Any] = {}


def _combined(table: Table, message: dict[str, Any], row: dict[str, Any], before: _Rows) -> Any:
    key = (table, tuple(message), tuple(row), tuple((t, tuple(r)) for t, r in before))
    stmt = _COMBINED.get(key)
    if stmt is None:
        outbox = cast(Table, OutboxMessage.__table__)
        written = [
            insert(t)
            .values({k: bindparam(f"b{i}_{k}", type_=t.c[k].type) for k in r})
            .cte(f"written_before_{i}")
            for i, (t, r) in enumerate(before)
        ]
        other = insert(table).values({k: bindparam(f"w_{k}", type_=table.c[k].type) for k in row})
        stmt = _COMBINED[key] = (
            insert(outbox)
            .values({k: bindparam(f"m_{k}", type_=outbox.c[k].type) for k in message})
            .add_cte(*written, other.cte("written_with"))
        )
    return stmt


def _write_pending(session: Session) -> None:
    pending: list[tuple[dict[str, Any], Table, dict[str, Any]]] = session.info.pop(_PENDING, [])
    rows: list[tuple[Table, dict[str, Any]]] = session.info.pop(_ROWS, [])
    if not pending and not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and pending:
        before: _Rows = tuple(rows)  # the change goes with the first notification
        for message, table, row in pending:
            parameters = {f"m_{k}": v for k, v in message.items()}
            parameters.update((f"w_{k}", v) for k, v in row.items())
            for i, (_t, values) in enumerate(before):
                parameters.update((f"b{i}_{k}", v) for k, v in values.items())
            connection.execute(_combined(table, message, row, before), parameters)
            before = ()
        return
    for table, row in rows:
        connection.execute(insert(table), row)
    if not pending:
        return
    outbox = cast(Table, OutboxMessage.__table__)
    connection.execute(insert(outbox), [message for message, _table, _row in pending])
    for table in dict.fromkeys(table for _message, table, _row in pending):
        connection.execute(insert(table), [row for _m, t, row in pending if t is table])
