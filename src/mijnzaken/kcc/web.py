"""The KCC pages under /kcc/: an employee logs in at the municipality's identity provider,
enters a citizen's BSN and the purpose of the look-up, and sees the citizen's customer view
within the rights of their roles. Thin: what a page shows comes from the klantbeeld service,
which writes the processing-log entry of every view.

Sessions, CSRF, the idle timeout, the login flow, the error pages and the security headers
are the portal's (shared in portal.pagina and portal.sessies), and so is the page frame
(kader.html); the KCC has its own cookie, so an employee's login and a citizen's login in the
same browser do not mix."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from mijnzaken.core import clock
from mijnzaken.core.runtime import Session, urls_of
from mijnzaken.core.settings import Settings
from mijnzaken.core.validators import elfproef
from mijnzaken.kcc import medewerker as mw
from mijnzaken.kcc.medewerker import Medewerker
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import Onderwerp
from mijnzaken.klantbeeld.oidc import Client
from mijnzaken.portal import pagina, sessies
from mijnzaken.portal.pagina import (
    PageNotFound,
    Voorkant,
    bron,
    klanten,
    logboek,
    redirect,
    regels,
    settings_of,
)
from mijnzaken.portal.sessies import Huidige

logger = logging.getLogger("mijnzaken.kcc")
PREFIX = "/kcc"
HERE = Path(__file__).resolve().parent


class GeenToegang(Exception):
    """The employee has no role that gives access (403 page)."""


def _kader(_request: Request, current: Huidige | None) -> dict[str, Any]:
    """What the frame of every page shows: the employee logged in."""
    return {"medewerker": Medewerker.uit(current.gegevens.get("medewerker")) if current else None}


KCC = Voorkant(
    prefix=PREFIX,
    cookie="mijnzaken-kcc",
    pages=pagina.templates(HERE / "templates"),
    client=Client.kcc,
    ingelogd=lambda current: Medewerker.uit(current.gegevens.get("medewerker")) is not None,
    kader=_kader,
    logger=logger,
    vreemd="aanmelding",  # a citizen's session token is no employee's
)
Ingelogd = Annotated[Huidige, Depends(KCC.logged_in)]


def _medewerker(current: Huidige) -> Medewerker:
    found = Medewerker.uit(current.gegevens.get("medewerker"))
    assert found is not None
    return found


def _medewerker_gegevens(claims: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The session of an employee logged in with these claims (ClaimsError when they do not
    name one)."""
    return _aangemeld(mw.from_claims(claims, settings))


def _aangemeld(medewerker: Medewerker) -> dict[str, Any]:
    return {"medewerker": medewerker.naar(), "moment": clock.now().isoformat()}


async def _rechten(
    request: Request, session: Session, current: Huidige, doel: str = ""
) -> mw.Rechten:
    """The employee's rights now; GeenToegang when no role gives any."""
    found = await mw.rechten(
        request, session, urls_of(request), settings_of(request), _medewerker(current), doel
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
    app = KCC.app("MijnZaken KCC")
    app.state.demo = demo

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
            "doelen": mw.doelen(settings_of(request)),
            "fouten": fouten or {},
            "gekozen_doel": doel,
        }
        return KCC.page(request, "zoeken.html", context, current, 400 if fouten else 200)

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
        if doel not in mw.doelen(settings_of(request)):
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
            regels(request),
            urls_of(request),
            bron(request),
            klanten(request),
            logboek(request),
        )
        gegevens = {**current.gegevens, "inzage": {"bsn": bsn, "doel": doel}}
        current = await sessies.bewaar(session, current, gegevens)
        context = {"view": view, "doel": doel, "rollen": rechten.rollen}
        return KCC.page(request, "klantbeeld.html", context, current)

    @app.get("/zaken/{ident}", response_class=HTMLResponse)
    async def zaak(request: Request, ident: str, session: Session, current: Ingelogd) -> Response:
        """A zaak of the citizen looked up last, for the same purpose (the subject is kept in
        the server-side session, not in the URL)."""
        inzage = current.gegevens.get("inzage")
        if not isinstance(inzage, dict):
            return redirect(f"{PREFIX}/")
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
                regels(request),
                zaak_id,
                urls_of(request),
                bron(request),
                klanten(request),
                logboek(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context: dict[str, Any] = {"melding": exc.melding}
            return KCC.page(request, "zaak_niet_beschikbaar.html", context, current, status=503)
        if found is None:
            raise PageNotFound()
        context = {"detail": found[0], "doel": inzage["doel"], "rollen": rechten.rollen}
        return KCC.page(request, "zaak.html", context, current)

    @app.get("/inloggen", response_class=HTMLResponse)
    async def inloggen(request: Request, session: Session, verlopen: int = 0) -> Response:
        current = await KCC.current(request, session)
        if current is not None and "medewerker" in current.gegevens:
            return redirect(f"{PREFIX}/")
        context = {
            "oidc": KCC.provider(request).configured,
            "demo": request.app.state.demo,
            "verlopen": bool(verlopen),
            "fout": request.query_params.get("fout") == "1",
        }
        return KCC.page(request, "inloggen.html", context)

    @app.post("/inloggen/oidc")
    async def inloggen_oidc(request: Request, session: Session) -> Response:
        return await KCC.login_starten(request, session)

    @app.get("/inloggen/terug")
    async def inloggen_terug(request: Request, session: Session) -> Response:
        return await KCC.login_terug(request, session, _medewerker_gegevens)

    @app.post("/inloggen/demo")
    async def inloggen_demo(request: Request, session: Session) -> Response:
        if not request.app.state.demo:
            raise PageNotFound()
        await KCC.anonymous_form(request)
        current = await KCC.current(request, session)
        gegevens = _aangemeld(mw.DEMO_MEDEWERKER)
        return await KCC.aangemeld(request, session, current, gegevens, None)

    @app.post("/uitloggen")
    async def uitloggen(request: Request, session: Session, current: Ingelogd) -> Response:
        return await KCC.uitloggen(request, session, current)

    @app.get("/uitgelogd", response_class=HTMLResponse)
    async def uitgelogd(request: Request) -> Response:
        return KCC.page(request, "uitgelogd.html", {})

    KCC.inrichten(app)

    async def geen_toegang(request: Request, _exc: Exception) -> Response:
        return KCC.page(request, "geen_toegang.html", {}, KCC.sessie(request), status=403)

    app.add_exception_handler(GeenToegang, geen_toegang)
    return app
