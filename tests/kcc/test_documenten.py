"""Document downloads in the KCC: an employee downloads a document the zaak page shows them,
exactly under the rights of their roles (per informatieobjecttype up to its
vertrouwelijkheidaanduiding, on a zaak within the roles, of the customer looked up last);
every other document, also by a typed URL, is the same 404 page as one that does not exist,
without its content. Every download writes one processing-log entry with the purpose."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from mijnzaken.verwerkingen import service as verwerkingen
from mijnzaken.verwerkingen.models import VerwerktObject
from tests.documenten import factories as df
from tests.kcc.conftest import DOEL, inzien, login, rol
from tests.klantbeeld import factories as kf
from tests.oidc_provider import Provider
from tests.zaken import factories as zf

INHOUD = b"%PDF-1.4 besluit van de gemeente"
MEDEWERKER = {"name": "Karin de Vries", "roles": ["kcc"]}


def _pad(zaak: Any, doc: dict[str, Any]) -> str:
    return f"/kcc/zaken/{zaak.uuid}/documenten/{doc['url'].rsplit('/', 1)[1]}"


async def _downloads(database: Any, nummer: str = kf.BSN_A, soort: str = "BSN") -> list[Any]:
    async with database.transaction() as session:
        found = await verwerkingen.voor_betrokkene(session, soort, nummer)
        return [e for e in found if e.actie_naam == "document downloaden"]


async def _getoond(database: Any, entry: Any) -> set[str]:
    async with database.transaction() as session:
        [obj] = (
            await session.execute(
                select(VerwerktObject).where(VerwerktObject.actie_versie_id == entry.id)
            )
        ).scalars()
    return {g["soortGegeven"] for g in obj.soorten_gegevens}


async def _dossier(database: Any, client: httpx.AsyncClient, superuser: dict[str, str]) -> Any:
    """A zaak of BSN_A with a Besluitbrief (of the role's type) and the documents the role
    may not see: another type, above the role's maximum, and one of another zaaktype."""
    vergunning = await kf.zaaktype(database, omschrijving="Parkeervergunning")
    bijstand = await kf.zaaktype(database, omschrijving="Bijzondere bijstand")
    brief = await kf.documenttype(database, vergunning, omschrijving="Besluitbrief")
    notitie = await kf.documenttype(database, vergunning, omschrijving="Interne notitie")
    bijstandbrief = await kf.documenttype(database, bijstand, omschrijving="Bijstandsbrief")
    zaak = await kf.zaak(database, vergunning, stappen=2, omschrijving="Vergunning auto")
    andere = await kf.zaak(database, bijstand, omschrijving="Bijstand aanvraag")
    van_ander = await kf.zaak(database, vergunning, bsn=kf.BSN_B, omschrijving="Van een ander")
    docs = {
        "besluit": await kf.document(
            client, superuser, brief, zaak, inhoud=INHOUD, bestandsnaam="besluit.pdf"
        ),
        "concept": await kf.document(
            client, superuser, brief, zaak, titel="Concept besluit", status="in_bewerking"
        ),
        "notitie": await kf.document(
            client, superuser, notitie, zaak, titel="Notitie behandelaar", inhoud=b"geheim"
        ),
        "geheim": await kf.document(
            client,
            superuser,
            brief,
            zaak,
            titel="Geheime brief",
            vertrouwelijkheidaanduiding="geheim",
            inhoud=b"zeer geheim",
        ),
        "bijstand": await kf.document(
            client, superuser, bijstandbrief, andere, titel="Bijstandsbesluit", inhoud=b"bijst"
        ),
        "ander": await kf.document(
            client, superuser, brief, van_ander, titel="Brief aan ander", inhoud=b"ander"
        ),
    }
    await rol(
        database,
        "kcc",
        [
            zf.zrc_autorisatie(vergunning, "zaken.lezen", maximum="vertrouwelijk"),
            df.drc_autorisatie(brief, "documenten.lezen", maximum="vertrouwelijk"),
        ],
    )
    return {"zaak": zaak, "andere": andere, "van_ander": van_ander, "docs": docs}


async def test_an_employee_downloads_a_document_of_the_zaak_page_and_each_download_is_logged(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    d = await _dossier(database, client, superuser)
    zaak, besluit = d["zaak"], d["docs"]["besluit"]
    await login(client, oidc_provider, "mw-download", MEDEWERKER)
    view = await inzien(client, kf.BSN_A)
    assert f'href="{_pad(zaak, besluit)}" download' in view.text  # also on the overview
    page = await client.get(f"/kcc/zaken/{zaak.uuid}")
    assert f'href="{_pad(zaak, besluit)}" download' in page.text
    assert f'href="{_pad(zaak, d["docs"]["concept"])}" download' in page.text  # the role decides
    assert "Notitie behandelaar" not in page.text
    assert "Geheime brief" not in page.text
    assert await _downloads(database) == []

    response = await client.get(_pad(zaak, besluit))
    assert response.status_code == 200
    assert response.content == INHOUD
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="besluit.pdf"')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    [entry] = await _downloads(database)
    assert (entry.systeem, entry.gebruiker, entry.grondslag) == (
        "MijnZaken KCC",
        "mw-download",
        DOEL,
    )
    assert entry.actor_weergave == "Medewerker van de gemeente (rol: kcc)"
    ident = besluit["url"].rsplit("/", 1)[1]
    assert await _getoond(database, entry) == {f"zaak:{zaak.uuid}", f"document:{ident}"}
    # one entry per download
    assert (await client.get(_pad(zaak, besluit))).status_code == 200
    assert len(await _downloads(database)) == 2


async def test_a_document_outside_the_roles_is_the_same_404_as_one_that_does_not_exist(
    client: httpx.AsyncClient,
    database: Any,
    oidc_provider: Provider,
    superuser: dict[str, str],
) -> None:
    d = await _dossier(database, client, superuser)
    zaak, docs = d["zaak"], d["docs"]
    await login(client, oidc_provider, "mw-verboden", MEDEWERKER)
    # before any look-up there is no customer whose documents could be downloaded
    early = await client.get(_pad(zaak, docs["besluit"]))
    assert early.status_code == 404
    assert await inzien(client, kf.BSN_A)
    unknown = await client.get(f"/kcc/zaken/{zaak.uuid}/documenten/{uuid.uuid4()}")
    assert unknown.status_code == 404
    assert "Pagina niet gevonden" in unknown.text
    besluit_id = docs["besluit"]["url"].rsplit("/", 1)[1]
    denied = {
        "another type": _pad(zaak, docs["notitie"]),
        "above the maximum": _pad(zaak, docs["geheim"]),
        "a zaak outside the roles": _pad(d["andere"], docs["bijstand"]),
        "another citizen's zaak": _pad(d["van_ander"], docs["ander"]),
        "under another zaak": f"/kcc/zaken/{d['van_ander'].uuid}/documenten/{besluit_id}",
        "an unknown zaak": f"/kcc/zaken/{uuid.uuid4()}/documenten/{besluit_id}",
        "no uuid": f"/kcc/zaken/{zaak.uuid}/documenten/geen-uuid",
    }
    for reden, pad in denied.items():
        response = await client.get(pad)
        assert response.status_code == 404, reden
        assert response.text == unknown.text, reden  # nothing tells whether it exists
        assert "content-disposition" not in response.headers, reden
        for geheim in (b"geheim", b"bijst", b"ander", INHOUD):
            assert geheim not in response.content, reden
    assert await _downloads(database) == []
    assert await _downloads(database, kf.BSN_B) == []
