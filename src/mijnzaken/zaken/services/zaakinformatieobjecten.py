"""Rules of ZaakInformatieObject (zrc-003, zrc-004, zrc-005, zrc-017).

The document is checked and the link mirrored through the Documenten register's service
(`mijnzaken.documenten.services.relaties`): a document of ours in the same transaction; one of
a remote Documenten API is fetched there to be checked, and its objectinformatieobject is
created or removed there after commit by the durable job queue (documenten/mirror.py).
"""

from __future__ import annotations

from sqlalchemy import select

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten.services import relaties
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


async def sync_objectinformatieobject(ctx: Ctx, link: ZaakInformatieObject, actie: str) -> None:
    """zrc-005: mirror a created or removed link as an objectinformatieobject (objectType
    "zaak") in our Documenten register, in this transaction, or for a remote document in
    its Documenten API after commit. The relation itself never changes (zrc-004), so an
    update has nothing to mirror."""
    zaak_url = common.zaak_url(ctx, link.zaak)
    if actie == "create":
        await relaties.koppel(
            ctx, informatieobject_url=link.informatieobject, object_type="zaak", object_url=zaak_url
        )
    elif actie == "destroy":
        await relaties.ontkoppel(
            ctx, informatieobject_url=link.informatieobject, object_url=zaak_url, object_type="zaak"
        )


async def kent_informatieobject(ctx: Ctx, zaak_url: str, informatieobject_url: str) -> bool | None:
    """For the Documenten register (drc-004): whether the zaak `zaak_url` has this document;
    None when the URL names no zaak of ours."""
    ident = ctx.urls.parse(zaak_url, common.API, "zaken")
    if ident is None:
        return None
    zaak = (await ctx.session.execute(select(Zaak.id).where(Zaak.uuid == ident))).first()
    if zaak is None:
        return None
    found = await ctx.session.execute(
        select(ZaakInformatieObject.id).where(
            ZaakInformatieObject.zaak_id == zaak.id,
            ZaakInformatieObject.informatieobject == informatieobject_url,
        )
    )
    return found.first() is not None


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
    await relaties.controleer_informatieobject(
        ctx, data.informatieobject, object_type="zaak", type_id=zaak.zaaktype_id
    )
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
    await sync_objectinformatieobject(ctx, link, "create")
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
    await sync_objectinformatieobject(ctx, link, "destroy")
    await ctx.session.delete(link)
