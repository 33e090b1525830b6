"""Portal sessions: a login in progress (OpenID Connect state, nonce and PKCE verifier), an
established login (subject and viewer), the CSRF token of its forms and the idle timeout.

The browser gets a random token in an HttpOnly, SameSite cookie; the database keeps its hash
and the data. Logging in replaces the session (no fixation); logging out deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core import clock
from mijnzaken.klantbeeld.identiteit import Aanmelding, Kijker, Machtiging, Onderwerp
from mijnzaken.portal import repository as repo
from mijnzaken.portal.models import Sessie

# Writing laatst_actief on every page would make every read a write; once a minute is
# precise enough for a 15-minute timeout.
TOUCH_AFTER = dt.timedelta(seconds=60)
# the keys of an established login: a citizen's (the portal) or an employee's (the KCC)
INGELOGD = ("aanmelding", "medewerker")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Huidige:
    """The session of one request: its values, copied out of the row (an error page is
    rendered after the transaction rolled back)."""

    token: str
    ident: str
    csrf: str
    gegevens: dict[str, Any]

    @classmethod
    def of(cls, token: str, sessie: Sessie) -> Huidige:
        return cls(token, sessie.id, sessie.csrf, dict(sessie.gegevens))

    @property
    def aanmelding(self) -> Aanmelding | None:
        return aanmelding_uit(self.gegevens.get("aanmelding"))

    @property
    def id_token(self) -> str | None:
        value = self.gegevens.get("id_token")
        return value if isinstance(value, str) else None


def _nieuw(session: AsyncSession, gegevens: dict[str, Any]) -> Huidige:
    token = secrets.token_urlsafe(32)
    moment = clock.now()
    sessie = Sessie(
        id=_hash(token),
        gegevens=gegevens,
        csrf=secrets.token_urlsafe(32),
        aangemaakt=moment,
        laatst_actief=moment,
    )
    repo.add(session, sessie)
    return Huidige.of(token, sessie)


async def huidige(
    session: AsyncSession, token: str | None, idle: int
) -> tuple[Huidige | None, bool]:
    """The live session for a cookie token, and whether one existed but ran idle (it is
    removed then)."""
    if not token:
        return None, False
    sessie = await repo.get(session, _hash(token))
    if sessie is None:
        return None, False
    moment = clock.now()
    if moment - sessie.laatst_actief > dt.timedelta(seconds=idle):
        await repo.remove(session, sessie.id)
        return None, any(sessie.gegevens.get(k) is not None for k in INGELOGD)
    if moment - sessie.laatst_actief > TOUCH_AFTER:
        await repo.touch(session, sessie.id, moment)
    return Huidige.of(token, sessie), False


async def begin_login(
    session: AsyncSession, current: Huidige | None, pending: dict[str, str]
) -> Huidige:
    """A fresh session holding a login in progress (the old one, if any, is dropped)."""
    if current is not None:
        await repo.remove(session, current.ident)
    return _nieuw(session, {"login": pending})


async def vervang(
    session: AsyncSession,
    current: Huidige | None,
    gegevens: dict[str, Any],
    id_token: str | None,
    idle: int,
) -> Huidige:
    """Replace the session by a new one holding `gegevens` (a new token: no session
    fixation); idle sessions are purged on the way."""
    if current is not None:
        await repo.remove(session, current.ident)
    await repo.purge_idle(session, clock.now() - dt.timedelta(seconds=idle))
    gegevens = dict(gegevens)
    if id_token:
        gegevens["id_token"] = id_token
    return _nieuw(session, gegevens)


async def bewaar(session: AsyncSession, current: Huidige, gegevens: dict[str, Any]) -> Huidige:
    """Store new `gegevens` in the live session (same token, same CSRF token)."""
    await repo.zet(session, current.ident, gegevens)
    return Huidige(current.token, current.ident, current.csrf, dict(gegevens))


async def logout(session: AsyncSession, current: Huidige) -> None:
    await repo.remove(session, current.ident)


def csrf_ok(expected: str | None, given: str | None) -> bool:
    """Whether a form's CSRF token is the one expected (constant-time)."""
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def aanmelding_naar(a: Aanmelding) -> dict[str, Any]:
    k = a.kijker
    return {
        "onderwerp": {"soort": a.onderwerp.soort, "nummer": a.onderwerp.nummer},
        "kijker": {
            "soort": k.soort,
            "identificatie": k.identificatie,
            "label": k.label,
            "niveau": k.betrouwbaarheidsniveau,
            "diensten": sorted(k.machtiging.diensten) if k.machtiging is not None else None,
        },
        "moment": a.moment.isoformat(),
    }


def aanmelding_uit(data: Any) -> Aanmelding | None:
    if not isinstance(data, dict):
        return None
    o, k = data["onderwerp"], data["kijker"]
    diensten = k.get("diensten")
    return Aanmelding(
        onderwerp=Onderwerp(o["soort"], o["nummer"]),
        kijker=Kijker(
            soort=k["soort"],
            identificatie=k["identificatie"],
            label=k.get("label", ""),
            betrouwbaarheidsniveau=k.get("niveau", ""),
            machtiging=Machtiging(frozenset(diensten)) if diensten is not None else None,
        ),
        moment=dt.datetime.fromisoformat(data["moment"]),
    )
