"""`mijnzaken demo generate --documenten K`: generated documents are whole documents of the
register, linked to their zaak on both sides."""

from __future__ import annotations

from mijnzaken import generate as generate_module
from mijnzaken.demo import ZAKEN_PER_BURGER, documenten_per_zaak
from mijnzaken.generate import generate
from tests.documenten.factories import EIO


async def test_generate_documents_for_zaken(client, superuser, database, settings, monkeypatch):
    # no ANALYZE here: planner statistics of this run's tiny tables would outlive the test
    # in the shared test database and steer other tests' query plans
    monkeypatch.setattr(generate_module, "_analyze", _no_analyze)
    local = settings.model_copy(update={"base_url": "http://testserver"})
    added = await generate(local, database, citizens=3, zaken=4, documenten=2)
    assert added == 4
    documents = await client.get(EIO, headers=superuser)
    assert documents.status_code == 200, documents.text
    # the demo data loaded first brings its own documents
    demo = sum(
        len(documenten_per_zaak(burger, spec))
        for burger, zaken in enumerate(ZAKEN_PER_BURGER)
        for spec in zaken
    )
    assert documents.json()["count"] == 8 + demo
    doc = next(d for d in documents.json()["results"] if not d["identificatie"].startswith("DEMO"))
    links = await client.get(
        "/zaken/api/v1/zaakinformatieobjecten",
        params={"informatieobject": doc["url"]},
        headers=superuser,
    )
    [link] = links.json()
    mirrored = await client.get(
        "/documenten/api/v1/objectinformatieobjecten",
        params={"informatieobject": doc["url"]},
        headers=superuser,
    )
    assert [m["object"] for m in mirrored.json()] == [link["zaak"]]
    first = await client.get(doc["url"], params={"versie": 1}, headers=superuser)
    assert first.status_code == 200
    assert first.json()["informatieobjecttype"] == doc["informatieobjecttype"]


async def _no_analyze(_session: object) -> None:
    return None
