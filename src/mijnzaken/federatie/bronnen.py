"""The source register of a relation, when it is another installation's Zaken or Besluiten
API: does the zaak or besluit there link this document (drc-002, drc-004)?

The Documenten register asks this when another register mirrors its link to one of our
documents (POST /objectinformatieobjecten, zrc-005 / brc-005 seen from this side) and before
such a mirror is removed. One call: the source's own list filtered on both URLs.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings

# objectType -> (the collection the object is in, the list of its links, its filter)
_BRONNEN = {
    "zaak": ("/zaken/", "/zaakinformatieobjecten", "zaak"),
    "besluit": ("/besluiten/", "/besluitinformatieobjecten", "besluit"),
}


def api_root(object_type: str, object_url: str) -> str | None:
    """The API an object URL belongs to (`…/zaken/api/v1` of `…/zaken/api/v1/zaken/<id>`)."""
    known = _BRONNEN.get(object_type)
    if known is None:
        return None
    collection = known[0]
    path = urlsplit(object_url).path
    if collection not in path or not path.rsplit(collection, 1)[1].strip("/"):
        return None
    return object_url.split("?", 1)[0].rsplit(collection, 1)[0]


async def kent(settings: Settings, object_type: str, object_url: str, document_url: str) -> bool:
    """Whether the remote zaak or besluit `object_url` links `document_url`; raises
    OutboundError (`bad-url` when the source cannot be asked)."""
    root = api_root(object_type, object_url)
    if root is None:
        raise OutboundError("bad-url", f"De URL verwijst niet naar een {object_type}.")
    _collection, links, field = _BRONNEN[object_type]
    service = service_for(settings, root)
    sender = Sender(settings, trusted=service is not None, connections=1)
    query = urlencode({field: object_url, "informatieobject": document_url})
    try:
        found = await sender.get_json(f"{root}{links}?{query}", auth_headers(service))
    finally:
        await sender.close()
    if not isinstance(found, list):
        raise OutboundError("invalid-resource", "Het antwoord van de bron is geen lijst.")
    return any(
        isinstance(item, dict)
        and item.get(field) == object_url
        and item.get("informatieobject") == document_url
        for item in found
    )
