"""Database engine, session per request or job, and the declarative base."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
import uuid as uuid_lib
import weakref
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Integer,
    MetaData,
    TypeDecorator,
    Uuid,
    any_,
    bindparam,
    event,
    func,
    select,
)
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    SessionTransaction,
    mapped_column,
)
from sqlalchemy.orm import Session as OrmSession

from mijnzaken.core import sqlite_direct, sqlite_gate

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table; constraint names are stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment, stored and returned as timezone-aware UTC on every database.

    SQLite keeps no zone and hands back naive values; they are UTC because we only store UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, _dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a timezone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, _dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def iso(value: dt.datetime | None) -> str | None:
    """A moment as the ZGW APIs write it: ISO 8601 in UTC with a Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class UuidMixin:
    """Integer primary key for joins, public UUID for URLs."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_lib.UUID] = mapped_column(
        Uuid, unique=True, index=True, default=uuid_lib.uuid4
    )


def in_parameter(dialect: str, column: Any, name: str) -> ColumnElement[bool]:
    """`column IN :name` for a statement built once and executed with a list as `name`:
    `= ANY(<array>)` on PostgreSQL (see `among`), an expanding IN elsewhere."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]


def among(session: AsyncSession, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL written as `column = ANY(<one array parameter>)`:
    the statement text is the same for any number of values, so the server's prepared
    statement and plan are reused instead of prepared again for every new list length."""
    values = list(values)
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, values, type_=ARRAY(column.type))
        return column == any_(array)  # type: ignore[no-any-return]
    if len(values) > _SQLITE_LIST_LIMIT and all(type(v) is int for v in values):
        # SQLite caps the parameters of a statement; a long list of integers goes as one
        # JSON array parameter, unpacked by json_each
        each = func.json_each(bindparam(None, orjson.dumps(values).decode())).table_valued("value")
        return column.in_(select(each.c.value))  # type: ignore[no-any-return]
    return column.in_(values)  # type: ignore[no-any-return]


_SQLITE_LIST_LIMIT = 500


def sqlite_file(url: URL) -> str | None:
    """The file of the SQLite database `url`; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return url.database


def lock_file(database: str, name: str) -> Path:
    """The file next to the SQLite file `database` whose advisory lock `name` is."""
    return Path(database).with_suffix(f".{name}.lock")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # a connection of the event loop's thread must not sleep in SQLite's busy handler: it
    # waits for the lock with asyncio instead (core.sqlite_direct)
    busy = 0 if sqlite_direct.direct(dbapi_connection) else 10000
    cursor.execute(f"PRAGMA busy_timeout={busy}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A pooled connection idle for longer than this is pinged before it is handed out again.
IDLE_PING_AFTER = 10.0


def _ping_when_idle(engine: AsyncEngine, idle_after: float) -> None:
    """Check a pooled PostgreSQL connection only when it has been idle a while.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: with asyncpg that is three round
    trips (BEGIN, a probe, ROLLBACK) before every request's first statement. A connection that
    was in use moments ago is alive; one that sat idle may have been cut by a database restart
    or a firewall. Raising DisconnectionError makes the pool drop it and take another."""
    dialect = engine.sync_engine.dialect

    @event.listens_for(engine.sync_engine, "checkin")
    def _stamp(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_after:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure of the probe means: not usable
            raise DisconnectionError("idle connection did not answer") from exc


def json_dumps(value: Any) -> str:
    """JSON text of `value` as the engine writes JSON columns: for a statement that passes
    JSON as a bound text value (PostgreSQL arrays of it) rather than through the column."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits in a client's JSON
        return json.dumps(value, ensure_ascii=False)


_LONG_DIGITS = re.compile(r"\d{19}")


def _json_loads(text: str | bytes) -> Any:
    # orjson reads integers beyond 64 bits as floats: such values (rare) go to the standard
    # library, which keeps every digit
    if _LONG_DIGITS.search(text if isinstance(text, str) else text.decode()):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# The pool of an engine on a SQLite file or a PostgreSQL server. It opens a connection only
# when every kept one is in use, keeps up to `pool_size` of them when they come back, and
# closes any other at check-in. A worker serving more requests at once than it keeps opens
# and closes connections all the time: with SQLAlchemy's 5 (SQLite) a benchmark run opened
# 1,520 SQLite connections (a thread, the pragmas and a schema parse each); with 10
# (PostgreSQL) one worker of the benchmark's floor app opened about 500 in 10 seconds (a
# server process, the driver's set-up and every statement prepared again). A serving worker
# also lends the processing log's writer up to four (verwerkingen/schrijver.py) and the
# sealer one. A kept connection is a thread and a file handle (SQLite), or an idle server
# process (PostgreSQL: count `max_connections` for every worker).
POOL: dict[str, Any] = {"pool_size": 20, "max_overflow": 10}


def create_engine(
    database_url: str,
    *,
    echo: bool = False,
    idle_after: float = IDLE_PING_AFTER,
    pool: dict[str, Any] | None = None,
) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout. JSON columns are
    read and written with orjson: a page of zaken with their rollen decodes hundreds of them.
    Statement parameters are kept out of log lines and error texts: a BSN is one of them.
    `pool` replaces the engine's pool settings (and may set its isolation level); an
    in-memory SQLite database keeps SQLAlchemy's own pool."""
    url = make_url(database_url)
    kwargs: dict[str, Any] = {
        "echo": echo,
        "hide_parameters": True,
        "json_serializer": json_dumps,
        "json_deserializer": _json_loads,
    }
    if url.get_backend_name() == "sqlite":
        if (database := sqlite_file(url)) is not None:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(pool if pool is not None else POOL)
            # sqlite3 called in the event loop's thread, not in aiosqlite's (ADR 26)
            kwargs["async_creator"] = sqlite_direct.connector(database)
    else:
        kwargs.update(pool if pool is not None else POOL)
    engine = create_async_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(engine, idle_after)
    return engine


# --- what a transaction did, and what it waits for before it commits ----------------------

_WROTE = "core.wrote"
_WAITS = "core.waits"


@event.listens_for(OrmSession, "after_flush")
def _flushed(session: OrmSession, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(OrmSession, "after_transaction_end")
def _ended(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
        session.info.pop(_WAITS, None)


def has_written(session: AsyncSession) -> bool:
    """Whether the session's transaction changed something (flushed objects, or ran an
    INSERT, UPDATE or DELETE through the session) or holds changes not flushed yet. A
    statement run on `session.connection()` directly is not seen."""
    return bool(session.info.get(_WROTE) or session.new or session.deleted or session.dirty)


def mark_written(session: AsyncSession) -> None:
    """Note that the transaction changes something it will write only as it commits."""
    session.info[_WROTE] = True


def wait_before_commit(session: AsyncSession, awaitable: Awaitable[Any]) -> None:
    """Make `Database.transaction` await `awaitable` before it answers: its failure fails
    the transaction (the processing log's group commit, ADR 0013)."""
    session.info.setdefault(_WAITS, []).append(awaitable)


async def _commit(session: AsyncSession) -> None:
    waits: list[Awaitable[Any]] = session.info.pop(_WAITS, [])
    if not waits:
        await session.commit()
    elif has_written(session):
        # the request wrote after it handed its entry over: commit first, then wait. Waiting
        # while the transaction holds its locks can block the writer's batch behind it (on
        # SQLite, the one write lock: a deadlock until the busy timeout). A failed batch then
        # still fails the answer; the change stands, as it would after a lost answer.
        await session.commit()
        await asyncio.gather(*waits)
    else:
        # a read-only transaction has nothing to undo: its (empty) commit and the waits
        # overlap. Both end before this returns, so a rollback after a failure never runs
        # beside the commit.
        results = await asyncio.gather(session.commit(), *waits, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result


def create_blocking_sqlite_engine(database_url: str) -> Engine | None:
    """A blocking engine on the same SQLite file as `database_url` (same pragmas and JSON),
    for work done in one thread call instead of one event-loop turn per statement; None when
    the URL is not a SQLite file."""
    url = make_url(database_url)
    if sqlite_file(url) is None:
        return None
    engine = create_sync_engine(
        url.set(drivername="sqlite"),
        json_serializer=json_dumps,
        json_deserializer=_json_loads,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# --- statements that commit at once, beside the request's transaction (ADR 0024) ----------

# the engine of `aside` per engine of a Database (as long as that engine exists)
_ASIDE: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def aside(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """A session beside `session`'s transaction whose statements each commit at once.

    For a short statement whose row locks must not last as long as the request does: taking
    the next number from a counter row would otherwise keep every other request that needs
    a number waiting until this one has committed. What it writes stands whether the request
    commits or not. On PostgreSQL it runs on the one connection (in autocommit) the
    Database keeps for this: callers in a process take turns, so it never waits for the
    request pool, which the callers themselves may hold to the last connection. Elsewhere
    (SQLite has one writer, whose lock the request holds once it has written; an engine not
    made by a Database) it is `session` itself."""
    bind = session.bind
    engine = _ASIDE.get(bind) if isinstance(bind, AsyncEngine) else None
    if engine is None:
        yield session
        return
    async with AsyncSession(engine) as own:
        yield own


class Database:
    """Owns the engine and hands out sessions; one per process."""

    def __init__(self, database_url: str, *, echo: bool = False) -> None:
        self.url = database_url
        self.engine = create_engine(database_url, echo=echo)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self._aside: AsyncEngine | None = None
        if self.engine.dialect.name == "postgresql":
            # connects when first used; one connection: `aside` statements are short
            self._aside = create_engine(
                database_url,
                echo=echo,
                pool={"pool_size": 1, "max_overflow": 0, "isolation_level": "AUTOCOMMIT"},
            )
            _ASIDE[self.engine] = self._aside
        database = sqlite_file(make_url(database_url))
        if database is not None:
            sqlite_gate.install(self.engine, str(lock_file(database, "schrijven")))  # ADR 0025

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit when the block succeeds, roll back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await _commit(session)
            except BaseException:
                await session.rollback()
                raise

    @property
    def aside_engine(self) -> AsyncEngine | None:
        """The engine of `aside` for this database's sessions, if it has one (PostgreSQL)."""
        return self._aside

    async def dispose(self) -> None:
        """Close the pooled connections (the engines stay usable and connect again when
        used, as SQLAlchemy's `dispose` leaves them)."""
        if self._aside is not None:
            await self._aside.dispose()
        await self.engine.dispose()
        sqlite_gate.uninstall(self.engine)

    # --- reading without a transaction (ADR 0022) -----------------------------------------

    # marks the session (info) and its connection (execution option) of `reading`
    READING = "core.reading"
    # what a statement run inside `reading` may start with; compiled INSERT, UPDATE, DELETE
    # and DDL are refused whatever their text
    _READ_STATEMENT = re.compile(r"\s*(SELECT|WITH|VALUES|TABLE|SHOW|EXPLAIN)\b", re.IGNORECASE)
    # a WITH may hold a data-modifying statement (PostgreSQL): a query only when it holds none
    _WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
    _MODIFYING = re.compile(
        r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|MERGE\s+INTO)\b", re.IGNORECASE
    )

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads, outside a transaction: on PostgreSQL its connection runs
        in autocommit, which saves the BEGIN and COMMIT round trips (each statement still sees
        committed data, as in READ COMMITTED). A write inside it fails with a RuntimeError
        before it reaches the database, so nothing is left behind. What the block registered
        with `wait_before_commit` (the processing log's entries) is awaited before it ends."""
        if not self.__dict__.get("_guarded"):
            event.listen(self.engine.sync_engine, "before_cursor_execute", self._refuse_write)
            self._guarded = True
        options: dict[str, Any] = {self.READING: True}
        if self.engine.dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        async with self.sessionmaker() as session:
            session.info[self.READING] = True
            await session.connection(execution_options=options)
            waits: list[Awaitable[Any]] = []
            try:
                yield session
                waits = session.info.pop(_WAITS, [])
            finally:
                # nothing to commit: ending the session hands the connection back; on
                # PostgreSQL its rollback is no round trip (no transaction was begun)
                await session.close()
            if len(waits) == 1:
                await waits[0]  # the usual one entry: no gather, one event-loop turn fewer
            elif waits:
                await asyncio.gather(*waits)

    @staticmethod
    def is_reading(session: AsyncSession) -> bool:
        """Whether `session` is one of `reading`: no transaction to write in."""
        return bool(session.info.get(Database.READING))

    @staticmethod
    def _refuse_write(
        connection: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
    ) -> None:
        if not connection.get_execution_options().get(Database.READING):
            return
        if context is not None and (
            context.isinsert or context.isupdate or context.isdelete or context.isddl
        ):
            kind = "a write"
        elif Database._READ_STATEMENT.match(statement) is None:
            kind = "a statement that is not a query"
        elif Database._WITH.match(statement) and Database._MODIFYING.search(statement):
            kind = "a write in a WITH"
        else:
            return
        raise RuntimeError(
            f"{kind} inside Database.reading() (a GET or HEAD runs without a transaction, "
            f"ADR 0022), refused before it ran: {' '.join(statement.split()[:3])} ..."
        )


# The primary key of a table that grows without end (audit trail, outbox, queues and their
# attempts): a 32-bit SERIAL ends at 2,147,483,647, so BIGINT on PostgreSQL. On SQLite only a
# column declared exactly INTEGER PRIMARY KEY is the (64-bit) rowid that numbers itself.
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")
