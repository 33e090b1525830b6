"""Rules of Rol: the roltype belongs to the zaak's zaaktype (zrc-019), the betrokkene is
identified by URL or by a `betrokkeneIdentificatie` of its type, and its searched identifiers
are kept in indexed columns."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Select, Table, false, select
from sqlalchemy.orm.attributes import set_committed_value

from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock
from mijnzaken.core.db import in_parameter
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.outbox import insert_at_commit
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Rol, Status
from mijnzaken.zaken.schemas import rol as schemas
from mijnzaken.zaken.services import common

MAY_CHANGE = (common.UPDATE, common.FORCED_UPDATE)

# filter attribute -> indexed column of zaken_rol
IDENTIFIER_FILTERS = (
    "inp_bsn",
    "anp_identificatie",
    "inp_a_nummer",
    "inn_nnp_id",
    "ann_identificatie",
    "vestigings_nummer",
    "organisatorische_eenheid_identificatie",
    "medewerker_identificatie",
)


def _blank_to_none(value: str | None) -> str | None:
    return value or None


def _identifiers(betrokkene_type: str, ident: schemas.Shape | None) -> dict[str, str | None]:
    """The searched identifiers of a betrokkeneIdentificatie, by column."""
    columns: dict[str, str | None] = dict.fromkeys(IDENTIFIER_FILTERS)
    if isinstance(ident, schemas.RolNatuurlijkPersoon):
        columns["inp_bsn"] = _blank_to_none(ident.inp_bsn)
        columns["anp_identificatie"] = _blank_to_none(ident.anp_identificatie)
        columns["inp_a_nummer"] = _blank_to_none(ident.inp_a_nummer)
    elif isinstance(ident, schemas.RolNietNatuurlijkPersoon):
        columns["inn_nnp_id"] = _blank_to_none(ident.inn_nnp_id)
        columns["ann_identificatie"] = _blank_to_none(ident.ann_identificatie)
    elif isinstance(ident, schemas.RolVestiging):
        columns["vestigings_nummer"] = _blank_to_none(ident.vestigings_nummer)
    elif isinstance(ident, schemas.RolOrganisatorischeEenheid):
        columns["organisatorische_eenheid_identificatie"] = _blank_to_none(ident.identificatie)
    elif isinstance(ident, schemas.RolMedewerker):
        columns["medewerker_identificatie"] = _blank_to_none(ident.identificatie)
    return columns


async def create(ctx: Ctx, data: schemas.RolWrite) -> Rol:
    """A new rol on a zaak the caller may change (zrc-007), with a roltype of the zaak's
    zaaktype (zrc-019) and a betrokkene given by URL or identification."""
    zaak = await common.zaak_kern_by_url(ctx, data.zaak)
    await common.ensure_may_change(ctx, zaak, MAY_CHANGE)
    roltype = await refs.checked_by_url(ctx.session, ctx.urls, "roltypen", data.roltype, "roltype")
    if roltype.zaaktype_id != zaak.zaaktype_id:
        raise ValidationFailed.field(
            "roltype",
            "zaaktype-mismatch",
            "Het roltype hoort niet bij het zaaktype van de zaak.",
        )
    ident: schemas.Shape | None = None
    if data.betrokkene_identificatie is not None:
        ident = schemas.validate_shape(
            schemas.BETROKKENE_SHAPES[data.betrokkene_type],
            data.betrokkene_identificatie,
            "betrokkeneIdentificatie",
        )
    if not data.betrokkene and ident is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "invalid-betrokkene",
                    "Geef een betrokkene (URL) of een betrokkeneIdentificatie op.",
                )
            ]
        )
    values: dict[str, Any] = {
        "uuid": uuid.uuid4(),
        "zaak_id": zaak.id,
        "roltype_id": roltype.id,
        "omschrijving": roltype.omschrijving,
        "omschrijving_generiek": roltype.omschrijving_generiek,
        "betrokkene": data.betrokkene,
        "betrokkene_type": data.betrokkene_type,
        "afwijkende_naam_betrokkene": data.afwijkende_naam_betrokkene,
        "roltoelichting": data.roltoelichting,
        "registratiedatum": clock.now(),
        "indicatie_machtiging": data.indicatie_machtiging,
        "contactpersoon_rol": (
            data.contactpersoon_rol.dump() if data.contactpersoon_rol is not None else None
        ),
        "betrokkene_identificatie": ident.dump() if ident is not None else None,
        **_identifiers(data.betrokkene_type, ident),
    }
    # The row is written as the transaction commits, with the audit record and the
    # notification (one statement on PostgreSQL): nothing in this request reads it back or
    # needs its key. The object is only rendered, never added to the session; its zaak is
    # set without the backref, which would put the rol in the zaak's `rollen`.
    obj = Rol(**values)
    set_committed_value(obj, "zaak", zaak)
    insert_at_commit(ctx.session, cast(Table, Rol.__table__), values)
    return obj


async def delete(ctx: Ctx, obj: Rol) -> None:
    """Remove a rol from a zaak the caller may change (zrc-007)."""
    await common.ensure_may_change(ctx, obj.zaak, MAY_CHANGE)
    await ctx.session.delete(obj)


async def query(ctx: Ctx, filters: schemas.RolFilter) -> Select[Any]:
    """The rollen the caller may read (zrc-006), filtered as rol_list describes."""
    stmt = await common.children_stmt(ctx, Rol, filters.zaak)
    if filters.betrokkene is not None:
        stmt = stmt.where(Rol.betrokkene == filters.betrokkene)
    if filters.betrokkene_type is not None:
        stmt = stmt.where(Rol.betrokkene_type == filters.betrokkene_type)
    for name in IDENTIFIER_FILTERS:
        value = getattr(filters, name)
        if value is not None:
            stmt = stmt.where(getattr(Rol, name) == value)
    if filters.roltype is not None:
        ids = await refs.ids_for_urls(ctx.session, ctx.urls, "roltypen", [filters.roltype])
        roltype_id = ids.get(filters.roltype)
        stmt = stmt.where(Rol.roltype_id == roltype_id if roltype_id is not None else false())
    if filters.omschrijving is not None:
        stmt = stmt.where(Rol.omschrijving == filters.omschrijving)
    if filters.omschrijving_generiek is not None:
        stmt = stmt.where(Rol.omschrijving_generiek == filters.omschrijving_generiek)
    return stmt


_GEZET_DOOR: dict[str, Select[uuid.UUID, str]] = {}


async def statussen_by_rol(
    ctx: Ctx, items: Sequence[Rol], rol_urls: Sequence[str]
) -> dict[str, list[str]]:
    """Per rol URL the URLs of the statussen it set (`Status.gezetdoor`), in one query."""
    if not items:
        return {}
    dialect = ctx.session.get_bind().dialect.name
    stmt = _GEZET_DOOR.get(dialect)
    if stmt is None:  # built once per dialect, executed with the lists as parameters
        stmt = _GEZET_DOOR[dialect] = (
            select(Status.uuid, Status.gezetdoor)
            .where(
                in_parameter(dialect, Status.zaak_id, "zaken"),
                in_parameter(dialect, Status.gezetdoor, "rollen"),
            )
            .order_by(Status.datum_status_gezet, Status.id)
        )
    wanted = {"zaken": list({r.zaak_id for r in items}), "rollen": list(set(rol_urls))}
    found: dict[str, list[str]] = defaultdict(list)
    for status_uuid, gezetdoor in (await ctx.session.execute(stmt, wanted)).all():
        found[gezetdoor].append(ctx.urls.resource(common.API, "statussen", status_uuid))
    return found
