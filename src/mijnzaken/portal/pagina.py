"""What every HTML front end of MijnZaken shares (the citizen portal MijnGemeente and the
employee viewer KCC): the security headers of every page, the session cookie, the CSRF check
of a posted form, and how dates and sizes are written in Dutch."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mijnzaken.core.settings import Settings
from mijnzaken.portal import sessies

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def datum(value: dt.date | dt.datetime | None) -> str:
    """A date as a Dutch reader writes it: 3 september 2025."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(AMSTERDAM).date()
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def omvang(value: int | None) -> str:
    """A file size as a Dutch reader writes it: 1,5 MB, 12 kB, 300 bytes."""
    if value is None:
        return ""
    if value < 1000:
        return f"{value} bytes"
    for eenheid, deler in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if value >= deler:
            getal = f"{value / deler:.1f}".rstrip("0").rstrip(".")
            return f"{getal.replace('.', ',')} {eenheid}"
    return f"{value} bytes"  # pragma: no cover - every value >= 1000 matched above


# the answer to an HTTP error other than 404 (a bare page: nothing of the session is used)
FOUT = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fout</title>'
    "</head><body><main><h1>Dit verzoek kan niet worden verwerkt</h1></main></body></html>"
)


class BadForm(Exception):
    """A form without a valid CSRF token, or with values the page does not offer."""


class SecurityHeaders:
    """CSP (no scripts at all, no framing), and the other headers every page carries. Forms
    may post to the front end itself and to its login provider (`issuer` of the settings);
    `prefix` is where the front end is mounted (its static files may be cached)."""

    def __init__(self, app: ASGIApp, prefix: str, issuer: Callable[[Settings], str | None]) -> None:
        self.app = app
        self.prefix = prefix
        self.issuer = issuer

    def headers(self, secure: bool, form_targets: str) -> list[tuple[bytes, bytes]]:
        csp = (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            f"form-action 'self'{form_targets}; frame-ancestors 'none'; base-uri 'none'"
        )
        found = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if secure:
            found.append((b"strict-transport-security", b"max-age=31536000"))
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings: Settings = scope["app"].state.runtime.settings
        issuer = self.issuer(settings)
        targets = ""
        if issuer:
            parts = urlsplit(issuer)
            targets = f" {parts.scheme}://{parts.netloc}"
        extra = self.headers(settings.portal_secure_cookies, targets)
        static = scope["path"].startswith(f"{self.prefix}/static/") or scope["path"].startswith(
            "/static/"
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *extra]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_cookie(response: Response, settings: Settings, name: str, value: str) -> None:
    """A session or CSRF cookie: HttpOnly, SameSite=Lax, Secure unless turned off."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        secure=settings.portal_secure_cookies,
        samesite="lax",
        path="/",
    )


async def form(request: Request, expected: str | None) -> dict[str, str]:
    """The posted form, after its CSRF token checks out (BadForm otherwise)."""
    posted = await request.form()
    values = {k: v for k, v in posted.items() if isinstance(v, str)}
    if not sessies.csrf_ok(expected, values.get("csrf_token")):
        raise BadForm()
    return values


def anonymous_csrf(request: Request, cookie: str) -> str:
    """The CSRF token of a page without a login (double submit: the cookie `cookie` and the
    form field); a new one is set on the response by the page (request.state.new_csrf)."""
    value = request.cookies.get(cookie)
    if not value:
        value = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = value
    return str(value)
