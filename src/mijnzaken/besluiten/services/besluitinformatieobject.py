"""Rules of BesluitInformatieObject (brc-003, brc-004, brc-005, brc-008).

The document is checked and the link mirrored through the Documenten register's service
(`mijnzaken.documenten.services.relaties`): a document of ours in the same transaction; one of
a remote Documenten API is fetched there to be checked, and its objectinformatieobject is
created or removed there after commit by the durable job queue (documenten/mirror.py).
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Final

from sqlalchemy import select

from mijnzaken.besluiten import repository as repo
from mijnzaken.besluiten.models import Besluit, BesluitInformatieObject
from mijnzaken.besluiten.schemas import BesluitInformatieObjectWrite
from mijnzaken.besluiten.services import access
from mijnzaken.core import clock
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten.services import relaties

# brc-004: the objectType is "besluit", so the relation "legt vast"
AARD_RELATIE = "legt_vast"
OBJECT_TYPE: Final = "besluit"


async def sync_objectinformatieobject(
    ctx: Ctx, informatieobject: str, besluit_uuid: uuid_lib.UUID, actie: str
) -> None:
    """brc-005 / brc-009: mirror a created (`create`) or removed (`destroy`) link as an
    objectinformatieobject (objectType "besluit") in our Documenten register, in this
    transaction, or for a remote document in its Documenten API after commit."""
    from mijnzaken.besluiten.services.besluit import besluit_url

    url = besluit_url(ctx, besluit_uuid)
    if actie == "create":
        await relaties.koppel(
            ctx, informatieobject_url=informatieobject, object_type=OBJECT_TYPE, object_url=url
        )
    elif actie == "destroy":
        await relaties.ontkoppel(
            ctx, informatieobject_url=informatieobject, object_url=url, object_type=OBJECT_TYPE
        )


async def kent_informatieobject(
    ctx: Ctx, besluit_url: str, informatieobject_url: str
) -> bool | None:
    """For the Documenten register (drc-004): whether the besluit `besluit_url` has this
    document; None when the URL names no besluit of ours."""
    from mijnzaken.besluiten.services.besluit import API

    ident = ctx.urls.parse(besluit_url, API, "besluiten")
    if ident is None:
        return None
    besluit = (await ctx.session.execute(select(Besluit.id).where(Besluit.uuid == ident))).first()
    if besluit is None:
        return None
    found = await ctx.session.execute(
        select(BesluitInformatieObject.id).where(
            BesluitInformatieObject.besluit_id == besluit.id,
            BesluitInformatieObject.informatieobject == informatieobject_url,
        )
    )
    return found.first() is not None


async def create(ctx: Ctx, data: BesluitInformatieObjectWrite) -> BesluitInformatieObject:
    """Link a document to a besluit; `registratiedatum` and `aardRelatie` are set here
    (brc-004) and the link is mirrored in the Documenten register (brc-005)."""
    from mijnzaken.besluiten.services import besluit as besluit_service

    besluit: Besluit = await besluit_service.by_url(ctx, data.besluit, "besluit", access.CREATE)
    await relaties.controleer_informatieobject(
        ctx, data.informatieobject, object_type=OBJECT_TYPE, type_id=besluit.besluittype_id
    )
    if await repo.link_exists(ctx.session, besluit.id, data.informatieobject):
        raise ValidationFailed.field(
            "nonFieldErrors", "unique", "Dit informatieobject is al aan dit besluit gekoppeld."
        )
    link = BesluitInformatieObject(
        besluit=besluit,
        besluit_id=besluit.id,
        informatieobject=data.informatieobject,
        aard_relatie=AARD_RELATIE,
        registratiedatum=clock.now(),
    )
    ctx.session.add(link)
    await sync_objectinformatieobject(ctx, link.informatieobject, besluit.uuid, "create")
    return link


async def delete(ctx: Ctx, link: BesluitInformatieObject) -> None:
    """Remove the link (the document itself stays in its register) and its mirror."""
    await access.ensure(ctx, access.DELETE, link.besluit)
    await sync_objectinformatieobject(ctx, link.informatieobject, link.besluit.uuid, "destroy")
    await ctx.session.delete(link)
