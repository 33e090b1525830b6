"""Which zaken a client may see or change (zrc-006): per zaaktype, up to a vertrouwelijkheid.

Filtering happens in the database query, so lists, counts, `_zoek` and `expand` only ever
contain zaken the client is entitled to.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_

from mijnzaken.catalogi.services import refs
from mijnzaken.core.auth import VERTROUWELIJKHEID, VERTROUWELIJKHEID_RANK
from mijnzaken.core.errors import PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak


@dataclass(frozen=True)
class Access:
    """The zaken one scope gives: everything, or per zaaktype id the allowed levels."""

    everything: bool
    allowed: dict[int, frozenset[str]]

    def where(self) -> ColumnElement[bool] | None:
        """SQL condition on `Zaak` (None: no restriction)."""
        if self.everything:
            return None
        if not self.allowed:
            return false()
        return or_(
            *(
                and_(Zaak.zaaktype_id == zaaktype_id, Zaak.vertrouwelijkheidaanduiding.in_(levels))
                for zaaktype_id, levels in self.allowed.items()
            )
        )

    def permits(self, zaaktype_id: int, vertrouwelijkheidaanduiding: str) -> bool:
        if self.everything:
            return True
        return vertrouwelijkheidaanduiding in self.allowed.get(zaaktype_id, frozenset())


def _up_to(maximum: str | None) -> frozenset[str]:
    rank = VERTROUWELIJKHEID_RANK.get(maximum or "", -1)
    return frozenset(VERTROUWELIJKHEID[: rank + 1])


async def access(ctx: Ctx, scope: str) -> Access:
    """What `scope` (e.g. zaken.lezen) gives the caller of `ctx`, computed once per request."""
    cache: dict[str, Access] = ctx.request.state.__dict__.setdefault("zaken_access", {})
    if scope in cache:
        return cache[scope]
    if ctx.auth.heeft_alle_autorisaties:
        result = Access(everything=True, allowed={})
    else:
        granting = ctx.auth.granting("zrc", scope)
        ids = await refs.ids_for_urls(
            ctx.session, ctx.urls, "zaaktypen", [a.zaaktype for a in granting if a.zaaktype]
        )
        allowed: dict[int, frozenset[str]] = {}
        for a in granting:
            zaaktype_id = ids.get(a.zaaktype or "")
            if zaaktype_id is not None:
                allowed[zaaktype_id] = allowed.get(zaaktype_id, frozenset()) | _up_to(
                    a.max_vertrouwelijkheidaanduiding
                )
        result = Access(everything=False, allowed=allowed)
    cache[scope] = result
    return result


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
