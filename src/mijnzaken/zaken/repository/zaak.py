"""Queries on zaken: the list/_zoek filters as SQL, the relations a page of zaken renders (one
query per relation), identificaties, and deleting a zaak with what hangs under it."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    literal_column,
    null,
    select,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mijnzaken.core.audit import AuditTrail
from mijnzaken.core.auth import VERTROUWELIJKHEID, VERTROUWELIJKHEID_RANK
from mijnzaken.core.db import UtcDateTime, in_parameter
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.pagination import paged, plain_rows
from mijnzaken.zaken.models import (
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaakEigenschap,
    ZaakIdentificatie,
    ZaakInformatieObject,
    ZaakNummerTeller,
    ZaakObject,
)
from mijnzaken.zaken.schemas.zaak import ZaakSearch

ORDERING_COLUMNS = {
    "startdatum": Zaak.startdatum,
    "einddatum": Zaak.einddatum,
    "publicatiedatum": Zaak.publicatiedatum,
    "archiefactiedatum": Zaak.archiefactiedatum,
    "registratiedatum": Zaak.registratiedatum,
    "identificatie": Zaak.identificatie,
}

# (filter attribute, column): equality filters on zaken_zaak
_EQUALS = (
    ("identificatie", Zaak.identificatie),
    ("bronorganisatie", Zaak.bronorganisatie),
    ("archiefnominatie", Zaak.archiefnominatie),
    ("archiefactiedatum", Zaak.archiefactiedatum),
    ("archiefstatus", Zaak.archiefstatus),
    ("startdatum", Zaak.startdatum),
    ("registratiedatum", Zaak.registratiedatum),
    ("einddatum", Zaak.einddatum),
    ("einddatum_gepland", Zaak.einddatum_gepland),
    ("uiterlijke_einddatum_afdoening", Zaak.uiterlijke_einddatum_afdoening),
)
_IN = (
    ("bronorganisatie__in", Zaak.bronorganisatie),
    ("archiefnominatie__in", Zaak.archiefnominatie),
    ("archiefstatus__in", Zaak.archiefstatus),
)
_ISNULL = (
    ("archiefactiedatum__isnull", Zaak.archiefactiedatum),
    ("einddatum__isnull", Zaak.einddatum),
)
_COMPARE = (
    ("archiefactiedatum", Zaak.archiefactiedatum, ("lt", "gt")),
    ("startdatum", Zaak.startdatum, ("lt", "gt", "lte", "gte")),
    ("registratiedatum", Zaak.registratiedatum, ("lt", "gt")),
    ("einddatum", Zaak.einddatum, ("lt", "gt")),
    ("einddatum_gepland", Zaak.einddatum_gepland, ("lt", "gt")),
    ("uiterlijke_einddatum_afdoening", Zaak.uiterlijke_einddatum_afdoening, ("lt", "gt")),
)
# betrokkeneIdentificatie filters: the indexed columns of zaken_rol
_ROL_IDENTIFICATIE = (
    ("inp_bsn", Rol.inp_bsn),
    ("anp_identificatie", Rol.anp_identificatie),
    ("inp_a_nummer", Rol.inp_a_nummer),
    ("inn_nnp_id", Rol.inn_nnp_id),
    ("ann_identificatie", Rol.ann_identificatie),
    ("vestigings_nummer", Rol.vestigings_nummer),
    ("medewerker_identificatie", Rol.medewerker_identificatie),
    ("organisatorische_eenheid_identificatie", Rol.organisatorische_eenheid_identificatie),
)


def split_values(values: Iterable[str] | None) -> list[str]:
    """Values of an `__in` filter: repeated parameters and/or comma-separated."""
    return [v.strip() for value in values or () for v in value.split(",") if v.strip()]


def up_to(maximum: str) -> list[str]:
    """The vertrouwelijkheidaanduidingen up to and including `maximum`."""
    return list(VERTROUWELIJKHEID[: VERTROUWELIJKHEID_RANK[maximum] + 1])


@dataclass
class Criteria:
    """Filters resolved to what the database knows (UUIDs, ids) by the service."""

    search: ZaakSearch
    zaaktype_uuids: list[uuid_lib.UUID] | None = None  # zaaktype / zaaktype__in
    roltype_ids: list[int] | None = None  # rol__omschrijvingGeneriek
    uuids: list[uuid_lib.UUID] | None = None  # uuid__in
    ordering: list[str] = field(default_factory=list)


def _value(_name: str, value: Any) -> Any:
    return value


# how a filter's value enters the statement: as itself, or (prepared) as a named parameter
Bind = Callable[[str, Any], Any]


def conditions(criteria: Criteria, bind: Bind = _value) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a search on zaken_zaak; `bind` gives what stands for each
    value of a comparison (by default the value itself)."""
    s = criteria.search
    where: list[ColumnElement[bool]] = []
    for name, column in _EQUALS:
        value = getattr(s, name)
        if value is not None:
            where.append(column == bind(name, value))
    for name, column in _IN:
        values = getattr(s, name)
        if values is not None:
            where.append(column.in_(split_values(values)))
    for name, column in _ISNULL:
        value = getattr(s, name)
        if value is not None:
            where.append(column.is_(None) if value else column.is_not(None))
    for name, column, ops in _COMPARE:
        for op in ops:
            value = getattr(s, f"{name}__{op}")
            if value is not None:
                where.append(_compare(column, op, bind(f"{name}__{op}", value)))
    if s.maximale_vertrouwelijkheidaanduiding is not None:
        levels = up_to(s.maximale_vertrouwelijkheidaanduiding)
        where.append(Zaak.vertrouwelijkheidaanduiding.in_(levels))
    if criteria.zaaktype_uuids is not None:
        where.append(Zaak.zaaktype_uuid.in_(criteria.zaaktype_uuids))
    if criteria.uuids is not None:
        where.append(Zaak.uuid.in_(criteria.uuids))
    rol = _rol_conditions(criteria, bind)
    if rol:
        # one rol must meet all rol__ filters; the subquery runs on zaken_rol's indexes
        where.append(Zaak.id.in_(select(Rol.zaak_id).where(*rol)))
    return where


def _compare(column: Any, op: str, value: Any) -> ColumnElement[bool]:
    if op == "lt":
        return column < value  # type: ignore[no-any-return]
    if op == "gt":
        return column > value  # type: ignore[no-any-return]
    if op == "lte":
        return column <= value  # type: ignore[no-any-return]
    return column >= value  # type: ignore[no-any-return]


def _rol_conditions(criteria: Criteria, bind: Bind = _value) -> list[ColumnElement[bool]]:
    s = criteria.search
    rol: list[ColumnElement[bool]] = []
    if s.rol__betrokkene_type is not None:
        rol.append(Rol.betrokkene_type == bind("rol__betrokkene_type", s.rol__betrokkene_type))
    if s.rol__betrokkene is not None:
        rol.append(Rol.betrokkene == bind("rol__betrokkene", s.rol__betrokkene))
    if criteria.roltype_ids is not None:
        rol.append(Rol.roltype_id.in_(criteria.roltype_ids) if criteria.roltype_ids else false())
    for name, column in _ROL_IDENTIFICATIE:
        value = getattr(s, name)
        if value is not None:
            rol.append(column == bind(name, value))
    return rol


def order_by(ordering: Sequence[str]) -> list[Any]:
    """ORDER BY for the `ordering` values (already checked), ending on the id for a stable
    page order."""
    clauses: list[Any] = []
    for value in ordering:
        column = ORDERING_COLUMNS[value.lstrip("-")]
        clauses.append(column.desc() if value.startswith("-") else column.asc())
    clauses.append(Zaak.id)
    return clauses


def check_ordering(values: Iterable[str] | None) -> list[str]:
    """The `ordering` values, or a 400 naming the parameter."""
    result = split_values(values)
    for value in result:
        if value.lstrip("-") not in ORDERING_COLUMNS:
            allowed = ", ".join(sorted(ORDERING_COLUMNS))
            reason = f"Onbekende sortering; kies uit {allowed} (met '-' voor aflopend)."
            raise ValidationFailed([InvalidParam("ordering", "invalid_choice", reason)])
    return result


def search_stmt(
    criteria: Criteria, access: ColumnElement[bool] | None, bind: Bind = _value
) -> Select[Any]:
    """The select of zaken matching `criteria`, within `access`."""
    stmt = select(Zaak)
    if access is not None:
        stmt = stmt.where(access)
    where = conditions(criteria, bind)
    if where:
        stmt = stmt.where(and_(*where))
    return stmt.order_by(*order_by(criteria.ordering))


def as_rows(stmt: Select[Any]) -> Select[Any]:
    """`stmt` (a select of zaken) giving plain rows: a zaak's columns under the attribute names
    of `Zaak`, for reading only. A page of fifty zaken is read to be rendered; building an ORM
    object per zaak (and reading its attributes through the ORM) costs more than the render."""
    return stmt.with_only_columns(*_COLUMNS)


_COLUMNS = tuple(Zaak.__table__.c)


# The filters a prepared search takes as parameters (the others make its shape): every
# comparison with a value given by the client.
_PARAMETERS = (
    *(name for name, _column in _EQUALS),
    *(f"{name}__{op}" for name, _column, ops in _COMPARE for op in ops),
    "rol__betrokkene_type",
    "rol__betrokkene",
    *(name for name, _column in _ROL_IDENTIFICATIE),
)
# filters that make a search one of its own (lists of values, look-ups): the generic way
_UNPREPARED = tuple(name for name, _column in _IN)
_SHAPES = (*(name for name, _column in _ISNULL), "maximale_vertrouwelijkheidaanduiding")
_PREPARED: OrderedDict[Hashable, Select[Any]] = OrderedDict()
_PREPARED_KEPT = 256  # shapes kept per process; a client varying its filters at will evicts


def prepared_search(
    criteria: Criteria, access: Callable[[], ColumnElement[bool] | None], access_key: Hashable
) -> tuple[Select[Any], dict[str, Any]] | None:
    """The page select of `search_stmt(criteria, access())` as plain rows (`as_rows`), paged
    with the parameters of `paged`, built once per shape of search and kept: the values of
    its comparisons are parameters, returned with it. A statement built anew costs more to
    build and to key for SQLAlchemy's compiled cache than the database takes to answer a
    citizen's list. `access_key` identifies the condition `access` gives (the same key, the
    same condition); it is built only with the statement.
    None when the search filters on lists of values (`__in`, zaaktype, uuid__in,
    rol__omschrijvingGeneriek): those are built per request."""
    s = criteria.search
    if (
        criteria.zaaktype_uuids is not None
        or criteria.uuids is not None
        or criteria.roltype_ids is not None
        or any(getattr(s, name) is not None for name in _UNPREPARED)
    ):
        return None
    parameters = {
        f"f_{name}": value for name in _PARAMETERS if (value := getattr(s, name)) is not None
    }
    shape = (
        tuple(parameters),
        tuple(getattr(s, name) for name in _SHAPES),
        tuple(criteria.ordering),
        access_key,
    )
    stmt = _PREPARED.get(shape)
    if stmt is None:
        stmt = paged(as_rows(search_stmt(criteria, access(), bind=_parameter)))
        _PREPARED[shape] = stmt
        if len(_PREPARED) > _PREPARED_KEPT:
            _PREPARED.popitem(last=False)
    else:
        _PREPARED.move_to_end(shape)
    return stmt, parameters


def _parameter(name: str, _value: Any) -> Any:
    # typed by the column it is compared with
    return bindparam(f"f_{name}")


async def in_box(
    session: AsyncSession, stmt: Select[Any], box: tuple[float, float, float, float]
) -> list[tuple[int, Any]]:
    """(id, zaakgeometrie) of the zaken selected by `stmt` whose bounding box lies inside
    `box`, on the bounding-box index."""
    minx, miny, maxx, maxy = box
    narrowed = (
        stmt.with_only_columns(Zaak.id, Zaak.zaakgeometrie)
        .where(
            Zaak.geo_min_x >= minx,
            Zaak.geo_min_y >= miny,
            Zaak.geo_max_x <= maxx,
            Zaak.geo_max_y <= maxy,
        )
        .order_by(None)
    )
    return [(row[0], row[1]) for row in await session.execute(narrowed)]


# Built once: a statement object keeps its cache key, so executing it again skips building
# the select and computing that key (a zaak detail is read on nearly every request).
_BY_UUID = select(Zaak).where(Zaak.uuid == bindparam("ident"))


async def by_uuid(session: AsyncSession, ident: uuid_lib.UUID) -> Zaak | None:
    result: Zaak | None = (await session.execute(_BY_UUID, {"ident": ident})).scalar_one_or_none()
    return result


async def by_uuids(session: AsyncSession, idents: Iterable[uuid_lib.UUID]) -> dict[Any, Zaak]:
    wanted = set(idents)
    if not wanted:
        return {}
    rows = (await session.execute(select(Zaak).where(Zaak.uuid.in_(wanted)))).scalars()
    return {z.uuid: z for z in rows}


async def has_deelzaken(session: AsyncSession, zaak_id: int) -> bool:
    stmt = select(Zaak.id).where(Zaak.hoofdzaak_id == zaak_id).limit(1)
    return (await session.execute(stmt)).first() is not None


@dataclass
class Relations:
    """What a page of zaken renders besides its own columns, per zaak id (UUIDs)."""

    hoofdzaak: dict[int, Any] = field(default_factory=dict)
    status: dict[int, Any] = field(default_factory=dict)
    resultaat: dict[int, Any] = field(default_factory=dict)
    deelzaken: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    rollen: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    eigenschappen: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    zaakinformatieobjecten: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    zaakobjecten: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    # the BSNs of the natuurlijk-persoon rollen of the page (for the processing log)
    bsns: set[str] = field(default_factory=set)


_HOOFDZAAK, _STATUS, _RESULTAAT, _DEELZAAK = 1, 2, 3, 4
_ROL, _EIGENSCHAP, _ZAAKINFORMATIEOBJECT, _ZAAKOBJECT = 5, 6, 7, 8
_RELATIONS: dict[str, Select[Any]] = {}  # per dialect: built once, executed with parameters


def _relations_stmt(dialect: str) -> Select[Any]:
    """One indexed look-up per relation in a UNION ALL: (kind, owner: the zaak id the row
    belongs to, its UUID, and for a rol of a natuurlijk persoon its BSN), ordered by the
    row's id. Parameters: `zaken` (the page's ids), `hoofdzaken` and `statussen` (the ids the
    zaken point at). The BSNs come along so that a read's processing-log entry costs no
    query of its own."""
    stmt = _RELATIONS.get(dialect)
    if stmt is not None:
        return stmt
    deelzaak = aliased(Zaak)

    def part(kind: int, owner: Any, model: Any, column: Any, param: str) -> Select[Any]:
        bsn: Any = (
            case((Rol.betrokkene_type == "natuurlijk_persoon", Rol.inp_bsn))
            if model is Rol
            else cast(null(), String)
        )
        return select(
            literal_column(str(kind)).label("kind"),
            owner.label("owner"),
            model.uuid.label("ident"),
            model.id.label("pk"),
            bsn.label("bsn"),
        ).where(in_parameter(dialect, column, param))

    rows = union_all(
        part(_HOOFDZAAK, Zaak.id, Zaak, Zaak.id, "hoofdzaken"),
        part(_STATUS, Status.zaak_id, Status, Status.id, "statussen"),
        part(_RESULTAAT, Resultaat.zaak_id, Resultaat, Resultaat.zaak_id, "zaken"),
        part(_DEELZAAK, deelzaak.hoofdzaak_id, deelzaak, deelzaak.hoofdzaak_id, "zaken"),
        *(
            part(kind, model.zaak_id, model, model.zaak_id, "zaken")
            for kind, model in (
                (_ROL, Rol),
                (_EIGENSCHAP, ZaakEigenschap),
                (_ZAAKINFORMATIEOBJECT, ZaakInformatieObject),
                (_ZAAKOBJECT, ZaakObject),
            )
        ),
    ).subquery()
    built: Select[Any] = select(rows.c.kind, rows.c.owner, rows.c.ident, rows.c.bsn).order_by(
        rows.c.pk
    )
    _RELATIONS[dialect] = built
    return built


async def relations(session: AsyncSession, zaken: Sequence[Zaak]) -> Relations:
    """The related resources of `zaken` in one query, whatever the page size."""
    found = Relations()
    if not zaken:
        return found
    params = {
        "zaken": [z.id for z in zaken],
        "hoofdzaken": list({z.hoofdzaak_id for z in zaken if z.hoofdzaak_id is not None}),
        "statussen": list({z.status_id for z in zaken if z.status_id is not None}),
    }
    single = {_HOOFDZAAK: found.hoofdzaak, _STATUS: found.status, _RESULTAAT: found.resultaat}
    lists = {
        _DEELZAAK: found.deelzaken,
        _ROL: found.rollen,
        _EIGENSCHAP: found.eigenschappen,
        _ZAAKINFORMATIEOBJECT: found.zaakinformatieobjecten,
        _ZAAKOBJECT: found.zaakobjecten,
    }
    stmt = _relations_stmt(session.get_bind().dialect.name)
    for kind, owner, ident, bsn in await plain_rows(session, stmt, params):
        if kind in single:
            single[kind][owner] = ident
        else:
            lists[kind][owner].append(ident)
            if bsn:
                found.bsns.add(bsn)
    return found


_READ: dict[str, Select[Any]] = {}  # per dialect: built once, executed with `ident`


def _read_stmt(dialect: str) -> Select[Any]:
    """A zaak by UUID (`ident`): its columns, and what `relations` gives for it as columns
    of the same row (`rel_*`): the UUIDs of its hoofdzaak, status and resultaat, the lists of
    UUIDs of its deelzaken, rollen, eigenschappen, zaakinformatieobjecten and zaakobjecten
    (each ordered by id, as `relations` orders them), and the BSNs of its natuurlijk-persoon
    rollen."""
    stmt = _READ.get(dialect)
    if stmt is not None:
        return stmt
    # on the tables, not the mapped classes: a statement without ORM entities or attributes
    # skips the ORM's part of executing it, and the zaak comes as a row, not an object (a
    # read renders it and is done with it; building the object cost more than reading it)
    zaak = Zaak.__table__
    hoofdzaak, deelzaak = zaak.alias("hoofdzaak"), zaak.alias("deelzaak")
    status, resultaat, rol = Status.__table__, Resultaat.__table__, Rol.__table__

    def single(table: Any, where: ColumnElement[bool]) -> Any:
        # `relations` keeps the last of several by id
        return (
            select(table.c.uuid).where(where).order_by(table.c.id.desc()).limit(1).scalar_subquery()
        )

    def listed(column: Any, order: Any, where: ColumnElement[bool]) -> Any:
        if dialect == "postgresql":
            agg = func.array_agg(aggregate_order_by(column, order))
            return select(agg).where(where).scalar_subquery()
        # SQLite (before 3.44) orders an aggregate's input only through a subquery
        rows = select(column.label("value")).where(where).order_by(order).correlate(zaak)
        inner = rows.subquery()
        return type_coerce(select(func.json_group_array(inner.c.value)).scalar_subquery(), JSON)

    def of_zaak(model: Any) -> Any:
        table = model.__table__
        return listed(table.c.uuid, table.c.id, table.c.zaak_id == zaak.c.id)

    built: Select[Any] = select(
        *zaak.c,
        single(hoofdzaak, hoofdzaak.c.id == zaak.c.hoofdzaak_id).label("rel_hoofdzaak"),
        single(status, and_(status.c.id == zaak.c.status_id, status.c.zaak_id == zaak.c.id)).label(
            "rel_status"
        ),
        single(resultaat, resultaat.c.zaak_id == zaak.c.id).label("rel_resultaat"),
        listed(deelzaak.c.uuid, deelzaak.c.id, deelzaak.c.hoofdzaak_id == zaak.c.id).label(
            "rel_deelzaken"
        ),
        of_zaak(Rol).label("rel_rollen"),
        of_zaak(ZaakEigenschap).label("rel_eigenschappen"),
        of_zaak(ZaakInformatieObject).label("rel_zaakinformatieobjecten"),
        of_zaak(ZaakObject).label("rel_zaakobjecten"),
        listed(
            rol.c.inp_bsn,
            rol.c.id,
            and_(
                rol.c.zaak_id == zaak.c.id,
                rol.c.betrokkene_type == "natuurlijk_persoon",
                rol.c.inp_bsn.is_not(None),
            ),
        ).label("rel_bsns"),
    ).where(zaak.c.uuid == bindparam("ident"))
    _READ[dialect] = built
    return built


def _uuids(values: Sequence[Any] | None) -> list[Any]:
    """UUIDs as the database aggregated them (on SQLite: as text)."""
    return [v if isinstance(v, uuid_lib.UUID) else uuid_lib.UUID(v) for v in values or ()]


async def read(session: AsyncSession, ident: uuid_lib.UUID) -> tuple[Any, Relations] | None:
    """A zaak with its `relations`, in one statement instead of two (a zaak detail is read
    on nearly every request). The zaak is a row with its columns under the attribute names
    of `Zaak`, for reading only."""
    stmt = _read_stmt(session.get_bind().dialect.name)
    zaak = (await session.execute(stmt, {"ident": ident})).first()
    if zaak is None:
        return None
    found = Relations()
    if zaak.rel_hoofdzaak is not None and zaak.hoofdzaak_id is not None:
        found.hoofdzaak[zaak.hoofdzaak_id] = zaak.rel_hoofdzaak
    if zaak.rel_status is not None:
        found.status[zaak.id] = zaak.rel_status
    if zaak.rel_resultaat is not None:
        found.resultaat[zaak.id] = zaak.rel_resultaat
    for name in ("deelzaken", "rollen", "eigenschappen", "zaakinformatieobjecten", "zaakobjecten"):
        values = _uuids(getattr(zaak, f"rel_{name}"))
        if values:
            getattr(found, name)[zaak.id] = values
    found.bsns = {bsn for bsn in zaak.rel_bsns or () if bsn}
    return zaak, found


async def identificatie_taken(
    session: AsyncSession, bronorganisatie: str, identificatie: str, *, exclude: int | None = None
) -> bool:
    """Whether another zaak of `bronorganisatie` has this identificatie (zrc-002)."""
    stmt = select(Zaak.id).where(
        Zaak.bronorganisatie == bronorganisatie, Zaak.identificatie == identificatie
    )
    if exclude is not None:
        stmt = stmt.where(Zaak.id != exclude)
    return (await session.execute(stmt.limit(1))).first() is not None


async def last_generated(session: AsyncSession, bronorganisatie: str, prefix: str) -> int:
    """The highest number issued as `<prefix><10 digits>` for `bronorganisatie` (0: none)."""
    width = len(prefix) + 10
    stmt = (
        select(ZaakIdentificatie.identificatie)
        .where(
            ZaakIdentificatie.bronorganisatie == bronorganisatie,
            ZaakIdentificatie.identificatie.like(prefix + "%"),
            func.length(ZaakIdentificatie.identificatie) == width,
        )
        .order_by(ZaakIdentificatie.identificatie.desc())
        .limit(20)
    )
    for (value,) in (await session.execute(stmt)).all():
        rest = value[len(prefix) :]
        if rest.isdigit():
            return int(rest)
    return 0


async def allocate_numbers(
    session: AsyncSession, bronorganisatie: str, prefix: str, aantal: int
) -> int:
    """Reserve `aantal` consecutive numbers; returns the last one. The counter row is updated
    in place (UPDATE … RETURNING takes the row's lock), so concurrent callers get distinct
    numbers; the first call for a prefix continues after the numbers already issued."""
    bump = (
        update(ZaakNummerTeller)
        .where(
            ZaakNummerTeller.bronorganisatie == bronorganisatie,
            ZaakNummerTeller.prefix == prefix,
        )
        .values(laatste=ZaakNummerTeller.laatste + aantal)
        .returning(ZaakNummerTeller.laatste)
    )
    last = (await session.execute(bump)).scalar_one_or_none()
    if last is not None:
        return int(last)
    start = await last_generated(session, bronorganisatie, prefix)
    dialect = session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert_fn(ZaakNummerTeller)
        .values(bronorganisatie=bronorganisatie, prefix=prefix, laatste=start)
        .on_conflict_do_nothing()
    )
    return int((await session.execute(bump)).scalar_one())


def _issue_numbers_stmt() -> Any:
    """The statement of `issue_numbers`, built once: its values are all parameters (named
    unlike the counter's columns, which an UPDATE would take for values to set)."""
    # on the tables, not the ORM entities: executed with parameters, an ORM INSERT would be
    # taken for a bulk insert of rows
    counter: Any = ZaakNummerTeller.__table__
    issued: Any = ZaakIdentificatie.__table__
    teller = counter.c
    count = bindparam("n_aantal", type_=teller.laatste.type)
    bump = (
        update(counter)
        .where(
            teller.bronorganisatie == bindparam("n_bronorganisatie", type_=String),
            teller.prefix == bindparam("n_prefix", type_=String),
        )
        .values(laatste=teller.laatste + count)
        .returning(teller.laatste)
        .cte("teller")
    )
    series = func.generate_series(1, count).table_valued("n").render_derived(name="reeks")
    digits = cast(bump.c.laatste - count + series.c.n, String)
    # at least ten digits, as the other way writes them; lpad would cut a longer number
    identificatie = bindparam("n_prefix", type_=String) + func.lpad(
        digits, func.greatest(func.length(digits), 10), "0"
    )
    rows = select(
        bindparam("n_bronorganisatie", type_=String),
        identificatie,
        bindparam("n_moment", type_=UtcDateTime),
    ).select_from(bump.join(series, true()))
    return (
        pg_insert(issued)
        .from_select(["bronorganisatie", "identificatie", "aangemaakt"], rows)
        .on_conflict_do_nothing(index_elements=["bronorganisatie", "identificatie"])
        .returning(issued.c.identificatie)
        .add_cte(bump)
    )


_ISSUE_NUMBERS = _issue_numbers_stmt()


async def issue_numbers(
    session: AsyncSession, bronorganisatie: str, prefix: str, aantal: int, moment: dt.datetime
) -> list[str]:
    """PostgreSQL: allocate `aantal` numbers and record those not recorded before, in one
    statement (the counter's UPDATE … RETURNING feeds an INSERT … ON CONFLICT DO NOTHING);
    returns what it recorded, in order. Empty when there is no counter row yet or every
    number was taken: the caller then goes the two-statement way, which also starts a
    counter. Numbers are written `<prefix><10 digits>`, as the other way writes them."""
    parameters = {
        "n_bronorganisatie": bronorganisatie,
        "n_prefix": prefix,
        "n_aantal": aantal,
        "n_moment": moment,
    }
    values = (await session.execute(_ISSUE_NUMBERS, parameters)).scalars()
    # zero-padded to the same width, so text order is number order
    return sorted(values, key=lambda v: (len(v), v))


async def record_identificaties(
    session: AsyncSession, bronorganisatie: str, values: Sequence[str], moment: dt.datetime
) -> set[str]:
    """Record `values` as issued for `bronorganisatie`; returns those that were not recorded
    before (issued, reserved or given explicitly by a client). One statement: the unique
    index decides, so two transactions can never both record the same value."""
    if not values:
        return set()
    dialect = session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert_fn(ZaakIdentificatie)
        .values(
            [
                {"bronorganisatie": bronorganisatie, "identificatie": v, "aangemaakt": moment}
                for v in values
            ]
        )
        .on_conflict_do_nothing(index_elements=["bronorganisatie", "identificatie"])
        .returning(ZaakIdentificatie.identificatie)
    )
    return set((await session.execute(stmt)).scalars())


async def delete_zaak(session: AsyncSession, zaak: Zaak, audit_objects: Sequence[str]) -> None:
    """Remove a zaak with its sub-resources (database cascades) and the audit trails of
    `audit_objects` (zrc-023: no soft deletes, the history goes too)."""
    if audit_objects:
        await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object.in_(audit_objects)))
    await session.execute(delete(Zaak).where(Zaak.id == zaak.id))
    session.expunge(zaak)


async def informatieobjecten_of(session: AsyncSession, zaak_id: int) -> list[str]:
    """The document URLs a zaak links (its zaakinformatieobjecten)."""
    stmt = select(ZaakInformatieObject.informatieobject).where(
        ZaakInformatieObject.zaak_id == zaak_id
    )
    return list((await session.execute(stmt)).scalars())


async def deelzaken_of(session: AsyncSession, zaak_id: int) -> list[Zaak]:
    stmt = select(Zaak).where(Zaak.hoofdzaak_id == zaak_id).order_by(Zaak.id)
    return list((await session.execute(stmt)).scalars())


async def audit_entry(
    session: AsyncSession, hoofd_object: str, ident: uuid_lib.UUID
) -> AuditTrail | None:
    """One audit-trail record of a zaak."""
    stmt = select(AuditTrail).where(
        AuditTrail.uuid == ident, AuditTrail.hoofd_object == hoofd_object
    )
    entry: AuditTrail | None = (await session.execute(stmt)).scalar_one_or_none()
    return entry
