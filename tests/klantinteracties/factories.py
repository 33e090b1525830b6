"""Typed helpers for Klantinteracties test data: request bodies, and objects created through
the API (the register's own rules apply to them) or stored directly through the ORM."""

from __future__ import annotations

from typing import Any

import httpx

from mijnzaken.core.db import Database
from mijnzaken.klantinteracties import models as m

API = "/klantinteracties/api/v1"
BASE = f"http://testserver{API}"
BSN = "999993653"  # test BSN (passes the eleven-test)
BSN_2 = "999990019"
KVK = "12345678"
RSIN = "002220647"


def bsn(n: int) -> str:
    """The n-th valid (eleven-test) BSN of a test series, n >= 0."""
    base = 10_000_000 + n
    while True:
        digits = f"{base:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        if total % 11 < 10:
            return digits + str(total % 11)
        base += 1


def url(collection: str, obj: Any) -> str:
    return f"{BASE}/{collection}/{obj.uuid}"


def kic(*scopes: str) -> dict[str, Any]:
    """An autorisatie of component kic with these scopes, for the `register` fixture."""
    return {"component": "kic", "scopes": list(scopes)}


ALL_SCOPES = (
    "klantinteracties.lezen",
    "klantinteracties.aanmaken",
    "klantinteracties.bijwerken",
    "klantinteracties.verwijderen",
    "kanaalvoorkeuren.lezen",
    "kanaalvoorkeuren.bijwerken",
    "digitaleadressen.verifieren",
)


def persoon(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "soortPartij": "persoon",
        "indicatieActief": True,
        "voorkeurstaal": "nld",
        "partijIdentificatie": {
            "contactnaam": {
                "voorletters": "J",
                "voornaam": "Jan",
                "voorvoegselAchternaam": "de",
                "achternaam": "Vries",
            }
        },
    }
    body.update(over)
    return body


def organisatie(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "soortPartij": "organisatie",
        "indicatieActief": True,
        "partijIdentificatie": {"naam": "Bakkerij De Korenaar"},
    }
    body.update(over)
    return body


def bsn_identificator(bsn: str = BSN) -> dict[str, Any]:
    return {
        "partijIdentificator": {
            "codeObjecttype": "natuurlijk_persoon",
            "codeSoortObjectId": "bsn",
            "objectId": bsn,
            "codeRegister": "brp",
        }
    }


def klantcontact(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kanaal": "telefoon",
        "onderwerp": "Vraag over de parkeervergunning",
        "inhoud": "Wanneer wordt mijn aanvraag behandeld?",
        "taal": "nld",
        "vertrouwelijk": False,
        "plaatsgevondenOp": "2026-03-02T10:00:00Z",
    }
    body.update(over)
    return body


async def post(
    client: httpx.AsyncClient, headers: dict[str, str], collection: str, body: Any
) -> dict[str, Any]:
    resp = await client.post(f"{API}/{collection}", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    created: dict[str, Any] = resp.json()
    return created


async def create_partij(
    client: httpx.AsyncClient, headers: dict[str, str], **over: Any
) -> dict[str, Any]:
    return await post(client, headers, "partijen", persoon(**over))


async def create_klantcontact(
    client: httpx.AsyncClient, headers: dict[str, str], **over: Any
) -> dict[str, Any]:
    return await post(client, headers, "klantcontacten", klantcontact(**over))


async def create_adres(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    partij: dict[str, Any] | None = None,
    **over: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "adres": "jan@example.nl",
        "soortDigitaalAdres": "email",
        "verstrektDoorPartij": {"uuid": partij["uuid"]} if partij else None,
    }
    body.update(over)
    return await post(client, headers, "digitaleadressen", body)


async def store(database: Database, *objs: Any) -> None:
    async with database.transaction() as session:
        session.add_all(objs)
        await session.flush()


async def rows(database: Database, model: Any) -> list[Any]:
    from sqlalchemy import select

    async with database.transaction() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


__all__ = ["m"]
