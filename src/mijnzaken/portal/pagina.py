"""What every HTML front end of MijnZaken shares (the citizen portal MijnGemeente and the
employee viewer KCC): the security headers of every page, the session cookie, the CSRF check
of a posted form, how dates and sizes are written in Dutch, and a `Voorkant` that holds the
plumbing of one front end (its session, the page frame's context, the login and logout flow
with its identity provider, the error pages); each front end declares only its pages."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mijnzaken.core.runtime import Session, runtime_of, urls_of
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld.identiteit import ClaimsError, Regels
from mijnzaken.klantbeeld.oidc import Client, OidcError, Provider
from mijnzaken.klantbeeld.remote import RemoteZaken
from mijnzaken.klantbeeld.remote_klanten import RemoteKlanten
from mijnzaken.klantbeeld.remote_verwerkingen import RemoteVerwerkingen
from mijnzaken.portal import sessies
from mijnzaken.portal.sessies import Huidige
from mijnzaken.verwerkingen.schrijver import LogboekOnbeschikbaar

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"  # the page frame (kader.html) and the pages both front ends show

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


# the heading of the page that says a document cannot be fetched now (both front ends)
DOCUMENT_KOP = "Het document is nu niet beschikbaar"


class BadForm(Exception):
    """A form without a valid CSRF token, or with values the page does not offer."""


class LoginRequired(Exception):
    """The page needs a logged-in person; `verlopen` when the session ran idle."""

    def __init__(self, verlopen: bool = False) -> None:
        self.verlopen = verlopen


class PageNotFound(Exception):
    """404 as a page (also for what exists but is not the viewer's: no difference shown)."""


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


def templates(*directories: Path) -> Jinja2Templates:
    """The pages of a front end: its own templates first, then the shared ones (the frame)."""
    found = Jinja2Templates(directory=list(dict.fromkeys([*directories, TEMPLATES])))
    found.env.filters["datum"] = datum
    found.env.filters["omvang"] = omvang
    return found


def settings_of(request: Request) -> Settings:
    return runtime_of(request).settings


def regels(request: Request) -> Regels:
    """Which zaken and documenten a citizen sees (read once per front end)."""
    found = getattr(request.app.state, "regels", None)
    if not isinstance(found, Regels):
        found = Regels.from_settings(settings_of(request))
        request.app.state.regels = found
    return found


def bron(request: Request) -> RemoteZaken | None:
    """The remote Zaken API the klantbeeld reads, when one is configured."""
    return RemoteZaken.from_settings(settings_of(request))


def klanten(request: Request) -> RemoteKlanten | None:
    """The remote Klantinteracties API the customer data come from, when one is configured."""
    return RemoteKlanten.from_settings(settings_of(request))


def logboek(request: Request) -> RemoteVerwerkingen | None:
    """The remote Verwerkingenlogging API the views log in and read from, when one is
    configured: one per request (it remembers a timeout, so the request waits only once)."""
    if not hasattr(request.state, "logboek"):
        request.state.logboek = RemoteVerwerkingen.from_settings(settings_of(request))
    found: RemoteVerwerkingen | None = request.state.logboek
    return found


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@dataclass(frozen=True)
class Voorkant:
    """One HTML front end mounted at `prefix`: its cookies (`cookie`, and `cookie`-csrf; with
    __Host- when cookies are Secure, binding them to this host and path /), its identity
    provider (`client`), what makes a session a login here (`ingelogd`), a session key that
    marks a session as another front end's (`vreemd`), and what every page's frame is given
    (`kader`)."""

    prefix: str
    cookie: str
    pages: Jinja2Templates
    client: Callable[[Settings], Client]
    ingelogd: Callable[[Huidige], bool]
    kader: Callable[[Request, Huidige | None], dict[str, Any]]
    logger: logging.Logger
    vreemd: str | None = None

    # --- cookies and the session of a request ---------------------------------------------

    def cookie_name(self, settings: Settings) -> str:
        return f"__Host-{self.cookie}" if settings.portal_secure_cookies else self.cookie

    def csrf_cookie_name(self, settings: Settings) -> str:
        return f"{self.cookie_name(settings)}-csrf"

    async def current(self, request: Request, session: AsyncSession) -> Huidige | None:
        """The session of the request's cookie (looked up once per request)."""
        cached = getattr(request.state, "sessie", None)
        if cached is not None:
            return cached if isinstance(cached, Huidige) else None
        settings = settings_of(request)
        current, verlopen = await sessies.huidige(
            session, request.cookies.get(self.cookie_name(settings)), settings.portal_idle_timeout
        )
        if current is not None and self.vreemd is not None and self.vreemd in current.gegevens:
            current = None  # another front end's login is none here
        request.state.sessie = current or False
        request.state.verlopen = verlopen
        return current

    def sessie(self, request: Request) -> Huidige | None:
        """The session this request found, if any (for an error page)."""
        current = getattr(request.state, "sessie", None)
        return current if isinstance(current, Huidige) else None

    async def logged_in(self, request: Request, session: Session) -> Huidige:
        """The session of a logged-in person (LoginRequired otherwise); a dependency."""
        current = await self.current(request, session)
        if current is None or not self.ingelogd(current):
            raise LoginRequired(verlopen=bool(getattr(request.state, "verlopen", False)))
        return current

    def anonymous_csrf(self, request: Request) -> str:
        """The CSRF token of a page without a login (double submit: cookie and form field)."""
        return anonymous_csrf(request, self.csrf_cookie_name(settings_of(request)))

    async def anonymous_form(self, request: Request) -> dict[str, str]:
        """A form posted from a page without a login, after its CSRF token checks out."""
        return await form(request, request.cookies.get(self.csrf_cookie_name(settings_of(request))))

    # --- pages ------------------------------------------------------------------------------

    def page(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        current: Huidige | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """The page `name` in the frame, for the session `current` (None: no login)."""
        csrf = current.csrf if current is not None else self.anonymous_csrf(request)
        response = self.pages.TemplateResponse(
            request,
            name,
            {"csrf": csrf, **self.kader(request, current), "prefix": self.prefix, **context},
            status_code=status,
        )
        new = getattr(request.state, "new_csrf", None)
        if new:
            settings = settings_of(request)
            set_cookie(response, settings, self.csrf_cookie_name(settings), new)
        return response

    # --- logging in and out at the identity provider ----------------------------------------

    def provider(self, request: Request) -> Provider:
        found = getattr(request.app.state, "oidc", None)
        if not isinstance(found, Provider):
            settings = settings_of(request)
            found = Provider(settings, self.client(settings))
            request.app.state.oidc = found
        return found

    def callback_url(self, request: Request) -> str:
        return f"{urls_of(request).base}{self.prefix}/inloggen/terug"

    async def login_starten(self, request: Request, session: AsyncSession) -> Response:
        """The posted 'log in' button: to the identity provider, with a fresh session that
        holds the state, nonce and PKCE verifier of this login."""
        await self.anonymous_form(request)
        provider = self.provider(request)
        if not provider.configured:
            raise PageNotFound()
        try:
            start = await provider.start(self.callback_url(request))
        except OidcError:
            self.logger.warning("login could not start: the identity provider did not answer")
            return redirect(f"{self.prefix}/inloggen?fout=1")
        pending = {"state": start.state, "nonce": start.nonce, "verifier": start.code_verifier}
        fresh = await sessies.begin_login(session, await self.current(request, session), pending)
        response = redirect(start.url)
        settings = settings_of(request)
        set_cookie(response, settings, self.cookie_name(settings), fresh.token)
        return response

    async def login_terug(
        self,
        request: Request,
        session: AsyncSession,
        gegevens: Callable[[dict[str, Any], Settings], dict[str, Any]],
    ) -> Response:
        """The identity provider's answer: logged in with the session `gegevens` makes of
        the claims (ClaimsError when they do not allow it), or back to the login page."""
        current = await self.current(request, session)
        pending = current.gegevens.get("login") if current is not None else None
        state = request.query_params.get("state", "")
        code = request.query_params.get("code", "")
        if (
            current is None
            or not isinstance(pending, dict)
            or not code
            or not sessies.csrf_ok(pending.get("state"), state)
        ):
            return redirect(f"{self.prefix}/inloggen?fout=1")
        try:
            claims, id_token = await self.provider(request).finish(
                code, self.callback_url(request), pending["verifier"], pending["nonce"]
            )
            found = gegevens(claims, settings_of(request))
        except (OidcError, ClaimsError) as exc:
            # the reason, never a claim value
            self.logger.warning("login refused: %s", exc)
            await sessies.logout(session, current)
            return redirect(f"{self.prefix}/inloggen?fout=1")
        return await self.aangemeld(request, session, current, found, id_token)

    async def aangemeld(
        self,
        request: Request,
        session: AsyncSession,
        current: Huidige | None,
        gegevens: dict[str, Any],
        id_token: str | None,
    ) -> Response:
        """Logged in: a new session holding `gegevens` replaces `current` (no fixation)."""
        settings = settings_of(request)
        fresh = await sessies.vervang(
            session, current, gegevens, id_token, settings.portal_idle_timeout
        )
        response = redirect(f"{self.prefix}/")
        set_cookie(response, settings, self.cookie_name(settings), fresh.token)
        return response

    async def uitloggen(
        self, request: Request, session: AsyncSession, current: Huidige
    ) -> Response:
        """The posted 'log out' button: the session ends here, and at the identity provider
        when the login came from there."""
        await form(request, current.csrf)
        id_token = current.id_token
        await sessies.logout(session, current)
        target = f"{self.prefix}/uitgelogd"
        provider = self.provider(request)
        if id_token and provider.configured:
            base = urls_of(request).base
            try:
                target = await provider.end_session_url(id_token, f"{base}{target}") or target
            except OidcError:
                self.logger.warning("logout at the identity provider skipped: it did not answer")
        response = redirect(target)
        response.delete_cookie(self.cookie_name(settings_of(request)), path="/")
        return response

    # --- the application ----------------------------------------------------------------------

    def app(self, title: str) -> FastAPI:
        """An application for the front end's pages, with the shared static files."""
        app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
        return app

    def inrichten(self, app: FastAPI) -> None:
        """The error pages (not_found, ongeldig, storing) and the security headers; forms may
        post to the front end's identity provider."""

        async def login_required(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, LoginRequired)
            response = redirect(f"{self.prefix}/inloggen" + ("?verlopen=1" if exc.verlopen else ""))
            if exc.verlopen:
                response.delete_cookie(self.cookie_name(settings_of(request)), path="/")
            return response

        async def not_found(request: Request, _exc: Exception) -> Response:
            return self.page(request, "niet_gevonden.html", {}, self.sessie(request), status=404)

        async def bad_form(request: Request, _exc: Exception) -> Response:
            return self.page(request, "ongeldig.html", {}, None, status=400)

        async def http_error(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, StarletteHTTPException)
            if exc.status_code == 404:
                return await not_found(request, exc)
            return HTMLResponse(FOUT, status_code=exc.status_code)

        async def unexpected(request: Request, exc: Exception) -> Response:
            # the type and the path only: never a form value (a BSN) or a session's data
            self.logger.error(
                "unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path
            )
            return self.page(request, "storing.html", {}, None, status=500)

        async def log_unavailable(request: Request, _exc: Exception) -> Response:
            # the page's processing-log entry was not stored: the page is not shown
            self.logger.error(
                "processing log unavailable on %s %s", request.method, request.url.path
            )
            return self.page(request, "storing.html", {}, None, status=503)

        app.add_exception_handler(LoginRequired, login_required)
        app.add_exception_handler(LogboekOnbeschikbaar, log_unavailable)
        app.add_exception_handler(PageNotFound, not_found)
        app.add_exception_handler(BadForm, bad_form)
        app.add_exception_handler(StarletteHTTPException, http_error)
        app.add_exception_handler(RequestValidationError, not_found)
        app.add_exception_handler(Exception, unexpected)
        app.add_middleware(
            SecurityHeaders, prefix=self.prefix, issuer=lambda s: self.client(s).issuer
        )
