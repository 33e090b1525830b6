"""A durable job queue in the database: claim with a lease, retry with backoff, park.

A job is a row with `QueueColumns` in a table of its own use (a notification delivery; later a
citizen message). Its life:

    pending --claim--> (leased) --2xx--> done
                          |--failure--> pending again at now + backoff (with jitter, capped)
                          |--failure past the horizon--> parked (visible; an operator retries)

A claim pushes `available_at` to the end of the lease and stamps a `claim_token`; a worker that
dies mid-job leaves a row whose lease runs out, and any worker claims it again. Results are
written only where the token still matches, so a worker that lost its lease cannot overwrite a
newer claim. Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so any number of workers share
one queue; on SQLite one statement claims atomically and one runner per database is kept by a
file lock (`sqlite_singleton`). Every attempt is a row of the use's attempt table.

core/runner.py runs a queue: up to `concurrency` jobs in flight, claims in batches, results
recorded in batched statements, so a slow target never holds up the others. See
docs/adr/0004.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    String,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core import clock
from mijnzaken.core.db import ROW_ID, UtcDateTime
from mijnzaken.core.settings import Settings

logger = logging.getLogger("mijnzaken.jobs")

PENDING = "pending"
DONE = "done"
PARKED = "parked"
STATES = (PENDING, DONE, PARKED)
INTERRUPTED = "onderbroken: het proces stopte tijdens de poging"


class QueueColumns:
    """The columns that make a table a job queue (mixed into the use's model)."""

    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # when the job may be claimed next: now, the end of a lease, or the end of a backoff
    available_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # a failure from this moment on parks the job (creation or requeue + the horizon)
    park_after: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")


def queue_indexes(table: str) -> tuple[Index, Index]:
    """The indexes a job table needs: claiming due jobs, and finding the oldest waiting one."""
    return (
        Index(f"ix_{table}_claim", "state", "available_at"),
        Index(f"ix_{table}_age", "state", "created_at"),
    )


class AttemptColumns:
    """One attempt at a job: when, the answer (HTTP status) or the error, and how long."""

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str] = mapped_column(String(500), default="")
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter up to `cap`; failures past `horizon` park the job."""

    base: float  # seconds before the first retry (before jitter)
    cap: float  # the longest wait between two attempts
    horizon: float  # seconds after its creation that a failing job is parked
    lease: float  # seconds a claim lasts; longer than one attempt can take

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after the `attempts`-th failed attempt ("equal jitter")."""
        ceiling = float(min(self.cap, self.base * 2.0 ** min(max(attempts - 1, 0), 40)))
        jitter: float = (rng or random).uniform(0, ceiling / 2)
        return ceiling / 2 + jitter


def mirror_policy(settings: Settings) -> RetryPolicy:
    """The retries of every job that mirrors a relation in a remote register (zrc-005,
    brc-005, zrc-024, zrc-025): backoff as for deliveries (`MIJNZAKEN_DELIVERY_RETRY_*`),
    parked after `MIJNZAKEN_SPIEGEL_PARK_AFTER`."""
    return RetryPolicy(
        base=settings.delivery_retry_base,
        cap=settings.delivery_retry_cap,
        horizon=settings.spiegel_park_after,
        lease=settings.outbound_timeout * 4 + 30,  # a search, a POST or some DELETEs
    )


@dataclass(frozen=True)
class Claimed:
    """A job this worker holds until `token`'s lease ends."""

    id: int
    token: str
    park_after: dt.datetime
    attempts: int  # attempts before this one
    group: Any = None  # e.g. the abonnement: jobs that share a target


@dataclass(frozen=True)
class Outcome:
    """The result of one attempt."""

    job: Claimed
    ok: bool
    attempted_at: dt.datetime
    status: int | None = None
    error: str = ""
    latency_ms: int = 0
    # the target did not answer at all (refused, timeout, 502-504): its other waiting jobs
    # wait for this job's next attempt instead of each failing on their own
    unreachable: bool = False


@dataclass(frozen=True)
class QueueStats:
    pending: int
    parked: int
    oldest_pending: dt.datetime | None


class JobQueue:
    """The queue operations on one job table and its attempt table."""

    def __init__(
        self,
        model: type[Any],
        attempt_model: type[Any],
        attempt_fk: str,
        policy: RetryPolicy,
        *,
        group: str | None = None,
    ) -> None:
        self.table = model.__table__
        self.attempts = attempt_model.__table__
        self.attempt_fk = attempt_fk
        self.policy = policy
        self.group = self.table.c[group] if group else None
        # the statements of the hot path, built once: their values are parameters, so each
        # execution finds its compiled form in the cache without building the construct
        self._claim = self._claim_stmt()
        self._delivered = self._delivered_stmt()
        self._failed = self._failed_stmt()
        self._attempt = insert(self.attempts)
        self._recorded = self._recorded_stmt()

    def _claim_stmt(self) -> Any:
        t = self.table
        due = (
            select(t.c.id)
            .where(t.c.state == PENDING, t.c.available_at <= bindparam("c_now", type_=UtcDateTime))
            .order_by(t.c.available_at, t.c.id)
            .limit(bindparam("c_limit", type_=Integer))
            .with_for_update(skip_locked=True)
        )
        returning = [t.c.id, t.c.park_after, t.c.attempts]
        if self.group is not None:
            returning.append(self.group)
        return (
            t.update()
            .where(t.c.id.in_(due.scalar_subquery()))
            .values(
                available_at=bindparam("c_until", type_=UtcDateTime),
                claim_token=bindparam("c_token", type_=String),
            )
            .returning(*returning)
        )

    def _delivered_stmt(self) -> Any:
        """Jobs delivered with one status (`b_keys`: their (id, token) pairs)."""
        t = self.table
        return (
            t.update()
            .where(tuple_(t.c.id, t.c.claim_token).in_(bindparam("b_keys", expanding=True)))
            .values(
                state=DONE,
                attempts=t.c.attempts + 1,
                finished_at=bindparam("b_now", type_=UtcDateTime),
                last_status=bindparam("b_status", type_=Integer),
                last_error="",
                claim_token=None,
            )
            .returning(t.c.id)
        )

    def _failed_stmt(self) -> Any:
        """One job's new state, for an executemany."""
        t = self.table
        return (
            t.update()
            .where(t.c.id == bindparam("b_id"), t.c.claim_token == bindparam("b_token"))
            .values(
                state=bindparam("b_state"),
                attempts=bindparam("b_attempts"),
                available_at=bindparam("b_available"),
                finished_at=bindparam("b_finished"),
                last_status=bindparam("b_status"),
                last_error=bindparam("b_error"),
                claim_token=None,
            )
        )

    def _recorded_stmt(self) -> Any:
        """PostgreSQL: every outcome's new job state and its attempt row in one statement of
        constant text. The outcomes come as one array per column; the UPDATE (in the WITH
        clause) writes only where the token still matches, the INSERT adds an attempt for
        every job that still exists, in the order given, and returns their ids."""
        t = self.table
        moment = DateTime(timezone=True)
        arrays = [
            ("id", t.c.id.type),
            ("token", String()),
            ("state", String()),
            ("attempts", Integer()),
            ("available_at", moment),
            ("finished_at", moment),
            ("status", Integer()),
            ("error", String()),
            ("attempted_at", moment),
            ("latency_ms", Integer()),
        ]
        given = (
            func.unnest(*(cast(bindparam(f"r_{n}"), ARRAY(type_)) for n, type_ in arrays))
            .table_valued(*(column(n, type_) for n, type_ in arrays), with_ordinality="n")
            .render_derived(name="r")
        )
        outcomes = select(given).cte("outcomes")
        o = outcomes.c
        states = (
            t.update()
            .where(t.c.id == o.id, t.c.claim_token == o.token)
            .values(
                state=o.state,
                attempts=o.attempts,
                available_at=o.available_at,
                finished_at=o.finished_at,
                last_status=o.status,
                last_error=o.error,
                claim_token=None,
            )
            .cte("states")
        )
        existing = (
            select(o.id, o.attempted_at, o.status, o.error, o.latency_ms)
            .join_from(outcomes, t, t.c.id == o.id)
            .order_by(o.n)
        )
        fk = self.attempts.c[self.attempt_fk]
        return (
            insert(self.attempts)
            .from_select(
                [fk.name, "attempted_at", "status", "error", "latency_ms"],
                existing,
            )
            .returning(fk)
            .add_cte(states)
        )

    async def claim(self, session: AsyncSession, limit: int) -> list[Claimed]:
        """Claim up to `limit` due jobs for one lease (one statement)."""
        now = clock.now()
        token = uuid.uuid4().hex
        parameters = {
            "c_now": now,
            "c_limit": limit,
            "c_until": now + dt.timedelta(seconds=self.policy.lease),
            "c_token": token,
        }
        rows = (await session.execute(self._claim, parameters)).all()
        return [
            Claimed(
                id=r[0],
                token=token,
                park_after=_aware(r[1]),
                attempts=r[2],
                group=r[3] if self.group is not None else None,
            )
            for r in rows
        ]

    async def record(
        self, session: AsyncSession, outcomes: Sequence[Outcome], rng: random.Random | None = None
    ) -> dict[int, dt.datetime]:
        """Write the outcomes of attempts: the jobs' new state and one attempt row each.
        Returns when each job that failed and waits again is due next."""
        if not outcomes:
            return {}
        # rows locked in id order, the order an abonnement's delete locks its waiting
        # deliveries in: in the order the attempts finished, the two could deadlock
        outcomes = sorted(outcomes, key=lambda o: o.job.id)
        now = clock.now()
        rows = []
        retry_at: dict[int, dt.datetime] = {}
        for o in outcomes:
            attempts = o.job.attempts + 1
            state, available = DONE, now
            finished: dt.datetime | None = now
            if not o.ok:
                if now >= o.job.park_after:
                    state = PARKED
                else:
                    state, finished = PENDING, None
                    available = now + dt.timedelta(seconds=self.policy.delay(attempts, rng))
                    retry_at[o.job.id] = available
            rows.append(
                {
                    "b_id": o.job.id,
                    "b_token": o.job.token,
                    "b_state": state,
                    "b_attempts": attempts,
                    "b_available": available,
                    "b_finished": finished,
                    "b_status": o.status,
                    "b_error": o.error[:500],
                }
            )
        if session.get_bind().dialect.name == "postgresql":
            present = await self._record_at_once(session, outcomes, rows)
        else:
            present = await self._record_apart(session, outcomes, rows, now)
        outcomes = [o for o in outcomes if o.job.id in present]
        if not outcomes:
            return {}
        # the target did not answer: its other waiting jobs wait for this one's next attempt
        defer: dict[Any, dt.datetime] = {}
        for o in outcomes:
            until = retry_at.get(o.job.id)
            if until is not None and o.unreachable and self.group is not None:
                defer[o.job.group] = max(until, defer.get(o.job.group, until))
        for group, until in defer.items():
            await self.defer_group(session, group, until)
        return {o.job.id: retry_at[o.job.id] for o in outcomes if o.job.id in retry_at}

    async def _record_at_once(
        self, session: AsyncSession, outcomes: Sequence[Outcome], rows: Sequence[dict[str, Any]]
    ) -> set[int]:
        """PostgreSQL: states and attempts in one statement; the ids of the jobs that still
        exist (their attempts are recorded)."""
        parameters = {
            "r_id": [row["b_id"] for row in rows],
            "r_token": [row["b_token"] for row in rows],
            "r_state": [row["b_state"] for row in rows],
            "r_attempts": [row["b_attempts"] for row in rows],
            "r_available_at": [row["b_available"] for row in rows],
            "r_finished_at": [row["b_finished"] for row in rows],
            "r_status": [row["b_status"] for row in rows],
            "r_error": [row["b_error"] for row in rows],
            "r_attempted_at": [o.attempted_at for o in outcomes],
            "r_latency_ms": [o.latency_ms for o in outcomes],
        }
        return set((await session.execute(self._recorded, parameters)).scalars())

    async def _record_apart(
        self,
        session: AsyncSession,
        outcomes: Sequence[Outcome],
        rows: Sequence[dict[str, Any]],
        now: dt.datetime,
    ) -> set[int]:
        """Other databases: the delivered jobs per status, the failed ones by executemany,
        then the attempts of the jobs that still exist; returns those jobs' ids."""
        t = self.table
        # the common case, delivered with the same status, in one statement
        delivered: dict[int | None, list[tuple[int, str]]] = {}
        failed = []
        for o, row in zip(outcomes, rows, strict=True):
            if row["b_state"] == DONE:
                delivered.setdefault(o.status, []).append((o.job.id, o.job.token))
            else:
                failed.append(row)
        present: set[int] = set()  # jobs that still exist (their attempts are recorded)
        for status, keys in delivered.items():
            result = await session.execute(
                self._delivered, {"b_keys": keys, "b_now": now, "b_status": status}
            )
            present.update(result.scalars())
        if failed:
            await session.execute(self._failed, failed)
        # a job removed meanwhile (its abonnement was deleted) has nothing left to record; one
        # whose lease ran out and was claimed again still gets this attempt on record. Only
        # the jobs the update did not report need looking up (none in the common case).
        unsure = [o.job.id for o in outcomes if o.job.id not in present]
        if unsure:
            found = await session.execute(select(t.c.id).where(t.c.id.in_(unsure)))
            present.update(found.scalars())
        kept = [o for o in outcomes if o.job.id in present]
        if kept:
            await session.execute(
                self._attempt,
                [
                    {
                        self.attempt_fk: o.job.id,
                        "attempted_at": o.attempted_at,
                        "status": o.status,
                        "error": o.error[:500],
                        "latency_ms": o.latency_ms,
                    }
                    for o in kept
                ],
            )
        return present

    async def defer_group(self, session: AsyncSession, group: Any, until: dt.datetime) -> None:
        """Let the waiting, unclaimed jobs of `group` wait until `until` (not an attempt)."""
        assert self.group is not None
        t = self.table
        target = self.group.is_(None) if group is None else self.group == group
        await session.execute(
            t.update()
            .where(
                target, t.c.state == PENDING, t.c.available_at < until, t.c.claim_token.is_(None)
            )
            .values(available_at=until)
        )

    async def release(
        self,
        session: AsyncSession,
        jobs: Sequence[Claimed],
        *,
        interrupted: bool = False,
        until: dt.datetime | None = None,
    ) -> None:
        """Give claimed jobs back, due at once or at `until`, unattempted. `interrupted`:
        their attempt had started (shutdown); it is recorded as one that did not finish."""
        if not jobs:
            return
        t = self.table
        now = clock.now()
        values: dict[str, Any] = {"available_at": until or now, "claim_token": None}
        if interrupted:
            values.update(attempts=t.c.attempts + 1, last_error=INTERRUPTED)
        await session.execute(
            t.update()
            .where(t.c.id == bindparam("b_id"), t.c.claim_token == bindparam("b_token"))
            .values(**values),
            [{"b_id": j.id, "b_token": j.token} for j in jobs],
        )
        if interrupted:
            await session.execute(
                self.attempts.insert(),
                [{self.attempt_fk: j.id, "attempted_at": now, "error": INTERRUPTED} for j in jobs],
            )

    def new(self) -> dict[str, Any]:
        """The queue columns of a job created now (for the use's INSERT)."""
        now = clock.now()
        return {
            "state": PENDING,
            "attempts": 0,
            "created_at": now,
            "available_at": now,
            "park_after": now + dt.timedelta(seconds=self.policy.horizon),
            "last_error": "",
        }

    async def requeue(self, session: AsyncSession, where: Sequence[Any]) -> int:
        """Make the jobs matching `where` (parked, waiting, or done: a replay) due now, with a
        new horizon; their attempt history stays. Jobs in flight are left alone."""
        t = self.table
        now = clock.now()
        result = await session.execute(
            t.update()
            .where(*where, (t.c.state != PENDING) | t.c.claim_token.is_(None))
            .values(
                state=PENDING,
                available_at=now,
                park_after=now + dt.timedelta(seconds=self.policy.horizon),
                claim_token=None,
                finished_at=None,
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def stats(self, session: AsyncSession) -> QueueStats:
        """Queue depth, parked count and the oldest waiting job (indexed queries)."""
        t = self.table
        counts: dict[str, int] = dict(
            (
                await session.execute(
                    select(t.c.state, func.count())
                    .where(t.c.state.in_((PENDING, PARKED)))
                    .group_by(t.c.state)
                )
            ).all()
        )
        oldest = (
            await session.execute(select(func.min(t.c.created_at)).where(t.c.state == PENDING))
        ).scalar_one_or_none()
        return QueueStats(
            pending=int(counts.get(PENDING, 0)),
            parked=int(counts.get(PARKED, 0)),
            oldest_pending=_aware(oldest) if oldest is not None else None,
        )


def _aware(value: Any) -> dt.datetime:
    """A moment from a raw (Core) row: SQLite hands back naive UTC or a string."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
