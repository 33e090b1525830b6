"""zrc-024 and zrc-025: a zaakverzoek or zaakcontactmoment is mirrored in the register of its
verzoek or contactmoment, as an objectverzoek or objectcontactmoment pointing at the zaak.

The target URL is checked when the link is made: it must name an object of a remote API that
is configured in MIJNZAKEN_REMOTE_SERVICES (core/services.py), else the link is refused with a
400, because the rule says the relation MUST be mirrored and we cannot call a register we have
no credentials for. The URL also passes the SSRF checks of core/outbound.py. The mirroring itself
is a job in the durable queue (models/spiegel.py), written in the link's transaction; the runner
in zaken/spiegeling.py performs it after commit, with retries.

A contactmoment URL that names a klantcontact of our own Klantinteracties register is mirrored
at once, in the same transaction, as an onderwerpobject of that klantcontact about the zaak
(through the Klantinteracties service). See docs/adr/0015.

brc-006 from the other side: a besluit of our Besluiten register on a zaak of a remote Zaken
API is mirrored the same way, as a ZaakBesluit POSTed to `{zaak}/besluiten` there (soort
`zaakbesluiten`: `zaak` the remote zaak, `doel` our besluit, `koppeling` the besluit's UUID);
its remote register is the zaak's, not the doel's.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from mijnzaken.core import clock, outbox
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.jobs import DONE, PENDING
from mijnzaken.core.outbound import OutboundError, check_url
from mijnzaken.core.resource import Ctx
from mijnzaken.core.services import RemoteService, service_for
from mijnzaken.klantinteracties.services import klantcontact as klantcontacten
from mijnzaken.zaken.models import Zaak, ZaakContactMoment, ZaakVerzoek
from mijnzaken.zaken.models.spiegel import (
    AANMAKEN,
    OBJECTCONTACTMOMENT,
    OBJECTVERZOEK,
    VERWIJDEREN,
    ZAAKBESLUIT,
    Spiegeling,
)

# the link's field, per remote collection
LOCK_NAME = "spiegels"  # the runner's lock and the kind of work that wakes it
FIELD = {OBJECTVERZOEK: "verzoek", OBJECTCONTACTMOMENT: "contactmoment", ZAAKBESLUIT: "besluit"}
# the request field whose URL names the remote register (the besluit's zaak for zaakbesluiten)
_REMOTE_FIELD = {**FIELD, ZAAKBESLUIT: "zaak"}
_API_NAME = {
    OBJECTVERZOEK: "Verzoeken API",
    OBJECTCONTACTMOMENT: "Contactmomenten API",
    ZAAKBESLUIT: "Zaken API",
}


def remote_of(soort: str, zaak: str, doel: str) -> str:
    """The URL that names the remote register of a link: the zaak of a ZaakBesluit, else the
    verzoek or contactmoment."""
    return zaak if soort == ZAAKBESLUIT else doel


def _eigen_klantcontact(ctx: Ctx, soort: str, url: str) -> uuid.UUID | None:
    """The klantcontact of our own register that a contactmoment URL names, if any."""
    if soort != OBJECTCONTACTMOMENT:
        return None
    return ctx.urls.parse(url, "klantinteracties", "klantcontacten")


def remote_service(ctx: Ctx, soort: str, url: str) -> RemoteService:
    """The configured remote service of `url`, or the 400 that names the link's field."""
    field = _REMOTE_FIELD[soort]
    service = service_for(ctx.settings, url)
    if service is None:
        # a client's URL: a forbidden address is named as such before "unknown register"
        try:
            check_url(url, allow_private=ctx.settings.outbound_allow_private)
        except OutboundError as exc:
            raise exc.invalid(field) from exc
        raise ValidationFailed(
            [
                InvalidParam(
                    field,
                    "unknown-service",
                    f"De URL hoort niet bij een {_API_NAME[soort]} waarmee deze registratie "
                    "de relatie kan synchroniseren.",
                )
            ]
        )
    return service


async def gemaakt(ctx: Ctx, soort: str, koppeling: uuid.UUID, zaak_url: str, url: str) -> None:
    """Mirror a new link: an onderwerpobject in our own register, or a job for the remote."""
    eigen = _eigen_klantcontact(ctx, soort, url)
    if eigen is not None:
        if not await klantcontacten.koppel_zaak(ctx.session, eigen, zaak_url):
            raise ValidationFailed(
                [
                    InvalidParam(
                        FIELD[soort],
                        "does_not_exist",
                        "Het klantcontact waar de URL naar verwijst bestaat niet.",
                    )
                ]
            )
        return
    service = remote_service(ctx, soort, remote_of(soort, zaak_url, url))
    _queue(ctx, soort, AANMAKEN, koppeling, service, zaak_url, url, None)


async def verwijderd(ctx: Ctx, soort: str, koppeling: uuid.UUID, zaak_url: str, url: str) -> None:
    """Remove the mirror of a link that is deleted. A create that was never attempted is
    dropped (nothing was sent); otherwise a job removes what the remote holds."""
    eigen = _eigen_klantcontact(ctx, soort, url)
    if eigen is not None:
        await klantcontacten.ontkoppel_zaak(ctx.session, eigen, zaak_url)
        return
    aanmaken = (
        await ctx.session.execute(
            select(Spiegeling).where(
                Spiegeling.koppeling == koppeling, Spiegeling.actie == AANMAKEN
            )
        )
    ).scalar_one_or_none()
    remote_url = None
    if aanmaken is not None:
        if aanmaken.state == DONE:
            remote_url = aanmaken.remote_url
        elif aanmaken.claim_token is None:  # waiting or parked, not in flight
            tried = aanmaken.attempts > 0
            await ctx.session.delete(aanmaken)
            if not tried:
                return
    # the service may have been removed from the settings since: the job then waits (and
    # parks) until an operator configures it again
    service = service_for(ctx.settings, remote_of(soort, zaak_url, url))
    _queue(ctx, soort, VERWIJDEREN, koppeling, service, zaak_url, url, remote_url)


def _queue(
    ctx: Ctx,
    soort: str,
    actie: str,
    koppeling: uuid.UUID,
    service: RemoteService | None,
    zaak_url: str,
    url: str,
    remote_url: str | None,
) -> None:
    now = clock.now()
    ctx.session.add(
        Spiegeling(
            soort=soort,
            actie=actie,
            koppeling=koppeling,
            api_root=service.api_root if service is not None else "",
            zaak=zaak_url,
            doel=url,
            remote_url=remote_url,
            state=PENDING,
            attempts=0,
            created_at=now,
            available_at=now,
            park_after=now + dt.timedelta(seconds=ctx.settings.spiegel_park_after),
            last_error="",
        )
    )
    outbox.mark_work(
        ctx.session, LOCK_NAME
    )  # wakes this process's runner when the transaction commits


async def zaak_verwijderd(ctx: Ctx, zaak: Zaak, zaak_url: str) -> None:
    """Remove the mirrors of every verzoek and contactmoment link of a zaak that is deleted
    (zrc-023 takes the links with it; their relations in the other registers go too)."""
    verzoeken = select(ZaakVerzoek).where(ZaakVerzoek.zaak_id == zaak.id)
    for verzoek in list((await ctx.session.execute(verzoeken)).scalars()):
        await verwijderd(ctx, OBJECTVERZOEK, verzoek.uuid, zaak_url, verzoek.verzoek)
    contactmomenten = select(ZaakContactMoment).where(ZaakContactMoment.zaak_id == zaak.id)
    for moment in list((await ctx.session.execute(contactmomenten)).scalars()):
        await verwijderd(ctx, OBJECTCONTACTMOMENT, moment.uuid, zaak_url, moment.contactmoment)
