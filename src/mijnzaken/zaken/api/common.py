"""What the Zaken endpoints share: scopes as the spec names them and the CRS headers."""

from __future__ import annotations

from fastapi import Header
from starlette.responses import Response

from mijnzaken.core.errors import NotAcceptable, PreconditionFailed, UnsupportedMediaType
from mijnzaken.core.resource import Scopes

API = "zaken"
CRS = "EPSG:4326"

READ = Scopes.of("zrc", "zaken.lezen")
CREATE = Scopes.of("zrc", "zaken.aanmaken")
UPDATE = Scopes.of("zrc", "zaken.bijwerken", "zaken.geforceerd-bijwerken")
UPDATE_OR_CREATE = Scopes.of(
    "zrc", "zaken.aanmaken", "zaken.bijwerken", "zaken.geforceerd-bijwerken"
)
DELETE_CHILD = Scopes.of(
    "zrc", "zaken.bijwerken", "zaken.geforceerd-bijwerken", "zaken.verwijderen"
)
DELETE = Scopes.of("zrc", "zaken.verwijderen")
ONLY_UPDATE = Scopes.of("zrc", "zaken.bijwerken")


async def accept_crs(accept_crs: str | None = Header(default=None, alias="Accept-Crs")) -> None:
    """Zaak operations carry geometry: the client must say it accepts WGS 84 (EPSG:4326)."""
    if accept_crs is None:
        raise PreconditionFailed("De header Accept-Crs ontbreekt.", code="missing-header")
    if accept_crs.strip() != CRS:
        raise NotAcceptable(
            f"CRS {accept_crs!r} wordt niet ondersteund; gebruik {CRS}.", code="unsupported-crs"
        )


async def content_crs(content_crs: str | None = Header(default=None, alias="Content-Crs")) -> None:
    """A body with geometry must say it is in WGS 84 (EPSG:4326)."""
    if content_crs is None:
        raise PreconditionFailed("De header Content-Crs ontbreekt.", code="missing-header")
    if content_crs.strip() != CRS:
        raise UnsupportedMediaType(
            f"CRS {content_crs!r} wordt niet ondersteund; gebruik {CRS}.", code="unsupported-crs"
        )


def with_crs(response: Response) -> Response:
    response.headers["Content-Crs"] = CRS
    return response
