"""The per-process cache of remote catalogue answers (federatie/catalogi.py): a published type
stays until the size bound pushes it out, anything else for the configured time limit. What
the registers and the klantbeeld read through it is tested with real listeners in
tests/besluiten/test_remote_zaak.py, tests/documenten/test_remote_relaties.py and
tests/klantbeeld/test_remote.py."""

from __future__ import annotations

import pytest

from mijnzaken.core.settings import Settings
from mijnzaken.federatie.catalogi import CatalogiCache

TYPES = "https://ztc.example.nl/catalogi/api/v1/zaaktypen/"


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_concept_type_is_kept_for_its_time_limit_a_published_one_without() -> None:
    clock = Clock()
    cache = CatalogiCache(timer=clock)
    cache.put(f"{TYPES}concept", {"omschrijving": "Nieuw", "concept": True}, ttl=60)
    cache.put(f"{TYPES}gepubliceerd", {"omschrijving": "Oud", "concept": False}, ttl=60)
    catalogus = "https://ztc.example.nl/catalogi/api/v1/catalogussen/1"
    cache.put(catalogus, {"domein": "TEST"}, ttl=60)  # no `concept`: may change
    clock.now += 59
    assert cache.get(f"{TYPES}concept") == {"omschrijving": "Nieuw", "concept": True}
    assert cache.get(catalogus) == {"domein": "TEST"}
    clock.now += 1
    assert cache.get(f"{TYPES}concept") is None
    assert cache.get(catalogus) is None
    clock.now += 365 * 24 * 3600
    assert cache.get(f"{TYPES}gepubliceerd") == {"omschrijving": "Oud", "concept": False}


def test_a_time_limit_of_zero_keeps_only_published_types() -> None:
    cache = CatalogiCache()
    cache.put(f"{TYPES}concept", {"concept": True}, ttl=0)
    cache.put(f"{TYPES}gepubliceerd", {"concept": False}, ttl=0)
    assert cache.get(f"{TYPES}concept") is None
    assert cache.get(f"{TYPES}gepubliceerd") == {"concept": False}


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache = CatalogiCache(maxsize=3)
    for n in range(3):
        cache.put(f"{TYPES}{n}", {"concept": False, "n": n}, ttl=60)
    assert cache.get(f"{TYPES}0") is not None  # used again: 1 is now the oldest
    cache.put(f"{TYPES}3", {"concept": False, "n": 3}, ttl=60)
    assert len(cache) == 3
    assert cache.get(f"{TYPES}1") is None
    assert [cache.get(f"{TYPES}{n}") is not None for n in (0, 2, 3)] == [True, True, True]


def test_the_time_limit_is_a_setting_of_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL", raising=False)
    assert Settings().remote_catalogi_cache_ttl == 3600
    monkeypatch.setenv("MIJNZAKEN_REMOTE_CATALOGI_CACHE_TTL", "120")
    assert Settings().remote_catalogi_cache_ttl == 120
