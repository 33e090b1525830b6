"""What every client of another installation's ZGW API shares: a GET within core/outbound's
limits with the credentials of its service (core/services.py), the SSRF checks for a URL under
no configured service, reading a required member of an answer, a catalogue resource read
through the process's cache (federatie/catalogi.py), and a catalogue type read by the names
ADR 0002 compares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mijnzaken.core.outbound import OutboundError, Sender
from mijnzaken.core.services import auth_headers, service_for
from mijnzaken.core.settings import Settings
from mijnzaken.federatie.catalogi import CATALOGI

T = TypeVar("T")


@dataclass(frozen=True)
class RemoteType:
    """A type of a remote catalogue (an informatieobjecttype, a besluittype), by the names
    ADR 0002 compares."""

    omschrijving: str
    domein: str  # of its catalogus
    rsin: str


async def get_json(settings: Settings, url: str, headers: dict[str, str] | None = None) -> Any:
    """GET `url` with the credentials of its service (and these extra `headers`); raises
    OutboundError."""
    service = service_for(settings, url)
    sender = Sender(settings, trusted=service is not None, connections=2)
    try:
        return await sender.get_json(url, {**auth_headers(service), **(headers or {})})
    finally:
        await sender.close()


def text(body: Any, key: str) -> str:
    """The non-empty string `key` of an answer; raises OutboundError (`invalid-resource`)."""
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise OutboundError("invalid-resource", f"Het antwoord mist het gegeven '{key}'.")
    return value


async def catalogus_json(settings: Settings, url: str, read: Callable[[Any], T]) -> T:
    """The remote catalogue resource `url` as `read` reads its answer (and raises
    OutboundError on what it lacks): from the process's cache while it is fresh, else one GET
    (If-None-Match the ETag of the expired answer, when it had one) whose answer is kept
    once `read` could use it. Raises OutboundError."""
    body = CATALOGI.get(url)
    if body is not None:
        return read(body)
    kept = CATALOGI.stale(url)
    service = service_for(settings, url)
    sender = Sender(settings, trusted=service is not None, connections=2)
    try:
        body, etag = await sender.get_json_unless(
            url, auth_headers(service), kept[1] if kept is not None else None
        )
    finally:
        await sender.close()
    if body is None:  # 304: the expired answer still holds
        assert kept is not None
        body = kept[0]
    found = read(body)
    CATALOGI.put(
        url,
        body,
        settings.remote_catalogi_cache_ttl,
        max_age=settings.remote_catalogi_type_max_age,
        etag=etag,
    )
    return found


def _type(body: Any) -> tuple[str, str]:
    return text(body, "omschrijving"), text(body, "catalogus")


def domein_rsin(body: Any) -> tuple[str, str]:
    """The domein and rsin of a catalogus answer; raises OutboundError."""
    return text(body, "domein"), text(body, "rsin")


async def catalogus_type(settings: Settings, url: str) -> RemoteType:
    """The omschrijving of a remote catalogue type and the domein and rsin of its catalogus
    (two calls, none when both are cached); raises OutboundError."""
    omschrijving, catalogus = await catalogus_json(settings, url, _type)
    domein, rsin = await catalogus_json(settings, catalogus, domein_rsin)
    return RemoteType(omschrijving, domein, rsin)
