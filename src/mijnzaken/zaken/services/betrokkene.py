"""What the Zaken register tells about one party: the zaken in which a citizen (BSN) or a
business (innNnpId) has one of the given roles, with their status history and resultaat.

Used by the customer view (klantbeeld), which decides who may see what; this module applies
the limits it is given (roles, vertrouwelijkheid, and an application's own rights) in the
query, so nothing outside them is ever read.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.access import Access
from mijnzaken.zaken.repository import betrokkene as repo


@dataclass(frozen=True)
class Partij:
    """The party whose zaken are asked for: a BSN, or the innNnpId of a business."""

    bsn: str | None = field(default=None, repr=False)
    inn_nnp_id: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Grenzen:
    """What may be read: the generic roles that count, the vertrouwelijkheidaanduidingen
    (None: any) and the rights of a calling application (None: not an application)."""

    rollen: frozenset[str]
    vertrouwelijkheid: frozenset[str] | None = None
    access: Access | None = None


# A zaak as the customer view reads it: a row with the columns of repo.ZAAK_COLUMNS.
ZaakRij = Any


@dataclass
class Historie:
    """Per zaak id: its statussen (rows: id, zaak_id, statustype_id, datum_status_gezet;
    oldest first) and its resultaat (zaak_id, resultaattype_id)."""

    statussen: dict[int, list[Any]]
    resultaten: dict[int, Any]


async def zaken_van(session: AsyncSession, partij: Partij, grenzen: Grenzen) -> list[ZaakRij]:
    """The zaken of `partij` within `grenzen`, newest first (one query)."""
    rol = repo.rol_conditions(bsn=partij.bsn, inn_nnp_id=partij.inn_nnp_id, rollen=grenzen.rollen)
    condition = grenzen.access.where() if grenzen.access is not None else None
    stmt = repo.zaken_stmt(rol, vertrouwelijkheid=grenzen.vertrouwelijkheid, access=condition)
    return await repo.zaken(session, stmt)


async def zaak_van(
    session: AsyncSession, partij: Partij, grenzen: Grenzen, ident: uuid_lib.UUID
) -> ZaakRij | None:
    """One zaak of `partij` within `grenzen`; None when it does not exist or is not theirs
    (the two are indistinguishable on purpose)."""
    rol = repo.rol_conditions(bsn=partij.bsn, inn_nnp_id=partij.inn_nnp_id, rollen=grenzen.rollen)
    condition = grenzen.access.where() if grenzen.access is not None else None
    stmt = repo.zaken_stmt(
        rol, vertrouwelijkheid=grenzen.vertrouwelijkheid, access=condition, ident=ident
    )
    found = await repo.zaken(session, stmt)
    return found[0] if found else None


async def historie(session: AsyncSession, zaken: Sequence[ZaakRij]) -> Historie:
    """Status history and resultaat of `zaken`: two queries whatever their number."""
    ids: Collection[int] = [z.id for z in zaken]
    return Historie(
        statussen=await repo.statussen_of(session, ids),
        resultaten=await repo.resultaten_of(session, ids),
    )


async def documenten(session: AsyncSession, zaken: Sequence[ZaakRij]) -> dict[int, list[Any]]:
    """Per zaak id the documents linked to it (rows: zaak_id, informatieobject URL,
    registratiedatum; newest first): one query whatever the number of zaken. The URLs may
    name documents of this installation or of another Documenten API."""
    return await repo.documenten_of(session, [z.id for z in zaken])
