"""Which zaken a client may see or change (zrc-006): per zaaktype, up to a vertrouwelijkheid.

Filtering happens in the database query, so lists, counts, `_zoek` and `expand` only ever
contain zaken the client is entitled to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.services import refs
from mijnzaken.core.access import Access, TypeRights
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.core.urls import Urls
from mijnzaken.zaken.models import Zaak

__all__ = ["Access", "access", "ensure", "ensure_any"]


async def _zaaktypen(session: AsyncSession, urls: Urls, values: Iterable[str]) -> dict[str, int]:
    return await refs.ids_for_urls(session, urls, "zaaktypen", values)


RIGHTS = TypeRights(
    name="zaken",
    component="zrc",
    type_of=lambda a: a.zaaktype,
    resolve=_zaaktypen,
    type_column=Zaak.zaaktype_id,
    level_column=Zaak.vertrouwelijkheidaanduiding,
)


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` (e.g. zaken.lezen) gives the caller of `ctx`, computed once per request."""
    return await RIGHTS.access(ctx, scope)


async def ensure(ctx: Ctx, scope: str, zaak: Zaak) -> None:
    """403 unless the caller has `scope` for this zaak's zaaktype and vertrouwelijkheid."""
    if not (await access(ctx, scope)).permits(zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding):
        raise PermissionDenied()


async def ensure_any(ctx: Ctx, scopes: tuple[str, ...], zaak: Zaak) -> str:
    """The first of `scopes` that covers this zaak, or 403."""
    for scope in scopes:
        if (await access(ctx, scope)).permits(zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding):
            return scope
    raise PermissionDenied()
