"""Zaak: one request for a product or service, and its current status pointer."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import Base, UtcDateTime, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.zaken.models.related import Resultaat, Rol, Status


class Zaak(UuidMixin, Base):
    __tablename__ = "zaken_zaak"
    __table_args__ = (
        UniqueConstraint("bronorganisatie", "identificatie"),  # zrc-002
        Index(
            "ix_zaken_zaak_zaaktype_vertrouwelijkheid", "zaaktype_id", "vertrouwelijkheidaanduiding"
        ),
        # Only deelzaken: most zaken have no hoofdzaak, and an index full of NULLs makes
        # SQLite's statistics (one value for every row) favour reading the whole table when
        # a page looks up its deelzaken.
        Index(
            "ix_zaken_zaak_hoofdzaak_id",
            "hoofdzaak_id",
            sqlite_where=text("hoofdzaak_id IS NOT NULL"),
            postgresql_where=text("hoofdzaak_id IS NOT NULL"),
        ),
        # the `zaakgeometrie.within` search narrows on the bounding box first; only zaken
        # with a geometry are in the index
        Index(
            "ix_zaken_zaak_geo_box",
            "geo_min_x",
            "geo_min_y",
            "geo_max_x",
            "geo_max_y",
            sqlite_where=text("geo_min_x IS NOT NULL"),
            postgresql_where=text("geo_min_x IS NOT NULL"),
        ),
    )

    identificatie: Mapped[str] = mapped_column(String(40))
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    omschrijving: Mapped[str] = mapped_column(String(80), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    # a zaaktype of our own Catalogi register (zrc-001 allows only published ones)
    zaaktype_id: Mapped[int] = mapped_column(ForeignKey("catalogi_zaaktype.id"), index=True)
    # the zaaktype's public UUID, copied so its URL renders without a catalogue look-up;
    # it is set together with zaaktype_id and never changes on its own
    zaaktype_uuid: Mapped[uuid_lib.UUID] = mapped_column(Uuid)
    registratiedatum: Mapped[dt.date] = mapped_column(Date)
    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9))
    startdatum: Mapped[dt.date] = mapped_column(Date, index=True)
    einddatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    einddatum_gepland: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    uiterlijke_einddatum_afdoening: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    publicatiedatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    communicatiekanaal: Mapped[str] = mapped_column(String(1000), default="")
    producten_of_diensten: Mapped[list[str]] = mapped_column(JSON, default=list)
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    betalingsindicatie: Mapped[str] = mapped_column(String(20), default="")
    laatste_betaaldatum: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    zaakgeometrie: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # the bounding box of zaakgeometrie (set together with it), for the geometry search
    geo_min_x: Mapped[float | None] = mapped_column(Float, nullable=True)
    geo_min_y: Mapped[float | None] = mapped_column(Float, nullable=True)
    geo_max_x: Mapped[float | None] = mapped_column(Float, nullable=True)
    geo_max_y: Mapped[float | None] = mapped_column(Float, nullable=True)
    verlenging: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    opschorting: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    selectielijstklasse: Mapped[str] = mapped_column(String(1000), default="")
    hoofdzaak_id: Mapped[int | None] = mapped_column(
        ForeignKey("zaken_zaak.id", ondelete="SET NULL"), nullable=True
    )
    # [{"url": ..., "aardRelatie": ...}]
    relevante_andere_zaken: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"kenmerk": ..., "bron": ...}]
    kenmerken: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    archiefnominatie: Mapped[str | None] = mapped_column(String(20), nullable=True)
    archiefstatus: Mapped[str] = mapped_column(String(40), default="nog_te_archiveren")
    archiefactiedatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    opdrachtgevende_organisatie: Mapped[str] = mapped_column(String(9), default="")
    processobjectaard: Mapped[str | None] = mapped_column(String(200), nullable=True)
    startdatum_bewaartermijn: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    processobject: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # the status with the latest datumStatusGezet, kept up to date when a status is set,
    # so lists and the citizen view need no "latest status" subquery. No database foreign key:
    # zaak and status would refer to each other, which SQLite cannot create; statussen are
    # never deleted on their own (only with their zaak), so the pointer cannot dangle.
    status_id: Mapped[int | None] = mapped_column(nullable=True)

    hoofdzaak: Mapped[Zaak | None] = relationship(
        remote_side="Zaak.id", lazy="raise", foreign_keys=[hoofdzaak_id]
    )
    status: Mapped[Status | None] = relationship(
        lazy="raise",
        primaryjoin="foreign(Zaak.status_id) == Status.id",
        post_update=True,
        viewonly=True,
    )
    statussen: Mapped[list[Status]] = relationship(
        back_populates="zaak",
        lazy="raise",
        foreign_keys="Status.zaak_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    rollen: Mapped[list[Rol]] = relationship(
        back_populates="zaak", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    resultaat: Mapped[Resultaat | None] = relationship(
        back_populates="zaak",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        uselist=False,
    )
