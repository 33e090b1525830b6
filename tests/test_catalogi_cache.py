"""The per-process cache of remote catalogue answers (federatie/catalogi.py): a type is used for
at most its maximum age, anything else for the configured time limit; an expired answer with
an ETag is asked for again with If-None-Match. What the registers and the klantbeeld read
through it is tested with real listeners in
tests/besluiten/test_remote_zaak.py, tests/documenten/test_remote_relaties.py and
tests/klantbeeld/test_remote.py."""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar

import pytest

from mijnzaken.core.settings import Settings
from mijnzaken.federatie import remote
from mijnzaken.federatie.catalogi import CATALOGI, CatalogiCache
from tests.klantbeeld.remote_server import JsonHandler, serving

TYPES = "https://ztc.example.nl/catalogi/api/v1/zaaktypen/"


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_published_type_is_kept_for_the_maximum_age_anything_else_for_its_time_limit() -> None:
    clock = Clock()
    cache = CatalogiCache(timer=clock)
    cache.put(f"{TYPES}concept", {"omschrijving": "Nieuw", "concept": True}, ttl=60, max_age=300)
    cache.put(
        f"{TYPES}gepubliceerd", {"omschrijving": "Oud", "concept": False}, ttl=60, max_age=300
    )
    catalogus = "https://ztc.example.nl/catalogi/api/v1/catalogussen/1"
    cache.put(catalogus, {"domein": "TEST"}, ttl=60, max_age=300)  # no `concept`: no type
    clock.now += 59
    assert cache.get(f"{TYPES}concept") == {"omschrijving": "Nieuw", "concept": True}
    assert cache.get(catalogus) == {"domein": "TEST"}
    clock.now += 1
    assert cache.get(f"{TYPES}concept") is None
    assert cache.get(catalogus) is None
    clock.now += 239
    assert cache.get(f"{TYPES}gepubliceerd") == {"omschrijving": "Oud", "concept": False}
    clock.now += 1  # a published type may still get an eindeGeldigheid or a correctie
    assert cache.get(f"{TYPES}gepubliceerd") is None


def test_a_concept_type_is_kept_no_longer_than_the_maximum_age() -> None:
    clock = Clock()
    cache = CatalogiCache(timer=clock)
    cache.put(f"{TYPES}concept", {"concept": True}, ttl=3600, max_age=300)
    clock.now += 300
    assert cache.get(f"{TYPES}concept") is None


def test_a_time_limit_of_zero_keeps_only_published_types() -> None:
    cache = CatalogiCache()
    cache.put(f"{TYPES}concept", {"concept": True}, ttl=0, max_age=300)
    cache.put(f"{TYPES}gepubliceerd", {"concept": False}, ttl=0, max_age=300)
    assert cache.get(f"{TYPES}concept") is None
    assert cache.get(f"{TYPES}gepubliceerd") == {"concept": False}


def test_an_expired_answer_with_an_etag_is_kept_to_ask_again_with() -> None:
    clock = Clock()
    cache = CatalogiCache(timer=clock)
    cache.put(f"{TYPES}1", {"concept": False}, ttl=60, max_age=300, etag='"v1"')
    cache.put(f"{TYPES}2", {"concept": False}, ttl=60, max_age=300)
    assert cache.stale(f"{TYPES}1") == ({"concept": False}, '"v1"')
    clock.now += 300
    assert cache.get(f"{TYPES}1") is None
    assert cache.stale(f"{TYPES}1") == ({"concept": False}, '"v1"')
    assert cache.get(f"{TYPES}2") is None
    assert cache.stale(f"{TYPES}2") is None


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = CatalogiCache(maxsize=3)
    for n in range(3):
        cache.put(f"{TYPES}{n}", {"concept": False, "n": n}, ttl=60)
    assert cache.get(f"{TYPES}0") is not None  # used again: 1 is now the oldest
    cache.put(f"{TYPES}3", {"concept": False, "n": 3}, ttl=60)
    assert len(cache) == 3
    assert cache.get(f"{TYPES}1") is None
    assert [cache.get(f"{TYPES}{n}") is not None for n in (0, 2, 3)] == [True, True, True]


def test_the_maximum_age_of_a_type_is_a_setting_of_five_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MIJNZAKEN_REMOTE_CATALOGI_TYPE_MAX_AGE", raising=False)
    assert Settings().remote_catalogi_type_max_age == 300
    monkeypatch.setenv("MIJNZAKEN_REMOTE_CATALOGI_TYPE_MAX_AGE", "30")
    assert Settings().remote_catalogi_type_max_age == 30


def test_the_time_limit_is_a_setting_of_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL", raising=False)
    assert Settings().remote_catalogi_cache_ttl == 3600
    monkeypatch.setenv("MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL", "120")
    assert Settings().remote_catalogi_cache_ttl == 120


class _Zaaktype(JsonHandler):
    """A remote Catalogi API's published zaaktype, with an ETag over its body, honouring
    If-None-Match; it records the status of every answer."""

    body: ClassVar[dict[str, Any]] = {}
    answers: ClassVar[list[int]] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        raw = json.dumps(self.body).encode()
        etag = '"' + hashlib.sha256(raw).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.answers.append(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.answers.append(200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


async def test_a_changed_remote_type_is_seen_after_the_maximum_age_and_not_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(CATALOGI, "timer", clock)
    monkeypatch.setattr(_Zaaktype, "body", {"omschrijving": "Vergunning", "concept": False})
    monkeypatch.setattr(_Zaaktype, "answers", [])
    settings = Settings(outbound_allow_private=True, remote_catalogi_type_max_age=300)

    def einde(body: Any) -> Any:
        return body.get("eindeGeldigheid")

    with serving(_Zaaktype) as origin:
        url = f"{origin}/catalogi/api/v1/zaaktypen/1"
        assert await remote.catalogus_json(settings, url, einde) is None
        _Zaaktype.body = {**_Zaaktype.body, "eindeGeldigheid": "2025-12-31"}
        clock.now += 299
        assert await remote.catalogus_json(settings, url, einde) is None  # not asked again
        assert _Zaaktype.answers == [200]
        clock.now += 1
        assert await remote.catalogus_json(settings, url, einde) == "2025-12-31"
        assert _Zaaktype.answers == [200, 200]
        # unchanged after another maximum age: asked with its ETag, a 304 without a body
        clock.now += 300
        assert await remote.catalogus_json(settings, url, einde) == "2025-12-31"
        assert _Zaaktype.answers == [200, 200, 304]
        clock.now += 299  # the 304 made the kept answer fresh again
        assert await remote.catalogus_json(settings, url, einde) == "2025-12-31"
        assert _Zaaktype.answers == [200, 200, 304]
