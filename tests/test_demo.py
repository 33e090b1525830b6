"""The demo data: loaded through the APIs, complete, idempotent, no loader client left behind."""

from __future__ import annotations

from sqlalchemy import func, select

from mijnzaken.autorisaties.models import JWTSecret
from mijnzaken.besluiten.models import Besluit
from mijnzaken.catalogi.models import ZaakType
from mijnzaken.core.settings import Settings
from mijnzaken.demo import (
    BURGERS,
    DEMO_CLIENT_ID,
    KLANTEN,
    ZAAKTYPEN,
    ZAKEN_BEDRIJF,
    ZAKEN_PER_BURGER,
    load,
)
from mijnzaken.klantinteracties.models import Klantcontact, Onderwerpobject, Partij
from mijnzaken.klantinteracties.services import inwoner
from mijnzaken.zaken.models import Rol, Zaak, ZaakBesluit


async def test_demo_load_is_complete_and_idempotent(database, settings):
    demo = Settings(database_url=settings.database_url, demo=True)
    assert await load(demo, database) is True
    assert await load(demo, database) is False
    async with database.transaction() as session:
        published = (
            await session.execute(select(func.count()).where(ZaakType.concept.is_(False)))
        ).scalar_one()
        clients = list((await session.execute(select(JWTSecret.client_id))).scalars())
        zaken = (await session.execute(select(func.count()).select_from(Zaak))).scalar_one()
        closed = (
            await session.execute(select(func.count()).where(Zaak.einddatum.is_not(None)))
        ).scalar_one()
        first_citizen = (
            await session.execute(select(func.count()).where(Rol.inp_bsn == BURGERS[0][0]))
        ).scalar_one()
    assert published == len(ZAAKTYPEN)
    assert zaken == sum(len(z) for z in ZAKEN_PER_BURGER) + len(ZAKEN_BEDRIJF)
    assert closed == sum(1 for z in ZAKEN_PER_BURGER for spec in z if spec[2] is not None)
    assert first_citizen == len(ZAKEN_PER_BURGER[0])
    assert clients == [DEMO_CLIENT_ID]
    async with database.transaction() as session:
        partijen = (await session.execute(select(func.count()).select_from(Partij))).scalar_one()
        contacten = (
            await session.execute(select(func.count()).select_from(Klantcontact))
        ).scalar_one()
        over_zaken = (
            await session.execute(select(func.count()).select_from(Onderwerpobject))
        ).scalar_one()
    assert partijen == len(BURGERS)
    assert contacten == sum(len(k["contacten"]) for k in KLANTEN)
    assert over_zaken == sum(1 for k in KLANTEN for c in k["contacten"] if c[3] is not None)


async def test_demo_citizen_sees_gegevens_and_contact_moments(database, settings):
    demo = Settings(database_url=settings.database_url, demo=True)
    await load(demo, database)
    async with database.transaction() as session:
        klant = await inwoner.klant(session, BURGERS[0][0])
        contacten = await inwoner.contacten(session, BURGERS[0][0])
    assert klant is not None
    assert klant.naam == "Suzanne Jansen"
    assert {a.adres for a in klant.adressen} == {a[0] for a in KLANTEN[0]["adressen"]}
    assert {v.kanaal for v in klant.voorkeuren} == {"email", "post"}
    assert contacten[0].onderwerp == "Vraag over het afvalrooster"
    assert sum(1 for c in contacten if c.zaken) == 2


async def test_demo_decided_zaken_have_their_besluit(database, settings):
    assert await load(Settings(database_url=settings.database_url, demo=False), database)
    with_besluittype = {z["identificatie"] for z in ZAAKTYPEN if z["besluittypen"]}
    decided = [
        spec
        for zaken in ZAKEN_PER_BURGER
        for spec in zaken
        if spec[2] is not None and spec[0] in with_besluittype
    ]
    async with database.transaction() as session:
        besluiten = (await session.execute(select(Besluit))).scalars().all()
        links = (await session.execute(select(ZaakBesluit))).scalars().all()
        closed = set(
            (await session.execute(select(Zaak.id).where(Zaak.einddatum.is_not(None)))).scalars()
        )
    assert len(decided) == 2
    assert len(besluiten) == len(decided)
    assert {b.zaak_id for b in besluiten} <= closed
    assert sorted(link.zaak_id for link in links) == sorted(b.zaak_id for b in besluiten)
    assert all(any(x.besluit.endswith(str(b.uuid)) for x in links) for b in besluiten)


async def test_without_demo_mode_no_demo_client_is_created(database, settings):
    assert await load(Settings(database_url=settings.database_url, demo=False), database) is True
    async with database.transaction() as session:
        assert (await session.execute(select(JWTSecret))).first() is None


async def test_demo_citizens_have_documents_with_content_and_a_hidden_concept(database, settings):
    from mijnzaken.core.urls import Urls
    from mijnzaken.demo import DOCUMENT_CONCEPT, documenten_per_zaak
    from mijnzaken.documenten.models import InformatieObject
    from mijnzaken.klantbeeld import service as klantbeeld
    from mijnzaken.klantbeeld.identiteit import Kijker, Onderwerp, Regels
    from mijnzaken.zaken.models import ZaakInformatieObject

    demo = Settings(database_url=settings.database_url, demo=True)
    assert await load(demo, database) is True
    expected = [
        d
        for burger, zaken in enumerate(ZAKEN_PER_BURGER)
        for spec in zaken
        for d in documenten_per_zaak(burger, spec)
    ]
    assert DOCUMENT_CONCEPT in expected
    async with database.transaction() as session:
        documenten = list((await session.execute(select(InformatieObject))).scalars())
        links = (
            await session.execute(select(func.count()).select_from(ZaakInformatieObject))
        ).scalar_one()
    assert len(documenten) == len(expected) == links
    assert all(d.inhoud_key and d.bestandsomvang for d in documenten)
    # loading again adds no documents
    assert await load(demo, database) is False
    async with database.transaction() as session:
        again = (
            await session.execute(select(func.count()).select_from(InformatieObject))
        ).scalar_one()
    assert again == len(expected)
    bsn = BURGERS[0][0]
    async with database.transaction() as session:
        view, _log = await klantbeeld.klantbeeld(
            session,
            Onderwerp("bsn", bsn),
            Kijker(soort="inwoner", identificatie=f"bsn:{bsn}"),
            Regels(),
            Urls("http://127.0.0.1:8000"),
        )
    titels = [d.titel for d in view.documenten.items]
    assert "Besluit op uw aanvraag" in titels
    assert "Uw aanvraag" in titels
    assert DOCUMENT_CONCEPT[0] not in titels
    assert len(titels) == sum(
        1
        for spec in ZAKEN_PER_BURGER[0]
        for d in documenten_per_zaak(0, spec)
        if d[2] == "definitief"
    )


async def test_demo_citizens_have_processing_log_entries(database, settings):
    from mijnzaken.demo import VERWERKING_DEMO, VERWERKINGEN_PER_BURGER
    from mijnzaken.verwerkingen.models import Verwerkingsactie, VerwerktObject

    demo = Settings(database_url=settings.database_url, demo=True)
    await load(demo, database)
    await load(demo, database)  # idempotent
    async with database.transaction() as session:
        rows = (
            await session.execute(
                select(VerwerktObject.object_id, Verwerkingsactie.actie_naam)
                .join(Verwerkingsactie, Verwerkingsactie.id == VerwerktObject.actie_versie_id)
                .where(Verwerkingsactie.verwerking_naam == VERWERKING_DEMO)
            )
        ).all()
    assert sorted(rows) == sorted(
        (BURGERS[burger][0], actie) for burger, actie, *_rest in VERWERKINGEN_PER_BURGER
    )
