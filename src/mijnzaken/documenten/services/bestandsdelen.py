"""Bestandsdelen (chunked upload, Documenten 1.1.0): cutting an announced size into parts,
storing each part (exact size, with the document's lock) and joining them on unlock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from mijnzaken.core.errors import NotFound, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten import opslag, repository
from mijnzaken.documenten.models import BestandsDeel, InformatieObject
from mijnzaken.documenten.services import access
from mijnzaken.documenten.services.lock import check_lock

UPDATE = "documenten.bijwerken"
FORCED_UPDATE = "documenten.geforceerd-bijwerken"


def _te_groot(field: str, maximum: int) -> ValidationFailed:
    return ValidationFailed.field(
        field, "file-size", f"De inhoud is groter dan de toegestane {maximum} bytes."
    )


def plan(ctx: Ctx, document: InformatieObject, omvang: int) -> list[BestandsDeel]:
    """Cut a content of `omvang` bytes into bestandsdelen of the configured size."""
    if omvang > ctx.settings.documenten_max_omvang:
        raise _te_groot("bestandsomvang", ctx.settings.documenten_max_omvang)
    size = ctx.settings.documenten_bestandsdeel_omvang
    delen = []
    for i, start in enumerate(range(0, omvang, size), start=1):
        delen.append(
            BestandsDeel(
                informatieobject_id=document.id, volgnummer=i, omvang=min(size, omvang - start)
            )
        )
    return delen


async def drop(ctx: Ctx, document: InformatieObject) -> None:
    store = opslag.voor(ctx.settings)
    for deel in (await repository.bestandsdelen(ctx.session, [document.id])).get(document.id, []):
        opslag.vervalt(ctx.session, store, deel.inhoud_key)
        await ctx.session.delete(deel)


async def join(ctx: Ctx, document: InformatieObject, delen: list[BestandsDeel]) -> None:
    store = opslag.voor(ctx.settings)
    keys = [d.inhoud_key for d in delen if d.inhoud_key]
    stored = await opslag.voeg_samen(
        ctx.session, store, keys, max_omvang=ctx.settings.documenten_max_omvang
    )
    document.inhoud_key, document.inhoud_sha256 = stored.key, stored.sha256
    document.bestandsomvang = stored.omvang
    await drop(ctx, document)
    current = await repository.huidige_versie(ctx.session, document)
    if current is not None:  # the version the upload belongs to now has its content
        current.inhoud_key, current.inhoud_sha256 = stored.key, stored.sha256


async def upload_deel(
    ctx: Ctx, ident: uuid.UUID, lock_id: str, chunks: AsyncIterator[bytes]
) -> BestandsDeel:
    """Store one bestandsdeel: it needs the document's lock and exactly its size."""
    deel = await repository.bestandsdeel(ctx.session, ident)
    if deel is None:
        raise NotFound()
    # the document read once, locked, when no other transaction holds it; when one does,
    # the rights first on the row read without the lock (a client without them does not
    # wait), then locked, read again and checked again
    document = await repository.document_by_id_for_update(
        ctx.session, deel.informatieobject_id, skip_locked=True
    )
    if document is None:
        unlocked = await repository.document_by_id(ctx.session, deel.informatieobject_id)
        await access.ensure(ctx, (UPDATE, FORCED_UPDATE), unlocked)
        document = await repository.document_by_id_for_update(ctx.session, deel.informatieobject_id)
        if document is None:  # deleted meanwhile, and its bestandsdelen with it
            raise NotFound()
    await access.ensure(ctx, (UPDATE, FORCED_UPDATE), document)
    check_lock(document, lock_id)
    store = opslag.voor(ctx.settings)
    try:
        stored = await opslag.ontvang(
            ctx.session,
            store,
            chunks,
            max_omvang=ctx.settings.documenten_max_omvang,
            precies=deel.omvang,
        )
    except (opslag.TeGroot, ValueError) as exc:
        raise ValidationFailed.field(
            "inhoud",
            "file-size",
            f"Een bestandsdeel met volgnummer {deel.volgnummer} moet precies {deel.omvang} "
            "bytes zijn.",
        ) from exc
    opslag.vervalt(ctx.session, store, deel.inhoud_key)  # an earlier try of the same part
    deel.inhoud_key = stored.key
    return deel
