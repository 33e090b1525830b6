"""ZGW JWT authentication and scope checks, shared by every register.

A token is HS256-signed with the secret registered for its `client_id`; the rights come from the
Applicatie that lists that client id. `core` does not know the Autorisaties register: the app
hands the runtime a function that reads both at start-up (with any `SideRead`s in the same
statement).
"""

from __future__ import annotations

import time
import unicodedata
import warnings
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jwt
from fastapi import Request
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import vocabulary
from mijnzaken.core.errors import NotAuthenticated, PermissionDenied
from mijnzaken.core.runtime import Runtime, Session, runtime_of

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
class SideRead:
    """A value another part of the app needs in (nearly) every authenticated transaction,
    read by the client look-up's own statement instead of a round trip of its own: a scalar
    SQL expression, and what to do with its value in the request's session."""

    column: ColumnElement[Any]
    keep: Callable[[AsyncSession, Any], None]


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


@dataclass(frozen=True)
class _Verified:
    """A token whose signature and claims were checked once, with the secret it was checked
    with and the period in which those checks give the same answer."""

    client_id: str
    secret: str
    leeway: int
    user_id: str
    user_representation: str
    iat: float
    valid_from: float  # before it, the token is immature (iat or nbf)
    valid_until: float | None  # from it on, the token has expired (exp)

    def holds(self, secret: str, leeway: int, now: float) -> bool:
        return (
            secret == self.secret
            and leeway == self.leeway
            and self.valid_from <= now
            and (self.valid_until is None or now < self.valid_until)
        )


# A client sends the same token with every request for as long as it lives; parsing and
# verifying it again each time costs more than the rest of authentication. The secret is still
# read per request: a rotated or removed secret stops the token at once.
_VERIFIED: dict[str, _Verified] = {}
_MAX_VERIFIED = 4096


def _remember(token: str, client_id: str, secret: str, leeway: int, claims: dict[str, Any]) -> None:
    # the checks jwt.decode made (iat, nbf, exp with leeway) pass over this period only
    starts = [int(claims[c]) - leeway for c in ("iat", "nbf") if c in claims]
    if len(_VERIFIED) >= _MAX_VERIFIED:
        _VERIFIED.clear()
    _VERIFIED[token] = _Verified(
        client_id=client_id,
        secret=secret,
        leeway=leeway,
        user_id=_text_claim(claims, "user_id"),
        user_representation=_text_claim(claims, "user_representation"),
        iat=float(claims["iat"]),
        valid_from=max(starts),
        valid_until=int(claims["exp"]) + leeway if "exp" in claims else None,
    )


# the audit trail keeps user_id and user_representation in columns of 255 characters
_MAX_CLAIM = 255


def _text_claim(claims: dict[str, Any], name: str) -> str:
    """A claim the register stores and shows (the audit trail, the processing log): text it
    can store, or absent. Anything else is the client's error (401), never a failed write."""
    value = claims.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a numeric user id, as clients of other registers send it
    if not isinstance(value, str):
        raise NotAuthenticated(f"De claim '{name}' moet tekst zijn.")
    if len(value) > _MAX_CLAIM:
        raise NotAuthenticated(f"De claim '{name}' is langer dan {_MAX_CLAIM} tekens.")
    if not _is_text(value):
        raise NotAuthenticated(f"De claim '{name}' bevat tekens die geen tekst zijn.")
    return value


def _is_text(value: str) -> bool:
    """Whether `value` holds no control characters (a database refuses NUL) and no lone
    surrogates (JSON can carry them; UTF-8 cannot)."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in value)


def _client_id_of(token: str) -> str:
    """The client id the unverified token names (401 when it is no usable JWT)."""
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
    if not _is_text(client_id):
        raise NotAuthenticated("De claim 'client_id' bevat tekens die geen tekst zijn.")
    return client_id


def _verify(token: str, client_id: str, secret: str, leeway: int) -> _Verified:
    """The token checked against the client's secret (401 when it does not hold)."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            leeway=leeway,
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
    if not isinstance(claims.get("iat"), int | float):
        raise NotAuthenticated("De claim 'iat' is ongeldig.")
    _remember(token, client_id, secret, leeway, claims)
    return _VERIFIED[token]


async def authenticate(request: Request, session: AsyncSession, runtime: Runtime) -> AuthContext:
    """Validate the request's ZGW JWT strictly and return who is calling."""
    cached = getattr(request.state, "auth", None)
    if isinstance(cached, AuthContext):
        return cached
    token = _bearer(request)
    known = _VERIFIED.get(token)
    client_id = known.client_id if known is not None else _client_id_of(token)
    if runtime.client_lookup is None:
        raise NotAuthenticated("Deze dienst kent geen applicaties.")
    client = await runtime.client_lookup(session, client_id)
    if client is None or not client.secret:
        raise NotAuthenticated("Onbekende client_id.")
    settings = runtime.settings
    now = time.time()
    if known is None or not known.holds(client.secret, settings.jwt_leeway, now):
        known = _verify(token, client_id, client.secret, settings.jwt_leeway)
    if now - known.iat > settings.jwt_max_age + settings.jwt_leeway:
        raise NotAuthenticated("De token is verlopen.")
    ctx = AuthContext(
        client_id=client_id,
        label=client.label,
        user_id=known.user_id,
        user_representation=known.user_representation,
        heeft_alle_autorisaties=client.heeft_alle_autorisaties,
        autorisaties=client.autorisaties,
    )
    request.state.auth = ctx
    return ctx


Requirement = tuple[str, str]  # (component, scope)


async def authorise(
    request: Request, session: AsyncSession, alternatives: Iterable[Requirement]
) -> AuthContext:
    """Authenticate the request and demand one of the (component, scope) pairs."""
    ctx = await authenticate(request, session, runtime_of(request))
    if not any(ctx.has_scope(c, s) for c, s in alternatives):
        raise PermissionDenied()
    return ctx


def require(*alternatives: Requirement) -> Callable[..., Awaitable[AuthContext]]:
    """A dependency that authenticates and demands one of the (component, scope) pairs."""

    async def dependency(request: Request, session: Session) -> AuthContext:
        return await authorise(request, session, alternatives)

    dependency.__name__ = "require_" + "_or_".join(s for _c, s in alternatives)
    return dependency


def scopes_of(alternatives: Iterable[Requirement]) -> list[str]:
    return [s for _c, s in alternatives]
