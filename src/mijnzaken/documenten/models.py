"""Tables of the Documenten register.

An enkelvoudig informatieobject is one row holding its current version (what lists, filters and
authorisation read), plus one `documenten_versie` row per version ever registered (what
`?versie=` and `?registratieOp=` read). Content lives in storage (documenten/opslag.py); rows hold
its key, size and sha256.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, UuidMixin
from mijnzaken.core.jobs import AttemptColumns, QueueColumns, queue_indexes


def _document_fk() -> Mapped[int]:
    return mapped_column(
        ForeignKey("documenten_informatieobject.id", ondelete="CASCADE"), index=True
    )


class InformatieObject(UuidMixin, Base):
    """An enkelvoudig informatieobject in its current version."""

    __tablename__ = "documenten_informatieobject"
    __table_args__ = (
        Index(
            "ix_documenten_io_type_vertrouwelijkheid",
            "informatieobjecttype_id",
            "vertrouwelijkheidaanduiding",
        ),
        Index(
            "uq_documenten_io_bron_identificatie", "bronorganisatie", "identificatie", unique=True
        ),
    )

    identificatie: Mapped[str] = mapped_column(String(40))
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    creatiedatum: Mapped[dt.date] = mapped_column(Date)
    titel: Mapped[str] = mapped_column(String(200))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    is_gereed_voor_publicatie: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    tonen_aan_initiator: Mapped[bool] = mapped_column(Boolean, default=False)
    auteur: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="")
    inhoud_is_vervallen: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    formaat: Mapped[str] = mapped_column(String(255), default="")
    taal: Mapped[str] = mapped_column(String(3))
    versie: Mapped[int] = mapped_column(Integer, default=1)
    begin_registratie: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    bestandsnaam: Mapped[str] = mapped_column(String(255), default="")
    bestandsomvang: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    link: Mapped[str] = mapped_column(String(200), default="")
    beschrijving: Mapped[str] = mapped_column(String(1000), default="")
    ontvangstdatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    verzenddatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    indicatie_gebruiksrecht: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    verschijningsvorm: Mapped[str] = mapped_column(Text, default="")
    ondertekening: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    integriteit: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    trefwoorden: Mapped[list[str]] = mapped_column(JSON, default=list)
    # an informatieobjecttype of our own Catalogi register (drc-001: published ones only)
    informatieobjecttype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_informatieobjecttype.id"), index=True
    )
    informatieobjecttype_uuid: Mapped[uuid_lib.UUID] = mapped_column(Uuid)
    # drc-009: the current lock ("" when unlocked)
    lock: Mapped[str] = mapped_column(String(100), default="")
    # the content of the current version (None: no content, or bestandsdelen still coming)
    inhoud_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    inhoud_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Versie(Base):
    """One registered version of a document: its metadata as rendered, and its content."""

    __tablename__ = "documenten_versie"
    __table_args__ = (UniqueConstraint("informatieobject_id", "versie"),)

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    informatieobject_id: Mapped[int] = _document_fk()
    versie: Mapped[int] = mapped_column(Integer)
    begin_registratie: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    gegevens: Mapped[dict[str, Any]] = mapped_column(JSON)
    inhoud_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    inhoud_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class BestandsDeel(UuidMixin, Base):
    """One part of a large content being uploaded (1.1.0 chunked upload)."""

    __tablename__ = "documenten_bestandsdeel"
    __table_args__ = (UniqueConstraint("informatieobject_id", "volgnummer"),)

    informatieobject_id: Mapped[int] = _document_fk()
    volgnummer: Mapped[int] = mapped_column(Integer)
    omvang: Mapped[int] = mapped_column(BigInteger)
    inhoud_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)

    informatieobject: Mapped[InformatieObject] = relationship(lazy="raise")


class ObjectInformatieObject(UuidMixin, Base):
    """The mirror of a zaak-, besluit- or verzoek-document link (drc-002..004)."""

    __tablename__ = "documenten_objectinformatieobject"
    __table_args__ = (UniqueConstraint("informatieobject_id", "object"),)  # drc-003

    informatieobject_id: Mapped[int] = _document_fk()
    object: Mapped[str] = mapped_column(String(1000), index=True)
    object_type: Mapped[str] = mapped_column(String(20))

    informatieobject: Mapped[InformatieObject] = relationship(lazy="raise")


class Gebruiksrechten(UuidMixin, Base):
    __tablename__ = "documenten_gebruiksrechten"

    informatieobject_id: Mapped[int] = _document_fk()
    startdatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    einddatum: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    omschrijving_voorwaarden: Mapped[str] = mapped_column(Text)

    informatieobject: Mapped[InformatieObject] = relationship(lazy="raise")


class Verzending(UuidMixin, Base):
    """To whom a document was sent or from whom it came, at which one address."""

    __tablename__ = "documenten_verzending"

    informatieobject_id: Mapped[int] = _document_fk()
    betrokkene: Mapped[str] = mapped_column(String(1000), index=True)
    aard_relatie: Mapped[str] = mapped_column(String(20), index=True)
    toelichting: Mapped[str] = mapped_column(String(200), default="")
    ontvangstdatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    verzenddatum: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    contact_persoon: Mapped[str] = mapped_column(String(1000), default="")
    contactpersoonnaam: Mapped[str] = mapped_column(String(40), default="")
    # exactly one address: one of these is set
    binnenlands_correspondentieadres: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, nullable=True
    )
    buitenlands_correspondentieadres: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, nullable=True
    )
    correspondentie_postadres: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    faxnummer: Mapped[str] = mapped_column(String(15), default="")
    emailadres: Mapped[str] = mapped_column(String(100), default="")
    mijn_overheid: Mapped[bool] = mapped_column(Boolean, default=False)
    telefoonnummer: Mapped[str] = mapped_column(String(15), default="")

    informatieobject: Mapped[InformatieObject] = relationship(lazy="raise")


class RemoteRelatie(QueueColumns, Base):
    """A link of ours to a document of a remote Documenten API, to mirror there after commit
    (zrc-005, brc-005): its objectinformatieobject created (`koppel`) or removed
    (`ontkoppel`). A job of the durable queue (core/jobs.py, documenten/mirror.py)."""

    __tablename__ = "documenten_remote_job"
    __table_args__ = queue_indexes("documenten_remote_job")

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    actie: Mapped[str] = mapped_column(String(10))  # koppel | ontkoppel
    api_root: Mapped[str] = mapped_column(String(1000))  # the remote Documenten API
    informatieobject: Mapped[str] = mapped_column(String(1000))
    object: Mapped[str] = mapped_column(String(1000))
    object_type: Mapped[str] = mapped_column(String(20))


class RemoteRelatiePoging(AttemptColumns, Base):
    """One attempt at mirroring a link (status: the remote's HTTP status)."""

    __tablename__ = "documenten_remote_poging"

    job_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("documenten_remote_job.id", ondelete="CASCADE"), index=True
    )
