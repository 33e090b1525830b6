"""The klantbeeld service itself: the processing-log entry every view prepares, and the
citizen rules that do not depend on a register being connected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls
from mijnzaken.klantbeeld import service
from mijnzaken.klantbeeld.identiteit import (
    ClaimsError,
    Kijker,
    Onderwerp,
    Regels,
    from_claims,
)
from mijnzaken.klantbeeld.oidc import OidcError, Provider
from tests import oidc_provider as op
from tests.klantbeeld import factories as kf

BURGER = Onderwerp("bsn", kf.BSN_A)
ZELF = Kijker(soort="inwoner", identificatie=f"bsn:{kf.BSN_A}", label="Inwoner")


async def test_every_view_prepares_one_log_entry_naming_what_was_shown(database: Any) -> None:
    zt = await kf.zaaktype(database)
    shown = await kf.zaak(database, zt)
    hidden = await kf.zaak(database, zt, vertrouwelijkheidaanduiding="vertrouwelijk")
    regels = Regels()
    urls = Urls("http://testserver")
    async with database.transaction() as session:
        _view, overzicht = await service.klantbeeld(session, BURGER, ZELF, regels, urls)
        found = await service.zaak(session, BURGER, ZELF, regels, shown.uuid, urls)
        assert found is not None
        _detail, detail = found
        *_sections, gegevens = await service.gegevens(session, BURGER, ZELF, regels, urls)
        _log, inzage = await service.verwerkingen(session, BURGER, ZELF)
    assert overzicht.activiteit == "klantbeeld inzien"
    assert f"zaak:{shown.uuid}" in overzicht.getoond
    assert f"zaak:{hidden.uuid}" not in overzicht.getoond
    assert {"sectie:lopende_zaken", "sectie:producten"} <= set(overzicht.getoond)
    assert "sectie:afspraken" not in overzicht.getoond  # nothing shown from it
    assert detail.activiteit == "zaak inzien"
    assert detail.getoond == [
        "sectie:documenten",
        "sectie:contactmomenten",
        f"zaak:{shown.uuid}",
    ]
    assert gegevens.activiteit == "gegevens inzien"
    assert inzage.activiteit == "verwerkingen inzien"
    for entry in (overzicht, detail, gegevens, inzage):
        assert entry.onderwerp == BURGER
        assert entry.kijker == ZELF
        assert dt.datetime.now(dt.UTC) - entry.moment < dt.timedelta(minutes=1)


def test_document_rule_shows_only_definitief_or_gearchiveerd_within_the_limit() -> None:
    regels = Regels()
    assert regels.document_zichtbaar("definitief", "openbaar")
    assert regels.document_zichtbaar("gearchiveerd", "beperkt_openbaar")
    assert not regels.document_zichtbaar("in_bewerking", "openbaar")
    assert not regels.document_zichtbaar("ter_vaststelling", "openbaar")
    assert not regels.document_zichtbaar("definitief", "intern")


def test_rules_come_from_the_settings() -> None:
    regels = Regels.from_settings(
        Settings(
            klantbeeld_rollen="initiator",
            klantbeeld_max_vertrouwelijkheid="vertrouwelijk",
            klantbeeld_document_statussen="definitief",
        )
    )
    assert regels.rollen == {"initiator"}
    assert "vertrouwelijk" in regels.vertrouwelijkheid
    assert "confidentieel" not in regels.vertrouwelijkheid
    assert not regels.document_zichtbaar("gearchiveerd", "openbaar")


def test_an_unknown_maximum_vertrouwelijkheid_is_refused() -> None:
    with pytest.raises(ValueError, match="vertrouwelijkheidaanduiding"):
        Regels(max_vertrouwelijkheid="topgeheim")


def test_subject_and_viewer_never_show_the_bsn_in_their_repr() -> None:
    aanmelding = from_claims(
        {"bsn": kf.BSN_B, "vertegenwoordigde": {"bsn": kf.BSN_A}},
        Settings(),
        dt.datetime.now(dt.UTC),
    )
    text = repr(aanmelding)
    assert kf.BSN_A not in text
    assert kf.BSN_B not in text


def test_claims_errors_do_not_carry_the_claim_value() -> None:
    with pytest.raises(ClaimsError) as caught:
        from_claims({"bsn": "99999365"}, Settings(), dt.datetime.now(dt.UTC))
    assert "99999365" not in str(caught.value)


async def test_id_tokens_are_checked_for_nonce_and_audience(oidc_provider: op.Provider) -> None:
    oidc_provider.set_user("id-token", {"bsn": kf.BSN_A})
    id_token = oidc_provider.tokens("id-token", client_id="mijngemeente", nonce="n-1")["id_token"]
    ours = Provider(Settings(oidc_issuer=oidc_provider.issuer, oidc_client_id="mijngemeente"))
    claims = await ours.check_id_token(id_token, "n-1")
    assert claims["bsn"] == kf.BSN_A
    with pytest.raises(OidcError):
        await ours.check_id_token(id_token, "another-nonce")
    theirs = Provider(Settings(oidc_issuer=oidc_provider.issuer, oidc_client_id="another-client"))
    with pytest.raises(OidcError):
        await theirs.check_id_token(id_token, "n-1")
    with pytest.raises(OidcError):
        await ours.check_id_token(id_token[:-4] + "AAAA", "n-1")
