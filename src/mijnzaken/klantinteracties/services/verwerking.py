"""The one place where reading a person's data is reported, for the processing log.

Every renderer of a resource that holds personal data (partijen, partij-identificatoren,
digitale adressen, rekeningnummers, betrokkenen, klantcontacten) calls `gelezen` with what it
returns. The processing log (Verwerkingenlogging) subscribes with `on_read` at start-up; until a
subscriber is registered nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from mijnzaken.core.resource import Ctx

Subscriber = Callable[[Ctx, str, Sequence[dict[str, Any]]], Awaitable[None]]
_subscribers: list[Subscriber] = []


def on_read(subscriber: Subscriber) -> None:
    """Call `subscriber(ctx, resource, bodies)` whenever personal data is read."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


async def gelezen(ctx: Ctx, resource: str, bodies: Sequence[dict[str, Any]]) -> None:
    """Report that `bodies` of `resource` were read in this request (one call per page)."""
    if not bodies or ctx.request.method not in ("GET", "HEAD"):
        return  # what a change answers was written by the caller, not read
    for subscriber in _subscribers:
        await subscriber(ctx, resource, bodies)
