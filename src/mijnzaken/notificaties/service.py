"""Rules of the Notificaties register: kanalen, abonnementen, publishing and routing.

Matching (as the reference implementation does it, so subscribers behave the same here): an
abonnement's filters on a kanaal select a message when every filter either is `*`, names a
kenmerk the message does not carry, or equals the message's value for it. Filter names and
message kenmerken must be consistent with the kanaal's filters: all of them, or only some.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock, outbox
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import (
    ApiError,
    InvalidParam,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mijnzaken.core.jobs import JobQueue
from mijnzaken.core.outbound import OutboundError, Sender, check_host
from mijnzaken.core.settings import Settings
from mijnzaken.notificaties import repository as repo
from mijnzaken.notificaties.kanalen import OWN_KANALEN
from mijnzaken.notificaties.models import Abonnement, AbonnementKanaal, Kanaal

OUTBOX = "outbox"

# what subscribing sends to the callback URL, to see that it can receive notificaties
TEST_MESSAGE = {
    "kanaal": "test",
    "hoofdObject": "http://mijnzaken.invalid/test",
    "resource": "test",
    "resourceUrl": "http://mijnzaken.invalid/test",
    "actie": "create",
    "aanmaakdatum": "2019-01-01T12:00:00Z",
    "kenmerken": {},
}


# --- kanalen --------------------------------------------------------------------------------


async def list_kanalen(session: AsyncSession, naam: str | None) -> Sequence[Kanaal]:
    """All kanalen, or the one with `naam`."""
    return await repo.kanalen(session, naam)


async def get_kanaal(session: AsyncSession, ident: uuid.UUID) -> Kanaal:
    """One kanaal, or 404."""
    found = await repo.kanaal(session, ident)
    if found is None:
        raise NotFound("Kanaal niet gevonden.")
    return found


async def create_kanaal(session: AsyncSession, data: Mapping[str, Any]) -> Kanaal:
    """Register a kanaal; a name is registered once."""
    if await repo.kanalen(session, data["naam"]):
        raise ValidationFailed.field("naam", "unique", "Er bestaat al een kanaal met deze naam.")
    kanaal = Kanaal(
        uuid=uuid.uuid4(),
        naam=data["naam"],
        documentatie_link=data.get("documentatie_link") or "",
        filters=list(dict.fromkeys(data.get("filters") or [])),
    )
    session.add(kanaal)
    await session.flush()
    return kanaal


async def ensure_own_kanalen(session: AsyncSession) -> int:
    """Register the kanalen of our own registers where missing, and add kenmerken they lack
    (idempotent). Returns how many were created."""
    existing = await repo.kanalen_by_naam(session, [k.naam for k in OWN_KANALEN])
    created = 0
    for own in OWN_KANALEN:
        found = existing.get(own.naam)
        if found is None:
            session.add(
                Kanaal(
                    uuid=uuid.uuid4(),
                    naam=own.naam,
                    documentatie_link=own.documentatie_link,
                    filters=list(own.filters),
                )
            )
            created += 1
        elif not set(own.filters) <= set(found.filters):
            found.filters = [*found.filters, *(f for f in own.filters if f not in found.filters)]
    await session.flush()
    return created


def _consistent(names: Iterable[str], kanaal_filters: Iterable[str]) -> bool:
    given, known = set(names), set(kanaal_filters)
    return given <= known or given >= known


# --- abonnementen ---------------------------------------------------------------------------


async def list_abonnementen(session: AsyncSession) -> Sequence[Abonnement]:
    """Every abonnement with its kanalen and filters."""
    return await repo.abonnementen(session)


async def get_abonnement(session: AsyncSession, ident: uuid.UUID) -> Abonnement:
    """One abonnement, or 404."""
    found = await repo.abonnement(session, ident)
    if found is None:
        raise NotFound("Abonnement niet gevonden.")
    return found


async def _check_callback(url: str, auth: str, settings: Settings) -> None:
    """The callback URL must be allowed (SSRF rules) and must accept a test notificatie
    with the given Authorization header."""
    try:
        await check_host(url, allow_private=settings.outbound_allow_private)
    except OutboundError as exc:
        raise exc.invalid("callbackUrl") from exc
    sender = Sender(settings, connections=1)
    try:
        body = outbox_json(TEST_MESSAGE)
        answer = await sender.post(
            url, body, {"Authorization": auth, "Content-Type": "application/json"}
        )
        ok = 200 <= answer.status < 300
    except OutboundError as exc:
        if exc.code in ("forbidden-address", "bad-url"):
            raise exc.invalid("callbackUrl") from exc
        ok = False
    finally:
        await sender.close()
    if not ok:
        raise ValidationFailed.field(
            "callbackUrl",
            "invalid-callback-url",
            "De opgegeven callback URL kan geen notificaties ontvangen.",
        )


async def _groups(
    session: AsyncSession, groups: Sequence[Mapping[str, Any]]
) -> list[AbonnementKanaal]:
    found = await repo.kanalen_by_naam(session, [g["naam"] for g in groups])
    params: list[InvalidParam] = []
    out: list[AbonnementKanaal] = []
    for i, group in enumerate(groups):
        kanaal = found.get(group["naam"])
        if kanaal is None:
            params.append(
                InvalidParam(
                    f"kanalen.{i}.naam", "kanaal_naam", "Kanaal met deze naam bestaat niet."
                )
            )
            continue
        filters = dict(group.get("filters") or {})
        if filters and not _consistent(filters, kanaal.filters):
            params.append(
                InvalidParam(
                    f"kanalen.{i}.filters",
                    "inconsistent-abonnement-filters",
                    "De filters van het abonnement passen niet bij de filters van het kanaal.",
                )
            )
            continue
        out.append(AbonnementKanaal(kanaal_id=kanaal.id, filters=filters))
    if params:
        raise ValidationFailed(params)
    return out


async def create_abonnement(
    session: AsyncSession, data: Mapping[str, Any], auth: AuthContext, settings: Settings
) -> Abonnement:
    """Subscribe: the kanalen must exist, the filters fit them, the callback URL receive."""
    groups = await _groups(session, data["kanalen"])
    await _check_callback(data["callback_url"], data["auth"], settings)
    abonnement = Abonnement(
        uuid=uuid.uuid4(),
        callback_url=data["callback_url"],
        auth=data["auth"],
        send_cloudevents=bool(data.get("send_cloudevents")),
        client_id=auth.client_id[:50],
        kanalen=groups,
    )
    session.add(abonnement)
    await session.flush()
    return await get_abonnement(session, abonnement.uuid)


def ensure_may_change(abonnement: Abonnement, auth: AuthContext) -> None:
    """An abonnement is changed or removed by the client that registered it (or one with
    every right): another subscriber cannot redirect or cancel it."""
    if auth.heeft_alle_autorisaties or not abonnement.client_id:
        return
    if abonnement.client_id != auth.client_id:
        raise PermissionDenied("Dit abonnement is door een andere applicatie aangemaakt.")


async def update_abonnement(
    session: AsyncSession,
    abonnement: Abonnement,
    data: Mapping[str, Any],
    auth: AuthContext,
    settings: Settings,
) -> Abonnement:
    """Replace the callback, auth, kanalen and filters of an abonnement."""
    ensure_may_change(abonnement, auth)
    groups = await _groups(session, data["kanalen"])
    if data["callback_url"] != abonnement.callback_url or data["auth"] != abonnement.auth:
        await _check_callback(data["callback_url"], data["auth"], settings)
    abonnement.callback_url = data["callback_url"]
    abonnement.auth = data["auth"]
    abonnement.send_cloudevents = bool(data.get("send_cloudevents"))
    abonnement.kanalen = groups
    await session.flush()
    ident = abonnement.uuid
    session.expire(abonnement)
    return await get_abonnement(session, ident)


# A delete that deadlocks with the delivery runner is tried again this many times.
DELETE_RETRIES = 3
DEADLOCK = "40P01"  # the SQLSTATE of the statement PostgreSQL fails to break a deadlock


class AbonnementBezet(ApiError):
    """The abonnement's deliveries stayed locked by the delivery runner: try again shortly."""

    status = 503
    code = "abonnement_bezet"
    title = "Het abonnement wordt nu bezorgd; probeer het later opnieuw."
    retry_after = 1  # seconds: a round of the runner records its outcomes well within it


def _deadlock(exc: DBAPIError) -> bool:
    """Whether the database broke a deadlock by failing this statement (PostgreSQL 40P01)."""
    cause: BaseException | None = exc.orig
    while cause is not None:  # the driver's error may sit behind the DB-API adapter's
        if getattr(cause, "sqlstate", None) == DEADLOCK:
            return True
        cause = cause.__cause__
    return False


async def delete_abonnement(
    session: AsyncSession, abonnement: Abonnement, auth: AuthContext
) -> None:
    """Unsubscribe; its undelivered notificaties are no longer sent.

    The delivery runner may be recording outcomes of this abonnement's deliveries while the
    delete locks them (cascading, in whatever order it finds them): PostgreSQL would then
    fail one of the two. So the waiting deliveries are locked first, in id order, the order
    the runner records a batch in, and a delete that still deadlocks is rolled back to its
    savepoint and tried again, up to `DELETE_RETRIES` times; after that `AbonnementBezet`
    (503)."""
    ensure_may_change(abonnement, auth)
    ident = abonnement.uuid
    for retry in range(DELETE_RETRIES + 1):
        try:
            async with session.begin_nested():
                await repo.lock_waiting_deliveries(session, abonnement.id)
                await session.delete(abonnement)
            return
        except DBAPIError as exc:
            if not _deadlock(exc):
                raise
            if retry == DELETE_RETRIES:
                raise AbonnementBezet() from exc
            # rolled back to the savepoint, which released the locks the delete took; the
            # abonnement is read again (another request may have deleted it meanwhile: 404)
            abonnement = await get_abonnement(session, ident)


def writable(abonnement: Abonnement) -> dict[str, Any]:
    """The write form of an abonnement (auth included), for merging a PATCH into."""
    return {
        "callbackUrl": abonnement.callback_url,
        "auth": abonnement.auth,
        "kanalen": [
            {"naam": g.kanaal.naam, "filters": dict(g.filters)} for g in abonnement.kanalen
        ],
        "sendCloudevents": abonnement.send_cloudevents,
    }


# --- publishing and routing -----------------------------------------------------------------


def outbox_json(payload: Mapping[str, Any]) -> bytes:
    import orjson

    return orjson.dumps(payload)


def _kenmerk(kenmerken: Mapping[str, str], key: str) -> str | None:
    value = kenmerken.get(key)
    return value if value is not None else kenmerken.get(to_camel(key))


def matches(filters: Mapping[str, str], kenmerken: Mapping[str, str]) -> bool:
    """Whether a message with `kenmerken` passes an abonnement's `filters` on its kanaal."""
    for key, wanted in filters.items():
        have = _kenmerk(kenmerken, key)
        if wanted != "*" and have is not None and have != wanted:
            return False
    return True


@dataclass(frozen=True)
class Routed:
    """A delivery just created, with what sending it needs (so the dispatcher that routed
    it need not read it back)."""

    delivery_id: int
    notificatie_uuid: uuid.UUID
    payload: Mapping[str, Any]
    # the abonnement's (callback URL, auth, CloudEvents or not); None: the remote API
    abonnement: tuple[str, str, bool] | None


async def route(
    session: AsyncSession,
    queue: JobQueue,
    messages: Sequence[tuple[dict[str, Any], str, dt.datetime]],
    *,
    remote: bool = False,
    wake: bool = True,
    subscriptions: Sequence[Any] | None = None,
) -> list[Routed]:
    """Store each (message, source, received) that has somewhere to go as a notificatie,
    with one delivery per matching abonnement (or, `remote`, one to the remote Notificaties
    API); a message no abonnement takes is not kept. A fixed number of statements for the
    whole batch. Returns the deliveries. `wake`: the commit wakes the dispatcher of this
    process (not needed when the dispatcher itself routes). `subscriptions`: those on the
    messages' kanalen (`repo.subscriptions_for`), when the caller has read them already."""
    if not messages:
        return []
    abonnementen: dict[int | None, tuple[str, str, bool] | None] = {None: None}
    if remote:
        targets: list[list[int | None]] = [[None] for _ in messages]
    else:
        if subscriptions is None:
            kanalen = [m[0]["kanaal"] for m in messages]
            subscriptions = await repo.subscriptions_for(session, kanalen)
        abonnementen.update((s[0], (s[3], s[4], s[5])) for s in subscriptions)
        targets = []
        for payload, _source, _received in messages:
            kenmerken = payload.get("kenmerken") or {}
            chosen: dict[int | None, None] = {}
            for abonnement_id, naam, filters, *_target in subscriptions:
                if naam == payload["kanaal"] and matches(filters or {}, kenmerken):
                    chosen[abonnement_id] = None
            targets.append(list(chosen))
    wanted = [(m, t, uuid.uuid4()) for m, t in zip(messages, targets, strict=True) if t]
    planned = [
        (uuid.uuid4(), ident, payload, abonnement_id)
        for (payload, _s, _r), chosen_ids, ident in wanted
        for abonnement_id in chosen_ids
    ]
    delivery_ids = await repo.insert_routed(
        session,
        [
            {
                "uuid": ident,
                "kanaal": payload["kanaal"],
                "payload": payload,
                "received_at": received,
                "source": source[:60],
            }
            for (payload, source, received), _t, ident in wanted
        ],
        [(delivery, ident, abonnement_id) for delivery, ident, _p, abonnement_id in planned],
        queue.new(),
    )
    if delivery_ids and wake:
        outbox.mark_work(session, outbox.NOTIFICATIES)
    return [
        Routed(delivery_id, ident, payload, abonnementen[abonnement_id])
        for delivery_id, (_d, ident, payload, abonnement_id) in zip(
            delivery_ids, planned, strict=True
        )
    ]


async def publish(
    session: AsyncSession, queue: JobQueue, message: dict[str, Any], auth: AuthContext
) -> None:
    """POST /notificaties: check the message against its kanaal and route it."""
    found = await repo.kanalen(session, message["kanaal"])
    if not found:
        raise ValidationFailed.field(
            "kanaal", "message_kanaal", "Kanaal met deze naam bestaat niet."
        )
    if not _consistent(message.get("kenmerken") or {}, found[0].filters):
        raise ValidationFailed.field(
            "kenmerken",
            "kenmerken_inconsistent",
            "De kenmerken van het bericht passen niet bij de filters van het kanaal.",
        )
    await route(session, queue, [(message, auth.client_id, clock.now())])


async def route_outbox(
    session: AsyncSession, queue: JobQueue, limit: int, *, remote: bool
) -> tuple[int, list[Routed]]:
    """Turn up to `limit` committed outbox rows into notificaties and deliveries, removing
    them, in the caller's transaction. Returns how many rows were routed, and the
    deliveries."""
    subscriptions: Sequence[Any] | None = None
    if remote:
        rows = await repo.take_outbox(session, limit)
    else:  # with the abonnementen on their kanalen (one statement on PostgreSQL)
        rows, subscriptions = await repo.take_outbox_routed(session, limit)
    if not rows:
        return 0, []
    routed = await route(
        session,
        queue,
        [(dict(r.payload), OUTBOX, clock.now()) for r in rows],
        remote=remote,
        wake=False,
        subscriptions=subscriptions,
    )
    return len(rows), routed
