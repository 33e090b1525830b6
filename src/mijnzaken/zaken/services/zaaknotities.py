"""Rules of ZaakNotitie: a note belongs to one zaak (`gerelateerdAan`); the register sets
`aanmaakdatum` and `wijzigingsdatum`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select

from mijnzaken.core import clock
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import ZaakNotitie
from mijnzaken.zaken.schemas.zaaknotities import ZaakNotitieFilter, ZaakNotitieWrite
from mijnzaken.zaken.services import common

SCOPES = (common.UPDATE, common.FORCED_UPDATE)
FIELD = "gerelateerdAan"


async def query(ctx: Ctx, f: ZaakNotitieFilter) -> Select[Any]:
    """The notes of zaken the caller may read (zrc-006), narrowed by the list's filters."""
    stmt = await common.children_stmt(ctx, ZaakNotitie, f.gerelateerd_aan)
    n = ZaakNotitie
    conditions: list[ColumnElement[bool] | None] = [
        n.aangemaakt_door == f.aangemaakt_door if f.aangemaakt_door is not None else None,
        n.aangemaakt_door.icontains(f.aangemaakt_door_icontains, autoescape=True)
        if f.aangemaakt_door_icontains is not None
        else None,
        n.onderwerp == f.onderwerp if f.onderwerp is not None else None,
        n.onderwerp.icontains(f.onderwerp_icontains, autoescape=True)
        if f.onderwerp_icontains is not None
        else None,
        n.tekst == f.tekst if f.tekst is not None else None,
        n.tekst.icontains(f.tekst_icontains, autoescape=True)
        if f.tekst_icontains is not None
        else None,
        n.notitie_type == f.notitie_type if f.notitie_type is not None else None,
        n.status == f.status if f.status is not None else None,
    ]
    for column, prefix in (
        (n.aanmaakdatum, "aanmaakdatum"),
        (n.wijzigingsdatum, "wijzigingsdatum"),
    ):
        exact, gt, gte, lt, lte = (
            getattr(f, prefix + suffix) for suffix in ("", "_gt", "_gte", "_lt", "_lte")
        )
        conditions += [
            column == exact if exact is not None else None,
            column > gt if gt is not None else None,
            column >= gte if gte is not None else None,
            column < lt if lt is not None else None,
            column <= lte if lte is not None else None,
        ]
    return stmt.where(*(c for c in conditions if c is not None))


async def create(ctx: Ctx, data: ZaakNotitieWrite) -> ZaakNotitie:
    """A note on a zaak the caller may change (zrc-007 for a closed zaak)."""
    zaak = await common.zaak_by_url(ctx, data.gerelateerd_aan, FIELD)
    await common.ensure_may_change(ctx, zaak, SCOPES)
    moment = clock.now()
    obj = ZaakNotitie(
        zaak=zaak,
        zaak_id=zaak.id,
        onderwerp=data.onderwerp,
        tekst=data.tekst,
        aangemaakt_door=data.aangemaakt_door,
        notitie_type=data.notitie_type,
        status=data.status,
        aanmaakdatum=moment,
        wijzigingsdatum=moment,
    )
    ctx.session.add(obj)
    return obj


async def update(ctx: Ctx, obj: ZaakNotitie, data: ZaakNotitieWrite) -> ZaakNotitie:
    """Change a note; moving it to another zaak needs the right to change both zaken."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    if ctx.urls.parse(data.gerelateerd_aan, common.API, "zaken") != obj.zaak.uuid:
        zaak = await common.zaak_by_url(ctx, data.gerelateerd_aan, FIELD)
        await common.ensure_may_change(ctx, zaak, SCOPES)
        obj.zaak, obj.zaak_id = zaak, zaak.id
    obj.onderwerp = data.onderwerp
    obj.tekst = data.tekst
    obj.aangemaakt_door = data.aangemaakt_door
    obj.notitie_type = data.notitie_type
    obj.status = data.status
    obj.wijzigingsdatum = clock.now()
    return obj


async def delete(ctx: Ctx, obj: ZaakNotitie) -> None:
    """Remove a note."""
    await common.ensure_may_change(ctx, obj.zaak, SCOPES)
    await ctx.session.delete(obj)
