"""Rules shared by the Catalogi types: validity on a date, concept status, references by name."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from mijnzaken.catalogi.models import ZaakType
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.errors import Conflict, InvalidParam, ValidationFailed
from mijnzaken.core.urls import Urls

API = "catalogi"
Status = Literal["alles", "concept", "definitief"]
FORCED = ("ztc", "catalogi.geforceerd-schrijven")


def geldig_op(model: Any, date: dt.date) -> ColumnElement[bool]:
    """SQL: the version is valid on `date` (begin <= date <= einde, einde open-ended)."""
    return and_(
        model.begin_geldigheid <= date,
        or_(model.einde_geldigheid.is_(None), model.einde_geldigheid >= date),
    )


def geldig_met_zaaktype(model: Any, date: dt.date) -> ColumnElement[bool]:
    """SQL: a type of a zaaktype (statustype, roltype, eigenschap, zaakobjecttype; the query
    joins its zaaktype) is valid on `date`, with the zaaktype's period where it has none."""
    begin = func.coalesce(model.begin_geldigheid, ZaakType.begin_geldigheid)
    einde = func.coalesce(model.einde_geldigheid, ZaakType.einde_geldigheid)
    return and_(begin <= date, or_(einde.is_(None), einde >= date))


def van_zaaktypen(
    stmt: Select[Any],
    model: Any,
    *,
    zaaktype: list[uuid.UUID] | None,
    zaaktype_identificatie: str | None,
    status: Status | None,
    datum_geldigheid: dt.date | None,
) -> Select[Any]:
    """The list filters of the types of a zaaktype (the query joins it): which zaaktypen, by
    uuid or identificatie, of which status, valid on which date."""
    if zaaktype is not None:
        stmt = stmt.where(ZaakType.uuid.in_(zaaktype))
    if zaaktype_identificatie is not None:
        stmt = stmt.where(ZaakType.identificatie == zaaktype_identificatie)
    concept = status_filter(ZaakType.concept, status)
    if concept is not None:
        stmt = stmt.where(concept)
    if datum_geldigheid is not None:
        stmt = stmt.where(geldig_met_zaaktype(model, datum_geldigheid))
    return stmt


def status_filter(
    concept_column: InstrumentedAttribute[bool], status: Status | None
) -> ColumnElement[bool] | None:
    """SQL for the `status` filter: concept, definitief or alles (default: definitief)."""
    if status == "alles":
        return None
    if status == "concept":
        return concept_column.is_(True)
    return concept_column.is_(False)


async def resolve_reference(
    session: AsyncSession, urls: Urls, model: Any, url: str, collection: str, field: str
) -> Any:
    """The local object a URL points at, or a 400 naming `field` (no_match / does_not_exist)."""
    ident = urls.reference(url, API, collection, field)
    obj = (await session.execute(select(model).where(model.uuid == ident))).scalar_one_or_none()
    if obj is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    field, "does_not_exist", "Het object waar de URL naar verwijst bestaat niet."
                )
            ]
        )
    return obj


def ensure_zaaktype_editable(
    zaaktype: ZaakType, auth: AuthContext, *, deleting: bool = False
) -> None:
    """ztc-010: a type under a published zaaktype changes only as a correctie, never deleted."""
    if zaaktype.concept:
        return
    if deleting:
        # the spec documents 409, not 400, for a refused DELETE
        raise Conflict(
            "Het zaaktype is gepubliceerd; typen eronder kunnen niet verwijderd worden.",
            code="non-concept-zaaktype",
        )
    if auth.has_scope(*FORCED):
        return
    raise ValidationFailed(
        [
            InvalidParam(
                "nonFieldErrors",
                "non-concept-zaaktype",
                "Het zaaktype is gepubliceerd; dit kan alleen als correctie "
                "(scope catalogi.geforceerd-schrijven).",
            )
        ]
    )


def ensure_concept(
    obj: Any, auth: AuthContext, *, fields: Iterable[str] = (), deleting: bool = False
) -> None:
    """ztc-009: a published type is not changed (except `eindeGeldigheid`, or as a correctie)
    and never deleted. `fields` are the snake_case fields the change touches."""
    if obj.concept:
        return
    if deleting:
        # the spec documents 409, not 400, for a refused DELETE
        raise Conflict(
            "Het object is gepubliceerd en kan niet verwijderd worden.", code="non-concept-object"
        )
    if set(fields) <= {"einde_geldigheid"} or auth.has_scope(*FORCED):
        return
    raise ValidationFailed(
        [
            InvalidParam(
                "nonFieldErrors",
                "non-concept-object",
                "Het object is gepubliceerd en kan alleen als correctie gewijzigd worden.",
            )
        ]
    )


async def urls_by_name(
    session: AsyncSession,
    urls: Urls,
    model: Any,
    name_column: InstrumentedAttribute[Any],
    collection: str,
    wanted: Iterable[tuple[int, str]],
    date: dt.date,
) -> dict[tuple[int, str], list[str]]:
    """Batch: for (catalogus_id, name) pairs, the URLs of the published versions valid on `date`.

    One query for any number of pairs; this is how types that refer to each other by name
    (Catalogi 1.3) are rendered as URLs without a query per object.
    """
    pairs = set(wanted)
    if not pairs:
        return {}
    catalogus_ids = {c for c, _ in pairs}
    names = {n for _, n in pairs}
    stmt = (
        select(model.catalogus_id, name_column, model.uuid)
        .where(
            model.catalogus_id.in_(catalogus_ids),
            name_column.in_(names),
            model.concept.is_(False),
            geldig_op(model, date),
        )
        .order_by(model.id)
    )
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    for catalogus_id, name, ident in (await session.execute(stmt)).all():
        if (catalogus_id, name) in pairs:
            found[(catalogus_id, name)].append(urls.resource(API, collection, ident))
    return found


def uuid_of(urls: Urls, url: str, collection: str) -> uuid.UUID | None:
    """The UUID of one of our Catalogi URLs (for filters), or None when it is not ours."""
    return urls.parse(url, API, collection)
