"""OpenID Connect against the municipality's DigiD/eHerkenning broker: the authorisation
code flow with PKCE, state and nonce for the portal's login, and the userinfo endpoint for
apps that call the JSON API with the citizen's access token.

The broker is configured by the operator (MIJNZAKEN_OIDC_*; the employees' identity provider
of the KCC by MIJNZAKEN_KCC_OIDC_*), not chosen by a client, so its discovery document and
keys are fetched directly and cached. PKCE and the random values come
from Authlib, ID tokens are checked with joserfc (signature by the broker's JWKS, issuer,
audience, expiry, nonce).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from mijnzaken.core.settings import Settings

USERINFO_CACHE_SECONDS = 60
LEEWAY_SECONDS = 60


class OidcError(Exception):
    """The broker could not be reached or its answer did not check out (no token content in
    the message)."""


@dataclass
class Start:
    """One login attempt: where to send the browser, and what to keep until it returns."""

    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Client:
    """Where the provider is and how this service is registered there."""

    issuer: str | None
    client_id: str
    client_secret: str
    scopes: str

    @classmethod
    def portal(cls, settings: Settings) -> Client:
        """The citizens' DigiD/eHerkenning broker (MIJNZAKEN_OIDC_*)."""
        return cls(
            settings.oidc_issuer,
            settings.oidc_client_id,
            settings.oidc_client_secret,
            settings.oidc_scopes,
        )

    @classmethod
    def kcc(cls, settings: Settings) -> Client:
        """The employees' identity provider (MIJNZAKEN_KCC_OIDC_*)."""
        return cls(
            settings.kcc_oidc_issuer,
            settings.kcc_oidc_client_id,
            settings.kcc_oidc_client_secret,
            settings.kcc_oidc_scopes,
        )


@dataclass
class Provider:
    """The configured broker; one per process, its metadata and keys cached. Without
    `client`, the citizens' broker of the settings."""

    settings: Settings
    client: Client | None = None
    _metadata: dict[str, Any] | None = None
    _keys: KeySet | None = None
    _userinfo: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = Client.portal(self.settings)

    @property
    def _conf(self) -> Client:
        assert self.client is not None
        return self.client

    @property
    def configured(self) -> bool:
        return bool(self._conf.issuer and self._conf.client_id)

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.settings.outbound_timeout, trust_env=False)

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            issuer = (self._conf.issuer or "").rstrip("/")
            url = f"{issuer}/.well-known/openid-configuration"
            try:
                async with self._client() as client:
                    response = await client.get(url)
                    response.raise_for_status()
                    self._metadata = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise OidcError("de inlogdienst is niet bereikbaar") from exc
        return self._metadata

    async def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            jwks_uri = (await self.metadata())["jwks_uri"]
            try:
                async with self._client() as client:
                    response = await client.get(jwks_uri)
                    response.raise_for_status()
                    self._keys = KeySet.import_key_set(response.json())
            except (httpx.HTTPError, ValueError, JoseError) as exc:
                raise OidcError("de sleutels van de inlogdienst zijn niet op te halen") from exc
        return self._keys

    async def start(self, redirect_uri: str) -> Start:
        """The authorisation request of a new login."""
        meta = await self.metadata()
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = prepare_grant_uri(
            meta["authorization_endpoint"],
            client_id=self._conf.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope=self._conf.scopes,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
        )
        return Start(url=url, state=state, nonce=nonce, code_verifier=verifier)

    async def finish(
        self, code: str, redirect_uri: str, code_verifier: str, nonce: str
    ) -> tuple[dict[str, Any], str]:
        """Exchange the code; the checked ID token's claims (with userinfo's) and the raw ID
        token (for logging out at the broker)."""
        meta = await self.metadata()
        try:
            async with self._client() as client:
                response = await client.post(
                    meta["token_endpoint"],
                    data={
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": redirect_uri,
                        "code_verifier": code_verifier,
                    },
                    auth=(self._conf.client_id, self._conf.client_secret),
                )
                response.raise_for_status()
                tokens = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError("de inlogdienst gaf geen geldig antwoord") from exc
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise OidcError("de inlogdienst gaf geen ID-token")
        claims = await self.check_id_token(id_token, nonce)
        access_token = tokens.get("access_token")
        if isinstance(access_token, str) and meta.get("userinfo_endpoint"):
            extra = await self.userinfo(access_token)
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
        return claims, id_token

    async def check_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The claims of a valid ID token for us, with this nonce."""
        meta = await self.metadata()
        try:
            try:
                token = jwt.decode(id_token, await self._key_set())
            except JoseError:  # the broker may have rotated its keys
                token = jwt.decode(id_token, await self._key_set(refresh=True))
            registry = jwt.JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": str(meta.get("issuer") or "")},
                aud={"essential": True, "value": self._conf.client_id},
                exp={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(token.claims)
        except JoseError as exc:
            raise OidcError(f"het ID-token is ongeldig ({type(exc).__name__})") from exc
        return dict(token.claims)

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        """The claims the broker gives for an access token (cached briefly per token)."""
        cached = self._userinfo.get(access_token)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        meta = await self.metadata()
        endpoint = meta.get("userinfo_endpoint")
        if not endpoint:
            raise OidcError("de inlogdienst heeft geen userinfo-endpoint")
        try:
            async with self._client() as client:
                response = await client.get(
                    endpoint, headers={"Authorization": f"Bearer {access_token}"}
                )
        except httpx.HTTPError as exc:
            raise OidcError("de inlogdienst is niet bereikbaar") from exc
        if response.status_code != 200:
            raise OidcError("het toegangstoken wordt niet geaccepteerd")
        try:
            claims = dict(response.json())
        except ValueError as exc:
            raise OidcError("de inlogdienst gaf geen geldig antwoord") from exc
        if len(self._userinfo) > 10_000:
            self._userinfo.clear()
        self._userinfo[access_token] = (now + USERINFO_CACHE_SECONDS, claims)
        return claims

    async def end_session_url(self, id_token: str, redirect_uri: str) -> str | None:
        """Where to send the browser to log out at the broker too (None: it has no such
        endpoint)."""
        endpoint = (await self.metadata()).get("end_session_endpoint")
        if not endpoint:
            return None
        query = httpx.QueryParams(
            {"id_token_hint": id_token, "post_logout_redirect_uri": redirect_uri}
        )
        return f"{endpoint}?{query}"
