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
    register without vertrouwelijkheidaanduiding the type ids alone count).

    `by_url` holds the same per type URL as the autorisaties name it, ours or not: a type of
    another installation's catalogue (the zaaktype of a remote Zaken API) has no id here, and
    is allowed by its URL."""

    everything: bool
    allowed: dict[int, frozenset[str]]
    # what to filter on; two Access compare by what they allow
    type_column: SQLColumnExpression[int] = field(compare=False, repr=False)
    level_column: SQLColumnExpression[str] | None = field(default=None, compare=False, repr=False)
    by_url: dict[str, frozenset[str]] = field(default_factory=dict)

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

    def permits(self, type_: int | str, vertrouwelijkheidaanduiding: str | None = None) -> bool:
        """Whether an object of this type and level is allowed: the type by its database id,
        or by its URL (a type outside our catalogue, as a remote register names it)."""
        if self.everything:
            return True
        levels = self.by_url.get(type_) if isinstance(type_, str) else self.allowed.get(type_)
        if levels is None:
            return False
        return self.level_column is None or vertrouwelijkheidaanduiding in levels

    def highest_level(self) -> str | None:
        """The highest vertrouwelijkheidaanduiding any type is allowed up to (everything: the
        highest there is; None: no type), to ask a remote register for no more than that."""
        if self.everything:
            return VERTROUWELIJKHEID[-1]
        ranks = [VERTROUWELIJKHEID_RANK[v] for levels in self.by_url.values() for v in levels]
        return VERTROUWELIJKHEID[max(ranks)] if ranks else None


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
        by_url: dict[str, frozenset[str]] = {}
        if ctx.auth.heeft_alle_autorisaties:
            result = self._access(True, allowed, by_url)
        else:
            granting = ctx.auth.granting(self.component, scope)
            for a in granting:
                type_url = self.type_of(a)
                if type_url:
                    levels = (
                        up_to(a.max_vertrouwelijkheidaanduiding)
                        if self.level_column is not None
                        else frozenset()
                    )
                    by_url[type_url] = by_url.get(type_url, frozenset()) | levels
            ids = await self.resolve(ctx.session, ctx.urls, list(by_url))
            for type_url, type_id in ids.items():
                allowed[type_id] = allowed.get(type_id, frozenset()) | by_url[type_url]
            result = self._access(False, allowed, by_url)
        cache[scope] = result
        return result

    def _access(
        self,
        everything: bool,
        allowed: dict[int, frozenset[str]],
        by_url: dict[str, frozenset[str]],
    ) -> Access:
        return Access(everything, allowed, self.type_column, self.level_column, by_url)
