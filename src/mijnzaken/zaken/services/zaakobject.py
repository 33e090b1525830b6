"""Rules of ZaakObject: the object is given by URL or by an `objectIdentificatie` of its
`objectType`, an optional zaakobjecttype belongs to the zaak's zaaktype, and `zaak`, `object`
and `objectType` never change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak, ZaakObject
from mijnzaken.zaken.schemas.rol import validate_shape
from mijnzaken.zaken.schemas.zaakobject import (
    OBJECT_SHAPES,
    ZaakObjectFilter,
    ZaakObjectWrite,
)
from mijnzaken.zaken.services import common

CREATE_SCOPES = ("zaken.aanmaken", common.UPDATE, common.FORCED_UPDATE)
UPDATE_SCOPES = (common.UPDATE, common.FORCED_UPDATE)
DELETE_SCOPES = (common.UPDATE, common.FORCED_UPDATE, "zaken.verwijderen")


def _fail(name: str, code: str, reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


async def _checked(
    ctx: Ctx, zaak: Zaak, data: ZaakObjectWrite
) -> tuple[int | None, dict[str, Any] | None]:
    """The zaakobjecttype id and the validated objectIdentificatie of `data`, or a 400."""
    zaakobjecttype_id = None
    if data.zaakobjecttype:
        zot = await refs.by_url(
            ctx.session, ctx.urls, "zaakobjecttypen", data.zaakobjecttype, "zaakobjecttype"
        )
        if zot.zaaktype_id != zaak.zaaktype_id:
            raise _fail(
                "zaakobjecttype",
                "zaaktype-mismatch",
                "Het zaakobjecttype hoort niet bij het zaaktype van de zaak.",
            )
        zaakobjecttype_id = zot.id
    overige = data.object_type == "overige"
    if overige and not data.object_type_overige and data.object_type_overige_definitie is None:
        raise _fail(
            "objectTypeOverige",
            "missing-object-type-overige",
            "Als objectType 'overige' is, geef dan objectTypeOverige of "
            "objectTypeOverigeDefinitie op.",
        )
    if not overige and data.object_type_overige:
        raise _fail(
            "objectTypeOverige",
            "invalid-object-type-overige-usage",
            "objectTypeOverige mag alleen bij objectType 'overige'.",
        )
    if data.object_type_overige_definitie is not None:
        if not overige:
            raise _fail(
                "objectTypeOverigeDefinitie",
                "invalid-object-type-overige-usage",
                "objectTypeOverigeDefinitie mag alleen bij objectType 'overige'.",
            )
        if not data.object:
            raise _fail(
                "object", "required", "Bij objectTypeOverigeDefinitie hoort een object-URL."
            )
        if data.object_identificatie is not None:
            raise _fail(
                "objectIdentificatie",
                "invalid",
                "Bij objectTypeOverigeDefinitie kan geen objectIdentificatie.",
            )
    identificatie = None
    shape = OBJECT_SHAPES[data.object_type]
    # types without an identification (besluit, document, status) ignore it, like any
    # property the type does not know
    if shape is not None and data.object_identificatie is not None:
        identificatie = validate_shape(
            shape, data.object_identificatie, "objectIdentificatie"
        ).dump()
    if not data.object and identificatie is None:
        raise _fail(
            "nonFieldErrors",
            "invalid-zaakobject",
            "Geef een object (URL) of een objectIdentificatie op.",
        )
    return zaakobjecttype_id, identificatie


def _apply(
    obj: ZaakObject,
    data: ZaakObjectWrite,
    zaakobjecttype_id: int | None,
    identificatie: dict[str, Any] | None,
) -> None:
    definitie = data.object_type_overige_definitie
    obj.zaakobjecttype_id = zaakobjecttype_id
    obj.object_type_overige = data.object_type_overige
    obj.object_type_overige_definitie = definitie.dump() if definitie is not None else None
    obj.relatieomschrijving = data.relatieomschrijving
    obj.object_identificatie = identificatie


async def create(ctx: Ctx, data: ZaakObjectWrite) -> ZaakObject:
    """A new zaakobject on a zaak the caller may change (zrc-007)."""
    zaak = await common.zaak_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, CREATE_SCOPES)
    zaakobjecttype_id, identificatie = await _checked(ctx, zaak, data)
    obj = ZaakObject(zaak=zaak, zaak_id=zaak.id, object=data.object, object_type=data.object_type)
    _apply(obj, data, zaakobjecttype_id, identificatie)
    ctx.session.add(obj)
    return obj


async def update(ctx: Ctx, obj: ZaakObject, data: ZaakObjectWrite) -> ZaakObject:
    """Change a zaakobject; its `zaak`, `object` and `objectType` stay as they are."""
    zaak = obj.zaak
    await common.ensure_may_change(ctx, zaak, UPDATE_SCOPES)
    changed = []
    if ctx.urls.parse(data.zaak, common.API, "zaken") != zaak.uuid:
        changed.append("zaak")
    if data.object != obj.object:
        changed.append("object")
    if data.object_type != obj.object_type:
        changed.append("objectType")
    if changed:
        raise ValidationFailed(
            [
                InvalidParam(name, "wijzigen-niet-toegelaten", "Dit gegeven mag niet wijzigen.")
                for name in changed
            ]
        )
    zaakobjecttype_id, identificatie = await _checked(ctx, zaak, data)
    _apply(obj, data, zaakobjecttype_id, identificatie)
    return obj


async def delete(ctx: Ctx, obj: ZaakObject) -> None:
    """Remove the relation between a zaak the caller may change (zrc-007) and an object."""
    await common.ensure_may_change(ctx, obj.zaak, DELETE_SCOPES)
    await ctx.session.delete(obj)


async def query(ctx: Ctx, filters: ZaakObjectFilter) -> Select[Any]:
    """The zaakobjecten the caller may read (zrc-006), filtered as zaakobject_list describes."""
    stmt = await common.children_stmt(ctx, ZaakObject, filters.zaak)
    if filters.object is not None:
        stmt = stmt.where(ZaakObject.object == filters.object)
    if filters.object_type is not None:
        stmt = stmt.where(ZaakObject.object_type == filters.object_type)
    return stmt
