"""The MijnGemeente pages: routes and the citizen's login flows. Thin: what a page shows comes
from the klantbeeld service; sessions, CSRF, the login flow, the error pages and the security
headers are shared with the KCC (portal.pagina)."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from mijnzaken.core import clock
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Session, urls_of
from mijnzaken.core.settings import Settings
from mijnzaken.klantbeeld import download, wijzigen
from mijnzaken.klantbeeld import service as klantbeeld
from mijnzaken.klantbeeld.identiteit import Aanmelding, Kijker, Onderwerp, from_claims
from mijnzaken.klantbeeld.oidc import Client
from mijnzaken.klantbeeld.schemas import Contactgegeven
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

logger = logging.getLogger("mijnzaken.portal")
PER_PAGINA = 50  # entries a page of "Wie heeft mijn gegevens ingezien" shows
MAX_PAGINA = -(-klantbeeld.MAX_INZAGEN // PER_PAGINA)
PREFIX = "/mijn"


def _kader(request: Request, current: Huidige | None) -> dict[str, Any]:
    """What the frame of every page shows: who is logged in, and whether demo logins exist."""
    return {
        "aanmelding": current.aanmelding if current is not None else None,
        "demo": bool(request.app.state.demo_burgers),
    }


MIJNGEMEENTE = Voorkant(
    prefix=PREFIX,
    cookie="mijngemeente",
    pages=pagina.templates(),  # the shared templates are the portal's
    client=Client.portal,
    ingelogd=lambda current: current.aanmelding is not None,
    kader=_kader,
    logger=logger,
)
Ingelogd = Annotated[Huidige, Depends(MIJNGEMEENTE.logged_in)]


def _parse_uuid(value: str) -> uuid_lib.UUID:
    try:
        return uuid_lib.UUID(value)
    except ValueError as exc:
        raise PageNotFound() from exc


def _who(current: Huidige) -> tuple[Onderwerp, Kijker]:
    """Whose data a logged-in session shows, and who looks (a page behind `Ingelogd`)."""
    assert current.aanmelding is not None
    return current.aanmelding.onderwerp, current.aanmelding.kijker


async def _contactgegeven(
    request: Request, session: Session, current: Huidige, ident: uuid_lib.UUID
) -> Contactgegeven:
    """One of the logged-in person's own digital addresses (PageNotFound otherwise)."""
    onderwerp, kijker = _who(current)
    found = await klantbeeld.contactgegeven(
        session, onderwerp, kijker, ident, klanten(request), logboek(request)
    )
    if found is None:
        raise PageNotFound()
    return found[0]


def _ctx(request: Request, session: Session, current: Huidige) -> Ctx:
    """The register context of a change the logged-in person makes: the portal acts as the
    application, the person (by role, never by number) as its user."""
    assert current.aanmelding is not None
    auth = AuthContext(
        client_id="mijngemeente",
        label="MijnGemeente",
        user_representation=current.aanmelding.kijker.label or "Inwoner",
    )
    return Ctx(request, session, urls_of(request), auth, settings_of(request))


def _aanmelding(claims: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The session of a citizen logged in with these claims (ClaimsError when they do not
    name one)."""
    return {"aanmelding": sessies.aanmelding_naar(from_claims(claims, settings, clock.now()))}


# notices after a change (named in the query string after the redirect, never data)
MELDINGEN = {
    "bevestigd": "Uw contactgegeven is bevestigd. U kunt het nu kiezen om berichten te ontvangen.",
    "voorkeur": "Uw voorkeur is opgeslagen.",
}


# --- the application ---------------------------------------------------------------------


def create_app(demo_burgers: Sequence[tuple[str, str]] = ()) -> FastAPI:
    """The portal, mounted at /mijn; `demo_burgers` (BSN, name) only in demo mode."""
    app = MIJNGEMEENTE.app("MijnGemeente")
    app.state.demo_burgers = list(demo_burgers)

    @app.get("/", response_class=HTMLResponse)
    async def overzicht(request: Request, session: Session, current: Ingelogd) -> Response:
        onderwerp, kijker = _who(current)
        view, _logged = await klantbeeld.klantbeeld(
            session,
            onderwerp,
            kijker,
            regels(request),
            urls_of(request),
            bron(request),
            klanten(request),
            logboek(request),
        )
        return MIJNGEMEENTE.page(
            request, "overzicht.html", {"view": view, "nav": "overzicht"}, current
        )

    @app.get("/zaken/{ident}", response_class=HTMLResponse)
    async def zaak(request: Request, ident: str, session: Session, current: Ingelogd) -> Response:
        onderwerp, kijker = _who(current)
        try:
            found = await klantbeeld.zaak(
                session,
                onderwerp,
                kijker,
                regels(request),
                _parse_uuid(ident),
                urls_of(request),
                bron(request),
                klanten(request),
                logboek(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context = {"melding": exc.melding, "nav": "overzicht"}
            return MIJNGEMEENTE.page(
                request, "zaak_niet_beschikbaar.html", context, current, status=503
            )
        if found is None:
            raise PageNotFound()
        detail, _logged = found
        return MIJNGEMEENTE.page(
            request, "zaak.html", {"detail": detail, "nav": "overzicht"}, current
        )

    @app.get("/zaken/{ident}/documenten/{document}")
    async def document(
        request: Request, ident: str, document: str, session: Session, current: Ingelogd
    ) -> Response:
        """Download a document shown on the zaak page; anything else is the 404 page."""
        onderwerp, kijker = _who(current)
        try:
            found = await klantbeeld.document(
                session,
                onderwerp,
                kijker,
                regels(request),
                _parse_uuid(ident),
                _parse_uuid(document),
                urls_of(request),
                bron(request),
                logboek(request),
            )
        except klantbeeld.ZakenNietBeschikbaar as exc:
            context = {"melding": exc.melding, "nav": "overzicht"}
            if isinstance(exc, klantbeeld.DocumentNietBeschikbaar):
                context |= {"titel": "Document niet beschikbaar", "kop": DOCUMENT_KOP}
            return MIJNGEMEENTE.page(
                request, "zaak_niet_beschikbaar.html", context, current, status=503
            )
        if found is None:
            raise PageNotFound()
        return download.response(settings_of(request), found[0], beveiligingskoppen=False)

    async def gegevens_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        fout: wijzigen.Wijziging | None = None,
        ingevuld: dict[str, str] | None = None,
    ) -> Response:
        onderwerp, kijker = _who(current)
        elders = klanten(request)
        persoon, voorkeuren, _logged = await klantbeeld.gegevens(
            session,
            onderwerp,
            kijker,
            regels(request),
            urls_of(request),
            bron(request),
            elders,
            logboek(request),
        )
        adressen = [c for p in persoon.items for c in p.contactgegevens]
        context = {
            "persoon": persoon,
            "voorkeuren": voorkeuren,
            "adressen": adressen,
            "bevestigd": [c for c in adressen if c.geverifieerd],
            "onderwerp": onderwerp,
            "kijker": kijker,
            "wijzigbaar": kijker.machtiging is None and onderwerp.soort == "bsn" and not elders,
            "alleen_inzien": wijzigen.KLANTREGISTER_ELDERS if elders else "",
            "melding": MELDINGEN.get(request.query_params.get("gelukt", "")),
            "fout": fout,
            "ingevuld": ingevuld or {},
            "nav": "gegevens",
        }
        return MIJNGEMEENTE.page(request, "gegevens.html", context, current, 400 if fout else 200)

    @app.get("/gegevens", response_class=HTMLResponse)
    async def gegevens(request: Request, session: Session, current: Ingelogd) -> Response:
        return await gegevens_pagina(request, session, current)

    @app.post("/gegevens/adressen")
    async def adres_toevoegen(request: Request, session: Session, current: Ingelogd) -> Response:
        form = await pagina.form(request, current.csrf)
        onderwerp, kijker = _who(current)
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
        return redirect(f"{PREFIX}/gegevens/adressen/{verstuurd.adres}/bevestigen")

    async def bevestig_pagina(
        request: Request,
        session: Session,
        current: Huidige,
        ident: uuid_lib.UUID,
        fout: str | None = None,
        verstuurd: bool = False,
    ) -> Response:
        adres = await _contactgegeven(request, session, current, ident)
        context = {
            "adres": adres,
            "fout": fout,
            "verstuurd": verstuurd,
            "minuten": max(1, settings_of(request).verificatie_geldigheid // 60),
            "nav": "gegevens",
        }
        return MIJNGEMEENTE.page(request, "bevestigen.html", context, current, 400 if fout else 200)

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
        form = await pagina.form(request, current.csrf)
        onderwerp, kijker = _who(current)
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
        return redirect(f"{PREFIX}/gegevens?gelukt=bevestigd#contact")

    @app.post("/gegevens/adressen/{ident}/code")
    async def nieuwe_code(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        await pagina.form(request, current.csrf)
        onderwerp, kijker = _who(current)
        adres = _parse_uuid(ident)
        try:
            await wijzigen.code_sturen(_ctx(request, session, current), onderwerp, kijker, adres)
        except wijzigen.NietGevonden as exc:
            raise PageNotFound() from exc
        except wijzigen.Wijziging as exc:
            return await bevestig_pagina(request, session, current, adres, exc.melding)
        return redirect(f"{PREFIX}/gegevens/adressen/{adres}/bevestigen?verstuurd=1")

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
        adres = await _contactgegeven(request, session, current, ident)
        context = {
            "adres": adres,
            "fout": fout,
            "waarde": adres.adres if waarde is None else waarde,
            "nav": "gegevens",
        }
        return MIJNGEMEENTE.page(request, "wijzigen.html", context, current, 400 if fout else 200)

    @app.post("/gegevens/adressen/{ident}/wijzigen")
    async def wijzig_adres_opslaan(
        request: Request, ident: str, session: Session, current: Ingelogd
    ) -> Response:
        form = await pagina.form(request, current.csrf)
        onderwerp, kijker = _who(current)
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
        return redirect(f"{PREFIX}/gegevens/adressen/{adres}/bevestigen")

    @app.post("/gegevens/voorkeuren")
    async def voorkeur(request: Request, session: Session, current: Ingelogd) -> Response:
        form = await pagina.form(request, current.csrf)
        onderwerp, kijker = _who(current)
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
        return redirect(f"{PREFIX}/gegevens?gelukt=voorkeur#voorkeuren")

    @app.get("/inzage", response_class=HTMLResponse)
    async def inzage(
        request: Request, session: Session, current: Ingelogd, pagina: str = "1"
    ) -> Response:
        """Who looked at the person's data, newest first, PER_PAGINA entries a page
        (`pagina`, from 1); a page that does not exist is the 404 page."""
        nummer = int(pagina) if pagina.isascii() and pagina.isdigit() else 0
        if not 1 <= nummer <= MAX_PAGINA:
            raise PageNotFound()
        onderwerp, kijker = _who(current)
        log, _logged = await klantbeeld.verwerkingen(session, onderwerp, kijker, logboek(request))
        paginas = max(1, -(-len(log.items) // PER_PAGINA))
        if nummer > paginas:
            raise PageNotFound()
        begin = (nummer - 1) * PER_PAGINA
        context = {
            "log": log,
            "items": log.items[begin : begin + PER_PAGINA],
            "pagina": nummer,
            "paginas": paginas,
            "nav": "inzage",
        }
        return MIJNGEMEENTE.page(request, "inzage.html", context, current)

    @app.get("/inloggen", response_class=HTMLResponse)
    async def inloggen(request: Request, session: Session, verlopen: int = 0) -> Response:
        current = await MIJNGEMEENTE.current(request, session)
        if current is not None and current.aanmelding is not None:
            return redirect(f"{PREFIX}/")
        context = {
            "oidc": MIJNGEMEENTE.provider(request).configured,
            "burgers": list(enumerate(request.app.state.demo_burgers)),
            "verlopen": bool(verlopen),
            "fout": request.query_params.get("fout") == "1",
        }
        return MIJNGEMEENTE.page(request, "inloggen.html", context)

    @app.post("/inloggen/oidc")
    async def inloggen_oidc(request: Request, session: Session) -> Response:
        return await MIJNGEMEENTE.login_starten(request, session)

    @app.get("/inloggen/terug")
    async def inloggen_terug(request: Request, session: Session) -> Response:
        return await MIJNGEMEENTE.login_terug(request, session, _aanmelding)

    @app.post("/inloggen/demo")
    async def inloggen_demo(request: Request, session: Session) -> Response:
        burgers = request.app.state.demo_burgers
        if not burgers:
            raise PageNotFound()
        form = await MIJNGEMEENTE.anonymous_form(request)
        try:
            bsn, _naam = burgers[int(form.get("burger", ""))]
        except (ValueError, IndexError) as exc:
            raise BadForm() from exc
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
        current = await MIJNGEMEENTE.current(request, session)
        gegevens = {"aanmelding": sessies.aanmelding_naar(aanmelding)}
        return await MIJNGEMEENTE.aangemeld(request, session, current, gegevens, None)

    @app.post("/uitloggen")
    async def uitloggen(request: Request, session: Session, current: Ingelogd) -> Response:
        return await MIJNGEMEENTE.uitloggen(request, session, current)

    @app.get("/uitgelogd", response_class=HTMLResponse)
    async def uitgelogd(request: Request) -> Response:
        return MIJNGEMEENTE.page(request, "uitgelogd.html", {})

    MIJNGEMEENTE.inrichten(app)

    return app
