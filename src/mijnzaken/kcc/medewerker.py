"""Who the employee is (from their identity provider's claims), what their roles may see,
and the purposes a look-up can name.

A role's rights live in the Autorisaties register: the Applicatie with client id
`kcc-rol:<role>` and its autorisaties (`zrc` zaken.lezen per zaaktype, `drc` documenten.lezen
per informatieobjecttype, each up to a vertrouwelijkheidaanduiding, and `kic`
klantinteracties.lezen for contact data). An employee with several roles gets the union; the
same access code that filters an application's requests filters the employee's view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.autorisaties import service as autorisaties
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.resource import Ctx
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls
from mijnzaken.documenten.services import access as documenten_access
from mijnzaken.klantbeeld.identiteit import ClaimsError, Kijker, claim
from mijnzaken.zaken.services import access as zaken_access

ROL_CLIENT_ID = autorisaties.ROL_CLIENT_ID  # + the role's name: its Applicatie's client id
MAX_ROL = 50 - len(ROL_CLIENT_ID)  # client ids are at most 50 characters


@dataclass(frozen=True)
class Medewerker:
    """A logged-in employee: the identity provider's user id, their name and roles."""

    gebruiker: str
    naam: str
    rollen: tuple[str, ...]

    def naar(self) -> dict[str, Any]:
        return {"gebruiker": self.gebruiker, "naam": self.naam, "rollen": list(self.rollen)}

    @classmethod
    def uit(cls, data: Any) -> Medewerker | None:
        if not isinstance(data, dict):
            return None
        return cls(str(data["gebruiker"]), str(data["naam"]), tuple(data["rollen"]))


# the demo employee (MIJNZAKEN_DEMO only); the demo data gives its role rights
DEMO_MEDEWERKER = Medewerker("demo-medewerker", "Demo Medewerker", ("klantcontactcentrum",))


def from_claims(claims: Mapping[str, Any], settings: Settings) -> Medewerker:
    """The employee from the ID token's (and userinfo's) claims, at the configured paths. The
    roles claim may be a list or one string; an employee without roles is still an employee
    (they are shown that they have no access)."""
    gebruiker = claim(claims, settings.kcc_oidc_gebruiker_claim)
    if not isinstance(gebruiker, str | int) or not str(gebruiker).strip():
        raise ClaimsError("de aanmelding noemt geen gebruiker")
    naam = claim(claims, settings.kcc_oidc_naam_claim)
    rollen = claim(claims, settings.kcc_oidc_rollen_claim)
    if isinstance(rollen, str):
        rollen = [rollen]
    if not isinstance(rollen, list):
        rollen = []
    gevonden = (str(r).strip() for r in rollen if isinstance(r, str | int))
    return Medewerker(
        gebruiker=str(gebruiker).strip(),
        naam=str(naam).strip() if isinstance(naam, str) and naam.strip() else str(gebruiker),
        rollen=tuple(dict.fromkeys(r for r in gevonden if r and len(r) <= MAX_ROL)),
    )


def doelen(settings: Settings) -> list[str]:
    """The purposes an employee chooses from (MIJNZAKEN_KCC_DOELEN, separated by `;`)."""
    return [d.strip() for d in settings.kcc_doelen.split(";") if d.strip()]


@dataclass(frozen=True)
class Rechten:
    """What the employee's roles give: the roles that exist in the register, and the viewer
    to hand the klantbeeld service (None: no role gives access)."""

    rollen: tuple[str, ...]
    kijker: Kijker | None


async def rechten(
    request: Request,
    session: AsyncSession,
    urls: Urls,
    settings: Settings,
    medewerker: Medewerker,
    doel: str = "",
) -> Rechten:
    """The viewer for `medewerker` looking for `doel`: the union of the rights of their roles'
    Applicaties, read on every request (a changed role applies at once). Two queries for the
    roles and their zaaktypen and informatieobjecttypen."""
    if not medewerker.rollen:
        return Rechten((), None)
    per_client = {f"{ROL_CLIENT_ID}{rol}": rol for rol in medewerker.rollen}
    found = await autorisaties.rechten_van(session, per_client)
    if not found.gevonden:
        return Rechten((), None)
    auth = AuthContext(
        client_id="kcc",
        label="KCC",
        user_id=medewerker.gebruiker,
        heeft_alle_autorisaties=found.heeft_alle_autorisaties,
        autorisaties=found.autorisaties,
    )
    ctx = Ctx(request, session, urls, auth, settings)
    kijker = Kijker(
        soort="medewerker",
        identificatie=medewerker.gebruiker,
        label=medewerker.naam,
        toegang=await zaken_access.access(ctx, "zaken.lezen"),
        klantregister=auth.has_scope("kic", "klantinteracties.lezen"),
        rollen=found.gevonden,
        doel=doel,
        documenttoegang=await documenten_access.access(ctx, "documenten.lezen"),
    )
    return Rechten(found.gevonden, kijker)


def rollen_tekst(rollen: Sequence[str]) -> str:
    return ", ".join(rollen)
