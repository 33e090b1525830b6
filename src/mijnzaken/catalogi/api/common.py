"""Scopes and helpers shared by the Catalogi endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Depends, Request

from mijnzaken.core.auth import AuthContext, require
from mijnzaken.core.resource import Ctx
from mijnzaken.core.runtime import Runtime, Session, UrlsDep, get_runtime
from mijnzaken.core.urls import Urls

API = "catalogi"

# ztc-014: the Zaken and Documenten registers read the catalogue with their own read scopes.
READ = require(("ztc", "catalogi.lezen"), ("zrc", "zaken.lezen"), ("drc", "documenten.lezen"))
WRITE = require(("ztc", "catalogi.schrijven"))
UPDATE = require(("ztc", "catalogi.schrijven"), ("ztc", "catalogi.geforceerd-schrijven"))
DELETE = require(("ztc", "catalogi.schrijven"), ("ztc", "catalogi.geforceerd-verwijderen"))
FORCED_WRITE = ("ztc", "catalogi.geforceerd-schrijven")


async def read_ctx(
    request: Request,
    session: Session,
    urls: UrlsDep,
    runtime: Runtime = Depends(get_runtime),
    auth: AuthContext = Depends(READ),
) -> Ctx:
    """A dependency: the read scopes checked, the request's `Ctx` (for core/expand.py)."""
    return Ctx(request, session, urls, auth, runtime.settings)


def url(urls: Urls, collection: str, ident: Any) -> str:
    return urls.resource(API, collection, ident)


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def split_in(value: str | None) -> list[str] | None:
    """A `__in` filter value: comma-separated."""
    if value is None:
        return None
    return [v for v in value.split(",") if v]
