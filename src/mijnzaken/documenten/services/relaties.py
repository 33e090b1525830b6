"""What other registers ask of the Documenten register: a document by URL, and keeping
objectinformatieobjecten in step with their zaak- and besluitinformatieobjecten (the leading
side), in the caller's transaction.

The Zaken and Besluiten registers check a new link through `controleer_informatieobject`
(zrc-003/zrc-017, brc-003/brc-008): a document of this installation here, one of another
Documenten API by fetching it there (federatie/documenten.py, ADR 0018). Their own rights are
checked by the caller (zaken.bijwerken on the zaak, ...), not here.

The other direction (drc-004: does the zaak know this document?) goes through `bron` functions
the app registers at start-up, so this register imports neither Zaken nor Besluiten.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten import mirror, repository
from mijnzaken.documenten.models import InformatieObject, ObjectInformatieObject
from mijnzaken.documenten.services import informatieobjecten
from mijnzaken.federatie import documenten as remote_documenten

ObjectType = Literal["zaak", "besluit", "verzoek"]
# (ctx, object URL, document URL) -> True/False: the source holds the relation; None: the
# URL is not an object of that register
Bron = Callable[[Ctx, str, str], Awaitable[bool | None]]
_BRONNEN: dict[str, Bron] = {}


def configure_bron(object_type: ObjectType, bron: Bron) -> None:
    """Register how to ask the source register of `object_type` about a relation."""
    _BRONNEN[object_type] = bron


def bron(object_type: str) -> Bron | None:
    return _BRONNEN.get(object_type)


# zrc-017 / brc-008: whether the zaaktype / besluittype (by id) lists the informatieobjecttype
# (by id), and the error when it does not
_TYPE_RULES: dict[str, tuple[Callable[..., Awaitable[bool]], str, str]] = {
    "zaak": (
        refs.zaaktype_kent_informatieobjecttype,
        "missing-zaaktype-informatieobjecttype-relation",
        "Het informatieobjecttype van het informatieobject hoort niet bij het zaaktype.",
    ),
    "besluit": (
        refs.besluittype_kent_informatieobjecttype,
        "missing-besluittype-informatieobjecttype-relation",
        "Het informatieobjecttype van het informatieobject hoort niet bij het besluittype.",
    ),
}
DOCUMENTEN_PATH = f"/{informatieobjecten.API}/api/v1/{informatieobjecten.COLLECTION}/"


@dataclass(frozen=True)
class Document:
    """What another register needs to know of one of our documents."""

    uuid: uuid.UUID
    url: str
    informatieobjecttype: str  # URL of its informatieobjecttype
    informatieobjecttype_id: int  # the same, as id in our Catalogi register
    vertrouwelijkheidaanduiding: str


async def _document(ctx: Ctx, url: str) -> InformatieObject | None:
    ident = ctx.urls.parse(url, informatieobjecten.API, informatieobjecten.COLLECTION)
    if ident is None:
        return None
    return await repository.document(ctx.session, ident)


async def informatieobject(ctx: Ctx, url: str) -> Document | None:
    """The document of this installation that `url` names, or None (not ours, or absent)."""
    found = await _document(ctx, url)
    if found is None:
        return None
    return Document(
        uuid=found.uuid,
        url=informatieobjecten.url(ctx, found),
        informatieobjecttype=informatieobjecten.type_url(ctx, found),
        informatieobjecttype_id=found.informatieobjecttype_id,
        vertrouwelijkheidaanduiding=found.vertrouwelijkheidaanduiding,
    )


async def controleer_informatieobject(
    ctx: Ctx, url: str, *, object_type: Literal["zaak", "besluit"], type_id: int
) -> None:
    """The rules for a document linked to a zaak (zrc-003, zrc-017) or besluit (brc-003,
    brc-008) whose zaaktype / besluittype has id `type_id`: the document must exist, and
    the type must list its informatieobjecttype. A document of another Documenten API is
    fetched from there (ADR 0018)."""
    if ctx.urls.is_ours(url):
        document = await informatieobject(ctx, url)
        if document is None:
            reason = (
                "Het informatieobject bestaat niet."
                if url.startswith(ctx.urls.base + DOCUMENTEN_PATH)
                else "De URL verwijst niet naar een informatieobject."
            )
            raise ValidationFailed.field("informatieobject", "bad-url", reason)
        candidates = [document.informatieobjecttype_id]
    else:
        candidates = await _remote_type_ids(ctx, url)
    kent, code, reason = _TYPE_RULES[object_type]
    for iot_id in candidates:
        if await kent(ctx.session, type_id, iot_id):
            return
    raise ValidationFailed.field("nonFieldErrors", code, reason)


async def _remote_type_ids(ctx: Ctx, url: str) -> list[int]:
    """Our informatieobjecttype(n) of the remote document `url` (400 when it cannot be read):
    the type itself when its URL is ours, else those with the same omschrijving in our
    catalogus with the domein and rsin of the remote type's catalogus (a catalogue that both
    installations publish); none when we have no such type."""
    try:
        document = await remote_documenten.document(ctx.settings, url)
    except OutboundError as exc:
        raise exc.invalid("informatieobject") from exc
    type_url = document.informatieobjecttype
    if ctx.urls.is_ours(type_url):
        found = await refs.ids_for_urls(ctx.session, ctx.urls, "informatieobjecttypen", [type_url])
        return list(found.values())
    try:
        remote_type = await remote_documenten.informatieobjecttype(ctx.settings, type_url)
    except OutboundError as exc:
        raise ValidationFailed.field(
            "informatieobject",
            "invalid-resource",
            f"Het informatieobjecttype van het informatieobject is niet te lezen ({exc.code}).",
        ) from exc
    return await refs.informatieobjecttype_ids_by_name(
        ctx.session, remote_type.domein, remote_type.rsin, remote_type.omschrijving
    )


async def koppel(
    ctx: Ctx, *, informatieobject_url: str, object_type: ObjectType, object_url: str
) -> bool:
    """Mirror a new zaak/besluit-document link as objectinformatieobject (zrc-005, brc-005):
    here for one of our documents, in a remote Documenten API after commit (documenten/
    mirror.py) for one of theirs. Returns False when there is nothing to mirror. Idempotent."""
    if not ctx.urls.is_ours(informatieobject_url):
        return mirror.plan_koppel(
            ctx.session,
            ctx.settings,
            informatieobject=informatieobject_url,
            object_url=object_url,
            object_type=object_type,
        )
    found = await _document(ctx, informatieobject_url)
    if found is None:
        return False
    if await repository.relatie(ctx.session, found.id, object_url) is None:
        ctx.session.add(
            ObjectInformatieObject(
                informatieobject_id=found.id, object=object_url, object_type=object_type
            )
        )
    return True


async def ontkoppel(
    ctx: Ctx, *, informatieobject_url: str, object_url: str, object_type: ObjectType
) -> bool:
    """Remove the mirror of a removed link (of a remote document: queued, as `koppel`).
    Returns False when there is nothing to remove."""
    if not ctx.urls.is_ours(informatieobject_url):
        return await mirror.plan_ontkoppel(
            ctx.session,
            ctx.settings,
            informatieobject=informatieobject_url,
            object_url=object_url,
            object_type=object_type,
        )
    found = await _document(ctx, informatieobject_url)
    if found is None:
        return False
    existing = await repository.relatie(ctx.session, found.id, object_url)
    if existing is not None:
        await ctx.session.delete(existing)
    return True


async def ontkoppel_object(
    ctx: Ctx,
    object_url: str,
    informatieobjecten: Iterable[str] = (),
    object_type: ObjectType = "zaak",
) -> None:
    """Remove the mirrors of every link of an object that is destroyed (a zaak with all its
    zaakinformatieobjecten, zrc-023 with zrc-005); `informatieobjecten`: the documents it
    linked, of which those of remote Documenten APIs get their removal queued."""
    await repository.verwijder_relaties(ctx.session, object_url)
    for url in informatieobjecten:
        if not ctx.urls.is_ours(url):
            await mirror.plan_ontkoppel(
                ctx.session,
                ctx.settings,
                informatieobject=url,
                object_url=object_url,
                object_type=object_type,
            )
