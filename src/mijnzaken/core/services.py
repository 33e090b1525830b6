"""Remote ZGW services this installation calls, and the credentials it calls them with.

One setting, `MIJNZAKEN_REMOTE_SERVICES`, a JSON list of `{"api_root", "client_id", "secret"}`
(or `{"api_root", "token"}` for an API with a static token, as Open Klant 2 has), names every
remote API (a Contactmomenten, Verzoeken, Documenten or Klantinteracties API) by the root of
its URLs. A URL belongs to the service whose `api_root` is its longest prefix; `service_for` is the
one place that decides it, and `authorization` makes the ZGW JWT (HS256 over `client_id`, with
the secret the remote registered for us) that goes with every call, or the static `Token`
header. See docs/adr/0015.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import jwt
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    from mijnzaken.core.settings import Settings


class RemoteService(BaseModel):
    """One remote ZGW API: the root of its URLs and our credentials there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    api_root: str  # e.g. https://contactmomenten.example.nl/api/v1/
    client_id: str = ""
    secret: str = Field(default="", repr=False)  # never in a log line or an error message
    # Open Klant 2 authenticates with a static token (`Authorization: Token …`), not a JWT
    token: str = Field(default="", repr=False)

    @field_validator("api_root")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("api_root moet een http(s)-URL zijn")
        # a root matches the URLs under it, not a longer path that merely starts the same
        return value.rstrip("/") + "/"

    @model_validator(mode="after")
    def _credentials(self) -> RemoteService:
        if not self.token and not (self.client_id and self.secret):
            raise ValueError("geef client_id en secret, of token")
        return self

    def url(self, collection: str) -> str:
        """The URL of `collection` of this API."""
        return f"{self.api_root}{collection}"

    def owns(self, url: str) -> bool:
        """Whether `url` lies under this service's root (or is the root, slash or not)."""
        return url.startswith(self.api_root) or url + "/" == self.api_root


def service_for(settings: Settings, url: str) -> RemoteService | None:
    """The configured service whose `api_root` is the longest prefix of `url`, or None."""
    found: RemoteService | None = None
    for service in settings.remote_services:
        if service.owns(url) and (found is None or len(service.api_root) > len(found.api_root)):
            found = service
    return found


def authorization(service: RemoteService, *, user: str = "MijnZaken") -> dict[str, str]:
    """The `Authorization` header of a call to `service`: a fresh ZGW JWT, or its token."""
    if service.token:
        return {"Authorization": f"Token {service.token}"}
    claims = {
        "client_id": service.client_id,
        "iat": int(time.time()),
        "user_id": service.client_id,
        "user_representation": user,
    }
    return {"Authorization": f"Bearer {jwt.encode(claims, service.secret, algorithm='HS256')}"}


def auth_headers(service: RemoteService | None, *, user: str = "MijnZaken") -> dict[str, str]:
    """JSON request headers for a call to `service`, with its ZGW JWT (none when unknown)."""
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if service is not None:
        headers.update(authorization(service, user=user))
    return headers
