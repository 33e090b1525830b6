"""The HTTP answer of a document download, for the portal and the JSON API alike: the content
streamed from the Documenten storage (or, for a remote zaak's document, passed on chunk by
chunk from the remote Documenten API), as an attachment with a safe file name, never sniffed."""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol
from urllib.parse import quote

from starlette.responses import StreamingResponse

from mijnzaken.core.settings import Settings
from mijnzaken.documenten.services import inzage
from mijnzaken.klantbeeld.service import RemoteDownload

OCTET = "application/octet-stream"
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def media_type(formaat: str) -> str:
    """The document's formaat when it is a plain media type (no parameters), else bytes."""
    value = formaat.strip().lower()
    return value if _MEDIA_TYPE.fullmatch(value) and len(value) <= 127 else OCTET


class _Benoemd(Protocol):
    @property
    def bestandsnaam(self) -> str | None: ...
    @property
    def identificatie(self) -> str: ...


def bestandsnaam(document: _Benoemd) -> str:
    """A file name without path, control or quoting characters, never empty."""
    naam = (document.bestandsnaam or "").replace("\\", "/").rsplit("/", 1)[-1]
    naam = _UNSAFE.sub("_", unicodedata.normalize("NFC", naam)).strip(" .")
    return naam[:200] or f"{document.identificatie or 'document'}"


def content_disposition(naam: str) -> str:
    """attachment, with an ASCII fallback name and the exact name in RFC 5987 form."""
    ascii_naam = (
        unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode() or "document"
    )
    ascii_naam = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_naam)
    return f"attachment; filename=\"{ascii_naam}\"; filename*=UTF-8''{quote(naam, safe='')}"


def response(
    settings: Settings,
    document: inzage.Document | RemoteDownload,
    *,
    beveiligingskoppen: bool = True,
) -> StreamingResponse:
    """The streamed download; `beveiligingskoppen` False where a middleware already adds
    nosniff and no-store (the portal)."""
    headers: dict[str, str] = {}
    if beveiligingskoppen:
        headers |= {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    if isinstance(document, RemoteDownload):
        headers["Content-Disposition"] = content_disposition(bestandsnaam(document.document))
        if document.inhoud.length is not None:
            headers["Content-Length"] = str(document.inhoud.length)
        return StreamingResponse(
            document.inhoud.chunks(),
            media_type=media_type(document.document.formaat or ""),
            headers=headers,
        )
    headers["Content-Disposition"] = content_disposition(bestandsnaam(document))
    if document.inhoud_key is not None and document.bestandsomvang is not None:
        headers["Content-Length"] = str(document.bestandsomvang)
    elif document.inhoud_key is None:
        headers["Content-Length"] = "0"
    # a sync iterator: Starlette reads it chunk by chunk in a worker thread
    return StreamingResponse(
        inzage.inhoud(settings, document),
        media_type=media_type(document.formaat),
        headers=headers,
    )
