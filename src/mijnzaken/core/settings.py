"""Settings, read once from `MIJNZAKEN_*` environment variables (documented in the README)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path('var') / 'mijnzaken.sqlite3'}"


class Settings(BaseSettings):
    """All run-time settings of one MijnZaken process."""

    model_config = SettingsConfigDict(env_prefix="MIJNZAKEN_", extra="ignore")

    database_url: str = Field(default_factory=_default_database_url)
    base_url: str | None = None
    demo: bool = False
    selectielijst_api_url: str | None = None
    outbound_allow_private: bool = False
    outbound_timeout: float = 10.0
    jwt_leeway: int = 30
    jwt_max_age: int = 3600
    page_size: int = 100
    sql_echo: bool = False
    # one-time codes that verify a digital address (Klantinteracties extension)
    verificatie_geldigheid: int = 900  # seconds a code stays valid
    verificatie_max_pogingen: int = 5  # wrong tries before a code is void
    verificatie_max_per_uur: int = 3  # codes sent to one address per hour

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own `Settings`)."""
    return Settings()
