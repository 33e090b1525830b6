"""What other registers may ask of the Catalogi register: types by URL or by id, in batch.

The Zaken, Documenten and Besluiten registers store local types as foreign keys and reach the
catalogue only through these functions, never through its tables.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi import models as m
from mijnzaken.catalogi.services import cache
from mijnzaken.core.db import among
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


def url_of_uuid(urls: Urls, kind: Kind, ident: uuid.UUID) -> str:
    """The API URL of the catalogue type with this UUID."""
    return urls.resource(API, kind, ident)


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


async def checked_by_url(
    session: AsyncSession, urls: Urls, kind: Kind, url: str, field: str
) -> cache.Columns:
    """As `by_url`, but a read-only copy of the type's columns, kept per process for the
    committed catalogue version: what a register checks a write against (a zaaktype for a
    new zaak, a roltype for a new rol) without a query for the type on every request."""
    ident = urls.reference(url, API, kind, field)
    model = MODELS[kind]

    async def load(missing: list[uuid.UUID]) -> dict[uuid.UUID, cache.Columns]:
        stmt = select(model).where(among(session, model.uuid, missing))
        return {obj.uuid: cache.Columns(obj) for obj in (await session.execute(stmt)).scalars()}

    found: cache.Columns | None = (await cache.types(session, kind, [ident], load)).get(ident)
    if found is None:
        raise ValidationFailed(
            [
                InvalidParam(
                    field, "does_not_exist", "Het type waar de URL naar verwijst bestaat niet."
                )
            ]
        )
    return found


async def eindstatustype_id(session: AsyncSession, zaaktype_id: int) -> int | None:
    """The id of the zaaktype's statustype with the highest volgnummer (its eindstatus; None
    without statustypen), kept per process for the committed catalogue version."""

    async def load(missing: list[int]) -> dict[int, int | None]:
        found = await statustypen_of(session, missing)
        return {z: (found[z][-1].id if found.get(z) else None) for z in missing}

    found: dict[int, int | None] = await cache.types(session, "eindstatustype", [zaaktype_id], load)
    return found[zaaktype_id]


async def by_ids(session: AsyncSession, kind: Kind, ids: Iterable[int]) -> dict[int, Any]:
    """Types by database id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    model = MODELS[kind]
    stmt = select(model).where(among(session, model.id, wanted))
    rows = (await session.execute(stmt)).scalars()
    return {obj.id: obj for obj in rows}


async def uuids_by_ids(
    session: AsyncSession, kind: Kind, ids: Iterable[int]
) -> dict[int, uuid.UUID]:
    """UUIDs of types by database id (what rendering a reference needs), cached per process
    for the committed catalogue version (catalogi/services/cache.py)."""
    model = MODELS[kind]

    async def load(missing: list[int]) -> dict[int, uuid.UUID]:
        stmt = select(model.id, model.uuid).where(among(session, model.id, missing))
        return {pk: ident for pk, ident in (await session.execute(stmt)).all()}

    return await cache.uuids(session, kind, ids, load)


async def ids_for_urls(
    session: AsyncSession, urls: Urls, kind: Kind, values: Iterable[str]
) -> dict[str, int]:
    """Database ids of those `values` that are URLs of our types of `kind` (others left out);
    cached per process for the committed catalogue version."""
    idents = {}
    for value in values:
        ident = urls.parse(value, API, kind)
        if ident is not None:
            idents[ident] = value
    if not idents:
        return {}
    model = MODELS[kind]

    async def load(missing: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        stmt = select(model.uuid, model.id).where(among(session, model.uuid, missing))
        return {ident: pk for ident, pk in (await session.execute(stmt)).all()}

    found = await cache.ids(session, kind, idents, load)
    return {idents[ident]: pk for ident, pk in found.items()}


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


async def zaaktype_kent_informatieobjecttype(
    session: AsyncSession, zaaktype_id: int, informatieobjecttype_id: int
) -> bool:
    """Whether the zaaktype lists this informatieobjecttype (by omschrijving, in its own
    catalogus: ADR 0002) among its zaaktype-informatieobjecttypen (zrc-017)."""
    stmt = (
        select(m.ZaakTypeInformatieObjectType.id)
        .join(m.ZaakType, m.ZaakType.id == m.ZaakTypeInformatieObjectType.zaaktype_id)
        .join(
            m.InformatieObjectType,
            (m.InformatieObjectType.catalogus_id == m.ZaakType.catalogus_id)
            & (
                m.InformatieObjectType.omschrijving
                == m.ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving
            ),
        )
        .where(
            m.ZaakTypeInformatieObjectType.zaaktype_id == zaaktype_id,
            m.InformatieObjectType.id == informatieobjecttype_id,
        )
        .limit(1)
    )
    return (await session.execute(stmt)).first() is not None


async def besluittype_kent_informatieobjecttype(
    session: AsyncSession, besluittype_id: int, informatieobjecttype_id: int
) -> bool:
    """Whether the besluittype lists this informatieobjecttype (by omschrijving, in its own
    catalogus: ADR 0002) among its informatieobjecttypen (brc-008)."""
    besluittype = await session.get(m.BesluitType, besluittype_id)
    informatieobjecttype = await session.get(m.InformatieObjectType, informatieobjecttype_id)
    if besluittype is None or informatieobjecttype is None:
        return False
    return (
        informatieobjecttype.catalogus_id == besluittype.catalogus_id
        and informatieobjecttype.omschrijving in besluittype.informatieobjecttype_omschrijvingen
    )


async def informatieobjecttype_ids_by_name(
    session: AsyncSession, domein: str, rsin: str, omschrijving: str
) -> list[int]:
    """Our informatieobjecttypen with this omschrijving in a catalogus with this domein and
    rsin (how the standard tells catalogues apart). Any version will do: the zaaktype and
    besluittype rules compare by omschrijving within the catalogus (ADR 0002)."""
    stmt = (
        select(m.InformatieObjectType.id)
        .join(m.Catalogus, m.Catalogus.id == m.InformatieObjectType.catalogus_id)
        .where(
            m.Catalogus.domein == domein,
            m.Catalogus.rsin == rsin,
            m.InformatieObjectType.omschrijving == omschrijving,
        )
        .limit(100)
    )
    return list((await session.execute(stmt)).scalars())


async def catalogus_naam(session: AsyncSession, catalogus_id: int) -> tuple[str, str]:
    """The domein and rsin of one of our catalogi (how the standard tells catalogues apart,
    ADR 0002): what a type of a remote catalogue is compared with."""
    stmt = select(m.Catalogus.domein, m.Catalogus.rsin).where(m.Catalogus.id == catalogus_id)
    domein, rsin = (await session.execute(stmt)).one()
    return str(domein), str(rsin)
