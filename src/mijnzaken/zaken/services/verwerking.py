"""Reads of zaken of citizens go to the processing log: one entry per request, naming the
application (and its user, when the JWT has `user_id`) and every natuurlijk persoon (by BSN)
whose zaak or rol was read.

Called by the renderers of zaken and rollen. A BSN is logged once per request however many
renderers (expansions) show it; the entry is stored before the request answers (ADR 0013).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from mijnzaken.core.resource import Ctx
from mijnzaken.verwerkingen import service as verwerkingen
from mijnzaken.zaken.repository import betrokkene as repo


def _is_read(ctx: Ctx) -> bool:
    """A GET, or a search (`POST …/_zoek`); what a change answers was written, not read."""
    return ctx.request.method in ("GET", "HEAD") or ctx.request.url.path.endswith("/_zoek")


def _log(ctx: Ctx, activiteit: str, bsns: Iterable[str]) -> None:
    logged: set[str] = getattr(ctx.request.state, "verwerkingen_bsns", set())
    new = sorted(set(bsns) - logged)
    if not new:
        return
    ctx.request.state.verwerkingen_bsns = logged | set(new)
    auth = ctx.auth
    weergave = auth.label or auth.client_id
    if auth.user_representation or auth.user_id:
        weergave = f"{weergave} (medewerker {auth.user_representation or auth.user_id})"
    verwerkingen.log(
        ctx.session,
        activiteit=activiteit,
        betrokkenen=[verwerkingen.Betrokkene("BSN", bsn, betrokkenheid="rol") for bsn in new],
        systeem=auth.client_id,
        gebruiker=auth.user_id,
        actor_weergave=weergave,
        verwerking_naam="Zaken",
        trace_id=verwerkingen.trace_id_from(ctx.request.headers.get("traceparent")),
    )


async def zaken_gelezen(
    ctx: Ctx, zaken: Sequence[Any], bsns: Collection[str] | None = None
) -> None:
    """A page of zaken was read: log the citizens with a rol in them. `bsns` are those
    citizens' BSNs when the caller has them already; else they are looked up (one query)."""
    if not zaken or not _is_read(ctx):
        return
    if bsns is None:
        bsns = await repo.bsns_of_zaken(ctx.session, {z.id for z in zaken})
    _log(ctx, "zaken lezen", bsns)


def rollen_gelezen(ctx: Ctx, rollen: Sequence[Any]) -> None:
    """A page of rollen was read: log the natuurlijke personen among them (no query)."""
    if not rollen or not _is_read(ctx):
        return
    bsns = [r.inp_bsn for r in rollen if r.betrokkene_type == "natuurlijk_persoon" and r.inp_bsn]
    _log(ctx, "rollen lezen", bsns)
