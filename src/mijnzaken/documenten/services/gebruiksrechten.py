"""Rules of Gebruiksrechten (drc-006: they set the document's indicatieGebruiksrecht)."""

from __future__ import annotations

from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.documenten import repository
from mijnzaken.documenten.models import Gebruiksrechten
from mijnzaken.documenten.schemas import GebruiksrechtenWrite
from mijnzaken.documenten.services import access, informatieobjecten
from mijnzaken.documenten.services.objectinformatieobjecten import document_by_url


async def create(ctx: Ctx, data: GebruiksrechtenWrite) -> Gebruiksrechten:
    """Record usage rights; the document's indicatieGebruiksrecht becomes true (drc-006)."""
    document = await document_by_url(ctx, data.informatieobject, (informatieobjecten.CREATE,))
    recht = Gebruiksrechten(
        informatieobject=document,
        informatieobject_id=document.id,
        startdatum=data.startdatum,
        einddatum=data.einddatum,
        omschrijving_voorwaarden=data.omschrijving_voorwaarden,
    )
    document.indicatie_gebruiksrecht = True
    ctx.session.add(recht)
    return recht


async def update(ctx: Ctx, recht: Gebruiksrechten, data: GebruiksrechtenWrite) -> Gebruiksrechten:
    """Change the rights; the document they belong to is fixed."""
    await access.ensure(ctx, ("documenten.bijwerken",), recht.informatieobject)
    if data.informatieobject != informatieobjecten.url(ctx, recht.informatieobject):
        raise ValidationFailed(
            [
                InvalidParam(
                    "informatieobject", "wijzigen-niet-toegelaten", "Dit veld mag niet wijzigen."
                )
            ]
        )
    recht.startdatum = data.startdatum
    recht.einddatum = data.einddatum
    recht.omschrijving_voorwaarden = data.omschrijving_voorwaarden
    return recht


async def delete(ctx: Ctx, recht: Gebruiksrechten) -> None:
    """Remove them; when they were the last, the indicatie becomes null again (drc-006)."""
    document = recht.informatieobject
    await access.ensure(ctx, (informatieobjecten.DELETE,), document)
    await ctx.session.delete(recht)
    await ctx.session.flush()
    if await repository.gebruiksrechten_count(ctx.session, document.id) == 0:
        document.indicatie_gebruiksrecht = None
