"""Typed helpers for Notificaties tests: clients with nrc scopes, abonnementen, messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx

API = "/notificaties/api/v1"
BASE = "http://testserver" + API


def nrc(*scopes: str) -> dict[str, Any]:
    """An autorisatie for the `register` fixture: these scopes on the Notificaties API."""
    return {"component": "nrc", "scopes": list(scopes)}


async def consumer(register: Callable[..., Any], client_id: str = "consumer") -> dict[str, str]:
    headers: dict[str, str] = await register(
        client_id, f"{client_id}-geheim", autorisaties=[nrc("notificaties.consumeren")]
    )
    return headers


async def publisher(register: Callable[..., Any], client_id: str = "publisher") -> dict[str, str]:
    headers: dict[str, str] = await register(
        client_id, f"{client_id}-geheim", autorisaties=[nrc("notificaties.publiceren")]
    )
    return headers


async def operator(register: Callable[..., Any]) -> dict[str, str]:
    headers: dict[str, str] = await register(
        "beheerder", "beheerder-geheim", autorisaties=[nrc("notificaties.beheer")]
    )
    return headers


def abonnement_body(
    callback: str,
    kanalen: list[dict[str, Any]] | None = None,
    *,
    auth: str = "Bearer abonnee-token",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "callbackUrl": callback,
        "auth": auth,
        "kanalen": kanalen if kanalen is not None else [{"naam": "zaken"}],
        **extra,
    }


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], callback: str, **kwargs: Any
) -> dict[str, Any]:
    resp = await client.post(
        f"{API}/abonnement", json=abonnement_body(callback, **kwargs), headers=headers
    )
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


ZAAKTYPE_A = "http://testserver/catalogi/api/v1/zaaktypen/8c0f1a4e-38a1-4b0b-a0a4-6ad1d4c5f001"
ZAAKTYPE_B = "http://testserver/catalogi/api/v1/zaaktypen/8c0f1a4e-38a1-4b0b-a0a4-6ad1d4c5f002"


def message(n: int = 1, zaaktype: str = ZAAKTYPE_A, **kenmerken: str) -> dict[str, Any]:
    zaak = f"http://testserver/zaken/api/v1/zaken/00000000-0000-4000-8000-{n:012d}"
    return {
        "kanaal": "zaken",
        "hoofdObject": zaak,
        "resource": "zaak",
        "resourceUrl": zaak,
        "actie": "create",
        "aanmaakdatum": dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC).isoformat(),
        "kenmerken": {
            "bronorganisatie": "002220647",
            "zaaktype": zaaktype,
            "vertrouwelijkheidaanduiding": "openbaar",
            **kenmerken,
        },
    }


async def publish(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{API}/notificaties", json=body, headers=headers)
