"""The expand grammar of the Klantinteracties API (the `expand` enums of its spec), handed to
core/expand.py. Objects load through the resources' own list queries (add_operations)."""

from __future__ import annotations

from mijnzaken.core import expand
from mijnzaken.core.expand import Link

API = "klantinteracties"


def _to(collection: str, *, many: bool = False) -> Link:
    # references are `{uuid, url}` objects; an empty single one expands to null
    return Link((API, collection), key="url", null=not many)


expand.LINKS.update(
    {
        (API, "partijen"): {
            "betrokkenen": _to("betrokkenen", many=True),
            "categorieRelaties": _to("categorie-relaties", many=True),
            "digitaleAdressen": _to("digitaleadressen", many=True),
        },
        (API, "betrokkenen"): {
            "digitaleAdressen": _to("digitaleadressen", many=True),
            "hadKlantcontact": _to("klantcontacten"),
            "wasPartij": _to("partijen"),
        },
        (API, "klantcontacten"): {
            "gingOverOnderwerpobjecten": _to("onderwerpobjecten", many=True),
            "hadBetrokkenen": _to("betrokkenen", many=True),
            "leiddeTotInterneTaken": _to("internetaken", many=True),
            "omvatteBijlagen": _to("bijlagen", many=True),
        },
        (API, "digitaleadressen"): {"verstrektDoorBetrokkene": _to("betrokkenen")},
    }
)
