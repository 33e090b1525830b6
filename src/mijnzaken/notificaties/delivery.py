"""Sending deliveries: to an abonnement's callback URL (as the ZGW message, or as a CloudEvent
in the NL GOV profile when the abonnement asks for it), or to the remote Notificaties API."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.core.jobs import Claimed, JobQueue, Outcome, RetryPolicy
from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.settings import Settings
from mijnzaken.notificaties import metrics
from mijnzaken.notificaties import repository as repo
from mijnzaken.notificaties.models import Delivery, DeliveryAttempt
from mijnzaken.notificaties.service import Routed

UNREACHABLE_STATUS = frozenset({502, 503, 504})
JSON = "application/json"
CLOUDEVENTS_JSON = "application/cloudevents+json"


def policy(settings: Settings) -> RetryPolicy:
    """The retry policy of deliveries; a lease outlasts one attempt with room to record it."""
    return RetryPolicy(
        base=settings.delivery_retry_base,
        cap=settings.delivery_retry_cap,
        horizon=settings.delivery_park_after,
        lease=settings.outbound_timeout * 3 + 30,
    )


def delivery_queue(settings: Settings) -> JobQueue:
    return JobQueue(
        Delivery, DeliveryAttempt, "delivery_id", policy(settings), group="abonnement_id"
    )


def cloudevent(ident: str, message: Mapping[str, Any], source: str | None) -> dict[str, Any]:
    """A ZGW notificatie as a CloudEvent in the NL GOV profile.

    `id` is the notificatie's own id, so a redelivery carries the same id (consumers may drop
    duplicates); `source` is the configured one, else the origin of the publishing API;
    `dataref` points at the resource (informatiearm: the consumer fetches what it needs);
    `subject` is left out, as the profile has not settled it and it must not carry a BSN."""
    parts = urlsplit(str(message.get("hoofdObject", "")))
    kind = ".".join(
        str(message.get(k, "")).lower().replace(" ", "-") for k in ("kanaal", "resource", "actie")
    )
    return {
        "specversion": "1.0",
        "type": f"nl.overheid.{kind}",
        "source": source or f"{parts.scheme}://{parts.netloc}",
        "id": ident,
        "time": message.get("aanmaakdatum"),
        "datacontenttype": JSON,
        "dataref": message.get("resourceUrl"),
        "data": dict(message),
    }


def _encoded(payload: Mapping[str, Any]) -> bytes:
    """A message as its notificatie stores it (orjson; the standard library for what orjson
    cannot write, an integer beyond 64 bits)."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return json.dumps(payload, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Target:
    url: str
    body: bytes
    headers: dict[str, str]
    remote: bool = False


class DeliveryHandler:
    """The Notificaties use of the job queue (core/jobs.py)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue = delivery_queue(settings)
        self.sender = Sender(settings, connections=max(8, settings.delivery_concurrency))
        self.remote_sender = Sender(settings, trusted=True, connections=16)
        # deliveries the dispatcher routed in a transaction, by id, with that transaction:
        # claimed in it too, they are sent without being read back
        self._routed: tuple[AsyncSession | None, dict[int, Routed]] = (None, {})

    def routed(self, session: AsyncSession, deliveries: Sequence[Routed]) -> None:
        """Deliveries just created in `session`'s transaction (by its feed)."""
        earlier = self._routed[1] if self._routed[0] is session else {}
        self._routed = (session, {**earlier, **{d.delivery_id: d for d in deliveries}})

    def remote_token(self) -> str:
        """A ZGW JWT for the remote Notificaties API."""
        s = self.settings
        claims = {"client_id": s.notificaties_client_id, "iat": int(time.time())}
        claims["user_id"] = claims["user_representation"] = s.notificaties_client_id
        return jwt.encode(claims, s.notificaties_secret, algorithm="HS256")

    async def prepare(self, session: AsyncSession, jobs: Sequence[Claimed]) -> Mapping[int, Any]:
        routed_in, routed = self._routed
        self._routed = (None, {})
        if routed_in is not session:  # routed by another transaction: not to be trusted
            routed = {}
        fresh = [routed[j.id] for j in jobs if j.id in routed]
        rows = (
            [
                (r.id, r.uuid, r.payload.encode(), r.callback_url, r.auth, r.send_cloudevents)
                for r in await repo.delivery_targets(
                    session, [j.id for j in jobs if j.id not in routed]
                )
            ]
            if len(fresh) < len(jobs)
            else []
        )
        rows.extend(
            (
                d.delivery_id,
                d.notificatie_uuid,
                _encoded(d.payload),
                *(d.abonnement or (None, "", False)),
            )
            for d in fresh
        )
        remote_auth: str | None = None
        out: dict[int, Target] = {}
        for ident, notificatie_uuid, payload, callback_url, auth, send_cloudevents in rows:
            if callback_url is None:  # our outbox, forwarded to the remote router
                if remote_auth is None:
                    remote_auth = f"Bearer {self.remote_token()}"
                base = (self.settings.notificaties_api_url or "").rstrip("/")
                out[ident] = Target(
                    f"{base}/notificaties",
                    payload,
                    {"Authorization": remote_auth, "Content-Type": JSON},
                    remote=True,
                )
            elif send_cloudevents:
                message = orjson.loads(payload)
                event = cloudevent(str(notificatie_uuid), message, self.settings.cloudevents_source)
                out[ident] = Target(
                    callback_url,
                    orjson.dumps(event),
                    {"Authorization": auth, "Content-Type": CLOUDEVENTS_JSON},
                )
            else:
                out[ident] = Target(
                    callback_url, payload, {"Authorization": auth, "Content-Type": JSON}
                )
        return out

    async def perform(self, job: Claimed, item: Any) -> Outcome:
        attempted = clock.now()
        if not isinstance(item, Target):
            return Outcome(job, ok=False, attempted_at=attempted, error="Niet meer te vinden.")
        sender = self.remote_sender if item.remote else self.sender
        started = clock.started()
        try:
            answer = await sender.post(item.url, item.body, item.headers)
        except OutboundError as exc:
            latency = clock.ms_since(started)
            metrics.attempt("error", latency)
            return Outcome(
                job,
                ok=False,
                attempted_at=attempted,
                error=f"{exc.code}: {exc.reason}",
                latency_ms=latency,
                unreachable=exc.code in ("unreachable", "timeout"),
            )
        ok = 200 <= answer.status < 300
        metrics.attempt("delivered" if ok else "failed", answer.latency_ms)
        return Outcome(
            job,
            ok=ok,
            attempted_at=attempted,
            status=answer.status,
            error="" if ok else f"HTTP {answer.status}",
            latency_ms=answer.latency_ms,
            unreachable=answer.status in UNREACHABLE_STATUS,
        )

    async def close(self) -> None:
        await self.sender.close()
        await self.remote_sender.close()
