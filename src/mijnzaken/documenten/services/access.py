"""Which documents a client may see or change: per informatieobjecttype, up to a
vertrouwelijkheid (the `drc` autorisaties of the Autorisaties register).

Filtering happens in the database query, so lists, counts, `_zoek` and `expand` only ever
contain documents the client is entitled to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_

from mijnzaken.catalogi.services import refs
from mijnzaken.core.auth import VERTROUWELIJKHEID, VERTROUWELIJKHEID_RANK
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten.models import InformatieObject

COMPONENT = "drc"


@dataclass(frozen=True)
class Access:
    """The documents one scope gives: everything, or per informatieobjecttype id the levels."""

    everything: bool
    allowed: dict[int, frozenset[str]]

    def where(self) -> ColumnElement[bool] | None:
        """SQL condition on `InformatieObject` (None: no restriction)."""
        if self.everything:
            return None
        if not self.allowed:
            return false()
        return or_(
            *(
                and_(
                    InformatieObject.informatieobjecttype_id == type_id,
                    InformatieObject.vertrouwelijkheidaanduiding.in_(levels),
                )
                for type_id, levels in self.allowed.items()
            )
        )

    def permits(self, type_id: int, vertrouwelijkheidaanduiding: str) -> bool:
        if self.everything:
            return True
        return vertrouwelijkheidaanduiding in self.allowed.get(type_id, frozenset())


def _up_to(maximum: str | None) -> frozenset[str]:
    rank = VERTROUWELIJKHEID_RANK.get(maximum or "", -1)
    return frozenset(VERTROUWELIJKHEID[: rank + 1])


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` (e.g. documenten.lezen) gives the caller, computed once per request."""
    cache: dict[str, Access] = ctx.request.state.__dict__.setdefault("documenten_access", {})
    if scope in cache:
        return cache[scope]
    if ctx.auth.heeft_alle_autorisaties:
        result = Access(everything=True, allowed={})
    else:
        granting = ctx.auth.granting(COMPONENT, scope)
        ids = await refs.ids_for_urls(
            ctx.session,
            ctx.urls,
            "informatieobjecttypen",
            [a.informatieobjecttype for a in granting if a.informatieobjecttype],
        )
        allowed: dict[int, frozenset[str]] = {}
        for a in granting:
            type_id = ids.get(a.informatieobjecttype or "")
            if type_id is not None:
                allowed[type_id] = allowed.get(type_id, frozenset()) | _up_to(
                    a.max_vertrouwelijkheidaanduiding
                )
        result = Access(everything=False, allowed=allowed)
    cache[scope] = result
    return result


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
