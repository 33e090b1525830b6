"""Which besluiten a client may see or change: per besluittype, as its autorisaties (component
`brc`) list them. Filtering happens in the query, so lists and counts only hold besluiten the
client is entitled to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.besluiten.models import Besluit
from mijnzaken.catalogi.services import refs
from mijnzaken.core.access import Access, TypeRights
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.core.urls import Urls

COMPONENT = "brc"
READ = "besluiten.lezen"
CREATE = "besluiten.aanmaken"
UPDATE = "besluiten.bijwerken"
DELETE = "besluiten.verwijderen"
AUDIT = "audittrails.lezen"


async def _besluittypen(session: AsyncSession, urls: Urls, values: Iterable[str]) -> dict[str, int]:
    return await refs.ids_for_urls(session, urls, "besluittypen", values)


# besluiten carry no vertrouwelijkheidaanduiding: the besluittype alone decides
RIGHTS = TypeRights(
    name="besluiten",
    component=COMPONENT,
    type_of=lambda a: a.besluittype,
    resolve=_besluittypen,
    type_column=Besluit.besluittype_id,
)


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` gives the caller of `ctx`, computed once per request."""
    return await RIGHTS.access(ctx, scope)


async def ensure(ctx: Ctx, scope: str, besluit: Besluit) -> None:
    """403 unless the caller has `scope` for this besluit's besluittype."""
    if not (await access(ctx, scope)).permits(besluit.besluittype_id):
        raise PermissionDenied()
