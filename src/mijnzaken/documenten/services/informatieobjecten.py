"""Rules of EnkelvoudigInformatieObject: drc-001 (published type), drc-005 (status of a
received document), drc-007 (vertrouwelijkheid), drc-008 (destroy), drc-009/010 (locks),
versions, content inline (base64) or in bestandsdelen."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock
from mijnzaken.core.db import iso
from mijnzaken.core.errors import NotFound, ValidationFailed, unique_field
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten import opslag, repository
from mijnzaken.documenten.models import BestandsDeel, InformatieObject, Versie
from mijnzaken.documenten.schemas import EnkelvoudigInformatieObjectWrite
from mijnzaken.documenten.services import access, bestandsdelen
from mijnzaken.documenten.services.lock import check_lock

API = "documenten"
COLLECTION = "enkelvoudiginformatieobjecten"
READ = "documenten.lezen"
CREATE = "documenten.aanmaken"
UPDATE = "documenten.bijwerken"
FORCED_UPDATE = "documenten.geforceerd-bijwerken"
DELETE = "documenten.verwijderen"
LOCK = "documenten.lock"
FORCED_UNLOCK = "documenten.geforceerd-unlock"
B64_CHUNK = 4 * 256 * 1024  # base64 characters decoded at a time (a multiple of 4)


def url(ctx: Ctx, document: InformatieObject | uuid.UUID) -> str:
    ident = document.uuid if isinstance(document, InformatieObject) else document
    return ctx.urls.resource(API, COLLECTION, ident)


@dataclass(frozen=True)
class Weergave:
    """An older version of a document, for `?versie=` and `?registratieOp=`."""

    document: InformatieObject
    versie: Versie


async def get(ctx: Ctx, ident: uuid.UUID, scopes: tuple[str, ...] = (READ,)) -> InformatieObject:
    """A document the caller may see (404 when absent, 403 when not allowed)."""
    document = await repository.document(ctx.session, ident)
    if document is None:
        raise NotFound()
    await access.ensure(ctx, scopes, document)
    return document


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationFailed.field(
                "registratieOp", "invalid", "Geef een datum of tijdstip (ISO 8601)."
            ) from exc
        moment = dt.datetime.combine(day, dt.time.max)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


async def versie_van(
    ctx: Ctx, document: InformatieObject, nummer: int | None, registratie_op: str | None
) -> Versie:
    """The version a read asks for; 404 when there is no such version."""
    op = _moment(registratie_op) if registratie_op else None
    found = await repository.versie(ctx.session, document.id, nummer, op)
    if found is None:
        raise NotFound("Deze versie van het informatieobject bestaat niet.")
    return found


def gegevens(document: InformatieObject, type_url: str) -> dict[str, Any]:
    """The metadata of the current version as the API writes it (also kept per version)."""
    return {
        "identificatie": document.identificatie,
        "bronorganisatie": document.bronorganisatie,
        "creatiedatum": document.creatiedatum.isoformat(),
        "titel": document.titel,
        "vertrouwelijkheidaanduiding": document.vertrouwelijkheidaanduiding,
        "isGereedVoorPublicatie": document.is_gereed_voor_publicatie,
        "tonenAanInitiator": document.tonen_aan_initiator,
        "auteur": document.auteur,
        "status": document.status,
        "inhoudIsVervallen": document.inhoud_is_vervallen,
        "formaat": document.formaat,
        "taal": document.taal,
        "versie": document.versie,
        "beginRegistratie": iso(document.begin_registratie),
        "bestandsnaam": document.bestandsnaam,
        "bestandsomvang": document.bestandsomvang,
        "link": document.link,
        "beschrijving": document.beschrijving,
        "ontvangstdatum": _date(document.ontvangstdatum),
        "verzenddatum": _date(document.verzenddatum),
        "indicatieGebruiksrecht": document.indicatie_gebruiksrecht,
        "verschijningsvorm": document.verschijningsvorm,
        "ondertekening": document.ondertekening,
        "integriteit": document.integriteit,
        "informatieobjecttype": type_url,
        "trefwoorden": list(document.trefwoorden or []),
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def type_url(ctx: Ctx, document: InformatieObject) -> str:
    return refs.url_of_uuid(ctx.urls, "informatieobjecttypen", document.informatieobjecttype_uuid)


def kenmerken(ctx: Ctx, document: InformatieObject) -> dict[str, str]:
    """The kenmerken of a notification on kanaal `documenten`."""
    return {
        "bronorganisatie": document.bronorganisatie,
        "informatieobjecttype": type_url(ctx, document),
        "vertrouwelijkheidaanduiding": document.vertrouwelijkheidaanduiding,
    }


def _snapshot(ctx: Ctx, document: InformatieObject) -> Versie:
    return Versie(
        informatieobject_id=document.id,
        versie=document.versie,
        begin_registratie=document.begin_registratie,
        gegevens=gegevens(document, type_url(ctx, document)),
        inhoud_key=document.inhoud_key,
        inhoud_sha256=document.inhoud_sha256,
    )


async def _type(ctx: Ctx, value: str) -> Any:
    """drc-001: an informatieobjecttype of our catalogue that is published."""
    iot = await refs.by_url(
        ctx.session, ctx.urls, "informatieobjecttypen", value, "informatieobjecttype"
    )
    if iot.concept:
        raise ValidationFailed.field(
            "informatieobjecttype",
            "not-published",
            "Het informatieobjecttype is nog niet gepubliceerd (concept).",
        )
    return iot


def _check_status(data: EnkelvoudigInformatieObjectWrite) -> None:
    """drc-005: a received document is not 'in bewerking' or 'ter vaststelling'."""
    if data.ontvangstdatum is not None and data.status in ("in_bewerking", "ter_vaststelling"):
        raise ValidationFailed.field(
            "status",
            "invalid_for_received",
            "De statussen 'in_bewerking' en 'ter_vaststelling' zijn niet mogelijk voor "
            "ontvangen documenten.",
        )


async def _base64_chunks(text: str) -> AsyncIterator[bytes]:
    """Decode base64 a slice at a time (no second whole copy of the content)."""
    clean = "".join(text.split()) if any(c.isspace() for c in text[:1024]) else text
    if len(clean) % 4:
        raise binascii.Error("length")
    for start in range(0, len(clean), B64_CHUNK):
        yield base64.b64decode(clean[start : start + B64_CHUNK], validate=True)


async def _store_inline(
    ctx: Ctx, data: EnkelvoudigInformatieObjectWrite, *, vorige_omvang: int | None = None
) -> opslag.Inhoud:
    """Store base64 `inhoud`; a given bestandsomvang must match (unless it is merely the
    previous version's, as in a PATCH that sends only new content)."""
    assert data.inhoud is not None
    store = opslag.voor(ctx.settings)
    try:
        stored = await opslag.ontvang(
            ctx.session,
            store,
            _base64_chunks(data.inhoud),
            max_omvang=ctx.settings.documenten_max_omvang,
        )
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed.field(
            "inhoud", "invalid", "De inhoud is geen geldige base64-gecodeerde tekst."
        ) from exc
    except opslag.TeGroot as exc:
        raise _te_groot("inhoud", ctx.settings.documenten_max_omvang) from exc
    announced = data.bestandsomvang
    if announced is not None and announced != vorige_omvang and announced != stored.omvang:
        raise ValidationFailed.field(
            "bestandsomvang",
            "file-size",
            f"De bestandsomvang ({data.bestandsomvang}) is niet gelijk aan de omvang van de "
            f"inhoud ({stored.omvang}).",
        )
    return stored


def _te_groot(field: str, maximum: int) -> ValidationFailed:
    return ValidationFailed.field(
        field, "file-size", f"De inhoud is groter dan de toegestane {maximum} bytes."
    )


def _apply(document: InformatieObject, data: EnkelvoudigInformatieObjectWrite, iot: Any) -> None:
    document.identificatie = data.identificatie or document.identificatie
    document.bronorganisatie = data.bronorganisatie
    document.creatiedatum = data.creatiedatum
    document.titel = data.titel
    # drc-007: given, or else the informatieobjecttype's
    document.vertrouwelijkheidaanduiding = (
        data.vertrouwelijkheidaanduiding or iot.vertrouwelijkheidaanduiding
    )
    document.is_gereed_voor_publicatie = data.is_gereed_voor_publicatie
    document.tonen_aan_initiator = data.tonen_aan_initiator
    document.auteur = data.auteur
    document.status = data.status
    document.inhoud_is_vervallen = data.inhoud_is_vervallen
    document.formaat = data.formaat
    document.taal = data.taal
    document.bestandsnaam = data.bestandsnaam
    document.link = data.link
    document.beschrijving = data.beschrijving
    document.ontvangstdatum = data.ontvangstdatum
    document.verzenddatum = data.verzenddatum
    document.indicatie_gebruiksrecht = data.indicatie_gebruiksrecht
    document.verschijningsvorm = data.verschijningsvorm
    document.ondertekening = (
        data.ondertekening.model_dump(mode="json", by_alias=True) if data.ondertekening else None
    )
    document.integriteit = (
        data.integriteit.model_dump(mode="json", by_alias=True) if data.integriteit else None
    )
    document.trefwoorden = list(data.trefwoorden)
    document.informatieobjecttype_id = iot.id
    document.informatieobjecttype_uuid = iot.uuid


NIET_UNIEK = "Deze identificatie bestaat al voor deze bronorganisatie."
# two requests with the same identificatie at once both pass the check in `_unique`; the
# second to write meets the unique index, which answers the same 400
unique_field(
    "uq_documenten_io_bron_identificatie",
    "documenten_informatieobject",
    ("bronorganisatie", "identificatie"),
    "identificatie",
    "identificatie-niet-uniek",
    NIET_UNIEK,
)


async def _unique(ctx: Ctx, document: InformatieObject) -> None:
    if await repository.identificatie_bezet(
        ctx.session, document.bronorganisatie, document.identificatie, document.id
    ):
        raise ValidationFailed.field("identificatie", "identificatie-niet-uniek", NIET_UNIEK)


async def create(ctx: Ctx, data: EnkelvoudigInformatieObjectWrite) -> InformatieObject:
    """Register a document (version 1) with its content inline, or announce its size and get
    bestandsdelen to upload (the document is then locked)."""
    iot = await _type(ctx, data.informatieobjecttype)
    _check_status(data)
    level = data.vertrouwelijkheidaanduiding or iot.vertrouwelijkheidaanduiding
    await access.ensure_type(ctx, (CREATE,), iot.id, level)
    document = InformatieObject(
        identificatie=data.identificatie or f"DOCUMENT-{uuid.uuid4().hex[:16].upper()}",
        versie=1,
        begin_registratie=clock.now(),
        lock="",
    )
    _apply(document, data, iot)
    await _unique(ctx, document)
    delen: list[BestandsDeel] = []
    if data.inhoud:
        stored = await _store_inline(ctx, data)
        document.inhoud_key, document.inhoud_sha256 = stored.key, stored.sha256
        document.bestandsomvang = stored.omvang
    else:
        document.bestandsomvang = data.bestandsomvang
    ctx.session.add(document)
    await ctx.session.flush()
    if not data.inhoud and data.bestandsomvang:
        delen = bestandsdelen.plan(ctx, document, data.bestandsomvang)
        ctx.session.add_all(delen)
        document.lock = secrets.token_hex(16)
    ctx.session.add(_snapshot(ctx, document))
    return document


async def update(
    ctx: Ctx, document: InformatieObject, data: EnkelvoudigInformatieObjectWrite
) -> InformatieObject:
    """Register a new version (drc-010: only with the right lock)."""
    await access.ensure(ctx, (UPDATE, FORCED_UPDATE), document)
    check_lock(document, data.lock)
    iot = await _type(ctx, data.informatieobjecttype)
    _check_status(data)
    level = data.vertrouwelijkheidaanduiding or iot.vertrouwelijkheidaanduiding
    await access.ensure_type(ctx, (UPDATE, FORCED_UPDATE), iot.id, level)
    vorige_omvang = document.bestandsomvang
    _apply(document, data, iot)
    await _unique(ctx, document)
    if data.inhoud and not ctx.urls.is_ours(data.inhoud):
        stored = await _store_inline(ctx, data, vorige_omvang=vorige_omvang)
        document.inhoud_key, document.inhoud_sha256 = stored.key, stored.sha256
        document.bestandsomvang = stored.omvang
    elif data.bestandsomvang is not None and data.bestandsomvang != vorige_omvang:
        # new content announced: to come in bestandsdelen (or none at all for size 0)
        await bestandsdelen.drop(ctx, document)
        document.inhoud_key = document.inhoud_sha256 = None
        document.bestandsomvang = data.bestandsomvang
        if data.bestandsomvang:
            ctx.session.add_all(bestandsdelen.plan(ctx, document, data.bestandsomvang))
    document.versie += 1
    document.begin_registratie = clock.now()
    ctx.session.add(_snapshot(ctx, document))
    return document


async def delete(ctx: Ctx, document: InformatieObject) -> None:
    """drc-008: only without relations; the document, its gebruiksrechten, versions, content
    and audit trail are really removed."""
    await access.ensure(ctx, (DELETE,), document)
    if await repository.heeft_relaties(ctx.session, document.id):
        raise ValidationFailed.field(
            "nonFieldErrors",
            "pending-relations",
            "Het informatieobject is nog gekoppeld aan een object (objectinformatieobject).",
        )
    store = opslag.voor(ctx.settings)
    for key in await repository.inhoud_keys(ctx.session, document.id):
        opslag.vervalt(ctx.session, store, key)
    opslag.vervalt(ctx.session, store, document.inhoud_key)
    await repository.verwijder_audit(ctx.session, url(ctx, document))
    await ctx.session.delete(document)


async def _for_update(
    ctx: Ctx, ident: uuid.UUID, scopes: tuple[str, ...]
) -> tuple[InformatieObject, str]:
    """The document, its row locked (PostgreSQL), and the first of `scopes` the caller has
    for it, or 403. A client without the rights never waits for the lock: the row is read
    once, locked, when no other transaction holds it (the rights checked on it, a 403 lets
    go at once); when one does, the rights are checked on the row read without the lock
    first, then again on the locked row as it is once the other let go."""
    document = await repository.document_for_update(ctx.session, ident, skip_locked=True)
    if document is None:  # held by another transaction, or not there
        document = await repository.document(ctx.session, ident)
        if document is None:
            raise NotFound()
        await access.ensure(ctx, scopes, document)
        document = await repository.document_for_update(ctx.session, ident)
        if document is None:
            raise NotFound()
    return document, await access.ensure(ctx, scopes, document)


async def lock(ctx: Ctx, ident: uuid.UUID) -> str:
    """drc-009: hand out an unguessable lock; a locked document cannot be locked again."""
    document, _scope = await _for_update(ctx, ident, (LOCK,))
    if document.lock:
        raise ValidationFailed.field(
            "nonFieldErrors", "existing-lock", "Het informatieobject is al gelockt."
        )
    document.lock = secrets.token_hex(16)
    return document.lock


async def unlock(ctx: Ctx, ident: uuid.UUID, lock_id: str) -> tuple[InformatieObject, bool]:
    """Unlock with the lock, or without it with documenten.geforceerd-unlock. Uploaded
    bestandsdelen are checked for completeness and joined into the content (then the second
    value is True)."""
    document, scope = await _for_update(ctx, ident, (LOCK, FORCED_UNLOCK))
    forced = not lock_id and (
        scope == FORCED_UNLOCK or await access.permits(ctx, FORCED_UNLOCK, document)
    )
    if not forced:
        check_lock(document, lock_id)
    delen = (await repository.bestandsdelen(ctx.session, [document.id])).get(document.id, [])
    joined = False
    if delen and not forced:
        if any(d.inhoud_key is None for d in delen):
            raise ValidationFailed.field(
                "nonFieldErrors",
                "incomplete-upload",
                "Niet alle bestandsdelen zijn geüpload.",
            )
        await bestandsdelen.join(ctx, document, delen)
        joined = True
    elif delen:
        await bestandsdelen.drop(ctx, document)  # a forced unlock abandons an unfinished upload
    document.lock = ""
    return document, joined
