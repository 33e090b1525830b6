"""Which objects of a register a client may see or change: per type (zaaktype,
informatieobjecttype, besluittype), and where the objects carry one, up to a
vertrouwelijkheidaanduiding, as the client's autorisaties for the register's component list them.

One implementation for the registers that filter this way; each declares its `TypeRights`
(component, which type an autorisatie names, the columns to filter on and how to find the
types' database ids). Filtering happens in the database query, so lists, counts, `_zoek` and
`expand` only ever contain objects the client is entitled to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, false, or_
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.auth import VERTROUWELIJKHEID, VERTROUWELIJKHEID_RANK, Autorisatie
from mijnzaken.core.resource import Ctx
from mijnzaken.core.urls import Urls

# the database ids of those of `values` that are URLs of the register's types
ResolveTypes = Callable[[AsyncSession, Urls, Iterable[str]], Awaitable[dict[str, int]]]


@dataclass(frozen=True)
class Access:
    """The objects one scope gives: everything, or per type id the allowed levels (for a
    register without vertrouwelijkheidaanduiding the type ids alone count)."""

    everything: bool
    allowed: dict[int, frozenset[str]]
    # what to filter on; two Access compare by what they allow
    type_column: SQLColumnExpression[int] = field(compare=False, repr=False)
    level_column: SQLColumnExpression[str] | None = field(default=None, compare=False, repr=False)

    def where(self) -> ColumnElement[bool] | None:
        """SQL condition on the register's objects (None: no restriction)."""
        if self.everything:
            return None
        if not self.allowed:
            return false()
        level_column = self.level_column
        if level_column is None:
            return self.type_column.in_(list(self.allowed))
        return or_(
            *(
                and_(self.type_column == type_id, level_column.in_(levels))
                for type_id, levels in self.allowed.items()
            )
        )

    def permits(self, type_id: int, vertrouwelijkheidaanduiding: str | None = None) -> bool:
        if self.everything:
            return True
        if self.level_column is None:
            return type_id in self.allowed
        return vertrouwelijkheidaanduiding in self.allowed.get(type_id, frozenset())


def up_to(maximum: str | None) -> frozenset[str]:
    """The levels up to and including `maximum` (none when it is missing or unknown)."""
    rank = VERTROUWELIJKHEID_RANK.get(maximum or "", -1)
    return frozenset(VERTROUWELIJKHEID[: rank + 1])


@dataclass(frozen=True)
class TypeRights:
    """How one register reads its autorisaties: `component` (e.g. "zrc"), the type an
    autorisatie names (`type_of`), the columns of the register's objects to filter on, and
    `resolve` to turn type URLs into ids. `name` keeps its per-request cache apart."""

    name: str
    component: str
    type_of: Callable[[Autorisatie], str | None]
    resolve: ResolveTypes
    type_column: SQLColumnExpression[int]
    level_column: SQLColumnExpression[str] | None = None

    async def access(self, ctx: Ctx, scope: str) -> Access:
        """What `scope` gives the caller of `ctx`, computed once per request."""
        cache: dict[str, Access] = ctx.request.state.__dict__.setdefault(f"{self.name}_access", {})
        if scope in cache:
            return cache[scope]
        allowed: dict[int, frozenset[str]] = {}
        if ctx.auth.heeft_alle_autorisaties:
            result = self._access(True, allowed)
        else:
            granting = ctx.auth.granting(self.component, scope)
            ids = await self.resolve(
                ctx.session, ctx.urls, [t for a in granting if (t := self.type_of(a))]
            )
            for a in granting:
                type_id = ids.get(self.type_of(a) or "")
                if type_id is not None:
                    levels = (
                        up_to(a.max_vertrouwelijkheidaanduiding)
                        if self.level_column is not None
                        else frozenset()
                    )
                    allowed[type_id] = allowed.get(type_id, frozenset()) | levels
            result = self._access(False, allowed)
        cache[scope] = result
        return result

    def _access(self, everything: bool, allowed: dict[int, frozenset[str]]) -> Access:
        return Access(everything, allowed, self.type_column, self.level_column)
