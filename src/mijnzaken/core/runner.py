"""Running a job queue (core/jobs.py): a `Handler` supplies the work, a `Runner` keeps it
moving — batched claims, jobs in flight, batched records, probing of failing targets,
graceful shutdown — and `sqlite_singleton` keeps one runner per SQLite database."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock, outbox
from mijnzaken.core.db import Database, lock_file, sqlite_file
from mijnzaken.core.jobs import Claimed, JobQueue, Outcome

logger = logging.getLogger("mijnzaken.jobs")


class Handler(Protocol):
    """What a use of the queue supplies to a `Runner`."""

    queue: JobQueue

    async def prepare(self, session: AsyncSession, jobs: Sequence[Claimed]) -> Mapping[int, Any]:
        """Load what performing the claimed jobs needs (a fixed number of queries)."""
        ...

    async def perform(self, job: Claimed, item: Any) -> Outcome:
        """Attempt one job; never raises (a failure is an Outcome)."""
        ...


class Runner:
    """Runs one handler's jobs: claims in batches, keeps `concurrency` in flight, records in
    batches, and on stop finishes what is in flight within `grace` seconds or releases it.

    A target that failed before is probed: of its claimed jobs that are retries, one is
    attempted and the others wait for its outcome (released at once when it gets through,
    or until its next attempt when the target is still unreachable), so a subscriber that is
    down costs one attempt per backoff step instead of one per waiting job."""

    def __init__(
        self,
        database: Database,
        handler: Handler,
        *,
        concurrency: int = 64,
        poll_interval: float = 0.25,
        flush_interval: float = 0.05,
        grace: float = 10.0,
        before: Callable[[], Awaitable[Any]] | None = None,
        feed: Callable[[AsyncSession], Awaitable[bool]] | None = None,
    ) -> None:
        self.database = database
        self.handler = handler
        self.concurrency = max(1, concurrency)
        self.poll_interval = poll_interval
        self.flush_interval = flush_interval
        self.grace = grace
        self.before = before  # upkeep in transactions of its own, every poll
        # creates jobs (the outbox router) in the claim's own transaction, so new work is
        # claimed in the same round trip; returns whether more is waiting to be fed
        self.feed = feed
        self.wakeup = asyncio.Event()
        self._held: dict[int, list[Claimed]] = {}  # probe job id -> jobs waiting for it
        self._failing: dict[Any, bool] = {}  # group -> did its latest attempt fail
        self._due: float | None = None  # monotonic time the earliest retry we set falls due
        # more jobs may be due than the last claim took (it was full, or jobs held for a
        # probe were released); otherwise new work comes with a wake, a retry or a poll
        self._backlog = True

    def wake(self) -> None:
        """Look for work now (called after a commit that created some)."""
        self.wakeup.set()

    def _select(self, jobs: Sequence[Claimed]) -> list[Claimed]:
        """The jobs to attempt now: a group with retries among them that is failing (or not
        known to work) sends one probe; the others wait for its outcome."""
        chosen, held = self._choose(jobs)
        self._held.update(held)
        return chosen

    def _choose(self, jobs: Sequence[Claimed]) -> tuple[list[Claimed], dict[int, list[Claimed]]]:
        """`_select` without keeping the held jobs: (to attempt, probe id -> held jobs)."""
        groups: dict[Any, list[Claimed]] = {}
        for job in jobs:
            groups.setdefault(job.group, []).append(job)
        chosen: list[Claimed] = []
        held: dict[int, list[Claimed]] = {}
        for group, members in groups.items():
            failing = self._failing.get(group, True)
            if failing and len(members) > 1 and any(j.attempts for j in members):
                probe = max(members, key=lambda j: (j.attempts, -j.id))
                held[probe.id] = [j for j in members if j is not probe]
                chosen.append(probe)
            else:
                chosen.extend(members)
        return chosen, held

    async def _cycle(
        self, outcomes: Sequence[Outcome], limit: int, *, feed: bool = False
    ) -> tuple[list[Claimed], Mapping[int, Any], bool]:
        """One transaction, one commit: record `outcomes` (and release the jobs held for
        their probes), route new work (`feed`), claim up to `limit` jobs and load what they
        need. The runner's state changes only once the transaction has committed."""
        queue = self.handler.queue
        more = False
        retry_at: Mapping[int, dt.datetime] = {}
        chosen: list[Claimed] = []
        held: dict[int, list[Claimed]] = {}
        items: Mapping[int, Any] = {}
        claimed: list[Claimed] = []
        released = False  # jobs held for a probe are due again at once
        async with self.database.transaction() as session:
            if outcomes:
                retry_at = await queue.record(session, outcomes)
                for o in outcomes:
                    waiting = self._held.get(o.job.id)
                    if waiting:
                        until = retry_at.get(o.job.id) if o.unreachable else None
                        await queue.release(session, waiting, until=until)
                        released = released or until is None
            if feed and self.feed is not None:
                more = await self.feed(session)
            if limit > 0:
                claimed = await queue.claim(session, limit)
                chosen, held = self._choose(claimed)
                if chosen:
                    items = await self.handler.prepare(session, chosen)
        self._recorded(outcomes)
        self._held.update(held)
        if limit > 0:
            self._backlog = len(claimed) >= limit
        self._backlog = self._backlog or released
        if outcomes and retry_at:
            self._retry_due(min(retry_at.values()))
        return chosen, items, more

    def _retry_due(self, moment: dt.datetime) -> None:
        """Look again when the earliest retry this runner scheduled falls due, instead of
        waiting for the next poll."""
        # a little after it: a claim a moment early finds nothing and waits a whole poll
        due = time.monotonic() + max(0.0, (moment - clock.now()).total_seconds()) + 0.02
        if self._due is None or due < self._due:
            self._due = due

    async def _record(self, outcomes: Sequence[Outcome]) -> None:
        await self._cycle(outcomes, 0)

    def _recorded(self, outcomes: Sequence[Outcome]) -> None:
        if len(self._failing) > 10_000:
            self._failing.clear()
        for o in outcomes:
            self._held.pop(o.job.id, None)
            self._failing[o.job.group] = not o.ok

    async def _release(self, jobs: Sequence[Claimed], unstarted: Sequence[Claimed] = ()) -> None:
        """Give back `jobs` whose attempt was cut off (recorded as interrupted) and
        `unstarted` ones (not an attempt), with the jobs held for any of them."""
        held = [j for job in (*jobs, *unstarted) for j in self._held.pop(job.id, [])]
        async with self.database.transaction() as session:
            await self.handler.queue.release(session, jobs, interrupted=True)
            await self.handler.queue.release(session, [*unstarted, *held])

    async def _perform(self, job: Claimed, item: Any) -> Outcome:
        try:
            return await self.handler.perform(job, item)
        except Exception as exc:  # a bug must not lose the job: it is an attempt that failed
            logger.exception("job %s failed unexpectedly", job.id)
            return Outcome(job, ok=False, attempted_at=clock.now(), error=type(exc).__name__)

    async def step(self) -> int:
        """One round: claim a batch, attempt the jobs, record the outcomes. Returns how many
        jobs were claimed. For tests and operator commands; `run` overlaps the rounds."""
        if self.before is not None:
            await self.before()
        async with self.database.transaction() as session:
            if self.feed is not None:
                while await self.feed(session):
                    pass
            claimed = await self.handler.queue.claim(session, self.concurrency)
            chosen = self._select(claimed)
            items = await self.handler.prepare(session, chosen) if chosen else {}
        outcomes = await asyncio.gather(*(self._perform(j, items.get(j.id)) for j in chosen))
        await self._record(outcomes)
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set, then finish or release the jobs in flight.

        Each round is one transaction: it records the outcomes that landed, routes new work
        (`feed`, when woken by a commit and at least every `poll_interval`) and claims. Up to
        `concurrency` jobs are in flight and as many more claimed and ready, so the flight
        refills from memory while the database round runs; a claim tops the ready jobs up
        whenever half of them have been started. A round runs for work that may be due (a
        wake, a poll, a retry of ours falling due, a previous claim that was full) or for
        outcomes that waited `flush_interval` (or half a flight of them): outcomes landing
        between the rounds of a steady trickle of work are recorded by the next round
        instead of by one of their own."""
        inflight: dict[asyncio.Task[Outcome], Claimed] = {}
        ready: collections.deque[tuple[Claimed, Any]] = collections.deque()
        results: list[Outcome] = []
        landed = 0.0  # when the oldest outcome not yet recorded landed
        next_before = 0.0
        failures = 0
        capacity = 2 * self.concurrency  # jobs held: in flight plus ready
        while not stop.is_set():
            claimed: list[Claimed] = []
            try:
                now = time.monotonic()
                retry = False
                if self._due is not None and now >= self._due:
                    self._due = None  # this round claims the retry that fell due
                    retry = True
                woken = self.wakeup.is_set()
                self.wakeup.clear()
                feed = woken or now >= next_before
                if feed:
                    next_before = now + self.poll_interval
                    if self.before is not None:
                        await self.before()
                if not results:
                    landed = time.monotonic()
                self._collect(inflight, results)
                self._start(inflight, ready)
                room = capacity - len(inflight) - len(ready)
                # a claim only where jobs may be due: new work (a wake, a poll), a retry
                # that fell due, or more than the last claim could take
                claim = (self._backlog or feed or retry) and (
                    room >= max(1, self.concurrency // 2) or (room > 0 and not inflight)
                )
                due = time.monotonic() - landed >= self.flush_interval
                flush = bool(results) and (due or len(results) >= self.concurrency // 2)
                more = False
                if claim or flush or (feed and self.feed is not None):
                    # outcomes go with every round; a round only to record them waits
                    # until a flush interval has passed or half a flight has landed
                    batch = list(results)
                    claimed, items, more = await self._cycle(batch, room if claim else 0, feed=feed)
                    del results[: len(batch)]
                    ready.extend((job, items.get(job.id)) for job in claimed)
                    self._start(inflight, ready)
                if more:
                    self.wakeup.set()  # a full batch was routed: route again at once
                failures = 0
            except Exception:
                failures += 1
                logger.exception("job runner: database error, retrying")
                await _sleep_or_stop(stop, min(30.0, 0.5 * 2**failures))
                continue
            if claimed and len(inflight) + len(ready) < capacity:
                continue  # there may be more waiting
            await self._wait(stop, inflight, results)
        await self._drain(inflight, results, [job for job, _item in ready])

    def _start(
        self,
        inflight: dict[asyncio.Task[Outcome], Claimed],
        ready: collections.deque[tuple[Claimed, Any]],
    ) -> None:
        while ready and len(inflight) < self.concurrency:
            job, item = ready.popleft()
            inflight[asyncio.create_task(self._perform(job, item))] = job

    @staticmethod
    def _collect(inflight: dict[asyncio.Task[Outcome], Claimed], results: list[Outcome]) -> None:
        for task in [t for t in inflight if t.done()]:
            del inflight[task]
            results.append(task.result())

    async def _wait(
        self,
        stop: asyncio.Event,
        inflight: Mapping[asyncio.Task[Outcome], Claimed],
        results: list[Outcome],
    ) -> None:
        if inflight or results:
            timeout = self.flush_interval
        else:
            timeout = self.poll_interval
            if self._due is not None:
                timeout = min(timeout, max(0.0, self._due - time.monotonic()))
        wake = asyncio.ensure_future(self.wakeup.wait())
        halt = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait(
                {*inflight, wake, halt}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            wake.cancel()
            halt.cancel()

    async def _drain(
        self,
        inflight: dict[asyncio.Task[Outcome], Claimed],
        results: list[Outcome],
        unstarted: Sequence[Claimed] = (),
    ) -> None:
        unfinished: list[Claimed] = []
        if inflight:
            finished, pending = await asyncio.wait(set(inflight), timeout=self.grace)
            results.extend(t.result() for t in finished)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            unfinished = [inflight[t] for t in pending]
        try:
            await self._record(results)
            await self._release(unfinished, unstarted)
        except Exception:  # the leases run out and another worker takes the jobs over
            logger.exception("job runner: could not record on shutdown")


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


@contextlib.asynccontextmanager
async def sqlite_singleton(
    database_url: str, stop: asyncio.Event, name: str = "dispatcher"
) -> AsyncIterator[bool]:
    """On SQLite, wait until this process holds the database's lock for runner `name` (one
    runner of each kind per database file); elsewhere hold nothing. Yields False when stopped
    while waiting."""
    database = sqlite_file(make_url(database_url))
    if database is None:
        yield True
        return
    import fcntl

    path = lock_file(database, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await _sleep_or_stop(stop, 2.0)
                if stop.is_set():
                    yield False
                    return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class ClosingHandler(Handler, Protocol):
    """A handler that holds connections to let go of when its worker stops."""

    async def close(self) -> None:
        """Close what the handler holds (HTTP connection pools)."""
        ...


class QueueWorker:
    """One use of the job queue in one process: its `Runner`, woken by every commit that
    queued work, one per SQLite database file (named `lock_name`). The uses (notificaties,
    berichten, mirrors) differ only in their handler and pace."""

    def __init__(
        self,
        database: Database,
        handler: ClosingHandler,
        *,
        database_url: str,
        lock_name: str,
        concurrency: int,
        poll_interval: float,
        grace: float,
    ) -> None:
        self.database_url = database_url
        self.lock_name = lock_name
        self.handler = handler
        self.runner = Runner(
            database,
            handler,
            concurrency=concurrency,
            poll_interval=poll_interval,
            grace=grace,
        )

    async def step(self) -> int:
        """One round of attempts (tests, operators)."""
        return await self.runner.step()

    async def close(self) -> None:
        await self.handler.close()

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; a commit that queued work wakes the runner at once."""
        loop = asyncio.get_running_loop()

        def wake() -> None:
            loop.call_soon_threadsafe(self.runner.wake)

        try:
            async with sqlite_singleton(self.database_url, stop, self.lock_name) as holding:
                if holding:  # woken by commits only while it runs: others signal instead
                    unregister = outbox.on_commit(wake, self.lock_name)
                    try:
                        await self.runner.run(stop)
                    finally:
                        unregister()
        finally:
            await self.handler.close()


@contextlib.asynccontextmanager
async def in_background(worker: QueueWorker, task_name: str) -> AsyncIterator[None]:
    """Run `worker` as a task of the current event loop for the length of the block; on the
    way out it finishes or releases its work in flight."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name=task_name)
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await task
