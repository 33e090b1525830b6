"""A real OpenID Connect provider for the tests: oidc-provider-mock started as its own
process on a free port (port 0), with helpers to give its users claims and to log in."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Provider:
    issuer: str

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        """Give the user `sub` these claims (they go into its ID token and userinfo)."""
        httpx.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Log in as `sub` at the provider's authorisation page; the redirect back (with the
        code and state) that the browser would follow."""
        response = httpx.post(authorize_url, data={"sub": sub}, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["location"]

    def tokens(
        self, sub: str, client_id: str = "app", secret: str = "app-secret", nonce: str = ""
    ) -> dict[str, Any]:
        """The token response for `sub`, as a client obtains it (code flow)."""
        redirect = "http://127.0.0.1/app-callback"
        params = {
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": redirect,
            "scope": "openid",
            "state": "s",
        }
        if nonce:
            params["nonce"] = nonce
        query = httpx.QueryParams(params)
        location = self.authorize(f"{self.issuer}/oauth2/authorize?{query}", sub)
        code = httpx.URL(location).params["code"]
        token = httpx.post(
            f"{self.issuer}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
            auth=(client_id, secret),
            timeout=10,
        )
        token.raise_for_status()
        return dict(token.json())

    def access_token(self, sub: str) -> str:
        """An access token for `sub`, as a citizen's app obtains one."""
        return str(self.tokens(sub)["access_token"])


@contextmanager
def running_provider() -> Iterator[Provider]:
    """Start oidc-provider-mock on a free port; stop it afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    drain: threading.Thread | None = None
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 30
        issuer = None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            found = re.search(r"Uvicorn running on (http://[\d.]+:\d+)", line)
            if found:
                issuer = found.group(1)
                break
        assert issuer, "the OpenID provider did not start"
        # keep draining its log so the process never blocks on a full pipe
        drain = threading.Thread(target=proc.stderr.read, daemon=True)
        drain.start()
        yield Provider(issuer)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if drain is not None:
            drain.join(timeout=5)
        if proc.stderr is not None:
            proc.stderr.close()
