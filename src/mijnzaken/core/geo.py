"""GeoJSON geometries: checking one, its bounding box, and which geometries lie within an area.

Computed with Shapely (GEOS), with the semantics of the OGC `within` predicate as PostGIS's
ST_Within has them: a geometry that touches the area only at its boundary is not within it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeVar

from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

Box = tuple[float, float, float, float]
K = TypeVar("K")

_WRONG = "Geen geldige GeoJSON-geometrie: de coördinaten kloppen niet."


def parse(value: Any) -> BaseGeometry:
    """The Shapely geometry of a GeoJSON geometry; ValueError (in Dutch) when unusable."""
    try:
        geometry = shape(value)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, ShapelyError) as exc:
        raise ValueError(_WRONG) from exc
    if geometry.is_empty:
        raise ValueError("Geen geldige GeoJSON-geometrie: de geometrie is leeg.")
    if not all(math.isfinite(c) for c in geometry.bounds):
        raise ValueError("Geen geldige GeoJSON-geometrie: de coördinaten zijn niet eindig.")
    return geometry


def bounds(value: dict[str, Any] | None) -> Box | None:
    """The bounding box (min x, min y, max x, max y) of a GeoJSON geometry, or None."""
    if value is None:
        return None
    minx, miny, maxx, maxy = parse(value).bounds
    return (minx, miny, maxx, maxy)


def within(area: BaseGeometry, candidates: Iterable[tuple[K, Any]]) -> list[K]:
    """The keys of the candidates whose GeoJSON geometry lies within `area`."""
    prepared = prep(area)
    found = []
    for key, value in candidates:
        try:
            geometry = parse(value)
        except ValueError:
            continue  # not a usable geometry: it lies within no area
        if prepared.contains(geometry):
            found.append(key)
    return found
