"""Which credentials this installation uses when it calls a remote ZGW API.

`MIJNZAKEN_REMOTE_SERVICES` lists the remote APIs as JSON,
`[{"api_root": "https://drc.example.nl/documenten/api/v1", "client_id": "...", "secret": "..."}]`.
A URL belongs to the service whose `api_root` is its longest prefix (compared as written, on
whole path segments). Every caller finds its credentials through `service_for`, so there is one
place that decides; `auth_headers` makes the ZGW JWT (HS256 over `client_id` with the shared
secret) for it.

A URL under a configured `api_root` is one the operator chose: outbound calls to it may reach
an intranet address. Any other URL is a client's and gets the full SSRF checks of
core/outbound.py.
"""

from __future__ import annotations

import time

import jwt

from mijnzaken.core.settings import RemoteService, Settings


def service_for(settings: Settings, url: str) -> RemoteService | None:
    """The configured remote service `url` belongs to (longest `api_root` prefix), or None."""
    best: RemoteService | None = None
    best_length = -1
    for service in settings.remote_services:
        root = service.api_root.rstrip("/")
        if (url == root or url.startswith(root + "/")) and len(root) > best_length:
            best, best_length = service, len(root)
    return best


def auth_headers(service: RemoteService | None, *, user: str = "MijnZaken") -> dict[str, str]:
    """JSON request headers for a call to `service`, with its ZGW JWT (none when unknown)."""
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if service is not None:
        claims = {
            "iss": service.client_id,
            "client_id": service.client_id,
            "iat": int(time.time()),
            "user_id": user,
            "user_representation": user,
        }
        token = jwt.encode(claims, service.secret, algorithm="HS256")
        headers["Authorization"] = f"Bearer {token}"
    return headers
