"""Rules of the Autorisaties register (ac-001 … ac-003) and the client look-up for all registers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.autorisaties import repository
from mijnzaken.autorisaties.models import Applicatie, ApplicatieClient, Autorisatie, JWTSecret
from mijnzaken.core import auth
from mijnzaken.core.errors import InvalidParam, NotFound, ValidationFailed

# ac-003: which scope prefix makes which fields required, per component
_REQUIRED_FOR = {
    "zrc": ("zaken.", ("max_vertrouwelijkheidaanduiding", "zaaktype")),
    "drc": ("documenten.", ("max_vertrouwelijkheidaanduiding", "informatieobjecttype")),
    "brc": ("besluiten.", ("besluittype",)),
}
_CAMEL = {
    "max_vertrouwelijkheidaanduiding": "maxVertrouwelijkheidaanduiding",
    "zaaktype": "zaaktype",
    "informatieobjecttype": "informatieobjecttype",
    "besluittype": "besluittype",
}


async def get(session: AsyncSession, ident: uuid.UUID) -> Applicatie:
    """The applicatie with its client ids and autorisaties, or 404."""
    applicatie = await repository.get(session, ident)
    if applicatie is None:
        raise NotFound("Applicatie niet gevonden.")
    return applicatie


async def get_by_client_id(session: AsyncSession, client_id: str) -> Applicatie:
    """The applicatie a client id belongs to, or 404."""
    applicatie = await repository.by_client_id(session, client_id)
    if applicatie is None:
        raise NotFound("Geen applicatie met deze client_id.")
    return applicatie


async def _validate(
    session: AsyncSession, data: dict[str, Any], *, applicatie_id: int | None = None
) -> None:
    params: list[InvalidParam] = []
    client_ids: list[str] = data["client_ids"]
    for i, cid in enumerate(client_ids):
        if not cid or len(cid) > 50:
            params.append(
                InvalidParam(f"clientIds.{i}", "invalid", "Een client_id telt 1 tot 50 tekens.")
            )
    if len(set(client_ids)) != len(client_ids):
        params.append(InvalidParam("clientIds", "unique", "Elke client_id mag één keer voorkomen."))
    taken = await repository.taken_client_ids(session, client_ids, except_applicatie=applicatie_id)
    if taken:  # ac-001
        params.append(
            InvalidParam(
                "clientIds",
                "clientId-exists",
                "De client_id(s) {} zijn al aan een andere applicatie toegekend.".format(
                    ", ".join(sorted(taken))
                ),
            )
        )
    autorisaties: list[dict[str, Any]] = data["autorisaties"]
    if data["heeft_alle_autorisaties"] and autorisaties:  # ac-002
        params.append(
            InvalidParam(
                "nonFieldErrors",
                "ambiguous-authorizations-specified",
                "Geef óf heeftAlleAutorisaties=true óf autorisaties op, niet allebei.",
            )
        )
    if not data["heeft_alle_autorisaties"] and not autorisaties:
        params.append(
            InvalidParam(
                "nonFieldErrors",
                "missing-authorizations",
                "Geef heeftAlleAutorisaties=true of ten minste één autorisatie op.",
            )
        )
    for i, a in enumerate(autorisaties):  # ac-003
        rule = _REQUIRED_FOR.get(a["component"])
        if rule is None:
            continue
        prefix, fields = rule
        if any(s.startswith(prefix) for s in a["scopes"]):
            params.extend(
                InvalidParam(
                    f"autorisaties.{i}.{_CAMEL[f]}",
                    "required",
                    f"Verplicht bij scopes {prefix}* voor component {a['component']}.",
                )
                for f in fields
                if not a.get(f)
            )
    if params:
        raise ValidationFailed(params)


def _fill(applicatie: Applicatie, data: dict[str, Any]) -> None:
    applicatie.label = data["label"]
    applicatie.heeft_alle_autorisaties = data["heeft_alle_autorisaties"]
    applicatie.alleen_is_gereed_voor_publicatie = data["alleen_is_gereed_voor_publicatie"]
    existing = {c.client_id: c for c in applicatie.client_ids}
    applicatie.client_ids = [
        existing.get(cid) or ApplicatieClient(client_id=cid) for cid in data["client_ids"]
    ]
    applicatie.autorisaties = [
        Autorisatie(
            component=a["component"],
            scopes=list(dict.fromkeys(a["scopes"])),
            zaaktype=a.get("zaaktype") or "",
            informatieobjecttype=a.get("informatieobjecttype") or "",
            besluittype=a.get("besluittype") or "",
            max_vertrouwelijkheidaanduiding=a.get("max_vertrouwelijkheidaanduiding") or "",
        )
        for a in data["autorisaties"]
    ]


async def create(session: AsyncSession, data: dict[str, Any]) -> Applicatie:
    """Register an applicatie (ac-001 … ac-003 checked)."""
    await _validate(session, data)
    applicatie = Applicatie(client_ids=[], autorisaties=[])
    _fill(applicatie, data)
    session.add(applicatie)
    await session.flush()
    return await get(session, applicatie.uuid)


async def update(session: AsyncSession, applicatie: Applicatie, data: dict[str, Any]) -> Applicatie:
    """Replace an applicatie's client ids, label and autorisaties."""
    await _validate(session, data, applicatie_id=applicatie.id)
    _fill(applicatie, data)
    await session.flush()
    return applicatie


async def delete(session: AsyncSession, applicatie: Applicatie) -> None:
    """Remove an applicatie; its clients keep their secrets but lose every right."""
    await session.delete(applicatie)
    await session.flush()


async def set_secret(session: AsyncSession, client_id: str, secret: str) -> None:
    """Register or rotate the JWT secret of a client id (never of an employee role's: with a
    secret, anyone holding it could call the APIs with the role's rights)."""
    if client_id.startswith(ROL_CLIENT_ID):
        raise ValueError(f"client ids beginning with {ROL_CLIENT_ID!r} name employee roles")
    row = await repository.secret(session, client_id)
    if row is None:
        session.add(JWTSecret(client_id=client_id, secret=secret))
    else:
        row.secret = secret
    await session.flush()


def _autorisaties(rows: Sequence[Row[Any]]) -> tuple[auth.Autorisatie, ...]:
    """The autorisaties of the rows of `repository.client_rows` or `rollen_rows` (a row
    without a component stands for an applicatie without autorisaties)."""
    return tuple(
        auth.Autorisatie(
            component=r.component,
            scopes=frozenset(r.scopes),
            zaaktype=r.zaaktype or None,
            informatieobjecttype=r.informatieobjecttype or None,
            besluittype=r.besluittype or None,
            max_vertrouwelijkheidaanduiding=r.max_vertrouwelijkheidaanduiding or None,
        )
        for r in rows
        if r.component is not None
    )


def client_lookup(also: Sequence[auth.SideRead] = ()) -> auth.ClientLookup:
    """The look-up of what the registers need to authenticate and authorise a client id (one
    query), which also reads the values of `also` and hands them over. An employee role's
    client id authenticates nobody, whatever secret it may have."""
    stmt = repository.client_rows_stmt(
        [side.column.label(f"side_read_{i}") for i, side in enumerate(also)]
    )

    async def lookup(session: AsyncSession, client_id: str) -> auth.Client | None:
        if client_id.startswith(ROL_CLIENT_ID):
            return None
        rows = await repository.client_rows(session, client_id, stmt)
        if not rows:
            return None
        first = rows[0]
        for i, side in enumerate(also):
            side.keep(session, first._mapping[f"side_read_{i}"])
        if first.applicatie_id is None:
            return auth.Client(secret=first.secret)
        return auth.Client(
            secret=first.secret,
            has_applicatie=True,
            label=first.label,
            heeft_alle_autorisaties=first.heeft_alle_autorisaties,
            autorisaties=_autorisaties(rows),
        )

    return lookup


# The Applicatie of an employee role of the KCC has the client id ROL_CLIENT_ID + role name
# (ADR 0017): its autorisaties are the role's rights, and it never authenticates an API call.
ROL_CLIENT_ID = "kcc-rol:"


@dataclass(frozen=True)
class Rollen:
    """The rights of a set of employee roles, each an Applicatie of this register: which
    roles exist here, and the union of their autorisaties."""

    gevonden: tuple[str, ...]
    heeft_alle_autorisaties: bool
    autorisaties: tuple[auth.Autorisatie, ...]


async def rechten_van(session: AsyncSession, client_ids: dict[str, str]) -> Rollen:
    """The union of the rights of the applicaties named by the client ids of `client_ids`
    (client id -> the role it stands for, in the order given); a client id without
    applicatie gives nothing. One query."""
    rows = await repository.rollen_rows(session, list(client_ids))
    present = {r.client_id for r in rows}
    gevonden = tuple(rol for client_id, rol in client_ids.items() if client_id in present)
    return Rollen(
        gevonden=gevonden,
        heeft_alle_autorisaties=any(r.heeft_alle_autorisaties for r in rows),
        autorisaties=_autorisaties(rows),
    )


async def ensure_applicatie(
    session: AsyncSession, client_id: str, secret: str, label: str, alle: bool
) -> Applicatie:
    """The operator's `applicatie create`: secret plus Applicatie, created or updated.

    Without `alle` a new Applicatie has no rights until autorisaties are given; an existing one
    keeps the autorisaties it has.
    """
    await set_secret(session, client_id, secret)
    applicatie = await repository.by_client_id(session, client_id)
    if applicatie is None:
        applicatie = Applicatie(
            label=label, heeft_alle_autorisaties=alle, client_ids=[], autorisaties=[]
        )
        applicatie.client_ids = [ApplicatieClient(client_id=client_id)]
        session.add(applicatie)
    else:
        applicatie.label = label
        if alle:
            applicatie.heeft_alle_autorisaties = True
            applicatie.autorisaties = []
    await session.flush()
    return applicatie
