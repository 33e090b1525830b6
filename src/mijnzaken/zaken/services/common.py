"""Rules every Zaken resource shares: resolving the `zaak` of a sub-resource with the caller's
rights, and the closed-zaak rule (zrc-007)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, false, inspect, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from mijnzaken.core.db import in_parameter
from mijnzaken.core.errors import InvalidParam, NotFound, PermissionDenied, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.services import access

API = "zaken"
READ = "zaken.lezen"
UPDATE = "zaken.bijwerken"
FORCED_UPDATE = "zaken.geforceerd-bijwerken"


def zaak_url(ctx: Ctx, zaak: Zaak) -> str:
    return ctx.urls.resource(API, "zaken", zaak.uuid)


async def zaak_by_url(ctx: Ctx, url: str, field: str = "zaak", *, lock: bool = False) -> Zaak:
    """The zaak a request body refers to, or a 400 naming `field`. With `lock` it is read
    under a row lock (PostgreSQL; SQLite serialises writers anyway) and fresh from the
    database, for a change that depends on the zaak as it is (e.g. which status is the
    latest): a second request that does the same waits for this transaction."""
    ident = ctx.urls.reference(url, API, "zaken", field)
    stmt = select(Zaak).where(Zaak.uuid == ident)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    zaak = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if zaak is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    field, "does_not_exist", "De zaak waar de URL naar verwijst bestaat niet."
                )
            ]
        )
    return zaak


async def ensure_may_change(ctx: Ctx, zaak: Zaak, scopes: tuple[str, ...]) -> None:
    """The caller has one of `scopes` for this zaak, and a closed zaak changes only with
    zaken.geforceerd-bijwerken (zrc-007)."""
    await access.ensure_any(ctx, scopes, zaak)
    if zaak.einddatum is not None and not (await access.access(ctx, FORCED_UPDATE)).permits(
        zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding
    ):
        raise PermissionDenied(
            "De zaak is afgesloten; wijzigen kan alleen met scope zaken.geforceerd-bijwerken."
        )


_CHILD: dict[Any, Select[Any]] = {}


async def get_child(ctx: Ctx, model: Any, ident: Any, scope: str = READ) -> Any:
    """One sub-resource of a zaak the caller may read (with `.zaak` loaded), or 404/403."""
    stmt = _CHILD.get(model)
    if stmt is None:  # built once per model: no select to build or cache key to compute
        stmt = _CHILD[model] = (
            select(model).options(joinedload(model.zaak)).where(model.uuid == bindparam("ident"))
        )
    obj = (await ctx.session.execute(stmt, {"ident": ident})).scalar_one_or_none()
    if obj is None:
        raise NotFound()
    await access.ensure(ctx, scope, obj.zaak)
    return obj


# What a sub-resource's renderer, access check and event read of its zaak. A list of
# statussen or rollen (or their expansion on a page of zaken) joins fifty zaken: loading
# only these columns spares decoding the zaak's JSON columns on every row; the others raise
# when read instead of loading one by one.
ZAAK_KERN = (
    Zaak.id,
    Zaak.uuid,
    Zaak.identificatie,
    Zaak.bronorganisatie,
    Zaak.zaaktype_id,
    Zaak.zaaktype_uuid,
    Zaak.vertrouwelijkheidaanduiding,
    Zaak.einddatum,
    Zaak.status_id,
    Zaak.hoofdzaak_id,
)


# a zaak by UUID, its key columns only (`zaak_kern_by_url`); built once
_ZAAK_KERN_BY_UUID = (
    select(Zaak)
    .options(load_only(*ZAAK_KERN, raiseload=True))
    .where(Zaak.uuid == bindparam("ident"))
)


async def zaak_kern_by_url(ctx: Ctx, url: str, field: str = "zaak") -> Zaak:
    """As `zaak_by_url`, with the zaak's key columns only (`ZAAK_KERN`, the others raise when
    read): for a sub-resource's create that checks the caller's rights on the zaak and names
    it in its answer, audit record and notification, without decoding the zaak's JSON
    columns."""
    ident = ctx.urls.reference(url, API, "zaken", field)
    zaak = (await ctx.session.execute(_ZAAK_KERN_BY_UUID, {"ident": ident})).scalar_one_or_none()
    if zaak is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    field, "does_not_exist", "De zaak waar de URL naar verwijst bestaat niet."
                )
            ]
        )
    return zaak


_CHILDREN: dict[Any, Select[Any]] = {}


async def children_stmt(ctx: Ctx, model: Any, zaak_filter: str | None) -> Select[Any]:
    """The list query of a sub-resource: only those of zaken the caller may read, optionally
    of the one zaak `zaak_filter` names (a URL that is not ours matches nothing)."""
    # the zaak is joined once, for the access condition and the filters, and loaded from
    # that same join (render needs its UUID), its key columns only; built once per model
    # (the loader options cost more to build than the rest of the query)
    stmt = _CHILDREN.get(model)
    if stmt is None:
        stmt = _CHILDREN[model] = (
            select(model)
            .join(model.zaak)
            .options(contains_eager(model.zaak).load_only(*ZAAK_KERN, raiseload=True))
        )
    stmt = await _readable(ctx, stmt)
    if zaak_filter is not None:
        ident = ctx.urls.parse(zaak_filter, API, "zaken")
        stmt = stmt.where(Zaak.uuid == ident) if ident is not None else stmt.where(false())
    return stmt.order_by(model.id)


async def _readable(ctx: Ctx, stmt: Select[Any]) -> Select[Any]:
    """`stmt` (which joins the zaak) narrowed to the zaken the caller may read."""
    condition = (await access.access(ctx, READ)).where()
    return stmt.where(condition) if condition is not None else stmt


# what a sub-resource's rows carry besides its columns, built per dialect (see children_rows)
Extra = Callable[[str], Sequence[Any]]

_CHILD_ROWS: dict[tuple[Any, str, Extra | None], Select[Any]] = {}


async def children_rows(
    ctx: Ctx,
    model: Any,
    idents: Sequence[uuid.UUID],
    extra: Extra | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Sequence[Any]:
    """The sub-resources with these UUIDs that `children_stmt(ctx, model, None)` would give,
    as plain rows: the model's columns under their attribute names, and of the zaak
    `zaak_uuid` and `zaak_status_id` (Status and Rol offer what they render of these as
    properties), so a renderer reads a row as it reads an object. `extra` gives labelled
    columns to add (per dialect), e.g. what the renderer would otherwise look up in a
    statement of its own; `parameters` are the values of their parameters.

    For expanding a page of zaken (core/expand.py): an ORM object per status or rol with its
    zaak loaded into it costs about twice what the row does, and the page is read-only. The
    statement is built once per model and dialect and takes the UUIDs as one parameter."""
    dialect = ctx.session.get_bind().dialect.name
    stmt = _CHILD_ROWS.get((model, dialect, extra))
    if stmt is None:
        columns = [getattr(model, p.key).label(p.key) for p in inspect(model).column_attrs]
        built: Select[Any] = (
            select(
                *columns,
                Zaak.uuid.label("zaak_uuid"),
                Zaak.status_id.label("zaak_status_id"),
                *(extra(dialect) if extra is not None else ()),
            )
            .join(model.zaak)
            .where(in_parameter(dialect, model.uuid, "uuids"))
            .order_by(model.id)
        )
        stmt = _CHILD_ROWS[(model, dialect, extra)] = built
    stmt = await _readable(ctx, stmt)
    values = {"uuids": list(idents), **(parameters or {})}
    rows: Sequence[Any] = (await ctx.session.execute(stmt, values)).all()
    return rows
