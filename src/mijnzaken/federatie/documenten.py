"""A Documenten API of another installation (another MijnZaken, Open Zaak, ...).

Reads what checking a link to one of its documents needs (zrc-003/zrc-017, brc-003/brc-008):
the document, its informatieobjecttype and that type's catalogus; and keeps the
objectinformatieobjecten there in step with our links (zrc-005, brc-005), from the job queue
of documenten/mirror.py. Credentials come from core/services.py; every call goes through
core/outbound's `Sender` (time and size limits, no redirects, and the SSRF checks for a URL
that is not under a configured service).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from mijnzaken.core.outbound import Answer, OutboundError, Sender
from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings
from mijnzaken.federatie.remote import catalogus_type, get_json, text

COLLECTION = "/enkelvoudiginformatieobjecten/"
RELATIONS = "/objectinformatieobjecten"


@dataclass(frozen=True)
class RemoteDocument:
    """What checking a link needs of a remote document."""

    url: str
    api_root: str  # the Documenten API it lives in, e.g. https://drc.example.nl/documenten/api/v1
    informatieobjecttype: str  # URL


def api_root(url: str) -> str | None:
    """The Documenten API root of a document URL, or None when `url` names no document."""
    path = urlsplit(url).path
    if COLLECTION not in path or not path.rsplit(COLLECTION, 1)[1].strip("/"):
        return None
    return url.split("?", 1)[0].rsplit(COLLECTION, 1)[0]


async def document(settings: Settings, url: str) -> RemoteDocument:
    """The remote document `url`; raises OutboundError (`bad-url`: not there or not
    reachable, `invalid-resource`: not a document, `forbidden-address`: SSRF)."""
    root = api_root(url)
    if root is None:
        raise OutboundError("invalid-resource", "De URL verwijst niet naar een informatieobject.")
    body = await get_json(settings, url)
    return RemoteDocument(url, root, text(body, "informatieobjecttype"))


# an informatieobjecttype is read as any catalogue type: omschrijving, catalogus domein and rsin
informatieobjecttype = catalogus_type


async def koppel(
    sender: Sender, root: str, *, informatieobject: str, object_url: str, object_type: str
) -> Answer:
    """POST the objectinformatieobject for a new link; raises OutboundError."""
    body = orjson.dumps(
        {"informatieobject": informatieobject, "object": object_url, "objectType": object_type}
    )
    service = service_for(sender.settings, root)
    return await sender.post(root + RELATIONS, body, auth_headers(service))


async def _relaties(
    sender: Sender, root: str, headers: dict[str, str], informatieobject: str, object_url: str
) -> list[Any]:
    query = urlencode({"object": object_url, "informatieobject": informatieobject})
    found = await sender.get_json(f"{root}{RELATIONS}?{query}", headers)
    results = found.get("results") if isinstance(found, dict) else found
    if not isinstance(results, list):
        raise OutboundError("invalid-resource", "Het antwoord is geen lijst.")
    return results


async def gekoppeld(sender: Sender, root: str, *, informatieobject: str, object_url: str) -> bool:
    """Whether the remote holds the objectinformatieobject already; raises OutboundError."""
    headers = auth_headers(service_for(sender.settings, root))
    return bool(await _relaties(sender, root, headers, informatieobject, object_url))


async def ontkoppel(sender: Sender, root: str, *, informatieobject: str, object_url: str) -> int:
    """Remove the objectinformatieobjecten of a removed link: find them, DELETE each. Returns
    how many were removed; raises OutboundError."""
    service = service_for(sender.settings, root)
    headers = auth_headers(service)
    removed = 0
    for item in await _relaties(sender, root, headers, informatieobject, object_url):
        url = text(item, "url")
        if not url.startswith(root + RELATIONS + "/"):  # the remote cannot steer us elsewhere
            raise OutboundError("invalid-resource", "Een relatie buiten de Documenten API.")
        answer = await sender.delete(url, headers)
        if answer.status not in (204, 404):
            raise OutboundError("bad-url", f"Onverwacht antwoord ({answer.status}).")
        removed += answer.status == 204
    return removed
