"""A Documenten API of another installation (another MijnZaken, Open Zaak, ...).

Reads what checking a link to one of its documents needs (zrc-003/zrc-017, brc-003/brc-008):
the document, its informatieobjecttype and that type's catalogus; keeps the
objectinformatieobjecten there in step with our links (zrc-005, brc-005), from the job queue
of documenten/mirror.py; and reads what the klantbeeld shows of the documents of a remote zaak
(`informatieobjecten`) and streams their content (`inhoud`). Credentials come from
core/services.py; every call goes through core/outbound's `Sender` (time and size limits, no
redirects, and the SSRF checks for a URL that is not under a configured service).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid as uuid_lib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from mijnzaken.core.outbound import Answer, OutboundError, Sender, Stream
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


# --- what a customer view shows of a remote document ----------------------------------------


class InformatieObject(BaseModel):
    """A remote document (current version) as a customer view shows it, with what the
    citizen rules read (`status`, `vertrouwelijkheidaanduiding`); `uuid` is taken from its
    URL, which the standard's body does not repeat."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    url: str
    uuid: uuid_lib.UUID
    identificatie: str = ""
    titel: str
    # its URL: what an employee's roles are judged by; a body without one (or with null) is
    # still read, so one such document does not take the others of the zaak with it
    informatieobjecttype: str | None = ""
    bestandsnaam: str | None = ""
    formaat: str | None = ""
    bestandsomvang: int | None = None
    creatiedatum: dt.date
    status: str | None = ""
    vertrouwelijkheidaanduiding: str
    versie: int = Field(ge=1)
    inhoud: str | None = None  # the download URL; None: no content (yet)

    @property
    def downloadbaar(self) -> bool:
        """The remote offers content (an upload still in parts has no `inhoud` yet)."""
        return bool(self.inhoud)


def document_uuid(url: str) -> uuid_lib.UUID | None:
    """The uuid a document URL ends in, or None when `url` names no document."""
    if api_root(url) is None:
        return None
    try:
        return uuid_lib.UUID(urlsplit(url).path.rsplit(COLLECTION, 1)[1].strip("/"))
    except ValueError:
        return None


def _configured(settings: Settings, url: str) -> tuple[str, dict[str, str]]:
    """The Documenten API root of `url` and the headers for a call there; refuses a URL that
    is no document or not under a configured service (a customer view calls no other)."""
    root = api_root(url)
    service = service_for(settings, url)
    if root is None or service is None:
        raise OutboundError("bad-url", "De URL valt niet onder een ingestelde Documenten API.")
    return root, auth_headers(service, user="Klantbeeld")


async def informatieobjecten(
    settings: Settings, urls: Collection[str]
) -> dict[str, InformatieObject]:
    """The remote documents `urls` (each under a configured service), by URL: one GET each,
    at the same time over one connection pool (the standard reads no documents by a list of
    URLs). Raises OutboundError when one of them cannot be read."""
    if not urls:
        return {}
    calls = {url: _configured(settings, url)[1] for url in urls}
    sender = Sender(settings, trusted=True, connections=4)
    try:
        found = await asyncio.gather(
            *(sender.get_json(url, headers) for url, headers in calls.items()),
            return_exceptions=True,
        )
    finally:
        await sender.close()
    result: dict[str, InformatieObject] = {}
    for url, body in zip(calls, found, strict=True):
        if isinstance(body, BaseException):
            if isinstance(body, OutboundError):
                raise body
            raise OutboundError("unreachable", f"Verbinding mislukt ({type(body).__name__}).")
        try:
            ident = document_uuid(url)
            result[url] = InformatieObject.model_validate(
                {**(body if isinstance(body, dict) else {}), "url": url, "uuid": ident}
            )
        except ValidationError as exc:
            raise OutboundError("invalid-resource", "Het antwoord is geen document.") from exc
    return result


async def inhoud(settings: Settings, document: InformatieObject) -> Stream:
    """The content of the version of `document` that was read, unread yet: GET
    `…/enkelvoudiginformatieobjecten/{uuid}/download?versie=…` (the version pins the content
    to the metadata the rules were checked on). Raises OutboundError."""
    root, headers = _configured(settings, document.url)
    headers["Accept"] = "*/*"
    url = f"{root}{COLLECTION}{document.uuid}/download?{urlencode({'versie': document.versie})}"
    sender = Sender(settings, trusted=True, connections=1)
    try:
        return await sender.stream(url, headers, close_sender=True)
    except BaseException:
        await sender.close()
        raise
