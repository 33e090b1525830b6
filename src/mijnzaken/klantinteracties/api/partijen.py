"""/partijen: persons, organisations and contact persons (list, create, retrieve, update,
partial_update, destroy; `expand`). Notifications on kanaal `partijen`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select

from mijnzaken.core.resource import Ctx, Event, Resource, add_operations
from mijnzaken.klantinteracties.api.common import (
    API,
    BRON,
    CREATE,
    DELETE,
    READ,
    UPDATE,
    kenmerk,
    operation_ids,
)
from mijnzaken.klantinteracties.models import Partij, PartijIdentificator
from mijnzaken.klantinteracties.repository import partij as repo
from mijnzaken.klantinteracties.schemas import partij as schemas
from mijnzaken.klantinteracties.schemas.common import volledige_naam
from mijnzaken.klantinteracties.services import common, verwerking
from mijnzaken.klantinteracties.services import partij as service

router = APIRouter(tags=["partijen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Partij:
    return await common.get(ctx.session, Partij, ident)


async def query(ctx: Ctx, filters: Any) -> Select[Any]:
    return repo.partijen(ctx.urls, filters.given())


def identificator_body(
    ctx: Ctx, obj: PartijIdentificator, partij_uuid: uuid.UUID | None, sub_uuid: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "uuid": str(obj.uuid),
        "url": common.url(ctx, "partij-identificatoren", obj.uuid),
        "identificeerdePartij": common.ref(ctx, "partijen", partij_uuid),
        "anderePartijIdentificator": obj.andere_partij_identificator,
        "partijIdentificator": {
            "codeObjecttype": obj.code_objecttype,
            "codeSoortObjectId": obj.code_soort_object_id,
            "objectId": obj.object_id,
            "codeRegister": obj.code_register,
        },
        "subIdentificatorVan": common.ref(ctx, "partij-identificatoren", sub_uuid),
    }


def _identificatie(ctx: Ctx, p: Partij, werkgever: uuid.UUID | None) -> dict[str, Any]:
    if p.soort_partij == "organisatie":
        return {"naam": p.naam}
    body: dict[str, Any] = {
        "contactnaam": p.contactnaam,
        "volledigeNaam": volledige_naam(p.contactnaam),
    }
    if p.soort_partij == "contactpersoon":
        body = {
            "uuid": str(p.contactpersoon_uuid) if p.contactpersoon_uuid else None,
            "werkteVoorPartij": common.ref(ctx, "partijen", werkgever),
            **body,
        }
    return body


async def render(ctx: Ctx, items: Sequence[Partij]) -> list[dict[str, Any]]:
    """A page of partijen, in a fixed number of queries (repository.partij.related)."""
    rel = await repo.related(ctx.session, items)
    out = []
    for p in items:
        adressen = rel.digitale_adressen.get(p.id, [])
        rekeningen = rel.rekeningnummers.get(p.id, [])
        voorkeur_adres = next((r.uuid for r in adressen if r.is_voorkeur), None)
        voorkeur_rekening = next((r.uuid for r in rekeningen if r.is_voorkeur), None)
        out.append(
            {
                "uuid": str(p.uuid),
                "url": common.url(ctx, "partijen", p.uuid),
                "nummer": p.nummer,
                "interneNotitie": p.interne_notitie,
                "betrokkenen": common.refs(
                    ctx, "betrokkenen", (r.uuid for r in rel.betrokkenen.get(p.id, []))
                ),
                "categorieRelaties": [
                    {
                        "uuid": str(r.uuid),
                        "url": common.url(ctx, "categorie-relaties", r.uuid),
                        "categorieNaam": r.naam,
                        "beginDatum": r.begin_datum.isoformat() if r.begin_datum else None,
                        "eindDatum": r.eind_datum.isoformat() if r.eind_datum else None,
                    }
                    for r in rel.categorie_relaties.get(p.id, [])
                ],
                "digitaleAdressen": common.refs(
                    ctx, "digitaleadressen", (r.uuid for r in adressen)
                ),
                "voorkeursDigitaalAdres": common.ref(ctx, "digitaleadressen", voorkeur_adres),
                "vertegenwoordigden": common.refs(
                    ctx, "partijen", (r.uuid for r in rel.vertegenwoordigden.get(p.id, []))
                ),
                "rekeningnummers": common.refs(
                    ctx, "rekeningnummers", (r.uuid for r in rekeningen)
                ),
                "voorkeursRekeningnummer": common.ref(ctx, "rekeningnummers", voorkeur_rekening),
                "partijIdentificatoren": [
                    identificator_body(ctx, row[1], p.uuid, row[2])
                    for row in rel.identificatoren.get(p.id, [])
                ],
                "soortPartij": p.soort_partij,
                "indicatieGeheimhouding": p.indicatie_geheimhouding,
                "voorkeurstaal": p.voorkeurstaal,
                "indicatieActief": p.indicatie_actief,
                "bezoekadres": p.bezoekadres,
                "correspondentieadres": p.correspondentieadres,
                "partijIdentificatie": _identificatie(
                    ctx, p, rel.werkgevers.get(p.werkte_voor_partij_id or 0)
                ),
            }
        )
    await verwerking.gelezen(ctx, "partij", out)
    return out


def event(ctx: Ctx, obj: Partij, body: dict[str, Any]) -> Event:
    return Event(
        hoofd_object=body["url"],
        kanaal="partijen",
        kenmerken={
            "nummer": kenmerk(obj.nummer),
            "interneNotitie": kenmerk(obj.interne_notitie),
            "soortPartij": kenmerk(obj.soort_partij),
        },
        bron=BRON,
        weergave=f"partij {obj.nummer}",  # never a name or an identifier such as a BSN
    )


RESOURCE: Resource[Partij] = Resource(
    api=API,
    collection="partijen",
    name="partij",
    out=schemas.Partij,
    list_out=schemas.ExpandPartij,
    model=Partij,
    read=READ,
    get=get,
    render=render,
    query=query,
    filters=schemas.PartijFilter,
    retrieve_query=schemas.PartijRetrieveQuery,
    expandable=True,
    write=schemas.PartijWrite,
    patch=schemas.PartijPatch,
    create=service.create,
    create_scopes=CREATE,
    update=service.update,
    update_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=DELETE,
    event=event,
    headers_operation=False,
    operation_id=operation_ids("partijen"),
    summaries={
        "list": "Alle partijen opvragen.",
        "create": "Maak een partij aan.",
        "retrieve": "Een specifiek partij opvragen.",
        "update": "Werk een partij in zijn geheel bij.",
        "partial_update": "Werk een partij deels bij.",
        "destroy": "Verwijder een partij.",
    },
)
add_operations(router, RESOURCE)
