"""Absolute resource URLs: building them and reading our own URLs back into UUIDs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request

from mijnzaken.core.errors import InvalidParam, ValidationFailed


@dataclass(frozen=True)
class Urls:
    """Builds and parses absolute URLs under one public origin (scheme, host, path prefix)."""

    base: str  # e.g. "https://zaken.gemeente.nl" or "http://testserver/prefix", no trailing /

    def resource(self, api: str, collection: str, ident: uuid.UUID | str) -> str:
        return f"{self.base}/{api}/api/v1/{collection}/{ident}"

    def collection(self, api: str, collection: str) -> str:
        return f"{self.base}/{api}/api/v1/{collection}"

    def parse(self, url: str, api: str, collection: str) -> uuid.UUID | None:
        """The UUID if `url` is one of our `collection` URLs, else None."""
        prefix = f"{self.base}/{api}/api/v1/{collection}/"
        if not url.startswith(prefix):
            return None
        rest = url[len(prefix) :].rstrip("/")
        try:
            return uuid.UUID(rest)
        except ValueError:
            return None

    def is_ours(self, url: str) -> bool:
        return url.startswith(self.base + "/")

    def reference(self, url: str, api: str, collection: str, field: str) -> uuid.UUID:
        """Resolve a reference given by a client, or fail validation naming `field`."""
        ident = self.parse(url, api, collection)
        if ident is None:
            parts = urlsplit(url)
            if not parts.scheme or not parts.netloc:
                reason = "Voer een geldige URL in."
                raise ValidationFailed([InvalidParam(field, "invalid", reason)])
            reason = f"De URL verwijst niet naar een {collection}-resource van deze API."
            raise ValidationFailed([InvalidParam(field, "no_match", reason)])
        return ident


def urls_for(request: Request, configured_base: str | None) -> Urls:
    """The public origin: the configured base URL, or the origin of the request."""
    if configured_base:
        return Urls(configured_base.rstrip("/"))
    url = request.url
    return Urls(f"{url.scheme}://{url.netloc}")
