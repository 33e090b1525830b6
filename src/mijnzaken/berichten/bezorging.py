"""Delivering queued messages after commit, on the durable job queue (core/jobs.py) run by a
`Runner` (core/runner.py), as the Notificaties dispatcher delivers notificaties.

E-mail goes by SMTP when MIJNZAKEN_SMTP_HOST is set, else through the Notify gateway;
SMS goes through a NotifyNL/GOV.UK Notify-compatible gateway (MIJNZAKEN_NOTIFY_API_URL and
_API_KEY, one template per channel with the fields `onderwerp` and `tekst`). A failed attempt
is retried with backoff until the message is parked as `mislukt`; a message whose channel is
not configured waits the same way, so configuring it later and retrying loses nothing.
Logs and attempt rows name the message by its UUID and the outcome only: never the address,
the text (it may hold a code) or anything that identifies the citizen.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import jwt
import orjson
from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.berichten import service
from mijnzaken.berichten.models import MISLUKT, VERZONDEN, WACHTRIJ, Bericht, Poging, Verzending
from mijnzaken.core import clock
from mijnzaken.core.db import Database
from mijnzaken.core.jobs import DONE, PARKED, Claimed, JobQueue, Outcome, RetryPolicy
from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.runner import QueueWorker, in_background
from mijnzaken.core.settings import Settings

logger = logging.getLogger("mijnzaken.berichten")


def policy(settings: Settings) -> RetryPolicy:
    """Backoff as for notificaties; the horizon is each message's own `park_after`."""
    return RetryPolicy(
        base=settings.delivery_retry_base,
        cap=settings.delivery_retry_cap,
        horizon=24 * 3600.0,
        lease=settings.berichten_timeout * 3 + 30,
    )


class BerichtQueue(JobQueue):
    """The job queue of messages; a message's status follows its job."""

    async def record(
        self, session: AsyncSession, outcomes: Sequence[Outcome], rng: Any = None
    ) -> dict[int, Any]:
        retry_at = await super().record(session, outcomes, rng)
        await sync_status(session, [o.job.id for o in outcomes])
        return retry_at


def bericht_queue(settings: Settings) -> BerichtQueue:
    return BerichtQueue(Verzending, Poging, "verzending_id", policy(settings))


async def sync_status(session: AsyncSession, verzending_ids: Sequence[int]) -> None:
    """Copy the state of these jobs to their messages: wachtrij, verzonden or mislukt."""
    if not verzending_ids:
        return
    v = Verzending.__table__

    def of_job(column: Any) -> Any:
        return select(column).where(v.c.bericht_id == Bericht.id).scalar_subquery()

    await session.execute(
        update(Bericht)
        .where(Bericht.id.in_(select(v.c.bericht_id).where(v.c.id.in_(list(verzending_ids)))))
        .execution_options(synchronize_session=False)
        .values(
            status=of_job(
                case((v.c.state == DONE, VERZONDEN), (v.c.state == PARKED, MISLUKT), else_=WACHTRIJ)
            ),
            pogingen=of_job(v.c.attempts),
            verzonden_op=of_job(case((v.c.state == DONE, v.c.finished_at), else_=None)),
        )
    )


@dataclass(frozen=True)
class Item:
    """What sending one message needs."""

    uuid: str
    kanaal: str
    ontvanger: str
    onderwerp: str
    tekst: str


class Mislukt(Exception):
    """An attempt that did not deliver: a short reason without personal data, and the SMTP
    reply code or HTTP status when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


def ingesteld(settings: Settings) -> bool:
    """Whether any channel is configured (without one, messages wait in the queue)."""
    return bool(settings.smtp_host or (settings.notify_api_url and settings.notify_api_key))


def notify_token(api_key: str, now: float | None = None) -> str:
    """The bearer token of a Notify API key `<name>-<service id>-<secret key>` (both UUIDs):
    HS256 over `iss` (the service id) and `iat`, as GOV.UK Notify and NotifyNL expect."""
    if len(api_key) < 74:
        raise Mislukt("de Notify-API-sleutel heeft niet de vorm naam-service-id-sleutel")
    service_id, secret = api_key[-73:-37], api_key[-36:]
    issued = int(now if now is not None else time.time())
    return jwt.encode({"iss": service_id, "iat": issued}, secret, algorithm="HS256")


class BerichtHandler:
    """The berichten use of the job queue: load the messages, send each, never raise."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.queue: JobQueue = bericht_queue(settings)
        self.sender = Sender(settings, trusted=True, connections=10)

    async def prepare(self, session: AsyncSession, jobs: Sequence[Claimed]) -> Mapping[int, Any]:
        rows = await session.execute(
            select(Verzending.id, Bericht)
            .join(Bericht, Bericht.id == Verzending.bericht_id)
            .where(Verzending.id.in_([j.id for j in jobs]))
        )
        return {
            vid: Item(str(b.uuid), b.kanaal, b.ontvanger, b.onderwerp, b.tekst)
            for vid, b in rows.all()
        }

    async def perform(self, job: Claimed, item: Any) -> Outcome:
        attempted = clock.now()
        started = clock.started()
        if not isinstance(item, Item):
            return Outcome(job, ok=False, attempted_at=attempted, error="bericht niet gevonden")
        try:
            status = await self.send(item)
        except Mislukt as exc:
            logger.warning("bericht %s niet verzonden: %s", item.uuid, exc.reason)
            return Outcome(
                job,
                ok=False,
                attempted_at=attempted,
                status=exc.status,
                error=exc.reason,
                latency_ms=clock.ms_since(started),
            )
        return Outcome(
            job, ok=True, attempted_at=attempted, status=status, latency_ms=clock.ms_since(started)
        )

    async def send(self, item: Item) -> int:
        """Send one message; the SMTP reply code or HTTP status. Raises Mislukt."""
        if item.kanaal == "email" and self.settings.smtp_host:
            return await self.smtp(item)
        if self.settings.notify_api_url and self.settings.notify_api_key:
            return await self.notify(item)
        raise Mislukt(f"geen kanaal ingesteld voor {item.kanaal}")

    async def smtp(self, item: Item) -> int:
        import aiosmtplib

        s = self.settings
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = item.ontvanger
        message["Subject"] = item.onderwerp or "Bericht van uw gemeente"
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = email.utils.make_msgid(idstring=item.uuid)
        message.set_content(item.tekst)
        try:
            _errors, reply = await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_user or None,
                password=s.smtp_password or None,
                start_tls=s.smtp_starttls and not s.smtp_tls,
                use_tls=s.smtp_tls,
                timeout=s.berichten_timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            raise Mislukt(f"SMTP-server weigerde ({exc.code})", exc.code) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise Mislukt(f"SMTP-server onbereikbaar ({type(exc).__name__})") from exc
        code = reply.split(" ", 1)[0]
        return int(code) if code.isdigit() else 250

    async def notify(self, item: Item) -> int:
        s = self.settings
        base = (s.notify_api_url or "").rstrip("/")
        if item.kanaal == "sms":
            url, template, field = (
                f"{base}/v2/notifications/sms",
                s.notify_template_sms,
                "phone_number",
            )
        else:
            url, template = f"{base}/v2/notifications/email", s.notify_template_email
            field = "email_address"
        if not template:
            raise Mislukt(f"geen Notify-sjabloon ingesteld voor {item.kanaal}")
        body = {
            field: item.ontvanger,
            "template_id": template,
            "personalisation": {"onderwerp": item.onderwerp, "tekst": item.tekst},
            "reference": item.uuid,
        }
        headers = {
            "Authorization": f"Bearer {notify_token(s.notify_api_key)}",
            "Content-Type": "application/json",
        }
        try:
            answer = await self.sender.post(url, orjson.dumps(body), headers)
        except OutboundError as exc:
            raise Mislukt(f"Notify-gateway onbereikbaar ({exc.code})") from exc
        if answer.status not in (200, 201):
            raise Mislukt(f"Notify-gateway weigerde ({answer.status})", answer.status)
        return answer.status

    async def close(self) -> None:
        await self.sender.close()


class Bezorger(QueueWorker):
    """Delivers messages in one process until stopped (one per SQLite database)."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        super().__init__(
            database,
            BerichtHandler(settings),
            database_url=settings.database_url,
            lock_name=service.LOCK_NAME,
            concurrency=10,
            poll_interval=max(1.0, settings.dispatch_poll_interval),
            grace=settings.berichten_timeout,
        )


@contextlib.asynccontextmanager
async def running(settings: Settings, database: Database) -> AsyncIterator[Bezorger | None]:
    """Deliver messages in the background of the current event loop (serve's lifespan), when
    a channel is configured; without one, yields None and messages wait in the queue."""
    if not ingesteld(settings):
        yield None
        return
    bezorger = Bezorger(settings, database)
    async with in_background(bezorger, "mijnzaken-berichten"):
        yield bezorger
