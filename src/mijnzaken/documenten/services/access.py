"""Which documents a client may see or change: per informatieobjecttype, up to a
vertrouwelijkheid (the `drc` autorisaties of the Autorisaties register).

Filtering happens in the database query, so lists, counts, `_zoek` and `expand` only ever
contain documents the client is entitled to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.services import refs
from mijnzaken.core.access import Access, TypeRights
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.core.urls import Urls
from mijnzaken.documenten.models import InformatieObject

COMPONENT = "drc"


async def _informatieobjecttypen(
    session: AsyncSession, urls: Urls, values: Iterable[str]
) -> dict[str, int]:
    return await refs.ids_for_urls(session, urls, "informatieobjecttypen", values)


RIGHTS = TypeRights(
    name="documenten",
    component=COMPONENT,
    type_of=lambda a: a.informatieobjecttype,
    resolve=_informatieobjecttypen,
    type_column=InformatieObject.informatieobjecttype_id,
    level_column=InformatieObject.vertrouwelijkheidaanduiding,
)


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` (e.g. documenten.lezen) gives the caller, computed once per request."""
    return await RIGHTS.access(ctx, scope)


async def permits(ctx: Ctx, scope: str, document: InformatieObject) -> bool:
    found = await access(ctx, scope)
    return found.permits(document.informatieobjecttype_id, document.vertrouwelijkheidaanduiding)


async def ensure(ctx: Ctx, scopes: tuple[str, ...], document: InformatieObject) -> str:
    """The first of `scopes` that covers this document, or 403."""
    for scope in scopes:
        if await permits(ctx, scope, document):
            return scope
    raise PermissionDenied()


async def ensure_type(ctx: Ctx, scopes: tuple[str, ...], type_id: int, level: str) -> None:
    """403 unless one of `scopes` covers documents of this type and vertrouwelijkheid."""
    for scope in scopes:
        if (await access(ctx, scope)).permits(type_id, level):
            return
    raise PermissionDenied()
