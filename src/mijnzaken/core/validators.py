"""Field types shared by the registers: identifiers with the eleven-test, durations, URLs,
moments."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

import isodate
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError


def _fail(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message, {"code": code})


def elfproef(number: str, *, bsn: bool) -> bool:
    """The eleven-test of BSN (last weight -1) and RSIN (same test, same weights)."""
    if len(number) != 9 or not number.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(number, weights, strict=True))
    if bsn and number == "000000000":
        return False
    return total % 11 == 0


def check_rsin(value: str) -> str:
    if not elfproef(value, bsn=False):
        raise _fail("invalid", "Onjuist RSIN-nummer: negen cijfers die voldoen aan de elfproef.")
    return value


def check_bsn(value: str) -> str:
    if not elfproef(value, bsn=True):
        raise _fail("invalid", "Onjuist BSN: negen cijfers die voldoen aan de elfproef.")
    return value


def check_duration(value: str) -> str:
    """An ISO 8601 duration such as `P30D` or `P1Y2M`."""
    if not value.startswith("P") and not value.startswith("-P"):
        raise _fail("invalid", "Ongeldige duur: gebruik ISO 8601, bijvoorbeeld P30D.")
    try:
        isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError, OverflowError) as exc:
        raise _fail("invalid", "Ongeldige duur: gebruik ISO 8601, bijvoorbeeld P30D.") from exc
    return value


def check_url(value: str) -> str:
    """An absolute http(s) URL (syntax only; references are resolved by the services)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise _fail("invalid", "Voer een geldige URL in.") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise _fail("invalid", "Voer een geldige URL in.")
    return value


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def check_moment(value: dt.datetime) -> dt.datetime:
    """A moment in UTC. One without a zone is Dutch local time, as in the reference
    implementation; one that UTC cannot express (around year 1 or 9999) is bad input."""
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=AMSTERDAM)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise _fail("invalid", "Ongeldig tijdstip.") from exc


def check_email(value: str) -> str:
    local, sep, domain = value.rpartition("@")
    if not sep or not local or "." not in domain or " " in value or domain.startswith("."):
        raise _fail("invalid", "Voer een geldig e-mailadres in.")
    return value


Rsin = Annotated[str, Field(max_length=9), AfterValidator(check_rsin)]
Bsn = Annotated[str, Field(max_length=9), AfterValidator(check_bsn)]
Duration = Annotated[
    str, Field(json_schema_extra={"format": "duration"}), AfterValidator(check_duration)
]
Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(check_email)
]


Url = Annotated[
    str, Field(max_length=1000, json_schema_extra={"format": "uri"}), AfterValidator(check_url)
]
Url200 = Annotated[
    str, Field(max_length=200, json_schema_extra={"format": "uri"}), AfterValidator(check_url)
]
# a date-time given by a client (body or query): an aware moment in UTC
Moment = Annotated[dt.datetime, AfterValidator(check_moment)]
