"""Catalogue types kept per process, valid for exactly one committed version of the catalogue.

Every change to a Catalogi table made through a session (ORM objects or ORM-enabled
INSERT/UPDATE/DELETE) writes a new random token to `catalogi_versie`, in the transaction of
the change. A transaction that wants cached types reads that token once (one small query, or
a column of the statement that authenticated the request: `token_side_read`) and uses what
this process holds under it; a different token empties the cache. So the next
request after a commit sees the change, in every worker process, and a restored backup or an
emptied table can never bring back stale entries (tokens are random, not counted).

A transaction that changes the catalogue itself stops using the cache from that moment: it
must see its own uncommitted changes, and they must not leak into the cache.

What is kept: rendered bodies (per collection, public base URL and date, because references
and validity depend on both), the mapping between database ids and UUIDs of the types, and
read-only copies of types that other registers check their writes against (`Columns`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from mijnzaken.catalogi.models import CatalogiVersie
from mijnzaken.core.auth import SideRead
from mijnzaken.core.db import Base

Body = dict[str, Any]
_TOKEN = "mijnzaken.catalogi.versie"  # key in Session.info: the token this transaction read
_CHANGED = "changed"  # Session.info value: this transaction changed the catalogue
_PREFIX = "catalogi_"
_VERSIE_TABLE = Table("catalogi_versie", Base.metadata)
# distinct (collection, base URL, date) body caches kept before starting over
_MAX_BODY_KEYS = 64


@dataclass
class _Snapshot:
    """What this process knows of the catalogue as of one token."""

    token: str
    bodies: dict[tuple[str, str, dt.date], dict[uuid.UUID, Body]] = field(default_factory=dict)
    uuids: dict[str, dict[int, uuid.UUID]] = field(default_factory=dict)
    ids: dict[str, dict[uuid.UUID, int]] = field(default_factory=dict)
    types: dict[str, dict[Any, Any]] = field(default_factory=dict)


_snapshot: _Snapshot | None = None


def _for(token: str) -> _Snapshot:
    global _snapshot
    if _snapshot is None or _snapshot.token != token:
        _snapshot = _Snapshot(token)
    return _snapshot


async def token(session: AsyncSession) -> str | None:
    """The catalogue version this transaction may use cached types for; None: use none."""
    info = session.info
    if _TOKEN not in info:
        stmt = select(CatalogiVersie.versie).where(CatalogiVersie.id == 1)
        info[_TOKEN] = (await session.execute(stmt)).scalar_one_or_none()
    value = info[_TOKEN]
    return None if value == _CHANGED else value


def _keep_token(session: AsyncSession, value: str | None) -> None:
    if _TOKEN not in session.info:
        session.info[_TOKEN] = value


def token_side_read() -> SideRead:
    """The token as a `SideRead`: read by the statement that authenticates a request, so a
    transaction that uses cached types spends no round trip of its own on it."""
    versie = CatalogiVersie.__table__.c  # the table: the statement stays free of ORM work
    column = select(versie.versie).where(versie.id == 1).scalar_subquery()
    return SideRead(column, _keep_token)


def _still(session: AsyncSession, read: str) -> bool:
    """Whether what this transaction loaded after reading `read` may be cached: the
    transaction did not change the catalogue in between (e.g. by an autoflush)."""
    return session.info.get(_TOKEN) == read


Load = Callable[[list[Any]], Awaitable[Mapping[Any, Any]]]


async def _through(
    session: AsyncSession,
    table: Callable[[_Snapshot], dict[Any, Any]],
    keys: Iterable[Any],
    load: Load,
) -> dict[Any, Any]:
    """`keys` looked up in the snapshot's `table`, the missing ones loaded (and kept)."""
    wanted = list(dict.fromkeys(keys))
    read = await token(session)
    if read is None:
        return dict(await load(wanted)) if wanted else {}
    cached = table(_for(read))
    found = {k: cached[k] for k in wanted if k in cached}
    missing = [k for k in wanted if k not in cached]
    if missing:
        loaded = await load(missing)
        found.update(loaded)
        if _still(session, read):
            cached.update(loaded)
    return found


async def bodies(
    session: AsyncSession,
    collection: str,
    base: str,
    day: dt.date,
    idents: Collection[uuid.UUID],
    load: Load,
) -> dict[uuid.UUID, Body]:
    """Rendered types of `collection` by UUID; `load` renders those not cached yet.

    The bodies are shared: callers copy before they change one."""

    def table(snapshot: _Snapshot) -> dict[Any, Any]:
        if len(snapshot.bodies) >= _MAX_BODY_KEYS:
            snapshot.bodies.clear()
        return snapshot.bodies.setdefault((collection, base, day), {})

    return await _through(session, table, idents, load)


async def uuids(
    session: AsyncSession, kind: str, ids: Iterable[int], load: Load
) -> dict[int, uuid.UUID]:
    """UUIDs of types of `kind` by database id; `load` looks up those not cached yet."""
    return await _through(session, lambda s: s.uuids.setdefault(kind, {}), ids, load)


async def ids(
    session: AsyncSession, kind: str, idents: Iterable[uuid.UUID], load: Load
) -> dict[uuid.UUID, int]:
    """Database ids of types of `kind` by UUID; `load` looks up those not cached yet."""
    return await _through(session, lambda s: s.ids.setdefault(kind, {}), idents, load)


async def types(
    session: AsyncSession, table: str, keys: Iterable[Any], load: Load
) -> dict[Any, Any]:
    """Entries of the named `table` (e.g. types of one kind by UUID); `load` looks up those
    not cached yet. What it returns is shared between requests: make it read-only
    (`Columns`)."""
    return await _through(session, lambda s: s.types.setdefault(table, {}), keys, load)


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    return value


class Columns:
    """The column values of one catalogue type, read-only: a copy shared by the requests
    of this process (an ORM object belongs to one session). JSON lists become tuples and
    objects read-only mappings, so no request can change what another one reads."""

    __slots__ = ("_values",)

    def __init__(self, obj: Any) -> None:
        values = {a.key: _freeze(getattr(obj, a.key)) for a in inspect(obj).mapper.column_attrs}
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        if name == "_values":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{name}: a cached catalogue type is read-only")


# --- noticing changes ------------------------------------------------------------------------


def _bump(session: Session) -> None:
    """A new token, written in the transaction that changes the catalogue."""
    if session.info.get(_TOKEN) == _CHANGED:
        return
    connection = session.connection()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    values = {"id": 1, "versie": uuid.uuid4().hex}
    connection.execute(
        insert(_VERSIE_TABLE)
        .values(values)
        .on_conflict_do_update(index_elements=["id"], set_={"versie": values["versie"]})
    )
    session.info[_TOKEN] = _CHANGED


def _is_catalogue(table_name: Any) -> bool:
    return isinstance(table_name, str) and table_name.startswith(_PREFIX)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if _is_catalogue(getattr(obj, "__tablename__", None)):
            _bump(session)
            return


@event.listens_for(Session, "do_orm_execute")
def _orm_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _is_catalogue(getattr(table, "name", None)):
            _bump(state.session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_TOKEN, None)
