"""/rollen: the parties in a zaak and their roles (list, create, retrieve, headers, destroy;
Zaken 1.7.0 has no update of a rol)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from mijnzaken.catalogi.services import refs
from mijnzaken.core.db import iso
from mijnzaken.core.resource import Ctx, Event, Resource, add_operations, fresh
from mijnzaken.zaken.api.common import API, READ, UPDATE
from mijnzaken.zaken.api.nested import zaak_event
from mijnzaken.zaken.models import Rol
from mijnzaken.zaken.repository import status as status_repo
from mijnzaken.zaken.repository.aggregate import uuids
from mijnzaken.zaken.schemas.rol import Rol as RolOut
from mijnzaken.zaken.schemas.rol import RolExpanded, RolFilter, RolRetrieveQuery, RolWrite
from mijnzaken.zaken.services import common, verwerking
from mijnzaken.zaken.services import rol as service

router = APIRouter(tags=["rollen"])


async def get(ctx: Ctx, ident: uuid.UUID) -> Rol:
    obj: Rol = await common.get_child(ctx, Rol, ident)
    return obj


async def render(ctx: Ctx, items: Sequence[Rol]) -> list[dict[str, Any]]:
    """A page of rollen, with two look-ups whatever its size: roltypen and statussen."""
    urls = [ctx.urls.resource(API, "rollen", r.uuid) for r in items]
    if all(fresh(ctx, r) for r in items):
        statussen: dict[str, list[str]] = {}  # a rol just created has set no status yet
    else:
        statussen = await service.statussen_by_rol(ctx, items, urls)
    return await _bodies(ctx, items, urls, [statussen.get(url, []) for url in urls])


async def _expand_rows(ctx: Ctx, idents: Sequence[uuid.UUID]) -> Sequence[Any]:
    """The rollen `expand` asks for, with the statussen they set, in one statement."""
    rollen = ctx.urls.collection(API, "rollen") + "/"
    return await common.children_rows(
        ctx, Rol, idents, status_repo.gezet_door_column, {"rollen": rollen}
    )


async def _render_rows(ctx: Ctx, rows: Sequence[Any]) -> list[dict[str, Any]]:
    rollen = ctx.urls.collection(API, "rollen") + "/"
    statussen = ctx.urls.collection(API, "statussen") + "/"
    return await _bodies(
        ctx,
        rows,
        [f"{rollen}{r.uuid}" for r in rows],
        [[f"{statussen}{ident}" for ident in uuids(r.statussen)] for r in rows],
    )


async def _bodies(
    ctx: Ctx, items: Sequence[Any], urls: Sequence[str], statussen: Sequence[list[str]]
) -> list[dict[str, Any]]:
    """`items` rendered, each with its URL and the URLs of the statussen it set."""
    roltypen = await refs.uuids_by_ids(ctx.session, "roltypen", {r.roltype_id for r in items})
    zaken = ctx.urls.collection(API, "zaken") + "/"
    out = []
    for r, url, gezet in zip(items, urls, statussen, strict=True):
        body: dict[str, Any] = {
            "url": url,
            "uuid": str(r.uuid),
            "zaak": f"{zaken}{r.zaak_uuid}",
            "betrokkene": r.betrokkene,
            "betrokkeneType": r.betrokkene_type,
            "afwijkendeNaamBetrokkene": r.afwijkende_naam_betrokkene,
            "roltype": refs.url_of_uuid(ctx.urls, "roltypen", roltypen[r.roltype_id]),
            "omschrijving": r.omschrijving,
            "omschrijvingGeneriek": r.omschrijving_generiek,
            "roltoelichting": r.roltoelichting,
            "registratiedatum": iso(r.registratiedatum),
            "indicatieMachtiging": r.indicatie_machtiging,
            "contactpersoonRol": r.contactpersoon_rol,
            "statussen": gezet,
        }
        if r.betrokkene_identificatie is not None:
            body["betrokkeneIdentificatie"] = r.betrokkene_identificatie
        out.append(body)
    verwerking.rollen_gelezen(ctx, items)
    return out


def event(ctx: Ctx, obj: Rol, _body: dict[str, Any]) -> Event:
    # no identifying data of the betrokkene (a BSN) in the weergave
    return zaak_event(ctx, obj.zaak, f"{obj.omschrijving} ({obj.betrokkene_type})")


RESOURCE: Resource[Rol] = Resource(
    api=API,
    collection="rollen",
    name="rol",
    out=RolOut,
    list_out=RolExpanded,
    model=Rol,
    read=READ,
    get=get,
    render=render,
    query=service.query,
    filters=RolFilter,
    retrieve_query=RolRetrieveQuery,
    expandable=True,
    expand_rows=_expand_rows,
    expand_render=_render_rows,
    write=RolWrite,
    create=service.create,
    create_scopes=UPDATE,
    delete=service.delete,
    delete_scopes=UPDATE,
    event=event,
    summaries={
        "list": "Alle ROLlen bij ZAAKen opvragen.",
        "create": "Maak een ROL aan bij een ZAAK.",
        "retrieve": "Een specifieke ROL bij een ZAAK opvragen.",
        "headers": "De headers voor een specifiek(e) ROL opvragen ",
        "destroy": "Verwijder een ROL van een ZAAK.",
    },
)
add_operations(router, RESOURCE)
