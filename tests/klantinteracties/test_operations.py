"""Every operation of every Klantinteracties resource, once on a real object: create, list,
retrieve, update (PUT), partial update (PATCH) and destroy. Each answer is also checked against
the official spec by the `client` fixture."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.klantinteracties import factories as f

Body = dict[str, Any]
Maker = Callable[[Any, dict[str, str]], Awaitable[tuple[Body, Body]]]


async def _partij(client, h):
    return f.persoon(), {"interneNotitie": "gewijzigd"}


async def _identificator(client, h):
    partij = await f.create_partij(client, h)
    return {"identificeerdePartij": {"uuid": partij["uuid"]}, **f.bsn_identificator()}, {
        "anderePartijIdentificator": "intern-1"
    }


async def _adres(client, h):
    return {"adres": "a@example.nl", "soortDigitaalAdres": "email"}, {"omschrijving": "werk"}


async def _rekening(client, h):
    return {"iban": "NL91ABNA0417164300"}, {"bic": "ABNANL2A"}


async def _vertegenwoordiging(client, h):
    a = await f.create_partij(client, h)
    b = await f.create_partij(client, h)
    return {
        "vertegenwoordigendePartij": {"uuid": a["uuid"]},
        "vertegenwoordigdePartij": {"uuid": b["uuid"]},
    }, {"vertegenwoordigendePartij": {"uuid": a["uuid"]}}


async def _categorie(client, h):
    return {"naam": "Ondernemer"}, {"naam": "Inwoner"}


async def _categorie_relatie(client, h):
    c = await f.post(client, h, "categorieen", {"naam": "Ondernemer"})
    return {"categorie": {"uuid": c["uuid"]}, "beginDatum": "2026-01-01"}, {
        "eindDatum": "2026-12-31"
    }


async def _klantcontact(client, h):
    return f.klantcontact(), {"reactie": "Teruggebeld"}


async def _betrokkene(client, h):
    kc = await f.create_klantcontact(client, h)
    return {"hadKlantcontact": {"uuid": kc["uuid"]}, "rol": "klant", "initiator": True}, {
        "organisatienaam": "Gemeente"
    }


async def _onderwerpobject(client, h):
    kc = await f.create_klantcontact(client, h)
    return {"klantcontact": {"uuid": kc["uuid"]}}, {
        "onderwerpobjectidentificator": {"objectId": "1", "codeObjecttype": "product"}
    }


async def _bijlage(client, h):
    kc = await f.create_klantcontact(client, h)
    return {"wasBijlageVanKlantcontact": {"uuid": kc["uuid"]}}, {
        "bijlageidentificator": {"objectId": "doc-1"}
    }


def _actor_body() -> Body:
    return {
        "naam": "Balie",
        "soortActor": "organisatorische_eenheid",
        "actorIdentificatie": {"omschrijving": "Publiekszaken"},
    }


async def _actor(client, h):
    return _actor_body(), {"indicatieActief": False}


async def _actorklantcontact(client, h):
    actor = await f.post(client, h, "actoren", _actor_body())
    kc = await f.create_klantcontact(client, h)
    other = await f.create_klantcontact(client, h)
    return {"actor": {"uuid": actor["uuid"]}, "klantcontact": {"uuid": kc["uuid"]}}, {
        "klantcontact": {"uuid": other["uuid"]}
    }


async def _internetaak(client, h):
    actor = await f.post(client, h, "actoren", _actor_body())
    kc = await f.create_klantcontact(client, h)
    return {
        "gevraagdeHandeling": "Terugbellen",
        "aanleidinggevendKlantcontact": {"uuid": kc["uuid"]},
        "toegewezenAanActoren": [{"uuid": actor["uuid"]}],
        "status": "te_verwerken",
    }, {"toelichting": "Na 14 uur"}


RESOURCES: dict[str, Maker] = {
    "partijen": _partij,
    "partij-identificatoren": _identificator,
    "digitaleadressen": _adres,
    "rekeningnummers": _rekening,
    "vertegenwoordigingen": _vertegenwoordiging,
    "categorieen": _categorie,
    "categorie-relaties": _categorie_relatie,
    "klantcontacten": _klantcontact,
    "betrokkenen": _betrokkene,
    "onderwerpobjecten": _onderwerpobject,
    "bijlagen": _bijlage,
    "actoren": _actor,
    "actorklantcontacten": _actorklantcontact,
    "internetaken": _internetaak,
}


@pytest.mark.parametrize("collection", list(RESOURCES))
async def test_every_operation_on_a_real_object(client, superuser, collection):
    body, change = await RESOURCES[collection](client, superuser)
    created = await f.post(client, superuser, collection, body)
    listed = await client.get(f"{f.API}/{collection}", headers=superuser)
    assert created["url"] in [item["url"] for item in listed.json()["results"]]
    assert (await client.get(created["url"], headers=superuser)).json() == created
    put = await client.put(created["url"], json={**body, **change}, headers=superuser)
    assert put.status_code == 200, put.text
    patch = await client.patch(created["url"], json=change, headers=superuser)
    assert patch.status_code == 200, patch.text
    for key in change:
        assert patch.json()[key] == put.json()[key]
    assert (await client.delete(created["url"], headers=superuser)).status_code == 204
    assert (await client.get(created["url"], headers=superuser)).status_code == 404
