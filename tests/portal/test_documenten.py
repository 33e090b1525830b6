"""Documents in MijnGemeente: the zaak page lists the documents a citizen may see, the
overview counts them, and a download streams exactly those and nothing else (every other
document, also by typed URL, is the same 404 page as an unknown one); every download is
logged and shown on the inzage page."""

from __future__ import annotations

import uuid
from typing import Any

from mijnzaken.catalogi import models as cm
from mijnzaken.core import clock
from mijnzaken.zaken import models as m
from tests.klantbeeld import factories as kf
from tests.oidc_provider import Provider
from tests.portal.conftest import demo_login, oidc_login
from tests.statements import warm_count


async def _zaak_met_documenten(
    database: Any, **zt_over: Any
) -> tuple[Any, cm.InformatieObjectType, Any]:
    zt = await kf.zaaktype(database, **zt_over)
    iot = await kf.documenttype(database, zt)
    zaak = await kf.zaak(database, zt, stappen=2, omschrijving="Dakkapel plaatsen")
    return zt, iot, zaak


def _pad(zaak: Any, doc: dict[str, Any]) -> str:
    return f"/mijn/zaken/{zaak.uuid}/documenten/{doc['url'].rsplit('/', 1)[1]}"


async def test_zaak_page_lists_the_documents_the_citizen_may_see(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    besluit = await kf.document(client, superuser, iot, zaak, inhoud=b"x" * 1500)
    await kf.document(
        client, superuser, iot, zaak, titel="Gearchiveerde brief", status="gearchiveerd"
    )
    await kf.document(client, superuser, iot, zaak, titel="Concept besluit", status="in_bewerking")
    await kf.document(
        client,
        superuser,
        iot,
        zaak,
        titel="Intern advies",
        vertrouwelijkheidaanduiding="vertrouwelijk",
    )
    await demo_login(client)
    page = await client.get(f"/mijn/zaken/{zaak.uuid}")
    assert page.status_code == 200
    assert "Besluit op uw aanvraag" in page.text
    assert "Gearchiveerde brief" in page.text
    assert "besluit.pdf, application/pdf, 1,5 kB, gemaakt op 1 maart 2024" in page.text
    assert f'href="{_pad(zaak, besluit)}" download' in page.text
    assert "Concept besluit" not in page.text
    assert "Intern advies" not in page.text
    assert "nog niet beschikbaar" not in page.text


async def test_a_link_to_a_remote_document_is_not_listed(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    await kf.document(client, superuser, iot, zaak)
    async with database.transaction() as session:
        session.add(
            m.ZaakInformatieObject(
                zaak_id=zaak.id,
                informatieobject="https://documenten.elders.nl/api/v1/enkelvoudiginformatieobjecten/1",
                titel="Elders opgeslagen",
                registratiedatum=clock.now(),
            )
        )
    await demo_login(client)
    page = (await client.get(f"/mijn/zaken/{zaak.uuid}")).text
    assert "Besluit op uw aanvraag" in page
    assert "Elders opgeslagen" not in page
    assert "elders.nl" not in page


async def test_overview_counts_the_documents_and_shows_the_newest(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    await kf.document(client, superuser, iot, zaak, titel="Ontvangstbevestiging")
    await kf.document(client, superuser, iot, zaak, titel="Concept", status="in_bewerking")
    await demo_login(client)
    page = (await client.get("/mijn/")).text
    assert "U heeft 1 document bij uw aanvragen." in page
    assert "Ontvangstbevestiging" in page
    assert "Concept" not in page
    assert "Documenten zijn nog niet beschikbaar" not in page


async def test_download_streams_the_content_as_an_attachment_and_is_logged(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    inhoud = bytes(range(256)) * 300
    doc = await kf.document(
        client, superuser, iot, zaak, inhoud=inhoud, bestandsnaam='../bes"luit ü.pdf'
    )
    await demo_login(client)
    response = await client.get(_pad(zaak, doc))
    assert response.status_code == 200
    assert response.content == inhoud
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-length"] == str(len(inhoud))
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="bes_luit u.pdf"')
    assert "filename*=UTF-8''bes_luit%20%C3%BC.pdf" in disposition
    assert ".." not in disposition
    inzage = (await client.get("/mijn/inzage")).text
    assert inzage.count("document downloaden") == 1
    assert kf.BSN_A not in inzage


async def test_a_document_without_a_plain_media_type_is_sent_as_bytes(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    doc = await kf.document(client, superuser, iot, zaak, formaat="text/html; charset=x")
    await demo_login(client)
    response = await client.get(_pad(zaak, doc))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"


async def test_no_other_document_can_be_downloaded_not_even_by_typing_its_url(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    zt, iot, zaak = await _zaak_met_documenten(database)
    eigen = await kf.document(client, superuser, iot, zaak)
    concept = await kf.document(client, superuser, iot, zaak, status="ter_vaststelling")
    geheim = await kf.document(
        client, superuser, iot, zaak, vertrouwelijkheidaanduiding="confidentieel"
    )
    ander = await kf.zaak(database, zt, bsn=kf.BSN_B)
    van_b = await kf.document(client, superuser, iot, ander)
    intern_zt = await kf.zaaktype(database, indicatie_intern_of_extern="intern")
    intern_iot = await kf.documenttype(database, intern_zt)
    intern = await kf.zaak(database, intern_zt)
    van_intern = await kf.document(client, superuser, intern_iot, intern)
    await demo_login(client)
    unknown = await client.get(f"/mijn/zaken/{zaak.uuid}/documenten/{uuid.uuid4()}")
    assert unknown.status_code == 404
    refused = [
        _pad(zaak, concept),  # a concept of the citizen's own zaak
        _pad(zaak, geheim),  # too confidential
        _pad(ander, van_b),  # another citizen's zaak and document
        _pad(zaak, van_b),  # another citizen's document under the citizen's own zaak
        _pad(intern, van_intern),  # the citizen's zaak of an intern zaaktype
        f"/mijn/zaken/{zaak.uuid}/documenten/niet-een-uuid",
    ]
    for path in refused:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.text == unknown.text, path
    assert (await client.get(_pad(zaak, eigen))).status_code == 200
    # only the one allowed download is in the log
    assert (await client.get("/mijn/inzage")).text.count("document downloaden") == 1


async def test_downloads_need_a_login(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    doc = await kf.document(client, superuser, iot, zaak)
    response = await client.get(_pad(zaak, doc))
    assert response.status_code == 303
    assert response.headers["location"] == "/mijn/inloggen"


async def test_a_representative_downloads_only_what_the_mandate_covers(
    client: Any, database: Any, superuser: dict[str, str], oidc_provider: Provider
) -> None:
    gedekt_zt = await kf.zaaktype(database, identificatie="PARKEERVERGUNNING")
    gedekt_iot = await kf.documenttype(database, gedekt_zt)
    gedekt = await kf.zaak(database, gedekt_zt)
    in_mandaat = await kf.document(client, superuser, gedekt_iot, gedekt, titel="Gedekt besluit")
    ander_zt = await kf.zaaktype(database)
    ander_iot = await kf.documenttype(database, ander_zt)
    buiten = await kf.zaak(database, ander_zt)
    niet_gedekt = await kf.document(client, superuser, ander_iot, buiten)
    await oidc_login(
        client,
        oidc_provider,
        "machtiging-documenten",
        {
            "bsn": kf.BSN_B,
            "vertegenwoordigde": {"bsn": kf.BSN_A},
            "machtiging": {"diensten": ["PARKEERVERGUNNING"]},
        },
    )
    assert "Gedekt besluit" in (await client.get(f"/mijn/zaken/{gedekt.uuid}")).text
    assert (await client.get(_pad(gedekt, in_mandaat))).status_code == 200
    assert (await client.get(_pad(buiten, niet_gedekt))).status_code == 404
    assert (await client.get(_pad(gedekt, niet_gedekt))).status_code == 404


async def test_zaak_page_costs_the_same_statements_for_one_document_or_twenty(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    _zt, iot, zaak = await _zaak_met_documenten(database)
    await kf.document(client, superuser, iot, zaak)
    await demo_login(client)
    path = f"/mijn/zaken/{zaak.uuid}"
    one = await warm_count(database, lambda: client.get(path))
    for n in range(19):
        await kf.document(client, superuser, iot, zaak, titel=f"Brief {n}")
    assert await warm_count(database, lambda: client.get(path)) == one
    assert (await client.get(path)).text.count("download>") == 20


async def test_overview_costs_the_same_statements_for_few_or_many_zaken_and_documents(
    client: Any, database: Any, superuser: dict[str, str]
) -> None:
    zt, iot, zaak = await _zaak_met_documenten(database)
    await kf.document(client, superuser, iot, zaak)
    await demo_login(client)
    one = await warm_count(database, lambda: client.get("/mijn/"))
    for _ in range(10):
        meer = await kf.zaak(database, zt)
        await kf.document(client, superuser, iot, meer)
        await kf.document(client, superuser, iot, meer, status="in_bewerking")
    assert await warm_count(database, lambda: client.get("/mijn/")) == one
