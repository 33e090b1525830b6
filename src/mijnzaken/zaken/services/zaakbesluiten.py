"""Rules of ZaakBesluit: the besluiten taken on a zaak.

In the standard the Besluiten register keeps this relation (brc-006): when a besluit names a
zaak, the Besluiten API creates the ZaakBesluit here, and removes it with the besluit. Our own
Besluiten register does that through `link_besluit` and `unlink_besluit`, in the transaction
of the besluit. The ZaakBesluit endpoints (`create`, `delete`) stay as the Zaken API defines
them: a remote Besluiten API synchronises through them, a besluit stored as the URL given.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from mijnzaken.core import audit
from mijnzaken.core.errors import InvalidParam, PermissionDenied, ValidationFailed
from mijnzaken.core.outbox import notify
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak, ZaakBesluit
from mijnzaken.zaken.schemas.zaakbesluiten import ZaakBesluitWrite
from mijnzaken.zaken.services import access, common
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
    """The local zaak a besluit names, or a 400 on `zaak` (only zaken of this register are
    accepted: a remote zaak's zaaktype cannot be checked, brc-007)."""
    ident = ctx.urls.parse(url, common.API, "zaken")
    if ident is None:
        raise ValidationFailed(
            [InvalidParam("zaak", "no_match", "De URL verwijst niet naar een zaak van deze API.")]
        )
    return await common.zaak_by_url(ctx, url)


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
