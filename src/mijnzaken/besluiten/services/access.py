"""Which besluiten a client may see or change: per besluittype, as its autorisaties (component
`brc`) list them. Filtering happens in the query, so lists and counts only hold besluiten the
client is entitled to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false

from mijnzaken.besluiten.models import Besluit
from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx

COMPONENT = "brc"
READ = "besluiten.lezen"
CREATE = "besluiten.aanmaken"
UPDATE = "besluiten.bijwerken"
DELETE = "besluiten.verwijderen"
AUDIT = "audittrails.lezen"


@dataclass(frozen=True)
class Access:
    """The besluiten one scope gives: everything, or those of these besluittype ids."""

    everything: bool
    besluittypen: frozenset[int]

    def where(self) -> ColumnElement[bool] | None:
        if self.everything:
            return None
        if not self.besluittypen:
            return false()
        return Besluit.besluittype_id.in_(self.besluittypen)

    def permits(self, besluittype_id: int) -> bool:
        return self.everything or besluittype_id in self.besluittypen


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` gives the caller of `ctx`, computed once per request."""
    cache: dict[str, Access] = ctx.request.state.__dict__.setdefault("besluiten_access", {})
    if scope in cache:
        return cache[scope]
    if ctx.auth.heeft_alle_autorisaties:
        result = Access(everything=True, besluittypen=frozenset())
    else:
        granting = ctx.auth.granting(COMPONENT, scope)
        ids = await refs.ids_for_urls(
            ctx.session,
            ctx.urls,
            "besluittypen",
            [a.besluittype for a in granting if a.besluittype],
        )
        result = Access(everything=False, besluittypen=frozenset(ids.values()))
    cache[scope] = result
    return result


async def ensure(ctx: Ctx, scope: str, besluit: Besluit) -> None:
    """403 unless the caller has `scope` for this besluit's besluittype."""
    if not (await access(ctx, scope)).permits(besluit.besluittype_id):
        raise PermissionDenied()
