"""The customer view as JSON at /klantbeeld/api/v1/, for other channels (an app, a KCC).

Two kinds of callers:
- a citizen's app with the citizen's OpenID Connect access token: `GET /klantbeeld` and
  `GET /zaken/{uuid}` show the citizen's own view (or, for a representative, what the mandate
  covers); the broker's userinfo endpoint says who the token belongs to;
- an application with a ZGW JWT and `zaken.lezen`: `POST /klantbeeld/_zoek` and
  `POST /zaken/{uuid}/_zoek` name the customer in the body (a BSN never goes in a URL); the
  application sees the zaken its autorisaties allow.

A document shown in a view is downloaded at `GET /zaken/{uuid}/documenten/{uuid}/inhoud`
(an application: `POST .../inhoud/_zoek` with the customer in the body); every download is
logged like a view.
"""

from __future__ import annotations

import logging
import uuid as uuid_lib
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import Field, model_validator
from starlette.responses import Response

from mijnzaken.core import clock
from mijnzaken.core.api import ApiModel, json_response, register_app
from mijnzaken.core.auth import authenticate
from mijnzaken.core.errors import ApiError, NotAuthenticated, NotFound, PermissionDenied
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, runtime_of, urls_of
from mijnzaken.core.validators import elfproef
from mijnzaken.klantbeeld import download, schemas, service
from mijnzaken.klantbeeld.identiteit import ClaimsError, Kijker, Onderwerp, Regels, from_claims
from mijnzaken.klantbeeld.oidc import OidcError, Provider
from mijnzaken.klantbeeld.remote import RemoteZaken
from mijnzaken.klantbeeld.remote_klanten import RemoteKlanten
from mijnzaken.klantbeeld.remote_verwerkingen import RemoteVerwerkingen
from mijnzaken.zaken.services import access as zaken_access

logger = logging.getLogger("mijnzaken.klantbeeld")
VERSION = "1.0.0"
READ = ("zrc", "zaken.lezen")


class KlantZoek(ApiModel):
    """The customer an application asks about: a BSN or a KvK-nummer."""

    bsn: str | None = Field(default=None, description="Burgerservicenummer (elfproef).")
    kvk_nummer: str | None = Field(default=None, description="KvK-nummer (8 cijfers).")

    @model_validator(mode="after")
    def _one(self) -> KlantZoek:
        if (self.bsn is None) == (self.kvk_nummer is None):
            raise ValueError("Geef precies één van bsn en kvkNummer op.")
        if self.bsn is not None and not elfproef(self.bsn, bsn=True):
            raise ValueError("Onjuist BSN: negen cijfers die voldoen aan de elfproef.")
        if self.kvk_nummer is not None and not (
            len(self.kvk_nummer) == 8 and self.kvk_nummer.isdigit()
        ):
            raise ValueError("Onjuist KvK-nummer: acht cijfers.")
        return self

    def onderwerp(self) -> Onderwerp:
        if self.bsn is not None:
            return Onderwerp("bsn", self.bsn)
        return Onderwerp("kvk", self.kvk_nummer or "")


class ZakenNietBeschikbaar(ApiError):
    """The zaken come from a remote Zaken API that cannot answer now."""

    status = 503
    code = "service_unavailable"
    title = "Het zakenregister is nu niet beschikbaar."


class DocumentNietBeschikbaar(ZakenNietBeschikbaar):
    """A document of a remote zaak cannot be read or fetched from its Documenten API now."""

    title = "Het documentenregister is nu niet beschikbaar."


def _bron(request: Request) -> RemoteZaken | None:
    return RemoteZaken.from_settings(runtime_of(request).settings)


def _klanten(request: Request) -> RemoteKlanten | None:
    return RemoteKlanten.from_settings(runtime_of(request).settings)


def _logboek(request: Request) -> RemoteVerwerkingen | None:
    """The remote processing log, one per request (it remembers a timeout, so the request
    waits only once)."""
    if not hasattr(request.state, "logboek"):
        request.state.logboek = RemoteVerwerkingen.from_settings(runtime_of(request).settings)
    found: RemoteVerwerkingen | None = request.state.logboek
    return found


def _state(request: Request, name: str, factory: Any) -> Any:
    found = getattr(request.app.state, name, None)
    if found is None:
        found = factory(runtime_of(request).settings)
        setattr(request.app.state, name, found)
    return found


def _is_zgw_token(token: str) -> bool:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return header.get("alg") == "HS256" and "client_id" in claims


async def _kijker(request: Request, session: Session) -> tuple[Kijker, Onderwerp | None]:
    """The caller as a viewer, and (for a citizen) the subject the login names."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("Er is geen geldige Bearer-token meegestuurd.")
    runtime: Runtime = runtime_of(request)
    if _is_zgw_token(token):
        auth = await authenticate(request, session, runtime)
        if not auth.has_scope(*READ):
            raise PermissionDenied()
        ctx = Ctx(request, session, urls_of(request), auth, runtime.settings)
        toegang = await zaken_access.access(ctx, READ[1])
        kijker = Kijker(
            soort="applicatie",
            identificatie=f"client:{auth.client_id}",
            label=auth.label or auth.client_id,
            toegang=toegang,
            klantregister=auth.has_scope("kic", "klantinteracties.lezen"),
            gebruiker=auth.user_id,
            gebruiker_weergave=auth.user_representation,
        )
        return kijker, None
    provider: Provider = _state(request, "oidc", Provider)
    if not provider.configured:
        raise NotAuthenticated("Deze dienst accepteert geen OpenID Connect-tokens.")
    try:
        claims = await provider.userinfo(token)
        aanmelding = from_claims(claims, runtime.settings, clock.now())
    except (OidcError, ClaimsError) as exc:
        logger.info("klantbeeld token refused: %s", exc)
        raise NotAuthenticated("Het toegangstoken wordt niet geaccepteerd.") from exc
    return aanmelding.kijker, aanmelding.onderwerp


Caller = Annotated[tuple[Kijker, Onderwerp | None], Depends(_kijker)]


def _own(caller: tuple[Kijker, Onderwerp | None]) -> tuple[Kijker, Onderwerp]:
    kijker, onderwerp = caller
    if onderwerp is None:
        raise PermissionDenied("Een applicatie noemt de klant in de body: gebruik _zoek.")
    return kijker, onderwerp


def _for(caller: tuple[Kijker, Onderwerp | None], zoek: KlantZoek) -> tuple[Kijker, Onderwerp]:
    kijker, onderwerp = caller
    if onderwerp is not None:
        raise PermissionDenied("Een inwoner ziet alleen het eigen klantbeeld: gebruik GET.")
    return kijker, zoek.onderwerp()


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True)


router = APIRouter()


async def _klantbeeld(
    request: Request, session: Session, kijker: Kijker, onderwerp: Onderwerp
) -> Response:
    regels: Regels = _state(request, "regels", Regels.from_settings)
    view, _logged = await service.klantbeeld(
        session,
        onderwerp,
        kijker,
        regels,
        urls_of(request),
        _bron(request),
        _klanten(request),
        _logboek(request),
    )
    return json_response(_dump(view))


async def _zaak(
    request: Request,
    session: Session,
    kijker: Kijker,
    onderwerp: Onderwerp,
    ident: uuid_lib.UUID,
) -> Response:
    regels: Regels = _state(request, "regels", Regels.from_settings)
    try:
        found = await service.zaak(
            session,
            onderwerp,
            kijker,
            regels,
            ident,
            urls_of(request),
            _bron(request),
            _klanten(request),
            _logboek(request),
        )
    except service.ZakenNietBeschikbaar as exc:
        raise ZakenNietBeschikbaar(exc.melding) from exc
    if found is None:
        raise NotFound()
    return json_response(_dump(found[0]))


@router.get(
    "/klantbeeld",
    response_model=schemas.Klantbeeld,
    summary="Het klantbeeld van de ingelogde inwoner of onderneming",
    operation_id="klantbeeld_read",
)
async def klantbeeld_read(request: Request, session: Session, caller: Caller) -> Response:
    return await _klantbeeld(request, session, *_own(caller))


@router.post(
    "/klantbeeld/_zoek",
    response_model=schemas.Klantbeeld,
    summary="Het klantbeeld van een klant, voor een applicatie met zaken.lezen",
    operation_id="klantbeeld__zoek",
)
async def klantbeeld_zoek(
    request: Request, session: Session, caller: Caller, zoek: KlantZoek
) -> Response:
    return await _klantbeeld(request, session, *_for(caller, zoek))


@router.get(
    "/zaken/{uuid}",
    response_model=schemas.ZaakDetail,
    summary="Eén zaak van de ingelogde inwoner of onderneming, met de hele tijdlijn",
    operation_id="klantbeeld_zaak_read",
)
async def zaak_read(
    request: Request, session: Session, caller: Caller, uuid: uuid_lib.UUID
) -> Response:
    return await _zaak(request, session, *_own(caller), uuid)


@router.post(
    "/zaken/{uuid}/_zoek",
    response_model=schemas.ZaakDetail,
    summary="Eén zaak van een klant, voor een applicatie met zaken.lezen",
    operation_id="klantbeeld_zaak__zoek",
)
async def zaak_zoek(
    request: Request, session: Session, caller: Caller, uuid: uuid_lib.UUID, zoek: KlantZoek
) -> Response:
    return await _zaak(request, session, *_for(caller, zoek), uuid)


async def _document(
    request: Request,
    session: Session,
    kijker: Kijker,
    onderwerp: Onderwerp,
    ident: uuid_lib.UUID,
    document: uuid_lib.UUID,
) -> Response:
    regels: Regels = _state(request, "regels", Regels.from_settings)
    try:
        found = await service.document(
            session,
            onderwerp,
            kijker,
            regels,
            ident,
            document,
            urls_of(request),
            _bron(request),
            _logboek(request),
        )
    except service.DocumentNietBeschikbaar as exc:
        raise DocumentNietBeschikbaar(exc.melding) from exc
    except service.ZakenNietBeschikbaar as exc:
        raise ZakenNietBeschikbaar(exc.melding) from exc
    if found is None:
        raise NotFound()
    return download.response(runtime_of(request).settings, found[0])


_INHOUD: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "De inhoud van het document, als bijlage.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get(
    "/zaken/{uuid}/documenten/{document}/inhoud",
    response_class=Response,
    responses=_INHOUD,
    summary="De inhoud van een document bij een zaak van de ingelogde inwoner of onderneming",
    operation_id="klantbeeld_document_inhoud",
)
async def document_inhoud(
    request: Request,
    session: Session,
    caller: Caller,
    uuid: uuid_lib.UUID,
    document: uuid_lib.UUID,
) -> Response:
    return await _document(request, session, *_own(caller), uuid, document)


@router.post(
    "/zaken/{uuid}/documenten/{document}/inhoud/_zoek",
    response_class=Response,
    responses=_INHOUD,
    summary="De inhoud van een document bij een zaak van een klant, voor een applicatie",
    operation_id="klantbeeld_document_inhoud__zoek",
)
async def document_inhoud_zoek(
    request: Request,
    session: Session,
    caller: Caller,
    uuid: uuid_lib.UUID,
    document: uuid_lib.UUID,
    zoek: KlantZoek,
) -> Response:
    return await _document(request, session, *_for(caller, zoek), uuid, document)


def create_app() -> FastAPI:
    return register_app(
        title="Klantbeeld API",
        version=VERSION,
        description=(
            "Het klantbeeld van MijnZaken: zaken met statushistorie, producten, documenten, "
            "contactmomenten, afspraken, gegevens en voorkeuren van één klant, beperkt tot wat "
            "de vrager mag zien. Elke opvraging wordt vastgelegd in de verwerkingenlogging."
        ),
        routers=[router],
    )
