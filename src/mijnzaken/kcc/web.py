"""The KCC pages under /kcc/: an employee logs in at the municipality's identity provider,
enters a citizen's BSN and the purpose of the look-up, and sees the citizen's customer view
within the rights of their roles. Thin: what a page shows comes from the klantbeeld service,
which writes the processing-log entry of every view.

Sessions, CSRF, the idle timeout and the security headers are the portal's (shared in
portal.pagina and portal.sessies); the KCC has its own cookie, so an employee's login and a
citizen's login in the same browser do not mix."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from mijnzaken.core import clock
from mijnzaken.core.runtime import Session, get_runtime
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import urls_for
from mijnzaken.core.validators import elfproef
from mijnzaken.kcc import medewerker as mw
from mijnzaken.kcc.medewerker import Medewerker
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import ClaimsError, Onderwerp, Regels
from mijnzaken.klantbeeld.oidc import Client, OidcError, Provider
from mijnzaken.klantbeeld.remote import RemoteZaken
from mijnzaken.klantbeeld.remote_klanten import RemoteKlanten
from mijnzaken.portal import pagina, sessies
from mijnzaken.portal.pagina import BadForm, SecurityHeaders, set_cookie
from mijnzaken.portal.sessies import Huidige

logger = logging.getLogger("mijnzaken.kcc")
PREFIX = "/kcc"
HERE = Path(__file__).resolve().parent
PORTAL = HERE.parent / "portal"

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.loader = ChoiceLoader(
    [FileSystemLoader(HERE / "templates"), FileSystemLoader(PORTAL / "templates")]
)
templates.env.filters["datum"] = pagina.datum
templates.env.filters["omvang"] = pagina.omvang


class LoginRequired(Exception):
    """The page needs a logged-in employee; `verlopen` when the session ran idle."""

    def __init__(self, verlopen: bool = False) -> None:
        self.verlopen = verlopen


class GeenToegang(Exception):
    """The employee has no role that gives access (403 page)."""


class PageNotFound(Exception):
    """404 as a page (also for a zaak the employee's roles do not cover)."""


def _settings(request: Request) -> Settings:
    return get_runtime(request).settings


def cookie_name(settings: Settings) -> str:
    return "__Host-mijnzaken-kcc" if settings.portal_secure_cookies else "mijnzaken-kcc"


def csrf_cookie_name(settings: Settings) -> str:
    return "__Host-mijnzaken-kcc-csrf" if settings.portal_secure_cookies else "mijnzaken-kcc-csrf"


async def _current(request: Request, session: Session) -> Huidige | None:
    cached = getattr(request.state, "kcc_sessie", None)
    if cached is not None:
        return cached if isinstance(cached, Huidige) else None
    settings = _settings(request)
    current, verlopen = await sessies.huidige(
        session, request.cookies.get(cookie_name(settings)), settings.portal_idle_timeout
    )
    if current is not None and "aanmelding" in current.gegevens:
        current = None  # a citizen's session token is no employee's
    request.state.kcc_sessie = current or False
    request.state.kcc_verlopen = verlopen
    return current


async def _logged_in(request: Request, session: Session) -> Huidige:
    current = await _current(request, session)
    if current is None or Medewerker.uit(current.gegevens.get("medewerker")) is None:
        raise LoginRequired(verlopen=bool(getattr(request.state, "kcc_verlopen", False)))
    return current


Ingelogd = Annotated[Huidige, Depends(_logged_in)]


def _medewerker(current: Huidige) -> Medewerker:
    found = Medewerker.uit(current.gegevens.get("medewerker"))
    assert found is not None
    return found


def _provider(request: Request) -> Provider:
    provider = getattr(request.app.state, "oidc", None)
    if not isinstance(provider, Provider):
        settings = _settings(request)
        provider = Provider(settings, Client.kcc(settings))
        request.app.state.oidc = provider
    return provider


def _regels(request: Request) -> Regels:
    regels = getattr(request.app.state, "regels", None)
    if not isinstance(regels, Regels):
        regels = Regels.from_settings(_settings(request))
        request.app.state.regels = regels
    return regels


def _bron(request: Request) -> RemoteZaken | None:
    """The remote Zaken API the klantbeeld reads, when one is configured (employees see no
    zaken from it yet: the section says so)."""
    return RemoteZaken.from_settings(_settings(request))


def _klanten(request: Request) -> RemoteKlanten | None:
    """The remote Klantinteracties API the klantbeeld reads, when one is configured."""
    return RemoteKlanten.from_settings(_settings(request))


def _urls(request: Request) -> Any:
    return urls_for(request, _settings(request).base_url)


def _anonymous_csrf(request: Request) -> str:
    """The CSRF token of a page without a login (double submit: cookie and form field)."""
    return pagina.anonymous_csrf(request, csrf_cookie_name(_settings(request)))


def _page(
    request: Request,
    name: str,
    context: dict[str, Any],
    current: Huidige | None = None,
    status: int = 200,
) -> HTMLResponse:
    csrf = current.csrf if current is not None else _anonymous_csrf(request)
    ingelogd = Medewerker.uit(current.gegevens.get("medewerker")) if current else None
    response = templates.TemplateResponse(
        request,
        name,
        {"csrf": csrf, "medewerker": ingelogd, "prefix": PREFIX, **context},
        status_code=status,
    )
    new = getattr(request.state, "new_csrf", None)
    if new:
        set_cookie(response, _settings(request), csrf_cookie_name(_settings(request)), new)
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _callback_url(request: Request) -> str:
    return f"{_urls(request).base}{PREFIX}/inloggen/terug"


async def _rechten(
    request: Request, session: Session, current: Huidige, doel: str = ""
) -> mw.Rechten:
    """The employee's rights now; GeenToegang when no role gives any."""
    found = await mw.rechten(
        request, session, _urls(request), _settings(request), _medewerker(current), doel
    )
    if found.kijker is None:
        raise GeenToegang()
    return found


def _bsn_fout(bsn: str) -> str | None:
    """What is wrong with an entered BSN, in Dutch (never repeating the number)."""
    if not bsn:
        return "Vul het burgerservicenummer (BSN) in."
    if not (bsn.isdigit() and len(bsn) == 9):
        return "Een burgerservicenummer bestaat uit 9 cijfers."
    if not elfproef(bsn, bsn=True):
        return "Dit is geen geldig burgerservicenummer: controleer de cijfers."
    return None


# --- the application ---------------------------------------------------------------------


def create_app(demo: bool = False) -> FastAPI:
    """The employee viewer, mounted at /kcc; the demo login only when `demo`."""
    app = FastAPI(title="MijnZaken KCC", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.demo = demo
    app.mount("/static", StaticFiles(directory=PORTAL / "static"), name="static")

    async def zoek_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        fouten: dict[str, str] | None = None,
        doel: str = "",
    ) -> Response:
        rechten = await _rechten(request, session, current)
        context = {
            "rollen": rechten.rollen,
            "doelen": mw.doelen(_settings(request)),
            "fouten": fouten or {},
            "gekozen_doel": doel,
        }
        return _page(request, "zoeken.html", context, current, 400 if fouten else 200)

    @app.get("/", response_class=HTMLResponse)
    async def zoeken(request: Request, session: Session, current: Ingelogd) -> Response:
        return await zoek_pagina(request, session, current)

    @app.post("/inzien", response_class=HTMLResponse)
    async def inzien(request: Request, session: Session, current: Ingelogd) -> Response:
        """The look-up: BSN and purpose come in the POST body (never in a URL); the view is
        the answer to this POST, and writes exactly one processing-log entry."""
        form = await pagina.form(request, current.csrf)
        bsn = form.get("bsn", "").strip().replace(" ", "")
        doel = form.get("doel", "")
        fouten: dict[str, str] = {}
        bsn_fout = _bsn_fout(bsn)
        if bsn_fout:
            fouten["bsn"] = bsn_fout
        if doel not in mw.doelen(_settings(request)):
            fouten["doel"] = "Kies het doel van deze inzage."
            doel = ""
        if fouten:
            return await zoek_pagina(request, session, current, fouten, doel)
        rechten = await _rechten(request, session, current, doel)
        assert rechten.kijker is not None
        onderwerp = Onderwerp("bsn", bsn)
        view, _logged = await klantbeeld.klantbeeld(
            session,
            onderwerp,
            rechten.kijker,
            _regels(request),
            _urls(request),
            _bron(request),
            _klanten(request),
        )
        gegevens = {**current.gegevens, "inzage": {"bsn": bsn, "doel": doel}}
        current = await sessies.bewaar(session, current, gegevens)
        context = {"view": view, "doel": doel, "rollen": rechten.rollen}
        return _page(request, "klantbeeld.html", context, current)

    @app.get("/zaken/{ident}", response_class=HTMLResponse)
    async def zaak(request: Request, ident: str, session: Session, current: Ingelogd) -> Response:
        """A zaak of the citizen looked up last, for the same purpose (the subject is kept in
        the server-side session, not in the URL)."""
        inzage = current.gegevens.get("inzage")
        if not isinstance(inzage, dict):
            return _redirect(f"{PREFIX}/")
        try:
            zaak_id = uuid_lib.UUID(ident)
        except ValueError as exc:
            raise PageNotFound() from exc
        rechten = await _rechten(request, session, current, str(inzage["doel"]))
        assert rechten.kijker is not None
        try:
            found = await klantbeeld.zaak(
                session,
                Onderwerp("bsn", str(inzage["bsn"])),
                rechten.kijker,
                _regels(request),
                zaak_id,
                _urls(request),
                _bron(request),
                _klanten(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context: dict[str, Any] = {"melding": exc.melding}
            return _page(request, "zaak_niet_beschikbaar.html", context, current, status=503)
        if found is None:
            raise PageNotFound()
        context = {"detail": found[0], "doel": inzage["doel"], "rollen": rechten.rollen}
        return _page(request, "zaak.html", context, current)

    @app.get("/inloggen", response_class=HTMLResponse)
    async def inloggen(request: Request, session: Session, verlopen: int = 0) -> Response:
        current = await _current(request, session)
        if current is not None and "medewerker" in current.gegevens:
            return _redirect(f"{PREFIX}/")
        context = {
            "oidc": _provider(request).configured,
            "demo": request.app.state.demo,
            "verlopen": bool(verlopen),
            "fout": request.query_params.get("fout") == "1",
        }
        return _page(request, "inloggen.html", context)

    @app.post("/inloggen/oidc")
    async def inloggen_oidc(request: Request, session: Session) -> Response:
        settings = _settings(request)
        await pagina.form(request, request.cookies.get(csrf_cookie_name(settings)))
        provider = _provider(request)
        if not provider.configured:
            raise PageNotFound()
        try:
            start = await provider.start(_callback_url(request))
        except OidcError:
            logger.warning("login could not start: the identity provider did not answer")
            return _redirect(f"{PREFIX}/inloggen?fout=1")
        pending = {"state": start.state, "nonce": start.nonce, "verifier": start.code_verifier}
        fresh = await sessies.begin_login(session, await _current(request, session), pending)
        response = _redirect(start.url)
        set_cookie(response, settings, cookie_name(settings), fresh.token)
        return response

    @app.get("/inloggen/terug")
    async def inloggen_terug(request: Request, session: Session) -> Response:
        current = await _current(request, session)
        pending = current.gegevens.get("login") if current is not None else None
        state = request.query_params.get("state", "")
        code = request.query_params.get("code", "")
        if (
            current is None
            or not isinstance(pending, dict)
            or not code
            or not sessies.csrf_ok(pending.get("state"), state)
        ):
            return _redirect(f"{PREFIX}/inloggen?fout=1")
        settings = _settings(request)
        try:
            claims, id_token = await _provider(request).finish(
                code, _callback_url(request), pending["verifier"], pending["nonce"]
            )
            medewerker = mw.from_claims(claims, settings)
        except (OidcError, ClaimsError) as exc:
            logger.warning("employee login refused: %s", exc)
            await sessies.logout(session, current)
            return _redirect(f"{PREFIX}/inloggen?fout=1")
        return await _aangemeld(request, session, current, medewerker, id_token)

    @app.post("/inloggen/demo")
    async def inloggen_demo(request: Request, session: Session) -> Response:
        if not request.app.state.demo:
            raise PageNotFound()
        await pagina.form(request, request.cookies.get(csrf_cookie_name(_settings(request))))
        current = await _current(request, session)
        return await _aangemeld(request, session, current, mw.DEMO_MEDEWERKER, None)

    async def _aangemeld(
        request: Request,
        session: Session,
        current: Huidige | None,
        medewerker: Medewerker,
        id_token: str | None,
    ) -> Response:
        settings = _settings(request)
        fresh = await sessies.vervang(
            session,
            current,
            {"medewerker": medewerker.naar(), "moment": clock.now().isoformat()},
            id_token,
            settings.portal_idle_timeout,
        )
        response = _redirect(f"{PREFIX}/")
        set_cookie(response, settings, cookie_name(settings), fresh.token)
        return response

    @app.post("/uitloggen")
    async def uitloggen(request: Request, session: Session, current: Ingelogd) -> Response:
        await pagina.form(request, current.csrf)
        id_token = current.id_token
        await sessies.logout(session, current)
        target = f"{PREFIX}/uitgelogd"
        if id_token and _provider(request).configured:
            try:
                target = (
                    await _provider(request).end_session_url(
                        id_token, f"{_urls(request).base}{target}"
                    )
                    or target
                )
            except OidcError:
                logger.warning("logout at the identity provider skipped: it did not answer")
        response = _redirect(target)
        response.delete_cookie(cookie_name(_settings(request)), path="/")
        return response

    @app.get("/uitgelogd", response_class=HTMLResponse)
    async def uitgelogd(request: Request) -> Response:
        return _page(request, "uitgelogd.html", {})

    _install_handlers(app)
    app.add_middleware(SecurityHeaders, prefix=PREFIX, issuer=lambda s: s.kcc_oidc_issuer)
    return app


def _install_handlers(app: FastAPI) -> None:
    def _sessie(request: Request) -> Huidige | None:
        current = getattr(request.state, "kcc_sessie", None)
        return current if isinstance(current, Huidige) else None

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        response = _redirect(f"{PREFIX}/inloggen" + ("?verlopen=1" if exc.verlopen else ""))
        if exc.verlopen:
            response.delete_cookie(cookie_name(_settings(request)), path="/")
        return response

    async def geen_toegang(request: Request, _exc: Exception) -> Response:
        return _page(request, "geen_toegang.html", {}, _sessie(request), status=403)

    async def not_found(request: Request, _exc: Exception) -> Response:
        return _page(request, "niet_gevonden.html", {}, _sessie(request), status=404)

    async def bad_form(request: Request, _exc: Exception) -> Response:
        return _page(request, "ongeldig.html", {}, None, status=400)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return await not_found(request, exc)
        return HTMLResponse(pagina.FOUT, status_code=exc.status_code)

    async def validation(request: Request, exc: Exception) -> Response:
        return await not_found(request, exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        # the type and the path only: never a form value (a BSN) or a session's data
        logger.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return _page(request, "storing.html", {}, None, status=500)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(GeenToegang, geen_toegang)
    app.add_exception_handler(PageNotFound, not_found)
    app.add_exception_handler(BadForm, bad_form)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(Exception, unexpected)
