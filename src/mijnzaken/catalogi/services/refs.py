"""What other registers may ask of the Catalogi register: types by URL or by id, in batch.

The Zaken, Documenten and Besluiten registers store local types as foreign keys and reach the
catalogue only through these functions, never through its tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi import models as m
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.urls import Urls

API = "catalogi"
Kind = Literal[
    "zaaktypen",
    "statustypen",
    "roltypen",
    "resultaattypen",
    "eigenschappen",
    "zaakobjecttypen",
    "informatieobjecttypen",
    "besluittypen",
]
MODELS: dict[str, Any] = {
    "zaaktypen": m.ZaakType,
    "statustypen": m.StatusType,
    "roltypen": m.RolType,
    "resultaattypen": m.ResultaatType,
    "eigenschappen": m.Eigenschap,
    "zaakobjecttypen": m.ZaakObjectType,
    "informatieobjecttypen": m.InformatieObjectType,
    "besluittypen": m.BesluitType,
}


def url_of(urls: Urls, kind: Kind, obj: Any) -> str:
    """The API URL of a catalogue type."""
    return urls.resource(API, kind, obj.uuid)


async def by_url(session: AsyncSession, urls: Urls, kind: Kind, url: str, field: str) -> Any:
    """The type `url` points at, or a 400 naming `field` (`no_match`: not a URL of this kind
    in our catalogue; `does_not_exist`: no such type)."""
    ident = urls.reference(url, API, kind, field)
    model = MODELS[kind]
    obj = (await session.execute(select(model).where(model.uuid == ident))).scalar_one_or_none()
    if obj is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    field, "does_not_exist", "Het type waar de URL naar verwijst bestaat niet."
                )
            ]
        )
    return obj


async def by_ids(session: AsyncSession, kind: Kind, ids: Iterable[int]) -> dict[int, Any]:
    """Types by database id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    model = MODELS[kind]
    rows = (await session.execute(select(model).where(model.id.in_(wanted)))).scalars()
    return {obj.id: obj for obj in rows}


async def ids_for_urls(
    session: AsyncSession, urls: Urls, kind: Kind, values: Iterable[str]
) -> dict[str, int]:
    """Database ids of those `values` that are URLs of our types of `kind` (others left out)."""
    idents = {}
    for value in values:
        ident = urls.parse(value, API, kind)
        if ident is not None:
            idents[ident] = value
    if not idents:
        return {}
    model = MODELS[kind]
    rows = await session.execute(select(model.uuid, model.id).where(model.uuid.in_(idents)))
    return {idents[ident]: pk for ident, pk in rows.all()}


async def statustypen_of(
    session: AsyncSession, zaaktype_ids: Iterable[int]
) -> dict[int, list[m.StatusType]]:
    """The statustypen of each zaaktype, ordered by volgnummer, in one query."""
    wanted = set(zaaktype_ids)
    if not wanted:
        return {}
    stmt = (
        select(m.StatusType)
        .where(m.StatusType.zaaktype_id.in_(wanted))
        .order_by(m.StatusType.zaaktype_id, m.StatusType.volgnummer)
    )
    found: dict[int, list[m.StatusType]] = defaultdict(list)
    for st in (await session.execute(stmt)).scalars():
        found[st.zaaktype_id].append(st)
    return found
