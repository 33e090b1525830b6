"""The rules of Besluit: creating and changing one (brc-001, brc-002, brc-006, brc-007),
the link with its zaak, and deleting (brc-009).

The zaak is one of our Zaken register (a foreign key; the ZaakBesluit is made in the same
transaction) or one of a remote Zaken API configured in MIJNZAKEN_REMOTE_SERVICES (its URL is
stored; the zaak and its zaaktype are read there within the request, and the ZaakBesluit there
is made and removed after commit by the mirror jobs of zaken/spiegeling.py). See docs/adr/0009.
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import TYPE_CHECKING, Any

from mijnzaken.besluiten import repository as repo
from mijnzaken.besluiten.models import Besluit
from mijnzaken.besluiten.schemas import BesluitWrite
from mijnzaken.besluiten.services import access
from mijnzaken.besluiten.services import besluitinformatieobject as bio_service
from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock
from mijnzaken.core.errors import (
    InvalidParam,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    unique_field,
)
from mijnzaken.core.outbound import OutboundError
from mijnzaken.core.resource import Ctx
from mijnzaken.federatie import zaken as remote_zaken
from mijnzaken.zaken.services import zaakbesluiten

if TYPE_CHECKING:
    from mijnzaken.zaken.models import Zaak

API = "besluiten"
CATALOGI = "catalogi"


def _fail(name: str, code: str, reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


def besluit_url(ctx: Ctx, ident: uuid_lib.UUID) -> str:
    return ctx.urls.resource(API, "besluiten", ident)


async def get(ctx: Ctx, ident: uuid_lib.UUID, scope: str = access.READ) -> Besluit:
    """One besluit the caller has `scope` for, or 404/403."""
    besluit = await repo.by_uuid(ctx.session, ident)
    if besluit is None:
        raise NotFound()
    await access.ensure(ctx, scope, besluit)
    return besluit


async def by_url(ctx: Ctx, url: str, field: str, scope: str) -> Besluit:
    """The besluit a request body refers to (400 naming `field` when there is none), which
    the caller must have `scope` for (403)."""
    ident = ctx.urls.reference(url, API, "besluiten", field)
    besluit = await repo.by_uuid(ctx.session, ident)
    if besluit is None:
        raise _fail(field, "does_not_exist", "Het besluit waar de URL naar verwijst bestaat niet.")
    await access.ensure(ctx, scope, besluit)
    return besluit


async def _besluittype(ctx: Ctx, url: str) -> Any:
    """brc-001: a published besluittype of our catalogue."""
    besluittype = await refs.by_url(ctx.session, ctx.urls, "besluittypen", url, "besluittype")
    if besluittype.concept:
        raise _fail("besluittype", "not-published", "Het besluittype is nog niet gepubliceerd.")
    return besluittype


def _zaaktype_mismatch() -> ValidationFailed:
    return _fail(
        "nonFieldErrors",
        "zaaktype-mismatch",
        "Het besluittype van het besluit hoort niet bij het zaaktype van de zaak.",
    )


def _lists(zaaktype: Any, besluittype: Any) -> bool:
    """brc-007 within our catalogue: the zaaktype names the besluittype (by omschrijving in
    the same catalogus, ADR 0002)."""
    return zaaktype.catalogus_id == besluittype.catalogus_id and besluittype.omschrijving in (
        zaaktype.besluittype_omschrijvingen or ()
    )


async def _zaak(ctx: Ctx, url: str, besluittype: Any) -> Zaak:
    """The local zaak of a besluit; brc-007: its zaaktype lists the besluittype."""
    zaak = await zaakbesluiten.zaak_for_besluit(ctx, url)
    zaaktype = (await refs.by_ids(ctx.session, "zaaktypen", [zaak.zaaktype_id]))[zaak.zaaktype_id]
    if not _lists(zaaktype, besluittype):
        raise _zaaktype_mismatch()
    return zaak


async def _remote_zaak(ctx: Ctx, url: str, besluittype: Any) -> str:
    """A zaak of a remote Zaken API, read there (400 when it cannot be); brc-007: its
    zaaktype lists the besluittype."""
    zaak = await zaakbesluiten.remote_zaak_for_besluit(ctx, url)
    try:
        kent = await _zaaktype_kent(ctx, zaak.zaaktype, besluittype)
    except OutboundError as exc:
        raise _fail(
            "zaak",
            "invalid-resource",
            f"Het zaaktype van de zaak is niet te lezen ({exc.code}).",
        ) from exc
    if not kent:
        raise _zaaktype_mismatch()
    return zaak.url


async def _zaaktype_kent(ctx: Ctx, zaaktype_url: str, besluittype: Any) -> bool:
    """brc-007 for the zaaktype of a remote zaak. One of our catalogue is compared as for a
    local zaak. One of a remote catalogue must list our besluittype's URL, or, in a catalogus
    with the domein and rsin of ours, a besluittype with its omschrijving (how ADR 0002 and
    ADR 0018 compare types of two installations that publish the same catalogue). Raises
    OutboundError when the remote catalogue cannot be read."""
    if ctx.urls.is_ours(zaaktype_url):
        ids = await refs.ids_for_urls(ctx.session, ctx.urls, "zaaktypen", [zaaktype_url])
        zaaktypen = await refs.by_ids(ctx.session, "zaaktypen", ids.values())
        return any(_lists(zaaktype, besluittype) for zaaktype in zaaktypen.values())
    zaaktype = await remote_zaken.zaaktype(ctx.settings, zaaktype_url)
    if refs.url_of(ctx.urls, "besluittypen", besluittype) in zaaktype.besluittypen:
        return True
    ours = await refs.catalogus_naam(ctx.session, besluittype.catalogus_id)
    if await remote_zaken.catalogus(ctx.settings, zaaktype.catalogus) != ours:
        return False
    for url in zaaktype.besluittypen[: remote_zaken.MAX_BESLUITTYPEN]:
        if ctx.urls.is_ours(url):
            continue  # compared above, by URL
        if await remote_zaken.besluittype_omschrijving(ctx.settings, url) == (
            besluittype.omschrijving
        ):
            return True
    return False


def _check_datum(data: BesluitWrite) -> None:
    """The beslisdatum lies in the past or is today."""
    if data.datum > clock.today():
        raise _fail("datum", "future_not_allowed", "De beslisdatum mag niet in de toekomst liggen.")


NIET_UNIEK = "Deze identificatie bestaat al binnen de verantwoordelijke organisatie."
# two requests with the same identificatie at once both pass the check in `create`; the
# second to write meets the unique index, which answers the same 400 (brc-002)
unique_field(
    "uq_besluiten_besluit_organisatie_identificatie",
    "besluiten_besluit",
    ("verantwoordelijke_organisatie", "identificatie"),
    "identificatie",
    "identificatie-niet-uniek",
    NIET_UNIEK,
)


async def _new_identificatie(ctx: Ctx, organisatie: str) -> str:
    """brc-002: BESLUIT-<year>-<10 digits>, unique within the organisation; a number a client
    already used explicitly is skipped."""
    prefix = f"BESLUIT-{clock.today().year}-"
    while True:
        value = f"{prefix}{await repo.allocate_number(ctx.session, organisatie, prefix):010d}"
        if not await repo.identificatie_taken(ctx.session, organisatie, value):
            return value


def _apply(besluit: Besluit, data: BesluitWrite) -> None:
    besluit.datum = data.datum
    besluit.toelichting = data.toelichting
    besluit.bestuursorgaan = data.bestuursorgaan
    besluit.ingangsdatum = data.ingangsdatum
    besluit.vervaldatum = data.vervaldatum
    besluit.vervalreden = data.vervalreden
    besluit.publicatiedatum = data.publicatiedatum
    besluit.verzenddatum = data.verzenddatum
    besluit.uiterlijke_reactiedatum = data.uiterlijke_reactiedatum


async def create(ctx: Ctx, data: BesluitWrite) -> Besluit:
    """A new besluit, for a caller with besluiten.aanmaken on its besluittype; a besluit on a
    zaak is mirrored as a ZaakBesluit in the Zaken register (brc-006)."""
    besluittype = await _besluittype(ctx, data.besluittype)
    if not (await access.access(ctx, access.CREATE)).permits(besluittype.id):
        raise PermissionDenied("U mag geen besluiten van dit besluittype aanmaken.")
    _check_datum(data)
    zaak: Zaak | None = None
    zaak_url: str | None = None
    if data.zaak and ctx.urls.is_ours(data.zaak):
        zaak = await _zaak(ctx, data.zaak, besluittype)
        await zaakbesluiten.ensure_besluit_may_change(ctx, zaak)
    elif data.zaak:
        zaak_url = await _remote_zaak(ctx, data.zaak, besluittype)
    organisatie = data.verantwoordelijke_organisatie
    if data.identificatie:
        if await repo.identificatie_taken(ctx.session, organisatie, data.identificatie):
            raise _fail("identificatie", "identificatie-niet-uniek", NIET_UNIEK)
        identificatie = data.identificatie
    else:
        identificatie = await _new_identificatie(ctx, organisatie)
    besluit = Besluit(
        uuid=uuid_lib.uuid4(),
        identificatie=identificatie,
        verantwoordelijke_organisatie=organisatie,
        besluittype_id=besluittype.id,
        besluittype_uuid=besluittype.uuid,
        zaak_id=zaak.id if zaak is not None else None,
        zaak_url=zaak_url,
    )
    _apply(besluit, data)
    ctx.session.add(besluit)
    url = besluit_url(ctx, besluit.uuid)
    if zaak is not None:
        await zaakbesluiten.link_besluit(ctx, zaak, url)
    elif zaak_url is not None:
        await zaakbesluiten.link_remote_besluit(ctx, zaak_url, besluit.uuid, url)
    return besluit


async def zaak_url_of(ctx: Ctx, besluit: Besluit) -> str:
    """The URL of the besluit's zaak (ours or a remote one), or ""."""
    if besluit.zaak_id is None:
        return besluit.zaak_url or ""
    found = await zaakbesluiten.zaak_uuids(ctx, [besluit.zaak_id])
    return ctx.urls.resource("zaken", "zaken", found[besluit.zaak_id])


async def update(ctx: Ctx, besluit: Besluit, data: BesluitWrite) -> Besluit:
    """Change a besluit (besluiten.bijwerken). Its besluittype (brc-001), identificatie and
    verantwoordelijke organisatie (brc-002) and zaak (brc-006) stay as they are."""
    await access.ensure(ctx, access.UPDATE, besluit)
    fixed = []
    if ctx.urls.parse(data.besluittype, CATALOGI, "besluittypen") != besluit.besluittype_uuid:
        fixed.append("besluittype")
    if data.verantwoordelijke_organisatie != besluit.verantwoordelijke_organisatie:
        fixed.append("verantwoordelijkeOrganisatie")
    if data.identificatie and data.identificatie != besluit.identificatie:
        fixed.append("identificatie")
    if (data.zaak or "") != await zaak_url_of(ctx, besluit):
        fixed.append("zaak")
    if fixed:
        raise ValidationFailed(
            [
                InvalidParam(name, "wijzigen-niet-toegelaten", "Dit gegeven mag niet wijzigen.")
                for name in fixed
            ]
        )
    _check_datum(data)
    if besluit.zaak_id is not None:
        await zaakbesluiten.ensure_besluit_may_change(
            ctx, await zaakbesluiten.zaak_of(ctx, besluit.zaak_id)
        )
    _apply(besluit, data)
    return besluit


async def delete(ctx: Ctx, besluit: Besluit) -> None:
    """brc-009: the besluit, its besluitinformatieobjecten and its audit trail, for real; the
    ZaakBesluit in the Zaken register goes too (brc-006): ours in this transaction, that of a
    remote Zaken API after commit."""
    await access.ensure(ctx, access.DELETE, besluit)
    if besluit.zaak_url:
        await zaakbesluiten.unlink_remote_besluit(
            ctx, besluit.zaak_url, besluit.uuid, besluit_url(ctx, besluit.uuid)
        )
    if besluit.zaak_id is not None:
        await zaakbesluiten.ensure_besluit_may_change(
            ctx, await zaakbesluiten.zaak_of(ctx, besluit.zaak_id)
        )
        await zaakbesluiten.unlink_besluit(ctx, besluit.zaak_id, besluit.uuid)
    for link in await repo.informatieobjecten_of(ctx.session, besluit.id):
        await bio_service.sync_objectinformatieobject(
            ctx, link.informatieobject, besluit.uuid, "destroy"
        )
    await repo.delete_besluit(ctx.session, besluit, besluit_url(ctx, besluit.uuid))


def kenmerken(ctx: Ctx, besluit: Besluit) -> dict[str, str]:
    """The kenmerken of a notification about this besluit (kanaal besluiten)."""
    return {
        "verantwoordelijkeOrganisatie": besluit.verantwoordelijke_organisatie,
        "besluittype": ctx.urls.resource(CATALOGI, "besluittypen", besluit.besluittype_uuid),
    }
