"""The processing log's writer: group commit of the entries of read-only requests (ADR 0013).

A read that logs would otherwise turn its transaction into a writing one (on SQLite: take
the database's single write lock) for one small INSERT. Instead `service.log` hands the
entry of a request that has written nothing to this writer when the data has been read; the
writer inserts whatever entries are waiting in one transaction (on PostgreSQL one statement
in autocommit, see `write`), and each request awaits the commit of its batch before its own
transaction answers (`core.db.wait_before_commit`): no page or response is shown without its
entry stored. A batch that cannot be written fails its requests with `LogboekOnbeschikbaar`
(503).

One writer per database engine and process, started by the app's lifespan (`running`), and
by the CLI or a test that wants it; without one, `log` writes in the caller's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    ColumnClause,
    Connection,
    Dialect,
    Engine,
    Insert,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from mijnzaken.core.db import Database, create_blocking_sqlite_engine
from mijnzaken.core.errors import ApiError
from mijnzaken.verwerkingen.keten import INHOUD
from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

logger = logging.getLogger("mijnzaken.verwerkingen")

# one entry: the actie's column values and its verwerkte objecten
Entry = tuple[dict[str, Any], list[dict[str, Any]]]
# one request's entries and the future it awaits
Item = tuple[list[Entry], "asyncio.Future[None]"]

MAX_BATCH = 500  # entries per transaction; what waits beyond goes in the next one

_ACTIE: Table = Verwerkingsactie.__table__  # type: ignore[assignment]
_OBJECT: Table = VerwerktObject.__table__  # type: ignore[assignment]

# The columns an entry gives (`service.entry`): every one, so none is left to a default. An
# object's `tijdstip` is not among them: the writer copies it from its actie.
ACTIE_COLUMNS = (*INHOUD, "inhoud_hash")
OBJECT_COLUMNS = (
    "uuid",
    "volgorde",
    "objecttype",
    "soort_object_id",
    "object_id",
    "betrokkenheid",
    "soorten_gegevens",
)


class LogboekOnbeschikbaar(ApiError):
    """The processing-log entry of a read could not be stored: the data is not shown."""

    status = 503
    code = "verwerkingenlog_onbeschikbaar"
    title = "Het verwerkingenlog is niet beschikbaar; probeer het later opnieuw."


def _refused_for_content(exc: Exception) -> bool:
    """Whether `exc` refuses the content of an entry, not the state of the connection: the
    database's integrity or data checks, or a column type's check before anything was sent
    (a moment without zone, a flag that is no bool, a text JSON cannot carry). The entries
    of the other requests of the batch can still be stored."""
    if isinstance(exc, IntegrityError | DataError | ValueError | TypeError):
        return True
    # SQLAlchemy wraps what a column type raised while it prepared the parameters
    return (
        isinstance(exc, StatementError)
        and not isinstance(exc, DBAPIError)
        and isinstance(exc.orig, ValueError | TypeError)
    )


def write(connection: Connection, entries: Sequence[Entry]) -> None:
    """Insert entries in the connection's transaction (or, in autocommit, as one statement
    that commits itself). PostgreSQL: the acties and their objecten in ONE statement; SQLite
    (no INSERT in a WITH): the acties, then their objecten, three statements at most."""
    if not entries:
        return
    if connection.dialect.name == "postgresql":
        acties, objecten = _postgresql_parameters(connection.dialect, entries)
        connection.execute(_POSTGRESQL_INSERT, {"acties": acties, "objecten": objecten})
        return
    if len(entries) == 1:
        # one row: its id is the cursor's last row id, without RETURNING and the sorting of
        # a multi-row INSERT
        values, _objecten = entries[0]
        result = connection.execute(_INSERT_ACTIE, {**values, "actueel": True})
        ids: Sequence[Any] = result.inserted_primary_key or ()
    else:
        # SQLite promises no order for the rows a multi-row INSERT returns, so SQLAlchemy
        # would send one INSERT per actie to match ids to entries: instead the acties go in
        # one executemany and their ids are read back by (actie_id, versie) in one query
        connection.execute(_INSERT_ACTIE, [{**values, "actueel": True} for values, _o in entries])
        keys = [(values["actie_id"], values["versie"]) for values, _o in entries]
        found = {
            (actie_id, versie): row_id
            for row_id, actie_id, versie in connection.execute(
                _IDS_OF, {"actie_ids": [actie_id for actie_id, _versie in keys]}
            )
        }
        ids = [found[key] for key in keys]
    rows = [
        {**o, "actie_versie_id": row_id, "tijdstip": values["tijdstip"]}
        for row_id, (values, objs) in zip(ids, entries, strict=True)
        for o in objs
    ]
    if rows:
        connection.execute(_INSERT_OBJECTEN, rows)


# built once: an INSERT constructed per batch costs more than its (cached) compilation
_INSERT_ACTIE = insert(_ACTIE)
_IDS_OF = select(_ACTIE.c.id, _ACTIE.c.actie_id, _ACTIE.c.versie).where(
    _ACTIE.c.actie_id.in_(bindparam("actie_ids", expanding=True))
)
_INSERT_OBJECTEN = insert(_OBJECT)


def _recordset(name: str, table: Table, columns: Sequence[str], *first: ColumnClause[Any]) -> Any:
    """`json_to_recordset(CAST(:name AS JSON)) AS name(...)` with `columns` in the table's
    own types. Texts are read as TEXT, so that the INSERT checks their length as it checks
    a parameter's; a JSON column arrives as the text its type's serializer made."""

    def typed(column_name: str) -> ColumnClause[Any]:
        kind = table.c[column_name].type
        return column(column_name, Text if isinstance(kind, JSON | String) else kind)

    rows = func.json_to_recordset(cast(bindparam(name, type_=Text), JSON))
    return rows.table_valued(*first, *map(typed, columns)).render_derived(name, with_types=True)


def _postgresql_insert() -> Insert:
    """The acties and their objecten in one statement, which on a connection in autocommit
    is one round trip and its own transaction (no BEGIN, no COMMIT). Each set travels as one
    JSON parameter whatever the batch holds, so the statement (and the server's prepared
    statement) is one. The objecten find their actie's new id by its (actie_id, versie),
    which the first INSERT returns with its moment, of which they keep a copy; `nr` keeps the
    ids in the order of the batch, the order in which the sealer links them."""
    actie_columns = ("actueel", *ACTIE_COLUMNS)
    r = _recordset("acties", _ACTIE, actie_columns, column("nr", Integer))
    acties = (
        insert(_ACTIE)
        .from_select(actie_columns, select(*(r.c[n] for n in actie_columns)).order_by(r.c.nr))
        .returning(_ACTIE.c.id, _ACTIE.c.actie_id, _ACTIE.c.versie, _ACTIE.c.tijdstip)
        .cte("actie")
    )
    o = _recordset(
        "objecten",
        _OBJECT,
        OBJECT_COLUMNS,
        column("actie_id", _ACTIE.c.actie_id.type),
        column("versie", Integer),
    )
    values = (cast(o.c[n], JSON) if n == "soorten_gegevens" else o.c[n] for n in OBJECT_COLUMNS)
    of_actie = (acties.c.actie_id == o.c.actie_id) & (acties.c.versie == o.c.versie)
    return (
        insert(_OBJECT)
        .from_select(
            ("actie_versie_id", "tijdstip", *OBJECT_COLUMNS),
            select(acties.c.id, acties.c.tijdstip, *values).select_from(o.join(acties, of_actie)),
        )
        .add_cte(acties)
    )


_POSTGRESQL_INSERT = _postgresql_insert()

_Processors = tuple[tuple[str, Callable[[Any], Any]], ...]


@functools.cache
def _column_processors(dialect: Dialect) -> tuple[_Processors, _Processors]:
    """Per table, the columns whose type prepares a value before it is sent (the moments in
    UTC, the flags checked, JSON as text): applied here as SQLAlchemy applies them to the
    parameters of an INSERT, so the same values are stored."""

    def of(table: Table, names: Sequence[str]) -> _Processors:
        return tuple(
            (name, process)
            for name in names
            if (process := table.c[name].type.bind_processor(dialect)) is not None
        )

    return of(_ACTIE, ("actueel", *ACTIE_COLUMNS)), of(_OBJECT, OBJECT_COLUMNS)


def _postgresql_parameters(dialect: Dialect, entries: Sequence[Entry]) -> tuple[str, str]:
    actie_processors, object_processors = _column_processors(dialect)
    acties: list[dict[str, Any]] = []
    objecten: list[dict[str, Any]] = []
    for nr, (values, objs) in enumerate(entries):
        # by name: an entry that lacks a column fails here instead of storing a NULL
        actie = {name: values[name] for name in ACTIE_COLUMNS}
        actie["actueel"] = True
        for name, process in actie_processors:
            actie[name] = process(actie[name])
        actie["nr"] = nr
        acties.append(actie)
        for o in objs:
            obj = {name: o[name] for name in OBJECT_COLUMNS}
            for name, process in object_processors:
                obj[name] = process(obj[name])
            obj["actie_id"] = actie["actie_id"]
            obj["versie"] = actie["versie"]
            objecten.append(obj)
    return orjson.dumps(acties).decode(), orjson.dumps(objecten).decode()


class Schrijver:
    """Takes entries from concurrent requests and writes them in batches, one transaction
    per batch; `submit` answers a future that is done when the entries are committed.

    While a batch is being written, new entries wait for the next one. Up to `lanes`
    batches are written at once, each on a connection of the writer's own (no wait for the
    pool, which requests awaiting their batch may hold to the last connection): one on
    SQLite, which has one writer anyway; a few on PostgreSQL, whose commits wait for the
    disk in parallel. On PostgreSQL those connections run in autocommit: a batch is one
    statement, so one round trip, without BEGIN and COMMIT."""

    def __init__(
        self, engine: AsyncEngine, *, max_batch: int = MAX_BATCH, lanes: int | None = None
    ) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.lanes = lanes or (1 if engine.dialect.name == "sqlite" else 4)
        self.loop = asyncio.get_running_loop()
        self._queue: deque[Item] = deque()
        self._free_lanes = self.lanes
        # a lane was started and has not yet taken its batch: it will take what arrives
        # until then, so no other lane is started for it
        self._lane_starting = False
        self._in_flight: set[asyncio.Task[None]] = set()
        self._connections: list[AsyncConnection] = []  # idle ones, kept between batches
        self._closing = False
        self._started = False
        # SQLite: a batch is written in one thread call on a blocking connection, instead
        # of an event-loop turn per statement, which a busy loop makes long
        self._blocking = create_blocking_sqlite_engine(
            engine.url.render_as_string(hide_password=False)
        )
        self._blocking_connection: Connection | None = None
        # counters, for the benchmark and the tests
        self.batches = 0
        self.entries = 0

    def start(self) -> None:
        self._started = True

    def accepts(self) -> bool:
        """Whether entries handed over now will be written (running, same event loop)."""
        if self._closing or not self._started:
            return False
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    def submit(self, entries: list[Entry]) -> asyncio.Future[None]:
        """Queue entries; the future is done when their batch committed, or fails with
        `LogboekOnbeschikbaar`."""
        future: asyncio.Future[None] = self.loop.create_future()
        # a request that ended otherwise (rolled back, cancelled) no longer awaits it
        future.add_done_callback(_retrieved)
        self._queue.append((entries, future))
        # the lane is started here, not woken through a task of the writer's: one event-loop
        # turn less between the request and its batch
        if self._free_lanes and not self._lane_starting:
            self._start_lane()
        return future

    def _start_lane(self) -> None:
        self._free_lanes -= 1
        self._lane_starting = True
        task = self.loop.create_task(self._lane(), name="verwerkingen-schrijver")
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _lane(self) -> None:
        """Write batches while entries wait; then the lane is free again."""
        # taken now, in this first step: what arrived since the lane was started joins the
        # batch (another lane may have taken it all meanwhile)
        self._lane_starting = False
        try:
            while self._queue:
                batch = self._take()
                if self._queue and self._free_lanes and not self._lane_starting:
                    self._start_lane()  # more than one batch waits: write them side by side
                await self._write(batch)
        finally:
            self._free_lanes += 1

    def _take(self) -> list[Item]:
        batch: list[Item] = []
        size = 0
        while self._queue and (not batch or size + len(self._queue[0][0]) <= self.max_batch):
            item = self._queue.popleft()
            batch.append(item)
            size += len(item[0])
        return batch

    async def _write(self, batch: list[Item]) -> None:
        entries = [e for es, _f in batch for e in es]
        try:
            if self._blocking is not None:
                await asyncio.to_thread(self._in_thread, entries)
            else:
                await self._on_connection(entries)
        except Exception as exc:
            if _refused_for_content(exc) and len(batch) > 1:
                # one request's entry is refused: the others need not fail with it
                for item in batch:
                    await self._write([item])
                return
            self._fail(batch, exc)
            return
        self._done(batch, entries)

    async def _on_connection(self, entries: list[Entry]) -> None:
        connection = self._connections.pop() if self._connections else None
        try:
            if connection is None:
                connection = await self.engine.connect()
                if connection.dialect.name == "postgresql":
                    # a batch is one statement there (see `write`): it commits itself
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
            if connection.dialect.name == "postgresql":
                await connection.run_sync(write, entries)
            else:
                async with connection.begin():
                    await connection.run_sync(write, entries)
        except Exception as exc:
            if connection is not None and _refused_for_content(exc):
                # refused by the database, or before it was reached: the connection is fine
                if connection.in_transaction():
                    await connection.rollback()
                self._connections.append(connection)
            else:  # unreachable, full, locked too long, ...: the next batch opens a new one
                await _discard(connection)
            raise
        self._connections.append(connection)

    def _in_thread(self, entries: list[Entry]) -> None:
        assert self._blocking is not None
        if self._blocking_connection is None:
            self._blocking_connection = self._blocking.connect()
        try:
            with self._blocking_connection.begin():
                write(self._blocking_connection, entries)
        except Exception as exc:
            if not _refused_for_content(exc):
                self._drop_blocking()
            raise

    def _drop_blocking(self) -> None:
        connection, self._blocking_connection = self._blocking_connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()
            with contextlib.suppress(Exception):
                connection.close()

    def _done(self, batch: list[Item], entries: list[Entry]) -> None:
        self.batches += 1
        self.entries += len(entries)
        for _entries, future in batch:
            if not future.done():
                future.set_result(None)

    @staticmethod
    def _fail(batch: list[Item], exc: Exception) -> None:
        logger.error(
            "processing-log batch of %d request(s) not written: %s", len(batch), type(exc).__name__
        )
        for _entries, future in batch:
            if not future.done():
                future.set_exception(LogboekOnbeschikbaar())

    async def close(self) -> None:
        """Write what was handed over, then stop; later entries go in their own transaction."""
        self._closing = True
        while self._queue or self._in_flight:
            if self._queue and self._free_lanes and not self._lane_starting:
                self._start_lane()
            await asyncio.gather(*self._in_flight)
        while self._connections:
            await self._connections.pop().close()
        if self._blocking is not None:
            await asyncio.to_thread(self._drop_blocking)
            self._blocking.dispose()


async def _discard(connection: AsyncConnection | None) -> None:
    if connection is None:
        return
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


_writers: dict[AsyncEngine, Schrijver] = {}


def voor(session: AsyncSession) -> Schrijver | None:
    """The running writer of the session's database in this event loop, if any."""
    bind = session.bind
    writer = _writers.get(bind) if isinstance(bind, AsyncEngine) else None
    return writer if writer is not None and writer.accepts() else None


def blocking_engine(database: Database) -> Engine | None:
    """The engine the running writer of `database` writes its batches through when that is
    not the database's own (SQLite), e.g. to count its statements."""
    writer = _writers.get(database.engine)
    return writer._blocking if writer is not None else None


@contextlib.asynccontextmanager
async def running(database: Database, *, max_batch: int = MAX_BATCH) -> AsyncIterator[Schrijver]:
    """Run the writer of `database` while the block runs; on the way out every entry handed
    over is written (or its request failed) before this returns. Nested use shares the
    writer that already runs."""
    existing = _writers.get(database.engine)
    if existing is not None and existing.accepts():
        yield existing
        return
    writer = Schrijver(database.engine, max_batch=max_batch)
    writer.start()
    _writers[database.engine] = writer
    try:
        yield writer
    finally:
        if _writers.get(database.engine) is writer:
            del _writers[database.engine]
        await writer.close()
