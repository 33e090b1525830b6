"""The KCC pages under /kcc/: an employee logs in at the municipality's identity provider,
finds a customer (by BSN, by KvK-nummer, or by name in the customer register) for a stated
purpose, and sees the customer's view within the rights of their roles, with the zaken and
the documents to download. Thin: what a page shows comes from the klantbeeld service, which
writes the processing-log entry of every view, search and download. No BSN or KvK-nummer
ever reaches a URL: it is posted, or kept in the server-side session (the subject looked up
last, the results of the last name search behind opaque references).

Sessions, CSRF, the idle timeout, the login flow, the error pages and the security headers
are the portal's (shared in portal.pagina and portal.sessies), and so is the page frame
(kader.html); the KCC has its own cookie, so an employee's login and a citizen's login in the
same browser do not mix."""

from __future__ import annotations

import logging
import secrets
import uuid as uuid_lib
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from mijnzaken.core import clock
from mijnzaken.core.runtime import Session, urls_of
from mijnzaken.core.settings import Settings
from mijnzaken.core.validators import elfproef
from mijnzaken.kcc import medewerker as mw
from mijnzaken.kcc.medewerker import Medewerker
from mijnzaken.klantbeeld import download
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import Onderwerp
from mijnzaken.klantbeeld.oidc import Client
from mijnzaken.portal import pagina, sessies
from mijnzaken.portal.pagina import (
    DOCUMENT_KOP,
    BadForm,
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


def _uuid(value: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(value)
    except ValueError as exc:
        raise PageNotFound() from exc


def _inzage(current: Huidige) -> tuple[Onderwerp, str] | None:
    """The subject looked up last and the purpose of that look-up, from the server-side
    session (None before any look-up)."""
    inzage = current.gegevens.get("inzage")
    if not isinstance(inzage, dict) or inzage.get("soort") not in ("bsn", "kvk"):
        return None
    return Onderwerp(inzage["soort"], str(inzage["nummer"])), str(inzage["doel"])


# how the look-up form finds a customer (the `op` of its URL), in the order shown
ZOEK_OP = {"bsn": "burgerservicenummer", "kvk": "KvK-nummer", "naam": "naam"}
MIN_NAAM, MAX_NAAM = 2, 100


def _gekozen(current: Huidige, keuze: str, doelen: list[str]) -> tuple[Onderwerp, str] | None:
    """The subject behind a result of the last name search, and that search's purpose."""
    zoeking = current.gegevens.get("zoeking")
    if not isinstance(zoeking, dict) or zoeking.get("doel") not in doelen:
        return None
    found = zoeking.get("keuzes", {}).get(keuze)
    if not isinstance(found, dict) or found.get("soort") not in ("bsn", "kvk"):
        return None
    return Onderwerp(found["soort"], str(found["nummer"])), str(zoeking["doel"])


def _kvk_fout(kvk: str) -> str | None:
    """What is wrong with an entered KvK-nummer, in Dutch (never repeating the number)."""
    if not kvk:
        return "Vul het KvK-nummer in."
    if not (kvk.isascii() and kvk.isdigit() and len(kvk) == 8):
        return "Een KvK-nummer bestaat uit 8 cijfers."
    return None


def _naam_fout(naam: str) -> str | None:
    """What is wrong with a name to search for, in Dutch."""
    if not naam:
        return "Vul een naam in."
    if len(naam) < MIN_NAAM:
        return f"Vul ten minste {MIN_NAAM} tekens van de naam in."
    if len(naam) > MAX_NAAM:
        return f"Een naam is ten hoogste {MAX_NAAM} tekens lang."
    return None


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
        op: str = "bsn",
        fouten: dict[str, str] | None = None,
        doel: str = "",
        naam: str = "",
    ) -> Response:
        rechten = await _rechten(request, session, current)
        context = {
            "rollen": rechten.rollen,
            "doelen": mw.doelen(settings_of(request)),
            "fouten": fouten or {},
            "gekozen_doel": doel,
            "op": op if op in ZOEK_OP else "bsn",
            "zoek_op": ZOEK_OP,
            "naam": naam,
        }
        return KCC.page(request, "zoeken.html", context, current, 400 if fouten else 200)

    @app.get("/", response_class=HTMLResponse)
    async def zoeken(
        request: Request, session: Session, current: Ingelogd, op: str = "bsn"
    ) -> Response:
        """The look-up form: by BSN (the default), by KvK-nummer or by name (`op`)."""
        return await zoek_pagina(request, session, current, op)

    async def klantbeeld_pagina(
        request: Request, session: Session, current: Huidige, onderwerp: Onderwerp, doel: str
    ) -> Response:
        """The customer view of `onderwerp` for `doel` (one processing-log entry); the subject
        is kept in the server-side session for the zaak pages and downloads."""
        rechten = await _rechten(request, session, current, doel)
        assert rechten.kijker is not None
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
        inzage = {"soort": onderwerp.soort, "nummer": onderwerp.nummer, "doel": doel}
        current = await sessies.bewaar(session, current, {**current.gegevens, "inzage": inzage})
        context = {"view": view, "doel": doel, "rollen": rechten.rollen}
        return KCC.page(request, "klantbeeld.html", context, current)

    @app.post("/inzien", response_class=HTMLResponse)
    async def inzien(request: Request, session: Session, current: Ingelogd) -> Response:
        """The look-up: a BSN or KvK-nummer and the purpose, or a result of a name search
        (`keuze`, an opaque reference into the session), come in the POST body (never in a
        URL); the view is the answer to this POST, and writes exactly one processing-log
        entry."""
        form = await pagina.form(request, current.csrf)
        if "keuze" in form:
            gekozen = _gekozen(current, form["keuze"], mw.doelen(settings_of(request)))
            if gekozen is None:
                raise BadForm()  # a result of an older search, or none at all
            return await klantbeeld_pagina(request, session, current, *gekozen)
        op: Literal["bsn", "kvk"] = "kvk" if form.get("op") == "kvk" else "bsn"
        nummer = form.get(op, "").strip().replace(" ", "")
        doel = form.get("doel", "")
        fouten: dict[str, str] = {}
        nummer_fout = _bsn_fout(nummer) if op == "bsn" else _kvk_fout(nummer)
        if nummer_fout:
            fouten[op] = nummer_fout
        if doel not in mw.doelen(settings_of(request)):
            fouten["doel"] = "Kies het doel van deze inzage."
            doel = ""
        if fouten:
            return await zoek_pagina(request, session, current, op, fouten, doel)
        return await klantbeeld_pagina(request, session, current, Onderwerp(op, nummer), doel)

    @app.post("/zoeken", response_class=HTMLResponse)
    async def zoeken_op_naam(request: Request, session: Session, current: Ingelogd) -> Response:
        """A search by name in the customer register, for a purpose: the persons and
        organisations found, each a button that opens their view (by a reference kept in the
        session, never their number in a URL). A search that shows anyone writes one
        processing-log entry."""
        form = await pagina.form(request, current.csrf)
        naam = " ".join(form.get("naam", "").split())
        doel = form.get("doel", "")
        fouten: dict[str, str] = {}
        naam_fout = _naam_fout(naam)
        if naam_fout:
            fouten["naam"] = naam_fout
        if doel not in mw.doelen(settings_of(request)):
            fouten["doel"] = "Kies het doel van deze inzage."
            doel = ""
        if fouten:
            return await zoek_pagina(request, session, current, "naam", fouten, doel, naam)
        rechten = await _rechten(request, session, current, doel)
        assert rechten.kijker is not None
        resultaat, _logged = await klantbeeld.zoeken(
            session, rechten.kijker, naam, klanten(request), logboek(request)
        )
        keuzes = {secrets.token_urlsafe(16): k for k in resultaat.items}
        bewaard = {
            "doel": doel,
            "keuzes": {t: {"soort": k.soort, "nummer": k.nummer} for t, k in keuzes.items()},
        }
        current = await sessies.bewaar(session, current, {**current.gegevens, "zoeking": bewaard})
        context = {
            "resultaat": resultaat,
            "keuzes": list(keuzes.items()),
            "naam": naam,
            "doel": doel,
            "rollen": rechten.rollen,
        }
        return KCC.page(request, "zoekresultaten.html", context, current)

    @app.get("/zaken/{ident}", response_class=HTMLResponse)
    async def zaak(request: Request, ident: str, session: Session, current: Ingelogd) -> Response:
        """A zaak of the citizen looked up last, for the same purpose (the subject is kept in
        the server-side session, not in the URL)."""
        inzage = _inzage(current)
        if inzage is None:
            return redirect(f"{PREFIX}/")
        onderwerp, doel = inzage
        zaak_id = _uuid(ident)
        rechten = await _rechten(request, session, current, doel)
        assert rechten.kijker is not None
        try:
            found = await klantbeeld.zaak(
                session,
                onderwerp,
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
        context = {"detail": found[0], "doel": doel, "rollen": rechten.rollen}
        return KCC.page(request, "zaak.html", context, current)

    @app.get("/zaken/{ident}/documenten/{document}")
    async def document(
        request: Request, ident: str, document: str, session: Session, current: Ingelogd
    ) -> Response:
        """Download a document the zaak page shows this employee, for the purpose of the
        look-up (one processing-log entry); anything else, also a document that exists but
        is outside the roles, is the 404 page."""
        inzage = _inzage(current)
        if inzage is None:
            raise PageNotFound()
        onderwerp, doel = inzage
        zaak_id, document_id = _uuid(ident), _uuid(document)
        rechten = await _rechten(request, session, current, doel)
        assert rechten.kijker is not None
        try:
            found = await klantbeeld.document(
                session,
                onderwerp,
                rechten.kijker,
                regels(request),
                zaak_id,
                document_id,
                urls_of(request),
                bron(request),
                logboek(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context = {"melding": exc.melding}
            if isinstance(exc, klantbeeld.DocumentNietBeschikbaar):
                context |= {"titel": "Document niet beschikbaar", "kop": DOCUMENT_KOP}
            return KCC.page(request, "zaak_niet_beschikbaar.html", context, current, status=503)
        if found is None:
            raise PageNotFound()
        return download.response(settings_of(request), found[0], beveiligingskoppen=False)

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
