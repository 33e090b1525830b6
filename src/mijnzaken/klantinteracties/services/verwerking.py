"""The one place where reading a person's data is reported, for the processing log.

Every renderer of a resource that holds personal data (partijen, partij-identificatoren,
digitale adressen, rekeningnummers, betrokkenen, klantcontacten) calls `gelezen` with what it
returns. The app subscribes `naar_verwerkingenlog` at start-up, which writes the processing
log (Verwerkingenlogging); without a subscriber nothing is recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.repository import partij as partij_repo
from mijnzaken.verwerkingen import service as verwerkingen

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


# references in a body that name the partij whose data it is
_PARTIJ_REFS = ("identificeerdePartij", "verstrektDoorPartij", "wasPartij", "partij")


def _uuid(ref: Any) -> uuid.UUID | None:
    if isinstance(ref, dict) and ref.get("uuid"):
        try:
            return uuid.UUID(str(ref["uuid"]))
        except ValueError:
            return None
    return None


async def naar_verwerkingenlog(ctx: Ctx, resource: str, bodies: Sequence[dict[str, Any]]) -> None:
    """The subscriber of the processing log: one entry per page read, naming the calling
    application (and its user, when the JWT has `user_id`) and every citizen (by BSN) the
    page holds data of. One query finds the BSNs; the entry is stored before the request answers."""
    partijen: set[uuid.UUID] = set()
    betrokkenen: set[uuid.UUID] = set()
    bsns: set[str] = set()
    for body in bodies:
        if resource == "partij" and (own := _uuid(body)) is not None:
            partijen.add(own)
        identificator = body.get("partijIdentificator")
        if (
            resource == "partijidentificator"
            and isinstance(identificator, dict)
            and identificator.get("codeSoortObjectId") == "bsn"
            and identificator.get("objectId")
        ):
            bsns.add(str(identificator["objectId"]))
        for key in _PARTIJ_REFS:
            if (found := _uuid(body.get(key))) is not None:
                partijen.add(found)
        if resource == "betrokkene" and (own := _uuid(body)) is not None:
            betrokkenen.add(own)
        for ref in body.get("hadBetrokkenen") or ():
            if (found := _uuid(ref)) is not None:
                betrokkenen.add(found)
    bsns.update(await partij_repo.bsns(ctx.session, partijen, betrokkenen))
    if not bsns:
        return
    auth = ctx.auth
    weergave = auth.label or auth.client_id
    if auth.user_representation or auth.user_id:
        weergave = f"{weergave} (medewerker {auth.user_representation or auth.user_id})"
    verwerkingen.log(
        ctx.session,
        activiteit=f"{resource} lezen",
        betrokkenen=[verwerkingen.Betrokkene("BSN", bsn) for bsn in sorted(bsns)],
        systeem=auth.client_id,
        gebruiker=auth.user_id,
        actor_weergave=weergave,
        verwerking_naam="Klantinteracties",
        trace_id=verwerkingen.trace_id_from(ctx.request.headers.get("traceparent")),
    )
