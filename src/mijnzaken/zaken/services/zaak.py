"""The rules of Zaak: creating and changing one (zrc-001, 002, 006, 007, 009–015), searching
within the caller's rights (zrc-006), reserving zaaknummers and deleting (zrc-023)."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Hashable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.catalogi.services import refs
from mijnzaken.core import clock, geo
from mijnzaken.core.db import aside
from mijnzaken.core.errors import (
    InvalidParam,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    unique_field,
)
from mijnzaken.core.outbox import notify
from mijnzaken.core.resource import Ctx
from mijnzaken.core.validators import check_url
from mijnzaken.documenten.services import relaties
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.repository import zaak as repo
from mijnzaken.zaken.schemas.zaak import ZaakSearch, ZaakWrite
from mijnzaken.zaken.services import access, spiegel
from mijnzaken.zaken.services.common import API, FORCED_UPDATE, READ, UPDATE, zaak_url

CREATE = "zaken.aanmaken"
DELETE = "zaken.verwijderen"
CATALOGI = "catalogi"


def _fail(name: str, code: str, reason: str) -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


# --- searching ----------------------------------------------------------------------------


def _zaaktype_uuid(ctx: Ctx, value: str, name: str) -> uuid_lib.UUID | None:
    """The UUID of one of our zaaktype URLs; None for a URL that is not ours (matches nothing)."""
    try:
        check_url(value)
    except ValueError as exc:
        raise _fail(name, "invalid", "Voer een geldige URL in.") from exc
    return ctx.urls.parse(value, CATALOGI, "zaaktypen")


async def criteria(
    ctx: Ctx,
    search: ZaakSearch,
    *,
    ordering: list[str],
    zaaktype__in: list[str] | None = None,
    uuid__in: list[uuid_lib.UUID] | None = None,
) -> repo.Criteria:
    """Resolve the filters to what zaken_zaak and zaken_rol store."""
    result = repo.Criteria(search=search, ordering=ordering, uuids=uuid__in)
    zaaktypen: list[uuid_lib.UUID] | None = None
    if search.zaaktype is not None:
        ident = _zaaktype_uuid(ctx, search.zaaktype, "zaaktype")
        zaaktypen = [ident] if ident is not None else []
    if zaaktype__in is not None:
        wanted = {
            u
            for i, v in enumerate(zaaktype__in)
            if (u := _zaaktype_uuid(ctx, v, f"zaaktype__in.{i}")) is not None
        }
        zaaktypen = [u for u in zaaktypen if u in wanted] if zaaktypen is not None else [*wanted]
    result.zaaktype_uuids = zaaktypen
    if search.rol__betrokkene is not None:
        try:
            check_url(search.rol__betrokkene)
        except ValueError as exc:
            raise _fail("rol__betrokkene", "invalid", "Voer een geldige URL in.") from exc
    if search.rol__omschrijving_generiek is not None:
        result.roltype_ids = await _roltype_ids(ctx, search.rol__omschrijving_generiek)
    return result


async def _roltype_ids(ctx: Ctx, omschrijving_generiek: str) -> list[int]:
    # A separate look-up (no join on the catalogue's table): the roltypen with this generic
    # description. Belongs in catalogi refs as `roltype_ids_by_omschrijving_generiek`.
    model = refs.MODELS["roltypen"]
    stmt = select(model.id).where(model.omschrijving_generiek == omschrijving_generiek)
    return [pk for (pk,) in (await ctx.session.execute(stmt)).all()]


async def search_stmt(ctx: Ctx, found: repo.Criteria) -> Any:
    """The zaken matching `found` that the caller may read (zrc-006), as a select."""
    condition = (await access.access(ctx, READ)).where()
    return repo.search_stmt(found, condition)


async def prepared_search(ctx: Ctx, found: repo.Criteria) -> tuple[Any, dict[str, Any]] | None:
    """`search_stmt` as a kept page select of plain rows with its parameters
    (`repo.prepared_search`), or None for a search that is built per request."""
    allowed = await access.access(ctx, READ)
    return repo.prepared_search(found, allowed.where, _access_key(allowed))


def _access_key(allowed: access.Access) -> Hashable:
    """What identifies the condition of `allowed` (the same key, the same zaken)."""
    if allowed.everything:
        return True
    return tuple(
        sorted((type_id, tuple(sorted(levels))) for type_id, levels in allowed.allowed.items())
    )


async def get(ctx: Ctx, ident: uuid_lib.UUID, scope: str = READ) -> Zaak:
    """One zaak the caller has `scope` for, or 404/403."""
    zaak = await repo.by_uuid(ctx.session, ident)
    if zaak is None:
        raise NotFound()
    await access.ensure(ctx, scope, zaak)
    return zaak


async def get_to_render(ctx: Ctx, ident: uuid_lib.UUID) -> tuple[Any, repo.Relations]:
    """One zaak the caller may read, with the relations its representation shows (one
    statement), or 404/403. The zaak is a read-only row that reads like a `Zaak`."""
    found = await repo.read(ctx.session, ident)
    if found is None:
        raise NotFound()
    await access.ensure(ctx, READ, found[0])
    return found


# --- creating and changing -----------------------------------------------------------------


async def _zaaktype(ctx: Ctx, data: ZaakWrite) -> Any:
    """zrc-001: a published zaaktype of our catalogue, valid on the startdatum."""
    zaaktype = await refs.checked_by_url(
        ctx.session, ctx.urls, "zaaktypen", data.zaaktype, "zaaktype"
    )
    if zaaktype.concept:
        raise _fail("zaaktype", "not-published", "Het zaaktype is nog niet gepubliceerd.")
    begin, einde = zaaktype.begin_geldigheid, zaaktype.einde_geldigheid
    if (begin is not None and data.startdatum < begin) or (
        einde is not None and data.startdatum > einde
    ):
        raise _fail(
            "zaaktype",
            "zaaktype-niet-geldig",
            "Het zaaktype is niet geldig op de startdatum van de zaak.",
        )
    return zaaktype


def _check_producten(data: ZaakWrite, zaaktype: Any) -> None:
    """zrc-015: productenOfDiensten is a subset of the zaaktype's."""
    allowed = set(zaaktype.producten_of_diensten or ())
    for i, value in enumerate(data.producten_of_diensten):
        if value not in allowed:
            raise _fail(
                f"productenOfDiensten.{i}",
                "invalid-products-services",
                "Dit product of deze dienst hoort niet bij het zaaktype.",
            )


def _check_betaling(data: ZaakWrite, current: Zaak | None) -> None:
    """zrc-014: no laatsteBetaaldatum when betalingsindicatie is 'nvt'; changing to 'nvt'
    clears the one stored."""
    if data.betalingsindicatie != "nvt" or data.laatste_betaaldatum is None:
        return
    if (
        current is not None
        and current.betalingsindicatie != "nvt"
        and current.laatste_betaaldatum == data.laatste_betaaldatum
    ):
        data.laatste_betaaldatum = None
        return
    raise _fail(
        "laatsteBetaaldatum",
        "betaling-nvt",
        "Bij betalingsindicatie 'nvt' hoort geen laatste betaaldatum.",
    )


def _check_archief(data: ZaakWrite) -> None:
    """zrc-022 (the part on the zaak): an archiefstatus other than nog_te_archiveren needs
    archiefnominatie and archiefactiedatum."""
    if data.archiefstatus == "nog_te_archiveren":
        return
    for name, value in (
        ("archiefnominatie", data.archiefnominatie),
        ("archiefactiedatum", data.archiefactiedatum),
    ):
        if not value:
            raise _fail(
                name,
                f"{name}-not-set",
                f"{name} is verplicht als de archiefstatus niet 'nog_te_archiveren' is.",
            )


async def _hoofdzaak(ctx: Ctx, data: ZaakWrite, current: Zaak | None) -> Zaak | None:
    """zrc-013: one level of deelzaken; a zaak is not its own hoofdzaak."""
    if data.hoofdzaak is None:
        return None
    ident = ctx.urls.reference(data.hoofdzaak, API, "zaken", "hoofdzaak")
    hoofdzaak = await repo.by_uuid(ctx.session, ident)
    if hoofdzaak is None:
        raise _fail(
            "hoofdzaak", "does_not_exist", "De zaak waar de URL naar verwijst bestaat niet."
        )
    if current is not None and hoofdzaak.id == current.id:
        raise _fail("hoofdzaak", "self-forbidden", "Een zaak kan niet zijn eigen hoofdzaak zijn.")
    if hoofdzaak.hoofdzaak_id is not None:
        raise _fail(
            "hoofdzaak",
            "deelzaak-als-hoofdzaak",
            "De hoofdzaak is zelf een deelzaak; deelzaken van deelzaken zijn niet toegestaan.",
        )
    if current is not None and await repo.has_deelzaken(ctx.session, current.id):
        raise _fail(
            "hoofdzaak",
            "deelzaak-als-hoofdzaak",
            "Deze zaak heeft deelzaken en kan daarom zelf geen deelzaak worden.",
        )
    return hoofdzaak


async def _check_relevante_zaken(ctx: Ctx, data: ZaakWrite) -> None:
    """zrc-011: every relevanteAndereZaken URL names an existing zaak of this register."""
    idents: dict[int, uuid_lib.UUID] = {}
    for i, relatie in enumerate(data.relevante_andere_zaken):
        name = f"relevanteAndereZaken.{i}"
        ident = ctx.urls.parse(relatie.url, API, "zaken")
        if ident is None:
            raise _fail(name, "no_match", "De URL verwijst niet naar een zaak van deze API.")
        idents[i] = ident
    found = await repo.by_uuids(ctx.session, idents.values())
    for i, ident in idents.items():
        if ident not in found:
            raise _fail(
                f"relevanteAndereZaken.{i}",
                "does_not_exist",
                "De zaak waar de URL naar verwijst bestaat niet.",
            )


NIET_UNIEK = "Deze identificatie bestaat al binnen de bronorganisatie."
# two requests with the same identificatie at once both pass the check below; the second to
# write then meets the unique constraint, which answers the same 400
unique_field(
    "uq_zaken_zaak_bronorganisatie",
    "zaken_zaak",
    ("bronorganisatie", "identificatie"),
    "identificatie",
    "identificatie-niet-uniek",
    NIET_UNIEK,
)


async def _identificatie(ctx: Ctx, data: ZaakWrite, current: Zaak | None) -> str:
    """zrc-002: a given identificatie is unique within the bronorganisatie; none given: a new
    ZAAK-<year>-<10 digits> that was never issued or reserved."""
    if not data.identificatie and current is not None:
        data.identificatie = current.identificatie
    if data.identificatie:
        exclude = current.id if current is not None else None
        if await repo.identificatie_taken(
            ctx.session, data.bronorganisatie, data.identificatie, exclude=exclude
        ):
            raise _fail("identificatie", "identificatie-niet-uniek", NIET_UNIEK)
        # recorded unless it was already (issued or reserved before)
        await repo.record_identificaties(
            ctx.session, data.bronorganisatie, [data.identificatie], clock.now()
        )
        return data.identificatie
    return (await issue_identificaties(ctx, data.bronorganisatie, 1))[0]


async def issue_identificaties(ctx: Ctx, bronorganisatie: str, aantal: int) -> list[str]:
    """`aantal` new zaaknummers for `bronorganisatie`, recorded so they are never issued again.
    Numbers come from a counter that concurrent requests cannot both read; a number a client
    already used explicitly is skipped. On PostgreSQL the counter is taken beside the
    request's transaction (`aside`, ADR 0024): its row lock ends with the statement, so
    concurrent creates do not queue behind each other's commits, and a request that fails
    after this leaves its numbers unused, never issued twice."""
    prefix = f"ZAAK-{clock.today().year}-"
    values: list[str] = []
    moment = clock.now()
    async with aside(ctx.session) as session:
        if session.get_bind().dialect.name == "postgresql":
            # one round trip instead of two while the counter exists and its numbers are free
            values = await repo.issue_numbers(session, bronorganisatie, prefix, aantal, moment)
        while len(values) < aantal:
            need = aantal - len(values)
            last = await repo.allocate_numbers(session, bronorganisatie, prefix, need)
            batch = [f"{prefix}{n:010d}" for n in range(last - need + 1, last + 1)]
            recorded = await repo.record_identificaties(session, bronorganisatie, batch, moment)
            values.extend(v for v in batch if v in recorded)
    return values


async def _validate(ctx: Ctx, data: ZaakWrite, current: Zaak | None) -> tuple[Any, Zaak | None]:
    zaaktype = await _zaaktype(ctx, data)
    if current is not None and zaaktype.id != current.zaaktype_id:
        raise _fail(
            "zaaktype", "wijzigen-niet-toegelaten", "Het zaaktype van een zaak kan niet wijzigen."
        )
    _check_producten(data, zaaktype)
    _check_betaling(data, current)
    _check_archief(data)
    hoofdzaak = await _hoofdzaak(ctx, data, current)
    await _check_relevante_zaken(ctx, data)
    if data.vertrouwelijkheidaanduiding is None:  # zrc-009
        data.vertrouwelijkheidaanduiding = zaaktype.vertrouwelijkheidaanduiding
    return zaaktype, hoofdzaak


def _apply(zaak: Zaak, data: ZaakWrite, hoofdzaak: Zaak | None) -> None:
    zaak.bronorganisatie = data.bronorganisatie
    zaak.omschrijving = data.omschrijving
    zaak.toelichting = data.toelichting
    zaak.registratiedatum = data.registratiedatum or zaak.registratiedatum or clock.today()
    zaak.verantwoordelijke_organisatie = data.verantwoordelijke_organisatie
    zaak.startdatum = data.startdatum
    zaak.einddatum_gepland = data.einddatum_gepland
    zaak.uiterlijke_einddatum_afdoening = data.uiterlijke_einddatum_afdoening
    zaak.publicatiedatum = data.publicatiedatum
    zaak.communicatiekanaal = data.communicatiekanaal
    zaak.producten_of_diensten = list(data.producten_of_diensten)
    assert data.vertrouwelijkheidaanduiding is not None
    zaak.vertrouwelijkheidaanduiding = data.vertrouwelijkheidaanduiding
    zaak.betalingsindicatie = data.betalingsindicatie
    zaak.laatste_betaaldatum = data.laatste_betaaldatum
    zaak.zaakgeometrie = data.zaakgeometrie
    box = geo.bounds(data.zaakgeometrie)  # checked by the schema: a usable geometry
    zaak.geo_min_x, zaak.geo_min_y, zaak.geo_max_x, zaak.geo_max_y = box or (None,) * 4
    zaak.verlenging = data.verlenging.model_dump(by_alias=True) if data.verlenging else None
    zaak.opschorting = data.opschorting.model_dump(by_alias=True) if data.opschorting else None
    zaak.selectielijstklasse = data.selectielijstklasse
    zaak.hoofdzaak_id = hoofdzaak.id if hoofdzaak is not None else None
    zaak.relevante_andere_zaken = [r.model_dump(by_alias=True) for r in data.relevante_andere_zaken]
    zaak.kenmerken = [k.model_dump(by_alias=True) for k in data.kenmerken]
    zaak.archiefnominatie = data.archiefnominatie
    zaak.archiefstatus = data.archiefstatus
    zaak.archiefactiedatum = data.archiefactiedatum
    zaak.opdrachtgevende_organisatie = data.opdrachtgevende_organisatie
    zaak.processobjectaard = data.processobjectaard
    zaak.startdatum_bewaartermijn = data.startdatum_bewaartermijn
    zaak.processobject = (
        data.processobject.model_dump(by_alias=True) if data.processobject else None
    )


async def create(ctx: Ctx, data: ZaakWrite) -> Zaak:
    """A new zaak, for a caller with zaken.aanmaken on its zaaktype and vertrouwelijkheid."""
    zaaktype, hoofdzaak = await _validate(ctx, data, None)
    assert data.vertrouwelijkheidaanduiding is not None
    if not (await access.access(ctx, CREATE)).permits(
        zaaktype.id, data.vertrouwelijkheidaanduiding
    ):
        raise PermissionDenied(
            "U mag geen zaken van dit zaaktype met deze vertrouwelijkheidaanduiding aanmaken."
        )
    zaak = Zaak(zaaktype_id=zaaktype.id, zaaktype_uuid=zaaktype.uuid)
    zaak.identificatie = await _identificatie(ctx, data, None)
    _apply(zaak, data, hoofdzaak)
    ctx.session.add(zaak)
    return zaak


async def update(ctx: Ctx, zaak: Zaak, data: ZaakWrite) -> Zaak:
    """Change a zaak: zaken.bijwerken, or zaken.geforceerd-bijwerken once closed (zrc-007); the
    caller must also be entitled to the zaak as it will be."""
    scope = await access.ensure_any(ctx, (UPDATE, FORCED_UPDATE), zaak)
    if zaak.einddatum is not None and not (await access.access(ctx, FORCED_UPDATE)).permits(
        zaak.zaaktype_id, zaak.vertrouwelijkheidaanduiding
    ):
        raise PermissionDenied(
            "De zaak is afgesloten; wijzigen kan alleen met scope zaken.geforceerd-bijwerken."
        )
    _zaaktype_obj, hoofdzaak = await _validate(ctx, data, zaak)
    assert data.vertrouwelijkheidaanduiding is not None
    if not (await access.access(ctx, scope)).permits(
        zaak.zaaktype_id, data.vertrouwelijkheidaanduiding
    ):
        raise PermissionDenied("Deze vertrouwelijkheidaanduiding gaat boven uw autorisatie.")
    zaak.identificatie = await _identificatie(ctx, data, zaak)
    _apply(zaak, data, hoofdzaak)
    return zaak


async def ensure_may_delete(ctx: Ctx, zaak: Zaak) -> None:
    await access.ensure(ctx, DELETE, zaak)


async def delete(ctx: Ctx, zaak: Zaak) -> None:
    """zrc-023: the zaak, its deelzaken and everything under them, and their audit trails.
    Each deelzaak gets a destroy notification of its own."""
    deelzaken = await repo.deelzaken_of(ctx.session, zaak.id)
    for deelzaak in deelzaken:
        url = zaak_url(ctx, deelzaak)
        notify(
            ctx.session,
            kanaal="zaken",
            hoofd_object=url,
            resource="zaak",
            resource_url=url,
            actie="destroy",
            kenmerken=kenmerken(ctx, deelzaak),
        )
        # zrc-005: the documents' mirrors go too; zrc-024/025: and those elsewhere
        documents = await repo.informatieobjecten_of(ctx.session, deelzaak.id)
        await relaties.ontkoppel_object(ctx, url, documents)
        await spiegel.zaak_verwijderd(ctx, deelzaak, url)
        await repo.delete_zaak(ctx.session, deelzaak, [url])
    documents = await repo.informatieobjecten_of(ctx.session, zaak.id)
    await relaties.ontkoppel_object(ctx, zaak_url(ctx, zaak), documents)
    await spiegel.zaak_verwijderd(ctx, zaak, zaak_url(ctx, zaak))
    await repo.delete_zaak(ctx.session, zaak, [zaak_url(ctx, zaak)])


def kenmerken(ctx: Ctx, zaak: Zaak) -> dict[str, str]:
    """The kenmerken of a notification about this zaak."""
    return {
        "bronorganisatie": zaak.bronorganisatie,
        "zaaktype": ctx.urls.resource(CATALOGI, "zaaktypen", zaak.zaaktype_uuid),
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
    }


async def may_reserve(ctx: Ctx) -> None:
    """Reserving zaaknummers: zaken.aanmaken for at least one zaaktype (or all)."""
    allowed = await access.access(ctx, CREATE)
    if not allowed.everything and not allowed.allowed:
        raise PermissionDenied()


async def exists(session: AsyncSession, ident: uuid_lib.UUID) -> bool:
    """Whether a zaak with this UUID is registered here (other registers check references to
    local zaken with it; it tells nothing more about the zaak)."""
    return await repo.by_uuid(session, ident) is not None
