"""Rules of ZaakInformatieObject (zrc-003, zrc-004, zrc-005, zrc-017).

The Documenten register is not built yet. A document is referred to by URL and stored as
given; a URL of a remote Documenten API is not fetched (this register makes no outbound
calls yet), so its existence (zrc-003) and informatieobjecttype (zrc-017) cannot be checked.
"""

from __future__ import annotations

from sqlalchemy import select

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Status, Zaak, ZaakInformatieObject
from mijnzaken.zaken.schemas.zaakinformatieobjecten import ZaakInformatieObjectWrite
from mijnzaken.zaken.services import common

# zrc-004: a document is linked to a zaak as "hoort bij"
AARD_RELATIE = "hoort_bij"
AARD_RELATIE_WEERGAVE = {
    "hoort_bij": "Hoort bij, omgekeerd: kent",
    "legt_vast": "Legt vast, omgekeerd: kan vastgelegd zijn als",
}
CREATE_SCOPES = ("zaken.aanmaken", common.UPDATE, common.FORCED_UPDATE)
UPDATE_SCOPES = (common.UPDATE, common.FORCED_UPDATE)
DELETE_SCOPES = (common.UPDATE, common.FORCED_UPDATE, "zaken.verwijderen")
DOCUMENTEN_PATH = "/documenten/api/v1/enkelvoudiginformatieobjecten/"


def check_informatieobject(ctx: Ctx, url: str) -> None:
    """zrc-003 for a URL on our own origin: it must name an existing document of our
    Documenten register.

    That register does not exist yet, so no such document exists and the answer is an honest
    400 'bad-url'. Once it is built, this looks the document up instead, and zrc-017 (its
    informatieobjecttype must be one of the zaaktype's) is checked here for local documents.
    """
    if not ctx.urls.is_ours(url):
        return
    if url.startswith(ctx.urls.base + DOCUMENTEN_PATH):
        reason = (
            "Het informatieobject bestaat niet: deze installatie heeft nog geen Documenten API."
        )
    else:
        reason = "De URL verwijst niet naar een informatieobject."
    raise ValidationFailed.field("informatieobject", "bad-url", reason)


def sync_objectinformatieobject(ctx: Ctx, link: ZaakInformatieObject, actie: str) -> None:
    """zrc-005: mirror a created/changed/removed link as an objectinformatieobject
    (objectType "zaak") in the Documenten register.

    Not possible yet: there is no Documenten register in this installation and remote ones are
    not called. When our Documenten register exists, this becomes active: it is to be called
    on create, update and destroy of a ZaakInformatieObject (and on links made elsewhere), in
    the same transaction for a local document. Deliberately not called now, so nothing
    pretends to synchronise.
    """
    raise NotImplementedError("zrc-005 needs the Documenten register")


async def _status_id(ctx: Ctx, zaak: Zaak, url: str | None) -> int | None:
    """The status the link is relevant for: a status of the same zaak."""
    if url is None:
        return None
    ident = ctx.urls.reference(url, common.API, "statussen", "status")
    status = (
        await ctx.session.execute(select(Status).where(Status.uuid == ident))
    ).scalar_one_or_none()
    if status is None:
        raise ValidationFailed(
            [InvalidParam("status", "does_not_exist", "De status bestaat niet.")]
        )
    if status.zaak_id != zaak.id:
        raise ValidationFailed.field(
            "status", "zaak-mismatch", "De status hoort niet bij de zaak van deze relatie."
        )
    return status.id


async def create(ctx: Ctx, data: ZaakInformatieObjectWrite) -> ZaakInformatieObject:
    """Link a document to a zaak; `registratiedatum` and `aardRelatie` are set here (zrc-004)."""
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, CREATE_SCOPES)
    check_informatieobject(ctx, data.informatieobject)
    taken = await ctx.session.execute(
        select(ZaakInformatieObject.id).where(
            ZaakInformatieObject.zaak_id == zaak.id,
            ZaakInformatieObject.informatieobject == data.informatieobject,
        )
    )
    if taken.first() is not None:
        raise ValidationFailed.field(
            "nonFieldErrors",
            "unique",
            "Dit informatieobject is al aan deze zaak gekoppeld.",
        )
    link = ZaakInformatieObject(
        zaak=zaak,
        zaak_id=zaak.id,
        informatieobject=data.informatieobject,
        aard_relatie=AARD_RELATIE,
        titel=data.titel,
        beschrijving=data.beschrijving,
        registratiedatum=clock.now(),
        vernietigingsdatum=data.vernietigingsdatum,
        status_id=await _status_id(ctx, zaak, data.status),
    )
    ctx.session.add(link)
    return link


async def update(
    ctx: Ctx, link: ZaakInformatieObject, data: ZaakInformatieObjectWrite
) -> ZaakInformatieObject:
    """Change the description of a link; the relation itself (zaak, informatieobject) is
    fixed (zrc-004)."""
    await common.ensure_may_change(ctx, link.zaak, UPDATE_SCOPES)
    fixed = []
    if ctx.urls.parse(data.zaak, common.API, "zaken") != link.zaak.uuid:
        fixed.append("zaak")
    if data.informatieobject != link.informatieobject:
        fixed.append("informatieobject")
    if fixed:
        raise ValidationFailed(
            [
                InvalidParam(name, "wijzigen-niet-toegelaten", "De relatie mag niet wijzigen.")
                for name in fixed
            ]
        )
    link.titel = data.titel
    link.beschrijving = data.beschrijving
    link.vernietigingsdatum = data.vernietigingsdatum
    link.status_id = await _status_id(ctx, link.zaak, data.status)
    return link


async def delete(ctx: Ctx, link: ZaakInformatieObject) -> None:
    """Remove the link (the document itself stays in its register)."""
    await common.ensure_may_change(ctx, link.zaak, DELETE_SCOPES)
    await ctx.session.delete(link)
