"""The `zaakgeometrie: {"within": …}` search of `/zaken/_zoek`.

Each zaak keeps its geometry as GeoJSON and its bounding box in four columns. The search
first narrows the zaken to those whose box lies inside the area's box (on an index, together
with the caller's other filters and rights), then keeps those whose geometry lies within the
area itself (core/geo.py).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry.base import BaseGeometry

from mijnzaken.core import geo
from mijnzaken.core.db import among
from mijnzaken.core.errors import ValidationFailed
from mijnzaken.core.resource import Ctx
from mijnzaken.zaken.models import Zaak
from mijnzaken.zaken.repository import zaak as repo


def search_area(value: Any) -> BaseGeometry:
    """The area of the search, or a 400 naming the field."""
    if not isinstance(value, dict) or set(value) != {"within"}:
        raise ValidationFailed.field(
            "zaakgeometrie",
            "invalid",
            'Geef het zoekgebied als {"within": <GeoJSON-geometrie>}.',
        )
    try:
        return geo.parse(value["within"])
    except ValueError as exc:
        raise ValidationFailed.field("zaakgeometrie.within", "invalid", str(exc)) from exc


async def within(ctx: Ctx, area: BaseGeometry, stmt: Any) -> Any:
    """`stmt` narrowed to the zaken whose geometry lies within `area`."""
    minx, miny, maxx, maxy = area.bounds
    candidates = await repo.in_box(ctx.session, stmt, (minx, miny, maxx, maxy))
    ids = geo.within(area, candidates)
    return stmt.where(among(ctx.session, Zaak.id, ids))
