"""Prometheus metrics of the dispatcher (per process) and of the delivery queue (from the
database, the same for every process), served at /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

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
