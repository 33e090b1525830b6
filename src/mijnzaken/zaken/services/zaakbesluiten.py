"""Rules of ZaakBesluit: the besluiten taken on a zaak.

In the standard the Besluiten register keeps this relation (brc-006): when a besluit names a
zaak, the Besluiten API creates the ZaakBesluit here, and removes it with the besluit. Our own
Besluiten register does that through `link_besluit` and `unlink_besluit`, in the transaction
of the besluit. The ZaakBesluit endpoints (`create`, `delete`) stay as the Zaken API defines
them: a remote Besluiten API synchronises through them, a besluit stored as the URL given.

A besluit of our Besluiten register may also name a zaak of another installation's Zaken API
(configured in MIJNZAKEN_REMOTE_SERVICES): `remote_zaak_for_besluit` reads it there, and the
ZaakBesluit is made and removed there after commit by the mirror jobs (services/spiegel.py).
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from mijnzaken.core import audit
from mijnzaken.core.errors import InvalidParam, PermissionDenied, ValidationFailed
from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.outbox import notify
from mijnzaken.core.resource import Ctx
from mijnzaken.federatie import zaken as remote_zaken
from mijnzaken.zaken.models import Zaak, ZaakBesluit
from mijnzaken.zaken.models.spiegel import ZAAKBESLUIT
from mijnzaken.zaken.schemas.zaakbesluiten import ZaakBesluitWrite
from mijnzaken.zaken.services import access, common, spiegel
from mijnzaken.zaken.services.zaak import kenmerken

SCOPES = (common.UPDATE,)


async def create(ctx: Ctx, zaak: Zaak, data: ZaakBesluitWrite) -> ZaakBesluit:
    """Record that a besluit was taken on the zaak."""
    await common.ensure_may_change(ctx, zaak, SCOPES)
    obj = ZaakBesluit(zaak=zaak, zaak_id=zaak.id, besluit=data.besluit)
    ctx.session.add(obj)
    return obj


async def delete(ctx: Ctx, obj: ZaakBesluit) -> None:
    """Remove the relation (the besluit itself is not touched)."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)


# --- for the Besluiten register -----------------------------------------------------------


async def zaak_for_besluit(ctx: Ctx, url: str) -> Zaak:
    """The local zaak a besluit names (a URL of this installation), or a 400 on `zaak`."""
    ident = ctx.urls.parse(url, common.API, "zaken")
    if ident is None:
        raise ValidationFailed(
            [InvalidParam("zaak", "no_match", "De URL verwijst niet naar een zaak van deze API.")]
        )
    return await common.zaak_by_url(ctx, url)


# an answer that says nothing about the zaak itself: it could not be read
_UNREADABLE = {"timeout", "unreachable", "too-large"}


async def remote_zaak_for_besluit(ctx: Ctx, url: str) -> remote_zaken.RemoteZaak:
    """The zaak of a remote Zaken API a besluit names, read there; or a 400 on `zaak`:
    `unknown-service` (no configured Zaken API to mirror the ZaakBesluit in, brc-006),
    `forbidden-address` (SSRF), `bad-url` (not there, or not readable), `invalid-resource`
    (not a zaak)."""
    spiegel.remote_service(ctx, ZAAKBESLUIT, url)
    try:
        return await remote_zaken.zaak(ctx.settings, url)
    except OutboundError as exc:
        if exc.code in _UNREADABLE:
            reason = f"De zaak kon niet worden opgehaald ({exc.code})."
            raise ValidationFailed([InvalidParam("zaak", "bad-url", reason)]) from exc
        raise exc.invalid("zaak") from exc


async def ensure_besluit_may_change(ctx: Ctx, zaak: Zaak) -> None:
    """zrc-007 for besluiten: the besluiten of a closed zaak change only for a caller with
    zaken.geforceerd-bijwerken on that zaak."""
    if zaak.einddatum is None:
        return
    if not (await access.access(ctx, common.FORCED_UPDATE)).permits(
        zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding
    ):
        raise PermissionDenied(
            "De zaak is afgesloten; een besluit erbij aanmaken, wijzigen of verwijderen kan "
            "alleen met scope zaken.geforceerd-bijwerken."
        )


def _body(ctx: Ctx, zaak: Zaak, link: ZaakBesluit) -> dict[str, Any]:
    url = f"{common.zaak_url(ctx, zaak)}/besluiten/{link.uuid}"
    return {"url": url, "uuid": str(link.uuid), "besluit": link.besluit}


def _tell(ctx: Ctx, zaak: Zaak, body: dict[str, Any], actie: str) -> None:
    """The zaak's audit trail (bron ZRC) and a notification on kanaal zaken, as when the
    relation is made through the Zaken API."""
    zaak_url = common.zaak_url(ctx, zaak)
    old, new = (None, body) if actie == "create" else (body, None)
    audit.record(
        ctx.session,
        bron="ZRC",
        auth=ctx.auth,
        actie=actie,
        resultaat=201 if actie == "create" else 204,
        hoofd_object=zaak_url,
        resource="zaakbesluit",
        resource_url=body["url"],
        resource_weergave=body["besluit"],
        toelichting=ctx.request.headers.get("x-audit-toelichting", ""),
        oud=old,
        nieuw=new,
    )
    notify(
        ctx.session,
        kanaal="zaken",
        hoofd_object=zaak_url,
        resource="zaakbesluit",
        resource_url=body["url"],
        actie=actie,
        kenmerken=kenmerken(ctx, zaak),
    )


async def link_besluit(ctx: Ctx, zaak: Zaak, besluit_url: str) -> None:
    """brc-006: mirror a besluit of our Besluiten register as a ZaakBesluit of its zaak."""
    link = ZaakBesluit(zaak_id=zaak.id, besluit=besluit_url, uuid=uuid_lib.uuid4())
    ctx.session.add(link)
    _tell(ctx, zaak, _body(ctx, zaak, link), "create")


async def unlink_besluit(ctx: Ctx, zaak_id: int, besluit_uuid: uuid_lib.UUID) -> None:
    """Remove the ZaakBesluit of a besluit of our Besluiten register (the besluit goes).

    Matched on the besluit's path and UUID, so a besluit stored under another host name of
    this installation is found too."""
    zaak = await zaak_of(ctx, zaak_id)
    stmt = select(ZaakBesluit).where(
        ZaakBesluit.zaak_id == zaak_id,
        ZaakBesluit.besluit.like(f"%/besluiten/api/v1/besluiten/{besluit_uuid}"),
    )
    for link in (await ctx.session.execute(stmt)).scalars():
        _tell(ctx, zaak, _body(ctx, zaak, link), "destroy")
        await ctx.session.delete(link)


async def link_remote_besluit(
    ctx: Ctx, zaak_url: str, besluit_uuid: uuid_lib.UUID, besluit_url: str
) -> None:
    """brc-006 for a remote zaak: queue the ZaakBesluit there (made after commit)."""
    await spiegel.gemaakt(ctx, ZAAKBESLUIT, besluit_uuid, zaak_url, besluit_url)


async def unlink_remote_besluit(
    ctx: Ctx, zaak_url: str, besluit_uuid: uuid_lib.UUID, besluit_url: str
) -> None:
    """brc-009 for a remote zaak: queue the removal of the ZaakBesluit there (or drop its
    create when nothing was sent yet)."""
    await spiegel.verwijderd(ctx, ZAAKBESLUIT, besluit_uuid, zaak_url, besluit_url)


async def zaak_uuids(ctx: Ctx, ids: Iterable[int]) -> dict[int, uuid_lib.UUID]:
    """The UUIDs of zaken by database id, in one query (for rendering references)."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = select(Zaak.id, Zaak.uuid).where(Zaak.id.in_(wanted))
    return {pk: ident for pk, ident in (await ctx.session.execute(stmt)).all()}


async def zaak_id_of(ctx: Ctx, url: str) -> int | None:
    """The database id of the local zaak `url` names (None: not ours or no such zaak)."""
    ident = ctx.urls.parse(url, common.API, "zaken")
    if ident is None:
        return None
    stmt = select(Zaak.id).where(Zaak.uuid == ident)
    found: int | None = (await ctx.session.execute(stmt)).scalar_one_or_none()
    return found


async def zaak_of(ctx: Ctx, zaak_id: int) -> Zaak:
    """The zaak a besluit of our Besluiten register belongs to."""
    zaak: Zaak = (await ctx.session.execute(select(Zaak).where(Zaak.id == zaak_id))).scalar_one()
    return zaak
