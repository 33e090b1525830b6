"""The MijnGemeente pages: routes, the login flows, sessions in cookies, CSRF and security
headers. Thin: what a page shows comes from the klantbeeld service."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from mijnzaken.core import clock
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Session, get_runtime
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import urls_for
from mijnzaken.klantbeeld import download, wijzigen
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import (
    Aanmelding,
    ClaimsError,
    Kijker,
    Onderwerp,
    Regels,
    from_claims,
)
from mijnzaken.klantbeeld.oidc import OidcError, Provider
from mijnzaken.klantbeeld.remote import RemoteZaken
from mijnzaken.klantbeeld.remote_klanten import RemoteKlanten
from mijnzaken.portal import pagina, sessies
from mijnzaken.portal.pagina import SecurityHeaders, datum, omvang, set_cookie
from mijnzaken.portal.sessies import Huidige
from mijnzaken.verwerkingen.schrijver import LogboekOnbeschikbaar

logger = logging.getLogger("mijnzaken.portal")
HERE = Path(__file__).resolve().parent
PREFIX = "/mijn"

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["datum"] = datum
templates.env.filters["omvang"] = omvang


class LoginRequired(Exception):
    """The page needs a logged-in citizen; `verlopen` when the session ran idle."""

    def __init__(self, verlopen: bool = False) -> None:
        self.verlopen = verlopen


class PageNotFound(Exception):
    """404 as a page (also for what exists but is not the citizen's: no difference shown)."""


BadForm = pagina.BadForm


# --- sessions, login state, CSRF ---------------------------------------------------------


def _settings(request: Request) -> Settings:
    return get_runtime(request).settings


def cookie_name(settings: Settings) -> str:
    # __Host- binds the cookie to this host and path / (needs Secure)
    return "__Host-mijngemeente" if settings.portal_secure_cookies else "mijngemeente"


def csrf_cookie_name(settings: Settings) -> str:
    return "__Host-mijngemeente-csrf" if settings.portal_secure_cookies else "mijngemeente-csrf"


async def _current(request: Request, session: Session) -> Huidige | None:
    cached = getattr(request.state, "portal_sessie", None)
    if cached is not None:
        return cached if isinstance(cached, Huidige) else None
    settings = _settings(request)
    current, verlopen = await sessies.huidige(
        session, request.cookies.get(cookie_name(settings)), settings.portal_idle_timeout
    )
    request.state.portal_sessie = current or False
    request.state.portal_verlopen = verlopen
    return current


async def _logged_in(request: Request, session: Session) -> Huidige:
    current = await _current(request, session)
    if current is None or current.aanmelding is None:
        raise LoginRequired(verlopen=bool(getattr(request.state, "portal_verlopen", False)))
    return current


Ingelogd = Annotated[Huidige, Depends(_logged_in)]


def _provider(request: Request) -> Provider:
    provider = getattr(request.app.state, "oidc", None)
    if not isinstance(provider, Provider):
        provider = Provider(_settings(request))
        request.app.state.oidc = provider
    return provider


def _regels(request: Request) -> Regels:
    regels = getattr(request.app.state, "regels", None)
    if not isinstance(regels, Regels):
        regels = Regels.from_settings(_settings(request))
        request.app.state.regels = regels
    return regels


async def _form(request: Request, expected: str | None) -> dict[str, str]:
    """The posted form, after its CSRF token checks out."""
    return await pagina.form(request, expected)


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
    aanmelding = current.aanmelding if current is not None else None
    response = templates.TemplateResponse(
        request,
        name,
        {
            "csrf": csrf,
            "aanmelding": aanmelding,
            "prefix": PREFIX,
            "demo": bool(request.app.state.demo_burgers),
            **context,
        },
        status_code=status,
    )
    new = getattr(request.state, "new_csrf", None)
    if new:
        set_cookie(response, _settings(request), csrf_cookie_name(_settings(request)), new)
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _parse_uuid(value: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(value)
    except ValueError as exc:
        raise PageNotFound() from exc


def _who(aanmelding: Aanmelding) -> tuple[Onderwerp, Kijker]:
    return aanmelding.onderwerp, aanmelding.kijker


def _bron(request: Request) -> RemoteZaken | None:
    """The remote Zaken API the zaken come from, when one is configured."""
    return RemoteZaken.from_settings(_settings(request))


def _klanten(request: Request) -> RemoteKlanten | None:
    """The remote Klantinteracties API the customer data come from, when one is configured."""
    return RemoteKlanten.from_settings(_settings(request))


def _urls(request: Request) -> Any:
    return urls_for(request, _settings(request).base_url)


def _ctx(request: Request, session: Session, current: Huidige) -> Ctx:
    """The register context of a change the logged-in person makes: the portal acts as the
    application, the person (by role, never by number) as its user."""
    assert current.aanmelding is not None
    auth = AuthContext(
        client_id="mijngemeente",
        label="MijnGemeente",
        user_representation=current.aanmelding.kijker.label or "Inwoner",
    )
    return Ctx(request, session, _urls(request), auth, _settings(request))


DOCUMENT_KOP = "Het document is nu niet beschikbaar"

# notices after a change (named in the query string after the redirect, never data)
MELDINGEN = {
    "bevestigd": "Uw contactgegeven is bevestigd. U kunt het nu kiezen om berichten te ontvangen.",
    "voorkeur": "Uw voorkeur is opgeslagen.",
}


# --- the application ---------------------------------------------------------------------


def create_app(demo_burgers: Sequence[tuple[str, str]] = ()) -> FastAPI:
    """The portal, mounted at /mijn; `demo_burgers` (BSN, name) only in demo mode."""
    app = FastAPI(title="MijnGemeente", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.demo_burgers = list(demo_burgers)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse)
    async def overzicht(request: Request, session: Session, current: Ingelogd) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        view, _logged = await klantbeeld.klantbeeld(
            session,
            onderwerp,
            kijker,
            _regels(request),
            _urls(request),
            _bron(request),
            _klanten(request),
        )
        return _page(request, "overzicht.html", {"view": view, "nav": "overzicht"}, current)

    @app.get("/zaken/{ident}", response_class=HTMLResponse)
    async def zaak(request: Request, ident: str, session: Session, current: Ingelogd) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        try:
            found = await klantbeeld.zaak(
                session,
                onderwerp,
                kijker,
                _regels(request),
                _parse_uuid(ident),
                _urls(request),
                _bron(request),
                _klanten(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context = {"melding": exc.melding, "nav": "overzicht"}
            return _page(request, "zaak_niet_beschikbaar.html", context, current, status=503)
        if found is None:
            raise PageNotFound()
        detail, _logged = found
        return _page(request, "zaak.html", {"detail": detail, "nav": "overzicht"}, current)

    @app.get("/zaken/{ident}/documenten/{document}")
    async def document(
        request: Request, ident: str, document: str, session: Session, current: Ingelogd
    ) -> Response:
        """Download a document shown on the zaak page; anything else is the 404 page."""
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        try:
            found = await klantbeeld.document(
                session,
                onderwerp,
                kijker,
                _regels(request),
                _parse_uuid(ident),
                _parse_uuid(document),
                _urls(request),
                _bron(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context = {"melding": exc.melding, "nav": "overzicht"}
            if isinstance(exc, klantbeeld.DocumentNietBeschikbaar):
                context |= {"titel": "Document niet beschikbaar", "kop": DOCUMENT_KOP}
            return _page(request, "zaak_niet_beschikbaar.html", context, current, status=503)
        if found is None:
            raise PageNotFound()
        return download.response(_settings(request), found[0], beveiligingskoppen=False)

    async def gegevens_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        fout: wijzigen.Wijziging | None = None,
        ingevuld: dict[str, str] | None = None,
    ) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        klanten = _klanten(request)
        persoon, voorkeuren, _logged = await klantbeeld.gegevens(
            session, onderwerp, kijker, _regels(request), _urls(request), _bron(request), klanten
        )
        adressen = [c for p in persoon.items for c in p.contactgegevens]
        context = {
            "persoon": persoon,
            "voorkeuren": voorkeuren,
            "adressen": adressen,
            "bevestigd": [c for c in adressen if c.geverifieerd],
            "onderwerp": onderwerp,
            "kijker": kijker,
            "wijzigbaar": kijker.machtiging is None and onderwerp.soort == "bsn" and not klanten,
            "alleen_inzien": wijzigen.KLANTREGISTER_ELDERS if klanten else "",
            "melding": MELDINGEN.get(request.query_params.get("gelukt", "")),
            "fout": fout,
            "ingevuld": ingevuld or {},
            "nav": "gegevens",
        }
        return _page(request, "gegevens.html", context, current, 400 if fout else 200)

    @app.get("/gegevens", response_class=HTMLResponse)
    async def gegevens(request: Request, session: Session, current: Ingelogd) -> Response:
        return await gegevens_pagina(request, session, current)

    @app.post("/gegevens/adressen")
    async def adres_toevoegen(request: Request, session: Session, current: Ingelogd) -> Response:
        form = await _form(request, current.csrf)
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        try:
            verstuurd = await wijzigen.adres_toevoegen(
                _ctx(request, session, current),
                onderwerp,
                kijker,
                form.get("soort", ""),
                form.get("adres", ""),
            )
        except wijzigen.Wijziging as fout:
            return await gegevens_pagina(request, session, current, fout, form)
        return _redirect(f"{PREFIX}/gegevens/adressen/{verstuurd.adres}/bevestigen")

    async def bevestig_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        ident: uuid_lib.UUID,
        fout: str | None = None,
        verstuurd: bool = False,
    ) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        found = await klantbeeld.contactgegeven(
            session, onderwerp, kijker, ident, _klanten(request)
        )
        if found is None:
            raise PageNotFound()
        context = {
            "adres": found[0],
            "fout": fout,
            "verstuurd": verstuurd,
            "minuten": max(1, _settings(request).verificatie_geldigheid // 60),
            "nav": "gegevens",
        }
        return _page(request, "bevestigen.html", context, current, 400 if fout else 200)

    @app.get("/gegevens/adressen/{ident}/bevestigen", response_class=HTMLResponse)
    async def bevestigen(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        verstuurd = request.query_params.get("verstuurd") == "1"
        return await bevestig_pagina(
            request, session, current, _parse_uuid(ident), verstuurd=verstuurd
        )

    @app.post("/gegevens/adressen/{ident}/bevestigen")
    async def bevestigen_code(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        form = await _form(request, current.csrf)
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        adres = _parse_uuid(ident)
        try:
            fout = await wijzigen.code_bevestigen(
                _ctx(request, session, current), onderwerp, kijker, adres, form.get("code", "")
            )
        except wijzigen.NietGevonden as exc:
            raise PageNotFound() from exc
        except wijzigen.Wijziging as exc:
            fout = exc.melding
        if fout is not None:
            # a wrong try is counted: this answer commits like a success does
            return await bevestig_pagina(request, session, current, adres, fout)
        return _redirect(f"{PREFIX}/gegevens?gelukt=bevestigd#contact")

    @app.post("/gegevens/adressen/{ident}/code")
    async def nieuwe_code(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        await _form(request, current.csrf)
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        adres = _parse_uuid(ident)
        try:
            await wijzigen.code_sturen(_ctx(request, session, current), onderwerp, kijker, adres)
        except wijzigen.NietGevonden as exc:
            raise PageNotFound() from exc
        except wijzigen.Wijziging as exc:
            return await bevestig_pagina(request, session, current, adres, exc.melding)
        return _redirect(f"{PREFIX}/gegevens/adressen/{adres}/bevestigen?verstuurd=1")

    @app.get("/gegevens/adressen/{ident}/wijzigen", response_class=HTMLResponse)
    async def wijzig_adres(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        return await wijzig_pagina(request, session, current, _parse_uuid(ident))

    async def wijzig_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        ident: uuid_lib.UUID,
        fout: str | None = None,
        waarde: str | None = None,
    ) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        found = await klantbeeld.contactgegeven(
            session, onderwerp, kijker, ident, _klanten(request)
        )
        if found is None:
            raise PageNotFound()
        context = {
            "adres": found[0],
            "fout": fout,
            "waarde": found[0].adres if waarde is None else waarde,
            "nav": "gegevens",
        }
        return _page(request, "wijzigen.html", context, current, 400 if fout else 200)

    @app.post("/gegevens/adressen/{ident}/wijzigen")
    async def wijzig_adres_opslaan(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        form = await _form(request, current.csrf)
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        adres = _parse_uuid(ident)
        try:
            await wijzigen.adres_wijzigen(
                _ctx(request, session, current), onderwerp, kijker, adres, form.get("adres", "")
            )
        except wijzigen.NietGevonden as exc:
            raise PageNotFound() from exc
        except wijzigen.Wijziging as exc:
            return await wijzig_pagina(
                request, session, current, adres, exc.melding, form.get("adres", "")
            )
        return _redirect(f"{PREFIX}/gegevens/adressen/{adres}/bevestigen")

    @app.post("/gegevens/voorkeuren")
    async def voorkeur(request: Request, session: Session, current: Ingelogd) -> Response:
        form = await _form(request, current.csrf)
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        try:
            await wijzigen.voorkeur_zetten(
                _ctx(request, session, current),
                onderwerp,
                kijker,
                form.get("onderwerp", ""),
                form.get("kanaal", ""),
            )
        except wijzigen.Wijziging as fout:
            return await gegevens_pagina(request, session, current, fout, form)
        return _redirect(f"{PREFIX}/gegevens?gelukt=voorkeur#voorkeuren")

    @app.get("/inzage", response_class=HTMLResponse)
    async def inzage(request: Request, session: Session, current: Ingelogd) -> Response:
        assert current.aanmelding is not None
        onderwerp, kijker = _who(current.aanmelding)
        log, _logged = await klantbeeld.verwerkingen(session, onderwerp, kijker)
        return _page(request, "inzage.html", {"log": log, "nav": "inzage"}, current)

    @app.get("/inloggen", response_class=HTMLResponse)
    async def inloggen(request: Request, session: Session, verlopen: int = 0) -> Response:
        current = await _current(request, session)
        if current is not None and current.aanmelding is not None:
            return _redirect(f"{PREFIX}/")
        context = {
            "oidc": _provider(request).configured,
            "burgers": list(enumerate(request.app.state.demo_burgers)),
            "verlopen": bool(verlopen),
            "fout": request.query_params.get("fout") == "1",
        }
        return _page(request, "inloggen.html", context)

    @app.post("/inloggen/oidc")
    async def inloggen_oidc(request: Request, session: Session) -> Response:
        await _form(request, request.cookies.get(csrf_cookie_name(_settings(request))))
        provider = _provider(request)
        if not provider.configured:
            raise PageNotFound()
        redirect_uri = _callback_url(request)
        try:
            start = await provider.start(redirect_uri)
        except OidcError:
            logger.warning("login could not start: the OpenID provider did not answer")
            return _redirect(f"{PREFIX}/inloggen?fout=1")
        pending = {"state": start.state, "nonce": start.nonce, "verifier": start.code_verifier}
        fresh = await sessies.begin_login(session, await _current(request, session), pending)
        response = _redirect(start.url)
        set_cookie(response, _settings(request), cookie_name(_settings(request)), fresh.token)
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
            aanmelding = from_claims(claims, settings, clock.now())
        except (OidcError, ClaimsError) as exc:
            # the reason, never a claim value
            logger.warning("login refused: %s", exc)
            await sessies.logout(session, current)
            return _redirect(f"{PREFIX}/inloggen?fout=1")
        fresh = await sessies.login(
            session, current, aanmelding, id_token, settings.portal_idle_timeout
        )
        response = _redirect(f"{PREFIX}/")
        set_cookie(response, settings, cookie_name(settings), fresh.token)
        return response

    @app.post("/inloggen/demo")
    async def inloggen_demo(request: Request, session: Session) -> Response:
        burgers = request.app.state.demo_burgers
        if not burgers:
            raise PageNotFound()
        form = await _form(request, request.cookies.get(csrf_cookie_name(_settings(request))))
        try:
            bsn, _naam = burgers[int(form.get("burger", ""))]
        except (ValueError, IndexError) as exc:
            raise BadForm() from exc
        settings = _settings(request)
        aanmelding = Aanmelding(
            onderwerp=Onderwerp("bsn", bsn),
            kijker=Kijker(
                soort="inwoner",
                identificatie=f"bsn:{bsn}",
                label="Inwoner",
                betrouwbaarheidsniveau="demo",
            ),
            moment=clock.now(),
        )
        fresh = await sessies.login(
            session,
            await _current(request, session),
            aanmelding,
            None,
            settings.portal_idle_timeout,
        )
        response = _redirect(f"{PREFIX}/")
        set_cookie(response, settings, cookie_name(settings), fresh.token)
        return response

    @app.post("/uitloggen")
    async def uitloggen(request: Request, session: Session, current: Ingelogd) -> Response:
        await _form(request, current.csrf)
        id_token = current.id_token
        await sessies.logout(session, current)
        target = f"{PREFIX}/uitgelogd"
        if id_token and _provider(request).configured:
            base = urls_for(request, _settings(request).base_url).base
            try:
                target = (
                    await _provider(request).end_session_url(id_token, f"{base}{target}") or target
                )
            except OidcError:
                logger.warning("logout at the OpenID provider skipped: it did not answer")
        response = _redirect(target)
        response.delete_cookie(cookie_name(_settings(request)), path="/")
        return response

    @app.get("/uitgelogd", response_class=HTMLResponse)
    async def uitgelogd(request: Request) -> Response:
        return _page(request, "uitgelogd.html", {})

    _install_handlers(app)
    app.add_middleware(SecurityHeaders, prefix=PREFIX, issuer=lambda s: s.oidc_issuer)
    return app


def _callback_url(request: Request) -> str:
    base = urls_for(request, _settings(request).base_url).base
    return f"{base}{PREFIX}/inloggen/terug"


def _install_handlers(app: FastAPI) -> None:
    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        response = _redirect(f"{PREFIX}/inloggen" + ("?verlopen=1" if exc.verlopen else ""))
        if exc.verlopen:
            response.delete_cookie(cookie_name(_settings(request)), path="/")
        return response

    async def not_found(request: Request, _exc: Exception) -> Response:
        current = getattr(request.state, "portal_sessie", None)
        return _page(
            request,
            "niet_gevonden.html",
            {},
            current if isinstance(current, Huidige) else None,
            status=404,
        )

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
        # the type and the path only: never a form value or a session's data
        logger.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return _page(request, "storing.html", {}, None, status=500)

    async def log_unavailable(request: Request, _exc: Exception) -> Response:
        # the page's processing-log entry was not stored: the page is not shown
        logger.error("processing log unavailable on %s %s", request.method, request.url.path)
        return _page(request, "storing.html", {}, None, status=503)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(LogboekOnbeschikbaar, log_unavailable)
    app.add_exception_handler(PageNotFound, not_found)
    app.add_exception_handler(BadForm, bad_form)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(Exception, unexpected)
