"""Setting a status: which statustype fits (zrc-016), who may set it, and what it does to the
zaak — the status pointer, closing (zrc-007, with the archive attributes of zrc-021) and
reopening (zrc-008)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import isodate
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm.attributes import set_committed_value

from mijnzaken.catalogi.services import refs
from mijnzaken.core.errors import PermissionDenied, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Resultaat, Rol, Status, Zaak
from mijnzaken.zaken.repository import resultaat as resultaat_repo
from mijnzaken.zaken.repository import status as repo
from mijnzaken.zaken.schemas.status import AMSTERDAM, StatusWrite
from mijnzaken.zaken.services import access, common

CREATE = "zaken.aanmaken"
ADD = "zaken.statussen.toevoegen"
REOPEN = "zaken.heropenen"
SETTING = (CREATE, ADD, REOPEN)  # the scopes of status_create, one of which is needed
NOG_TE_ARCHIVEREN = "nog_te_archiveren"


async def _granted(ctx: Ctx, zaak: Zaak) -> set[str]:
    """Which of the scopes that matter here the caller has for this zaak."""
    found = set()
    for scope in (*SETTING, common.FORCED_UPDATE):
        if (await access.access(ctx, scope)).permits(
            zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding
        ):
            found.add(scope)
    return found


async def _may_set(ctx: Ctx) -> ColumnElement[bool] | None:
    """SQL condition on the zaken the caller may set a status on (None: every zaak)."""
    conditions = []
    for scope in SETTING:
        condition = (await access.access(ctx, scope)).where()
        if condition is None:
            return None
        conditions.append(condition)
    return or_(*conditions)


async def _gezetdoor(ctx: Ctx, zaak: Zaak, url: str | None) -> str:
    """The rol URL `gezetdoor`, checked to be a rol of this zaak ("" when not given)."""
    if url is None:
        return ""
    ident = ctx.urls.reference(url, common.API, "rollen", "gezetdoor")
    rol: Rol | None = await repo.rol_by_uuid(ctx.session, ident)
    if rol is None:
        raise ValidationFailed.field(
            "gezetdoor", "does_not_exist", "De rol waar de URL naar verwijst bestaat niet."
        )
    if rol.zaak_id != zaak.id:
        raise ValidationFailed.field(
            "gezetdoor", "zaak-mismatch", "De rol hoort niet bij de zaak van deze status."
        )
    return ctx.urls.resource(common.API, "rollen", rol.uuid)


async def create(ctx: Ctx, data: StatusWrite) -> Status:
    """Set a status on a zaak, closing or reopening it when the status says so.

    Everything happens in the request's transaction: the status and the changes to the zaak
    are stored together or not at all.
    """
    session = ctx.session
    # locked at once, so two statussen set at once cannot both think they are the latest;
    # but only a zaak the caller may set a status on: the rights are part of the locking
    # statement, so a client without them neither waits for the lock nor takes it
    ident = ctx.urls.reference(data.zaak, common.API, "zaken", "zaak")
    zaak = await repo.zaak_for_update(session, ident, await _may_set(ctx))
    locked = zaak is not None
    if zaak is None:  # no such zaak (400), or not one of the caller's (403 below)
        zaak = await common.zaak_by_url(ctx, data.zaak)
    statustype = await refs.checked_by_url(
        session, ctx.urls, "statustypen", data.statustype, "statustype"
    )
    if statustype.zaaktype_id != zaak.zaaktype_id:  # zrc-016
        raise ValidationFailed.field(
            "statustype",
            "zaaktype-mismatch",
            "Het statustype hoort niet bij het zaaktype van de zaak.",
        )
    granted = await _granted(ctx, zaak)
    if granted.isdisjoint(SETTING):
        raise PermissionDenied()
    if not locked:  # its rights changed between the two reads: lock it after all
        zaak = await common.zaak_by_url(ctx, data.zaak, lock=True)
        granted = await _granted(ctx, zaak)
        if granted.isdisjoint(SETTING):
            raise PermissionDenied()
    gezetdoor = await _gezetdoor(ctx, zaak, data.gezetdoor)

    current = await repo.by_id(session, zaak.status_id) if zaak.status_id is not None else None
    if current is not None and granted.isdisjoint((ADD, REOPEN)):
        raise PermissionDenied(
            "Met de scope zaken.aanmaken mag alleen de eerste status van een zaak gezet worden."
        )
    # the new status becomes the current one unless it was set before the current one; on the
    # same moment the newest wins, so the pointer and the list always agree
    latest = current is None or data.datum_status_gezet >= current.datum_status_gezet
    eindstatus = statustype.id == await refs.eindstatustype_id(session, zaak.zaaktype_id)
    closed = zaak.einddatum is not None
    reopens = closed and latest and not eindstatus
    if reopens and REOPEN not in granted:  # zrc-008
        raise PermissionDenied(
            "De zaak is afgesloten; heropenen kan alleen met scope zaken.heropenen."
        )
    if closed and not reopens and common.FORCED_UPDATE not in granted:  # zrc-007
        raise PermissionDenied(
            "De zaak is afgesloten; wijzigen kan alleen met scope zaken.geforceerd-bijwerken."
        )
    resultaat = None
    if latest and eindstatus:  # zrc-007: no closing without a resultaat
        resultaat = await resultaat_repo.of_zaak(session, zaak.id)
        if resultaat is None:
            raise ValidationFailed.field(
                "nonFieldErrors",
                "resultaat-does-not-exist",
                "De zaak heeft geen resultaat en kan daarom niet worden afgesloten.",
            )
    if reopens and zaak.archiefstatus != NOG_TE_ARCHIVEREN:
        # zrc-008 empties archiefnominatie and archiefactiedatum, which an archived zaak
        # must keep (zrc-022)
        raise ValidationFailed.field(
            "zaak",
            "zaak-gearchiveerd",
            f"De zaak heeft archiefstatus {zaak.archiefstatus} en kan niet heropend worden.",
        )

    values: dict[str, Any] = {
        "zaak_id": zaak.id,
        "statustype_id": statustype.id,
        "datum_status_gezet": data.datum_status_gezet,
        "statustoelichting": data.statustoelichting,
        "gezetdoor": gezetdoor,
    }
    if latest and session.get_bind().dialect.name == "postgresql":
        # the status and the zaak's pointer to it in one statement; the object is only
        # rendered (never added to the session), the zaak's pointer is set as stored
        values["uuid"] = uuid.uuid4()
        status = Status(id=await repo.insert_latest(session, values), **values)
        set_committed_value(status, "zaak", zaak)
        set_committed_value(zaak, "status_id", status.id)
    else:
        status = Status(zaak=zaak, **values)
        session.add(status)
        await session.flush()
        if latest:
            zaak.status_id = status.id
    if latest:
        if resultaat is not None:
            await close(ctx, zaak, resultaat, data.datum_status_gezet)
        elif reopens:
            reopen(zaak)
    return status


async def close(ctx: Ctx, zaak: Zaak, resultaat: Resultaat, moment: dt.datetime) -> None:
    """Close the zaak at `moment` (zrc-007) and derive its archive attributes (zrc-021)."""
    zaak.einddatum = moment.astimezone(AMSTERDAM).date()
    types = await refs.by_ids(ctx.session, "resultaattypen", [resultaat.resultaattype_id])
    resultaattype = types[resultaat.resultaattype_id]
    if zaak.archiefnominatie is None and resultaattype.archiefnominatie:
        zaak.archiefnominatie = resultaattype.archiefnominatie
    # a date set by hand (afleidingswijze ander_datumkenmerk) is kept
    if zaak.archiefactiedatum is None and resultaattype.archiefactietermijn:
        brondatum = await brondatum_of(ctx, zaak, resultaattype)
        actiedatum = plus(brondatum, resultaattype.archiefactietermijn)
        if actiedatum is not None:
            zaak.archiefactiedatum = actiedatum
            zaak.startdatum_bewaartermijn = brondatum


def reopen(zaak: Zaak) -> None:
    """A status after the eindstatus reopens the zaak (zrc-008)."""
    zaak.einddatum = None
    zaak.archiefactiedatum = None
    zaak.archiefnominatie = None


def plus(date: dt.date | None, duration: str | None) -> dt.date | None:
    """`date` plus an ISO 8601 duration; None when either is missing or the sum is no date."""
    if date is None or not duration:
        return None
    try:
        result = date + isodate.parse_duration(duration)
    except (isodate.ISO8601Error, ValueError, OverflowError):
        return None
    return result if isinstance(result, dt.date) else None


def _as_date(value: str) -> dt.date | None:
    """An eigenschap value as a date: ISO 8601 (2024-03-01, 20240301) or a moment."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    try:  # the Catalogi datum_tijd format: yyyymmddhhmmss
        return dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return None


async def brondatum_of(ctx: Ctx, zaak: Zaak, resultaattype: Any) -> dt.date | None:
    """The brondatum of the archive procedure (zrc-021), or None when it cannot be told here.

    `ander_datumkenmerk` leaves the date to the client; `zaakobject`, `ingangsdatum_besluit` and
    `vervaldatum_besluit` need objects and besluiten kept in other registers, which the Zaken
    register does not read, so they leave the archiefactiedatum empty as the rule allows.
    """
    bron: dict[str, Any] = resultaattype.brondatum_archiefprocedure or {}
    wijze = bron.get("afleidingswijze")
    session = ctx.session
    if wijze == "afgehandeld":
        return zaak.einddatum
    if wijze == "termijn":
        return plus(zaak.einddatum, bron.get("procestermijn") or resultaattype.procestermijn)
    if wijze == "hoofdzaak":
        if zaak.hoofdzaak_id is None:
            return None
        return await repo.einddatum_of(session, zaak.hoofdzaak_id)
    if wijze == "gerelateerde_zaak":
        idents = [
            ctx.urls.parse(str(rel.get("url", "")), common.API, "zaken")
            for rel in zaak.relevante_andere_zaken or []
        ]
        return await repo.max_einddatum(session, [i for i in idents if i is not None])
    if wijze == "eigenschap":
        naam = bron.get("datumkenmerk")
        waarden = await repo.eigenschap_waarden(session, zaak.id)
        eigenschappen = await refs.by_ids(session, "eigenschappen", [e for e, _w in waarden])
        dates = [
            d
            for eigenschap_id, waarde in waarden
            if eigenschappen[eigenschap_id].naam == naam and (d := _as_date(waarde)) is not None
        ]
        return max(dates, default=None)
    return None
