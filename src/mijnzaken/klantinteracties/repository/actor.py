"""Queries of Actor, ActorKlantcontact and InterneTaak."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from mijnzaken.core.urls import Urls
from mijnzaken.klantinteracties.models import (
    Actor,
    ActorKlantcontact,
    InterneTaak,
    InterneTaakActor,
    Klantcontact,
)
from mijnzaken.klantinteracties.repository.common import (
    Condition,
    by_url,
    contains,
    equals,
    filtered,
    grouped,
    our_uuid,
)


def actoren(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    conditions: dict[str, Condition] = {
        "actoridentificatorCodeObjecttype": equals(Actor.code_objecttype),
        "actoridentificatorCodeRegister": equals(Actor.code_register),
        "actoridentificatorCodeSoortObjectId": equals(Actor.code_soort_object_id),
        "actoridentificatorObjectId": equals(Actor.object_id),
        "indicatieActief": equals(Actor.indicatie_actief),
        "naam": contains(Actor.naam),
        "soortActor": equals(Actor.soort_actor),
    }
    return filtered(select(Actor), given, conditions).order_by(Actor.id.desc())


def actorklantcontacten(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    actor = aliased(Actor)
    klantcontact = aliased(Klantcontact)
    conditions: dict[str, Condition] = {
        "actor__url": by_url(urls, actor.uuid, "actoren"),
        "actor__uuid": equals(actor.uuid),
        "klantcontact__url": by_url(urls, klantcontact.uuid, "klantcontacten"),
        "klantcontact__uuid": equals(klantcontact.uuid),
    }
    stmt = (
        select(ActorKlantcontact)
        .join(actor, actor.id == ActorKlantcontact.actor_id)
        .join(klantcontact, klantcontact.id == ActorKlantcontact.klantcontact_id)
    )
    return filtered(stmt, given, conditions).order_by(ActorKlantcontact.id.desc())


def internetaken(urls: Urls, given: dict[str, Any]) -> Select[Any]:
    klantcontact = aliased(Klantcontact)

    def assigned(*where: Any) -> Any:
        return InterneTaak.id.in_(
            select(InterneTaakActor.internetaak_id)
            .join(Actor, Actor.id == InterneTaakActor.actor_id)
            .where(*where)
        )

    conditions: dict[str, Condition] = {
        "aanleidinggevendKlantcontact__url": by_url(urls, klantcontact.uuid, "klantcontacten"),
        "aanleidinggevendKlantcontact__uuid": equals(klantcontact.uuid),
        "klantcontact__uuid": equals(klantcontact.uuid),
        "klantcontact__nummer": equals(klantcontact.nummer),
        "klantcontact__referentienummer": equals(klantcontact.referentienummer),
        "actoren__naam": lambda v: assigned(contains(Actor.naam)(v)),
        "nummer": equals(InterneTaak.nummer),
        "referentienummer": equals(InterneTaak.referentienummer),
        "status": equals(InterneTaak.status),
        "toegewezenAanActor__url": lambda v: assigned(Actor.uuid == our_uuid(urls, v, "actoren")),
        "toegewezenAanActor__uuid": lambda v: assigned(Actor.uuid == v),
        "toegewezenOp": equals(InterneTaak.toegewezen_op),
    }
    stmt = select(InterneTaak).join(klantcontact, klantcontact.id == InterneTaak.klantcontact_id)
    return filtered(stmt, given, conditions).order_by(InterneTaak.id.desc())


async def actoren_van(session: AsyncSession, taken: Sequence[InterneTaak]) -> dict[int, list[Any]]:
    """Per interne taak the UUIDs of its actoren, in assignment order, in one query."""
    if not taken:
        return {}
    return await grouped(
        session,
        select(InterneTaakActor.internetaak_id, Actor.uuid)
        .join(Actor, Actor.id == InterneTaakActor.actor_id)
        .where(InterneTaakActor.internetaak_id.in_([t.id for t in taken]))
        .order_by(InterneTaakActor.id),
    )
