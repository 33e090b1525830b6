"""ZGW JWT authentication and scope checks, shared by every register.

A token is HS256-signed with the secret registered for its `client_id`; the rights come from the
Applicatie that lists that client id. `core` does not know the Autorisaties register: the app
hands `configure_lookup` a function that reads both at start-up.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import jwt
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import vocabulary
from mijnzaken.core.errors import NotAuthenticated, PermissionDenied
from mijnzaken.core.runtime import Runtime, Session, get_runtime

# ZGW clients commonly share secrets shorter than 32 bytes; the register accepts them (the CLI
# warns the operator when one is registered) instead of filling the logs on every request.
warnings.filterwarnings("ignore", category=jwt.warnings.InsecureKeyLengthWarning)

VERTROUWELIJKHEID = vocabulary.VERTROUWELIJKHEID
VERTROUWELIJKHEID_RANK = {v: i for i, v in enumerate(VERTROUWELIJKHEID)}


@dataclass(frozen=True)
class Autorisatie:
    """One right of an application: a component, its scopes, and the type it is limited to."""

    component: str
    scopes: frozenset[str]
    zaaktype: str | None = None
    informatieobjecttype: str | None = None
    besluittype: str | None = None
    max_vertrouwelijkheidaanduiding: str | None = None


@dataclass(frozen=True)
class Client:
    """What the register knows of one client id: its secret and (maybe) its Applicatie."""

    secret: str | None
    has_applicatie: bool = False
    label: str = ""
    heeft_alle_autorisaties: bool = False
    autorisaties: tuple[Autorisatie, ...] = ()


ClientLookup = Callable[[AsyncSession, str], Awaitable[Client | None]]


@dataclass(frozen=True)
class AuthContext:
    """The authenticated caller of one request."""

    client_id: str
    label: str = ""
    user_id: str = ""
    user_representation: str = ""
    heeft_alle_autorisaties: bool = False
    autorisaties: tuple[Autorisatie, ...] = field(default_factory=tuple)

    def has_scope(self, component: str, scope: str) -> bool:
        if self.heeft_alle_autorisaties:
            return True
        return any(a.component == component and scope in a.scopes for a in self.autorisaties)

    def granting(self, component: str, scope: str) -> list[Autorisatie]:
        """The autorisaties that give `scope` on `component` (for per-type filtering)."""
        return [a for a in self.autorisaties if a.component == component and scope in a.scopes]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Er is geen geldige Bearer-token meegestuurd.")
    return token.strip()


async def authenticate(request: Request, session: AsyncSession, runtime: Runtime) -> AuthContext:
    """Validate the request's ZGW JWT strictly and return who is calling."""
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, AuthContext):
        return cached
    token = _bearer(request)
    try:
        unverified = jwt.decode_complete(token, options={"verify_signature": False})
        header, claims = unverified["header"], unverified["payload"]
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("De token is geen geldige JWT.") from exc
    if header.get("alg") != "HS256":
        raise NotAuthenticated("Alleen met HS256 ondertekende tokens worden geaccepteerd.")
    client_id = claims.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise NotAuthenticated("De claim 'client_id' ontbreekt in de token.")
    if runtime.client_lookup is None:
        raise NotAuthenticated("Deze dienst kent geen applicaties.")
    client = await runtime.client_lookup(session, client_id)
    if client is None or not client.secret:
        raise NotAuthenticated("Onbekende client_id.")
    settings = runtime.settings
    try:
        claims = jwt.decode(
            token,
            client.secret,
            algorithms=["HS256"],
            leeway=settings.jwt_leeway,
            options={"require": ["iat"], "verify_aud": False},
        )
    except jwt.ImmatureSignatureError as exc:
        raise NotAuthenticated("De token is uitgegeven in de toekomst.") from exc
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated("De token is verlopen.") from exc
    except jwt.InvalidSignatureError as exc:
        raise NotAuthenticated("De handtekening van de token is ongeldig.") from exc
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(f"De token is ongeldig: {type(exc).__name__}.") from exc
    iat = claims.get("iat")
    if not isinstance(iat, int | float):
        raise NotAuthenticated("De claim 'iat' is ongeldig.")
    if time.time() - float(iat) > settings.jwt_max_age + settings.jwt_leeway:
        raise NotAuthenticated("De token is verlopen.")
    ctx = AuthContext(
        client_id=client_id,
        label=client.label,
        user_id=str(claims.get("user_id") or ""),
        user_representation=str(claims.get("user_representation") or ""),
        heeft_alle_autorisaties=client.heeft_alle_autorisaties,
        autorisaties=client.autorisaties,
    )
    request.state.auth = ctx
    return ctx


Requirement = tuple[str, str]  # (component, scope)


def require(*alternatives: Requirement) -> Callable[..., Awaitable[AuthContext]]:
    """A dependency that authenticates and demands one of the (component, scope) pairs."""

    async def dependency(
        request: Request,
        session: Session,
        runtime: Runtime = Depends(get_runtime),
    ) -> AuthContext:
        ctx = await authenticate(request, session, runtime)
        if not any(ctx.has_scope(c, s) for c, s in alternatives):
            raise PermissionDenied()
        return ctx

    dependency.__name__ = "require_" + "_or_".join(s for _c, s in alternatives)
    return dependency


def scopes_of(alternatives: Iterable[Requirement]) -> list[str]:
    return [s for _c, s in alternatives]
