"""Rules of Actor (the actorIdentificatie fits its soortActor), ActorKlantcontact (each pair
once) and InterneTaak (assigned to one or more actoren, numbered, afgehandeldOp kept in step
with its status)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete as sql_delete
from sqlalchemy import select

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed, from_pydantic
from mijnzaken.core.resource import Ctx
from mijnzaken.klantinteracties.models import (
    Actor,
    ActorKlantcontact,
    InterneTaak,
    InterneTaakActor,
    Klantcontact,
)
from mijnzaken.klantinteracties.schemas import actor as schemas
from mijnzaken.klantinteracties.schemas.common import identificator_columns
from mijnzaken.klantinteracties.services import common


def _invalid(name: str, reason: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed([InvalidParam(name, code, reason)])


def _identificatie(soort: str, value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        shape = schemas.ACTOR_IDENTIFICATIE[soort].model_validate(value)
    except ValidationError as exc:
        failed = from_pydantic(exc)
        failed.params = [
            InvalidParam(f"actorIdentificatie.{p.name}", p.code, p.reason) for p in failed.params
        ]
        raise failed from exc
    return shape.model_dump(by_alias=True, exclude_none=True)


async def save_actor(ctx: Ctx, obj: Actor | None, data: schemas.ActorWrite) -> Actor:
    creating = obj is None
    given = common.given_fields(data)
    obj = obj or Actor()
    soort_changed = not creating and obj.soort_actor != data.soort_actor
    common.apply(
        obj,
        data,
        {"naam": "naam", "soort_actor": "soort_actor", "indicatie_actief": "indicatie_actief"},
        creating=creating,
    )
    if creating or "actor_identificatie" in given or soort_changed:
        obj.actor_identificatie = _identificatie(data.soort_actor, data.actor_identificatie)
    if creating or "actoridentificator" in given:
        for key, value in identificator_columns(data.actoridentificator).items():
            setattr(obj, key, value)
    if creating:
        ctx.session.add(obj)
    return obj


async def create_actor(ctx: Ctx, data: schemas.ActorWrite) -> Actor:
    return await save_actor(ctx, None, data)


async def update_actor(ctx: Ctx, obj: Actor, data: schemas.ActorWrite) -> Actor:
    return await save_actor(ctx, obj, data)


async def save_actorklantcontact(
    ctx: Ctx, obj: ActorKlantcontact | None, data: schemas.ActorKlantcontactWrite
) -> ActorKlantcontact:
    actor = await common.resolve(ctx.session, Actor, data.actor, "actor.uuid", "Actor")
    klantcontact = await common.resolve(
        ctx.session, Klantcontact, data.klantcontact, "klantcontact.uuid", "Klantcontact"
    )
    assert actor is not None
    assert klantcontact is not None
    same = select(ActorKlantcontact.id).where(
        ActorKlantcontact.actor_id == actor.id, ActorKlantcontact.klantcontact_id == klantcontact.id
    )
    if obj is not None:
        same = same.where(ActorKlantcontact.id != obj.id)
    if (await ctx.session.execute(same.limit(1))).first() is not None:
        raise _invalid(
            "nonFieldErrors", "Deze actor is al aan dit klantcontact gekoppeld.", "unique"
        )
    if obj is None:
        obj = ActorKlantcontact()
        ctx.session.add(obj)
    obj.actor_id = actor.id
    obj.klantcontact_id = klantcontact.id
    return obj


async def create_actorklantcontact(
    ctx: Ctx, data: schemas.ActorKlantcontactWrite
) -> ActorKlantcontact:
    return await save_actorklantcontact(ctx, None, data)


async def update_actorklantcontact(
    ctx: Ctx, obj: ActorKlantcontact, data: schemas.ActorKlantcontactWrite
) -> ActorKlantcontact:
    return await save_actorklantcontact(ctx, obj, data)


async def save_internetaak(
    ctx: Ctx, obj: InterneTaak | None, data: schemas.InterneTaakWrite, *, partial: bool
) -> InterneTaak:
    """Create or change an interne taak. It is assigned with `toegewezenAanActoren` or (older
    clients) `toegewezenAanActor`, not both; a new or replaced taak needs one of them."""
    creating = obj is None
    given = common.given_fields(data)
    enkel, meer = "toegewezen_aan_actor" in given, "toegewezen_aan_actoren" in given
    if enkel and meer and not partial:
        raise _invalid(
            "nonFieldErrors",
            "toegewezenAanActor en toegewezenAanActoren mogen niet beide gebruikt worden.",
        )
    if not enkel and not meer and not partial:
        raise _invalid(
            "nonFieldErrors", "Geef toegewezenAanActoren (of toegewezenAanActor).", "required"
        )
    klantcontact = await common.resolve(
        ctx.session,
        Klantcontact,
        data.aanleidinggevend_klantcontact,
        "aanleidinggevendKlantcontact.uuid",
        "Klantcontact",
    )
    assert klantcontact is not None
    actoren: list[Actor] | None = None
    if meer and data.toegewezen_aan_actoren is not None:
        actoren = await common.resolve_many(
            ctx.session, Actor, data.toegewezen_aan_actoren, "toegewezenAanActoren", "Actor"
        )
    elif enkel and data.toegewezen_aan_actor is not None:
        actoren = await common.resolve_many(
            ctx.session, Actor, [data.toegewezen_aan_actor], "toegewezenAanActor", "Actor"
        )
    if creating:
        obj = InterneTaak(
            nummer=await common.next_nummer(ctx.session, InterneTaak, data.nummer),
            toegewezen_op=clock.now(),
        )
    elif "nummer" in given:
        assert obj is not None
        obj.nummer = await common.check_nummer_on_update(ctx.session, InterneTaak, obj, data.nummer)
    assert obj is not None
    common.apply(
        obj,
        data,
        {
            "referentienummer": "referentienummer",
            "gevraagde_handeling": "gevraagde_handeling",
            "toelichting": "toelichting",
            "status": "status",
            "afgehandeld_op": "afgehandeld_op",
        },
        creating=creating,
    )
    obj.klantcontact_id = klantcontact.id
    if obj.afgehandeld_op is not None and obj.status != "verwerkt":
        if "afgehandeld_op" in given and data.afgehandeld_op is not None:
            raise _invalid(
                "afgehandeldOp",
                "Een interne taak heeft alleen een afgehandeldOp als de status 'verwerkt' is.",
            )
        obj.afgehandeld_op = None
    if obj.status == "verwerkt" and obj.afgehandeld_op is None:
        obj.afgehandeld_op = clock.now()
    if creating:
        ctx.session.add(obj)
    await ctx.session.flush()
    if actoren is not None:
        await ctx.session.execute(
            sql_delete(InterneTaakActor).where(InterneTaakActor.internetaak_id == obj.id)
        )
        for actor in actoren:
            ctx.session.add(InterneTaakActor(internetaak_id=obj.id, actor_id=actor.id))
        await ctx.session.flush()
    return obj


async def create_internetaak(ctx: Ctx, data: schemas.InterneTaakWrite) -> InterneTaak:
    return await save_internetaak(ctx, None, data, partial=False)


async def update_internetaak(
    ctx: Ctx, obj: InterneTaak, data: schemas.InterneTaakWrite
) -> InterneTaak:
    # a merged PATCH names every field; only a PUT must assign explicitly
    partial = ctx.request.method == "PATCH"
    return await save_internetaak(ctx, obj, data, partial=partial)


async def delete(ctx: Ctx, obj: object) -> None:
    await ctx.session.delete(obj)
