"""Rules of ObjectInformatieObject made through the API (drc-002, drc-003, drc-004).

The leading side is the zaak- or besluitinformatieobject: creating that link creates this one
(services/relaties.py). Through the API a relation is accepted only when its source already
knows it (drc-004), and removed only when the source no longer does; a source of another
installation is asked over its API (federatie/bronnen.py).
"""

from __future__ import annotations

from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten import repository
from mijnzaken.documenten.models import InformatieObject, ObjectInformatieObject
from mijnzaken.documenten.schemas import ObjectInformatieObjectWrite
from mijnzaken.documenten.services import access, informatieobjecten, relaties
from mijnzaken.federatie import bronnen


async def document_by_url(ctx: Ctx, url: str, scopes: tuple[str, ...]) -> InformatieObject:
    """The document a body refers to (400 when it does not exist, 403 when not allowed)."""
    ident = ctx.urls.reference(
        url, informatieobjecten.API, informatieobjecten.COLLECTION, "informatieobject"
    )
    document = await repository.document(ctx.session, ident)
    if document is None:
        raise ValidationFailed.field(
            "informatieobject", "does_not_exist", "Het informatieobject bestaat niet."
        )
    await access.ensure(ctx, scopes, document)
    return document


async def _in_bron(ctx: Ctx, object_type: str, object_url: str, document_url: str) -> bool:
    """drc-002 / drc-004: whether the object's register links it to the document; our own
    Zaken or Besluiten register in-process, another installation's over its API."""
    bron = relaties.bron(object_type)
    known = await bron(ctx, object_url, document_url) if bron is not None else None
    if known is not None:
        return known
    if ctx.urls.is_ours(object_url):  # drc-002
        raise ValidationFailed.field(
            "object", "bad-url", f"Het object is geen {object_type} van deze installatie."
        )
    try:
        return await bronnen.kent(ctx.settings, object_type, object_url, document_url)
    except OutboundError as exc:
        raise exc.invalid("object") from exc


async def _nog_in_bron(ctx: Ctx, object_type: str, object_url: str, document_url: str) -> bool:
    """Whether the source still holds the relation (an object that is gone holds none)."""
    bron = relaties.bron(object_type)
    known = await bron(ctx, object_url, document_url) if bron is not None else None
    if (
        known is not None
        or ctx.urls.is_ours(object_url)
        or bronnen.api_root(object_type, object_url) is None
    ):
        return bool(known)
    try:
        return await bronnen.kent(ctx.settings, object_type, object_url, document_url)
    except OutboundError as exc:
        raise exc.invalid("object") from exc


async def create(ctx: Ctx, data: ObjectInformatieObjectWrite) -> ObjectInformatieObject:
    document = await document_by_url(ctx, data.informatieobject, (informatieobjecten.CREATE,))
    document_url = informatieobjecten.url(ctx, document)
    if not await _in_bron(ctx, data.object_type, data.object, document_url):  # drc-004
        raise ValidationFailed.field(
            "nonFieldErrors",
            "inconsistent-relation",
            "De relatie tussen object en informatieobject bestaat niet in de bron.",
        )
    if await repository.relatie(ctx.session, document.id, data.object) is not None:  # drc-003
        raise ValidationFailed.field(
            "nonFieldErrors",
            "unique",
            "De combinatie van object en informatieobject bestaat al.",
        )
    link = ObjectInformatieObject(
        informatieobject=document,
        informatieobject_id=document.id,
        object=data.object,
        object_type=data.object_type,
    )
    ctx.session.add(link)
    return link


async def delete(ctx: Ctx, link: ObjectInformatieObject) -> None:
    """Only when the source no longer holds the relation (else it would be inconsistent)."""
    await access.ensure(ctx, (informatieobjecten.DELETE,), link.informatieobject)
    document_url = informatieobjecten.url(ctx, link.informatieobject)
    if await _nog_in_bron(ctx, link.object_type, link.object, document_url):
        raise ValidationFailed.field(
            "nonFieldErrors",
            "inconsistent-relation",
            "De relatie bestaat nog in de bron; verwijder die daar.",
        )
    await ctx.session.delete(link)
