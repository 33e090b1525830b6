"""Rules of BesluitInformatieObject (brc-003, brc-004, brc-005, brc-008).

The Documenten register is built separately. A document is referred to by URL and stored as
given; a URL of a remote Documenten API is not fetched (this register makes no outbound calls
yet), so its existence (brc-003) and informatieobjecttype (brc-008) cannot be checked, and the
mirrored objectinformatieobject (brc-005) is not created there. The two functions below are
where our own Documenten register plugs in.
"""

from __future__ import annotations

from mijnzaken.besluiten import repository as repo
from mijnzaken.besluiten.models import Besluit, BesluitInformatieObject
from mijnzaken.besluiten.schemas import BesluitInformatieObjectWrite
from mijnzaken.besluiten.services import access
from mijnzaken.core import clock
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx

# brc-004: the objectType is "besluit", so the relation "legt vast"
AARD_RELATIE = "legt_vast"
OBJECT_TYPE = "besluit"
DOCUMENTEN_PATH = "/documenten/api/v1/enkelvoudiginformatieobjecten/"


def _is_local_document(ctx: Ctx, url: str) -> bool:
    return url.startswith(ctx.urls.base + DOCUMENTEN_PATH)


def check_informatieobject(ctx: Ctx, url: str) -> None:
    """brc-003 for a URL on our own origin: it must name an existing document of our
    Documenten register.

    That register is not part of this build, so no such document exists and the answer is an
    honest 400 'bad-url'. Once it is, this looks the document up instead, and brc-008 (its
    informatieobjecttype must be one of the besluit's besluittype) is checked here for local
    documents; the besluit is then needed as a parameter.
    """
    if not ctx.urls.is_ours(url):
        return
    if _is_local_document(ctx, url):
        reason = (
            "Het informatieobject bestaat niet: deze installatie heeft nog geen Documenten API."
        )
    else:
        reason = "De URL verwijst niet naar een informatieobject."
    raise ValidationFailed.field("informatieobject", "bad-url", reason)


def sync_objectinformatieobject(ctx: Ctx, bio: BesluitInformatieObject, actie: str) -> None:
    """brc-005 / brc-009: mirror a created (`create`) or removed (`destroy`) link as an
    objectinformatieobject (objectType "besluit", aardRelatie "legt_vast") in the Documenten
    register, in the same transaction for a local document.

    Called on every create and destroy of a link (also when its besluit is deleted). A remote
    document is not synchronised: this installation calls no remote Documenten API yet. A local
    document cannot occur while `check_informatieobject` refuses them; when our Documenten
    register exists, this creates or removes the objectinformatieobject instead of failing.
    """
    if not _is_local_document(ctx, bio.informatieobject):
        return
    raise NotImplementedError("brc-005 needs the Documenten register")


async def create(ctx: Ctx, data: BesluitInformatieObjectWrite) -> BesluitInformatieObject:
    """Link a document to a besluit; `registratiedatum` and `aardRelatie` are set here
    (brc-004) and the link is mirrored in the Documenten register (brc-005)."""
    from mijnzaken.besluiten.services import besluit as besluit_service

    besluit: Besluit = await besluit_service.by_url(ctx, data.besluit, "besluit", access.CREATE)
    check_informatieobject(ctx, data.informatieobject)
    if await repo.link_exists(ctx.session, besluit.id, data.informatieobject):
        raise ValidationFailed.field(
            "nonFieldErrors", "unique", "Dit informatieobject is al aan dit besluit gekoppeld."
        )
    link = BesluitInformatieObject(
        besluit=besluit,
        besluit_id=besluit.id,
        informatieobject=data.informatieobject,
        aard_relatie=AARD_RELATIE,
        registratiedatum=clock.now(),
    )
    ctx.session.add(link)
    sync_objectinformatieobject(ctx, link, "create")
    return link


async def delete(ctx: Ctx, link: BesluitInformatieObject) -> None:
    """Remove the link (the document itself stays in its register) and its mirror."""
    await access.ensure(ctx, access.DELETE, link.besluit)
    sync_objectinformatieobject(ctx, link, "destroy")
    await ctx.session.delete(link)
