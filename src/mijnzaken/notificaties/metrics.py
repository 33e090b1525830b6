"""Prometheus metrics of the dispatcher (per process) and of the delivery queue (from the
database, the same for every process), served at /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.jobs import JobQueue
from mijnzaken.notificaties import repository as repo

REGISTRY = CollectorRegistry(auto_describe=True)

ATTEMPTS = Counter(
    "mijnzaken_delivery_attempts",
    "Delivery attempts by this process, by result (delivered, failed, error).",
    ["result"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "mijnzaken_delivery_latency_seconds",
    "Time for a subscriber to answer a delivery (this process).",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
PENDING = Gauge(
    "mijnzaken_deliveries_pending", "Deliveries waiting to be delivered.", registry=REGISTRY
)
PARKED = Gauge(
    "mijnzaken_deliveries_parked",
    "Deliveries parked after the retry horizon (need an operator).",
    registry=REGISTRY,
)
OLDEST = Gauge(
    "mijnzaken_delivery_oldest_pending_age_seconds",
    "Age of the oldest waiting delivery (0 when none waits).",
    registry=REGISTRY,
)
FAILING = Gauge(
    "mijnzaken_subscribers_failing",
    "Abonnementen with waiting deliveries that failed at least once.",
    registry=REGISTRY,
)


def attempt(result: str, latency_ms: int) -> None:
    ATTEMPTS.labels(result).inc()
    LATENCY.observe(latency_ms / 1000)


def render(pending: int, parked: int, oldest_age: float, failing: int) -> bytes:
    """The exposition text, with the queue gauges set from a fresh read of the database."""
    PENDING.set(pending)
    PARKED.set(parked)
    OLDEST.set(oldest_age)
    FAILING.set(failing)
    return generate_latest(REGISTRY)


async def scrape(session: AsyncSession, queue: JobQueue) -> bytes:
    """The exposition text from a fresh read of the queue: its counts and how many
    subscribers fail. Only the count: the operator's status (`beheer.status`) adds each
    one's latest error, a window over all their attempts that a scrape has no use for."""
    stats = await queue.stats(session)
    oldest_age = 0.0
    if stats.oldest_pending is not None:
        oldest_age = max(0.0, (clock.now() - stats.oldest_pending).total_seconds())
    return render(stats.pending, stats.parked, oldest_age, await repo.failing_count(session))
