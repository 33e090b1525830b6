"""Zaaktype, with the names by which it refers to besluittypen and other zaaktypen.

Since Catalogi 1.3 a zaaktype refers to besluittypen by `omschrijving` and to deelzaaktypen and
gerelateerde zaaktypen by `identificatie`; the API renders them as the URLs of the versions valid
on the day asked for. We therefore store the names, not foreign keys.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.catalogi.models._common import Concept, Geldigheid
from mijnzaken.core.db import Base, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.catalogi.models.catalogus import Catalogus
    from mijnzaken.catalogi.models.eigenschap import Eigenschap
    from mijnzaken.catalogi.models.resultaattype import ResultaatType
    from mijnzaken.catalogi.models.roltype import RolType
    from mijnzaken.catalogi.models.statustype import StatusType
    from mijnzaken.catalogi.models.zaakobjecttype import ZaakObjectType
    from mijnzaken.catalogi.models.ztiot import ZaakTypeInformatieObjectType


class ZaakType(UuidMixin, Geldigheid, Concept, Base):
    __tablename__ = "catalogi_zaaktype"
    __table_args__ = (
        Index("ix_catalogi_zaaktype_catalogus_identificatie", "catalogus_id", "identificatie"),
    )

    catalogus_id: Mapped[int] = mapped_column(ForeignKey("catalogi_catalogus.id"), index=True)
    identificatie: Mapped[str] = mapped_column(String(50))
    omschrijving: Mapped[str] = mapped_column(String(80))
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    doel: Mapped[str] = mapped_column(Text)
    aanleiding: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    indicatie_intern_of_extern: Mapped[str] = mapped_column(String(6))
    handeling_initiator: Mapped[str] = mapped_column(String(20))
    onderwerp: Mapped[str] = mapped_column(String(80))
    handeling_behandelaar: Mapped[str] = mapped_column(String(20))
    doorlooptijd: Mapped[str] = mapped_column(String(40))
    servicenorm: Mapped[str | None] = mapped_column(String(40), nullable=True)
    opschorting_en_aanhouding_mogelijk: Mapped[bool]
    verlenging_mogelijk: Mapped[bool]
    verlengingstermijn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    trefwoorden: Mapped[list[str]] = mapped_column(JSON, default=list)
    publicatie_indicatie: Mapped[bool]
    publicatietekst: Mapped[str] = mapped_column(Text, default="")
    verantwoordingsrelatie: Mapped[list[str]] = mapped_column(JSON, default=list)
    producten_of_diensten: Mapped[list[str]] = mapped_column(JSON, default=list)
    selectielijst_procestype: Mapped[str] = mapped_column(String(200), default="")
    referentieproces: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    verantwoordelijke: Mapped[str] = mapped_column(String(50))
    broncatalogus: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    bronzaaktype: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    versiedatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # references by name (see the module docstring)
    besluittype_omschrijvingen: Mapped[list[str]] = mapped_column(JSON, default=list)
    deelzaaktype_identificaties: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"zaaktype": identificatie, "aardRelatie": ..., "toelichting": ...}]
    gerelateerde_zaaktypen: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    catalogus: Mapped[Catalogus] = relationship(back_populates="zaaktypen", lazy="raise")
    statustypen: Mapped[list[StatusType]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        order_by="StatusType.volgnummer",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    roltypen: Mapped[list[RolType]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    resultaattypen: Mapped[list[ResultaatType]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    eigenschappen: Mapped[list[Eigenschap]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    zaakobjecttypen: Mapped[list[ZaakObjectType]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    informatieobjecttype_links: Mapped[list[ZaakTypeInformatieObjectType]] = relationship(
        back_populates="zaaktype",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ZaakTypeInformatieObjectType.volgnummer",
    )
