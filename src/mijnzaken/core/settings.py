"""Settings, read once from `MIJNZAKEN_*` environment variables (documented in the README)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mijnzaken.core.services import RemoteService


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path('var') / 'mijnzaken.sqlite3'}"


class Settings(BaseSettings):
    """All run-time settings of one MijnZaken process."""

    model_config = SettingsConfigDict(
        env_prefix="MIJNZAKEN_", extra="ignore", hide_input_in_errors=True
    )

    database_url: str = Field(default_factory=_default_database_url)
    base_url: str | None = None
    demo: bool = False
    selectielijst_api_url: str | None = None
    outbound_allow_private: bool = False
    outbound_timeout: float = 10.0
    # remote ZGW APIs we call, with our credentials there (JSON list, core/services.py)
    remote_services: list[RemoteService] = Field(default_factory=list)
    # seconds a remote catalogue's answer (a catalogus, a list) stays cached per process, and
    # the most a remote type is used before it is asked again (If-None-Match): a published
    # type still gets an eindeGeldigheid or a correctie. federatie/catalogi.py
    remote_catalogi_cache_ttl: float = 3600.0
    remote_catalogi_type_max_age: float = 300.0
    # zrc-024/025: how long a relation is mirrored in a remote API before it is parked
    spiegel_park_after: float = 7 * 24 * 3600.0
    jwt_leeway: int = 30
    jwt_max_age: int = 3600
    page_size: int = 100
    # the serving process's garbage collector: allocations between young collections (0: 700,
    # Python's default); see core/heap.py
    gc_gen0_threshold: int = 5000
    sql_echo: bool = False
    # Notificaties: where our registers' messages go, and how deliveries are retried
    notificaties_api_url: str | None = None
    notificaties_client_id: str = "mijnzaken"
    notificaties_secret: str = ""
    dispatcher: bool = True
    delivery_retry_base: float = 2.0
    delivery_retry_cap: float = 3600.0
    delivery_park_after: float = 7 * 24 * 3600.0
    delivery_concurrency: int = 64
    dispatch_poll_interval: float = 5.0
    notificaties_retention_days: int = 30
    cloudevents_source: str | None = None
    # MijnGemeente (citizen portal) and the klantbeeld service
    portal_secure_cookies: bool = True
    portal_idle_timeout: int = 900
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid"
    oidc_bsn_claim: str = "bsn"
    oidc_kvk_claim: str = "kvk"
    oidc_loa_claim: str = "acr"
    oidc_vertegenwoordigde_bsn_claim: str = "vertegenwoordigde.bsn"
    oidc_vertegenwoordigde_kvk_claim: str = "vertegenwoordigde.kvk"
    oidc_machtiging_diensten_claim: str = "machtiging.diensten"
    klantbeeld_rollen: str = "initiator,belanghebbende,mede_initiator"
    klantbeeld_zaaktype_extern: bool = True
    klantbeeld_max_vertrouwelijkheid: str = "beperkt_openbaar"
    klantbeeld_document_statussen: str = "definitief,gearchiveerd"
    # the employee viewer (KCC): its OpenID Connect identity provider, the claims that name
    # the employee and their roles, and the purposes (doelbinding) a look-up must name
    kcc_oidc_issuer: str | None = None
    kcc_oidc_client_id: str = ""
    kcc_oidc_client_secret: str = ""
    kcc_oidc_scopes: str = "openid profile"
    kcc_oidc_gebruiker_claim: str = "sub"
    kcc_oidc_naam_claim: str = "name"
    kcc_oidc_rollen_claim: str = "roles"
    kcc_doelen: str = "Beantwoorden klantvraag;Behandelen aanvraag;Afhandelen klacht"
    # the klantbeeld reads zaken from a remote Zaken API 1.5+ (with expand) when this is set
    klantbeeld_zaken_api_url: str | None = None  # e.g. https://openzaak.example.nl/zaken/api/v1
    klantbeeld_zaken_client_id: str = ""
    klantbeeld_zaken_secret: str = ""
    klantbeeld_catalogi_api_url: str | None = None  # default: where the zaaktypen are
    # the klantbeeld reads partijen, digitale adressen and klantcontacten from a remote
    # Klantinteracties API when this is set (credentials: its entry in remote_services)
    klantbeeld_klantinteracties_api_url: str | None = None  # e.g. …/klantinteracties/api/v1
    # the klantbeeld writes every view's processing-log entry to, and reads "who looked" from,
    # a remote Verwerkingenlogging API when this is set (credentials: as above)
    klantbeeld_verwerkingen_api_url: str | None = None  # e.g. …/verwerkingen/api/v1
    # one-time codes that verify a digital address (Klantinteracties extension)
    verificatie_geldigheid: int = 900  # seconds a code stays valid
    verificatie_max_pogingen: int = 5  # wrong tries before a code is void
    verificatie_max_per_uur: int = 3  # codes sent to one address per hour
    # outgoing messages to citizens (berichten): e-mail by SMTP, and/or SMS and e-mail through
    # a NotifyNL/GOV.UK Notify-compatible gateway; without either they wait in the queue
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_starttls: bool = True  # STARTTLS after connecting (port 587)
    smtp_tls: bool = False  # TLS from the start (port 465)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "MijnGemeente <noreply@gemeente.example>"
    notify_api_url: str | None = None
    notify_api_key: str = ""
    notify_template_email: str = ""
    notify_template_sms: str = ""
    berichten_timeout: float = 30.0
    # processing log: seconds between rounds of the sealer in the serving process (0: none)
    verwerkingen_seal_interval: float = 2.0
    # Documenten: where content is kept, how large it may be, how it is cut into bestandsdelen
    documenten_opslag: str = "bestanden"  # "bestanden" (file system) or "s3"
    documenten_map: str = str(Path("var") / "documenten")
    documenten_max_omvang: int = 4 * 1024**3  # bytes of one document's content
    # bytes of a JSON request to the Documenten API: inline base64 content is held in memory
    # while its body is parsed; larger content goes in bestandsdelen (streamed to disk)
    documenten_max_json: int = 64 * 1024**2
    documenten_bestandsdeel_omvang: int = 100 * 1024**2  # bytes of one bestandsdeel
    documenten_s3_bucket: str = "mijnzaken-documenten"
    documenten_s3_endpoint_url: str | None = None
    documenten_s3_region: str = "eu-west-1"
    documenten_s3_access_key_id: str | None = None
    documenten_s3_secret_access_key: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own `Settings`)."""
    return Settings()
