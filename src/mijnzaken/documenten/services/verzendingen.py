"""Rules of Verzending: one document, one betrokkene, exactly one address."""

from __future__ import annotations

from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten.models import Verzending
from mijnzaken.documenten.schemas import VerzendingWrite
from mijnzaken.documenten.services import access, informatieobjecten
from mijnzaken.documenten.services.objectinformatieobjecten import document_by_url

ADRESSEN = (
    "binnenlandsCorrespondentieadres",
    "buitenlandsCorrespondentieadres",
    "correspondentiePostadres",
    "faxnummer",
    "emailadres",
    "mijnOverheid",
    "telefoonnummer",
)


def _check_adres(data: VerzendingWrite) -> None:
    """A verzending goes to (or comes from) exactly one address."""
    given = [
        name
        for name, value in (
            ("binnenlandsCorrespondentieadres", data.binnenlands_correspondentieadres),
            ("buitenlandsCorrespondentieadres", data.buitenlands_correspondentieadres),
            ("correspondentiePostadres", data.correspondentie_postadres),
            ("faxnummer", data.faxnummer),
            ("emailadres", data.emailadres),
            ("mijnOverheid", data.mijn_overheid or None),
            ("telefoonnummer", data.telefoonnummer),
        )
        if value
    ]
    if len(given) != 1:
        raise ValidationFailed(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "invalid-address",
                    "Geef precies één adres: " + ", ".join(ADRESSEN) + ".",
                )
            ]
        )


def _apply(verzending: Verzending, data: VerzendingWrite) -> None:
    def dump(value: object) -> dict[str, object] | None:
        from pydantic import BaseModel

        return (
            value.model_dump(mode="json", by_alias=True) if isinstance(value, BaseModel) else None
        )

    verzending.betrokkene = data.betrokkene
    verzending.aard_relatie = data.aard_relatie
    verzending.toelichting = data.toelichting
    verzending.ontvangstdatum = data.ontvangstdatum
    verzending.verzenddatum = data.verzenddatum
    verzending.contact_persoon = data.contact_persoon
    verzending.contactpersoonnaam = data.contactpersoonnaam
    verzending.binnenlands_correspondentieadres = dump(data.binnenlands_correspondentieadres)
    verzending.buitenlands_correspondentieadres = dump(data.buitenlands_correspondentieadres)
    verzending.correspondentie_postadres = dump(data.correspondentie_postadres)
    verzending.faxnummer = data.faxnummer or ""
    verzending.emailadres = data.emailadres or ""
    verzending.mijn_overheid = data.mijn_overheid
    verzending.telefoonnummer = data.telefoonnummer or ""


async def create(ctx: Ctx, data: VerzendingWrite) -> Verzending:
    _check_adres(data)
    document = await document_by_url(ctx, data.informatieobject, (informatieobjecten.CREATE,))
    verzending = Verzending(informatieobject=document, informatieobject_id=document.id)
    _apply(verzending, data)
    ctx.session.add(verzending)
    return verzending


async def update(ctx: Ctx, verzending: Verzending, data: VerzendingWrite) -> Verzending:
    _check_adres(data)
    await access.ensure(ctx, (informatieobjecten.UPDATE,), verzending.informatieobject)
    if data.informatieobject != informatieobjecten.url(ctx, verzending.informatieobject):
        document = await document_by_url(ctx, data.informatieobject, (informatieobjecten.UPDATE,))
        verzending.informatieobject = document
        verzending.informatieobject_id = document.id
    _apply(verzending, data)
    return verzending


async def delete(ctx: Ctx, verzending: Verzending) -> None:
    await access.ensure(ctx, (informatieobjecten.DELETE,), verzending.informatieobject)
    await ctx.session.delete(verzending)
