"""Tables of the processing log (Verwerkingenlogging).

The log is append-only: every version of a verwerkingsactie is a row of its own. A change
through the API (PUT, PATCH, DELETE) appends a new version; nothing earlier is overwritten.
Each row is a link of one hash chain (ADR 0010): `inhoud_hash` is fixed when the row is
written, `volgnummer` and `keten_hash` when the sealer links it after its transaction
committed. `verwerkingen_keten` holds the head of the chain.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import ROW_ID, Base, UtcDateTime


class Verwerkingsactie(Base):
    """One version of one verwerkingsactie (the spec's resource), with the Logboek
    Dataverwerkingen attributes and its place in the hash chain."""

    __tablename__ = "verwerkingen_verwerkingsactie"
    # few indexes: every one is written by every log entry. (actie_id, versie) serves the
    # look-up of an actie, the data subject's index on the objects the inzage. The sealer
    # finds the rows it has not linked in the partial index of the unsealed ones: through
    # the unique index on volgnummer it visited every earlier version of every sealed row
    # (a NULL there until vacuum), 9 ms a round on a log of 200,000 entries
    __table_args__ = (
        UniqueConstraint("actie_id", "versie", name="uq_verwerkingen_verwerkingsactie_versie"),
        Index(
            "ix_verwerkingen_verwerkingsactie_onverzegeld",
            "id",
            postgresql_where=text("volgnummer IS NULL"),
            sqlite_where=text("volgnummer IS NULL"),
        ),
    )

    # 64-bit on PostgreSQL: an entry for every read of personal data outgrows a SERIAL
    # (SQLite's row ids are 64-bit, and only an INTEGER primary key is one)
    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    actie_id: Mapped[uuid_lib.UUID] = mapped_column(Uuid)
    versie: Mapped[int] = mapped_column(Integer, default=1)
    # the newest version of its actie; older versions are kept, only this flag moves. The
    # flag is not part of the hashed content: the version order is (actie_id, versie).
    actueel: Mapped[bool] = mapped_column(default=True)
    # aangemaakt | gewijzigd | vervallen (DELETE marks as vervallen, as the spec says)
    mutatie: Mapped[str] = mapped_column(String(20), default="aangemaakt")
    vervallen: Mapped[bool] = mapped_column(default=False)

    actie_naam: Mapped[str] = mapped_column(String(242), default="")
    handeling_naam: Mapped[str] = mapped_column(String(242), default="")
    verwerking_naam: Mapped[str] = mapped_column(String(242), default="")
    verwerking_id: Mapped[uuid_lib.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    verwerkingsactiviteit_id: Mapped[uuid_lib.UUID | None] = mapped_column(Uuid, nullable=True)
    verwerkingsactiviteit_url: Mapped[str] = mapped_column(String(2042), default="")
    vertrouwelijkheid: Mapped[str] = mapped_column(String(20), default="normaal")
    bewaartermijn: Mapped[str] = mapped_column(String(40), default="")
    bewaar_tot: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    uitvoerder: Mapped[str] = mapped_column(String(20), default="")
    systeem: Mapped[str] = mapped_column(String(242), default="")
    gebruiker: Mapped[str] = mapped_column(String(40), default="")
    gegevensbron: Mapped[str] = mapped_column(String(242), default="")
    soort_afnemer_id: Mapped[str] = mapped_column(String(242), default="")
    afnemer_id: Mapped[str] = mapped_column(String(40), default="")
    verwerkingsactiviteit_id_afnemer: Mapped[uuid_lib.UUID | None] = mapped_column(
        Uuid, nullable=True
    )
    verwerkingsactiviteit_url_afnemer: Mapped[str] = mapped_column(String(2042), default="")
    verwerking_id_afnemer: Mapped[uuid_lib.UUID | None] = mapped_column(Uuid, nullable=True)
    tijdstip: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    tijdstip_registratie: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    # MijnZaken's own: on whose behalf, the legal ground, and who acted as the citizen reads it
    namens: Mapped[str] = mapped_column(String(242), default="")
    grondslag: Mapped[str] = mapped_column(String(242), default="")
    actor_weergave: Mapped[str] = mapped_column(String(242), default="")
    # Logboek Dataverwerkingen: trace (16 bytes) and operation (8 bytes), hex
    trace_id: Mapped[str] = mapped_column(String(32), default="")
    operation_id: Mapped[str] = mapped_column(String(16), default="")

    # the hash chain
    inhoud_hash: Mapped[str] = mapped_column(String(64))
    # 64-bit: every read of personal data is a link, more than 2**31 in a register's life
    volgnummer: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True)
    keten_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # set by the retention purge, which erases the content but keeps the link
    gewist_op: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)

    objecten: Mapped[list[VerwerktObject]] = relationship(
        back_populates="actie", lazy="raise", order_by="VerwerktObject.volgorde"
    )


class VerwerktObject(Base):
    """A person (or object) involved in one version of a verwerkingsactie: the data subject."""

    __tablename__ = "verwerkingen_verwerktobject"
    # the inzage of a data subject walks this index newest first and stops after its page
    # (repository.acties_query); it also serves every look-up by data subject alone
    __table_args__ = (
        Index(
            "ix_verwerkingen_verwerktobject_betrokkene_tijdstip",
            "soort_object_id",
            "object_id",
            "tijdstip",
            "actie_versie_id",
        ),
    )

    # keyed by its version and its own id (kept across versions): the objects of an entry
    # need nothing back from their INSERT (see `schrijver.write`)
    actie_versie_id: Mapped[int] = mapped_column(
        ROW_ID,
        ForeignKey("verwerkingen_verwerkingsactie.id", ondelete="CASCADE"),
        primary_key=True,
    )
    uuid: Mapped[uuid_lib.UUID] = mapped_column(
        Uuid, primary_key=True, index=True, default=uuid_lib.uuid4
    )
    volgorde: Mapped[int] = mapped_column(Integer, default=0)  # the place in its entry
    objecttype: Mapped[str] = mapped_column(String(20), default="persoon")
    soort_object_id: Mapped[str] = mapped_column(String(242))
    object_id: Mapped[str] = mapped_column(String(40))
    betrokkenheid: Mapped[str] = mapped_column(String(242), default="")
    soorten_gegevens: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # a copy of its actie version's `tijdstip`, for the index above (ADR 0010): derived, not
    # content, so not in the hash; every writer of these rows sets it from its version
    tijdstip: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    actie: Mapped[Verwerkingsactie] = relationship(back_populates="objecten", lazy="raise")


class Keten(Base):
    """The head of the hash chain (one row): the last sealed link. A deleted or replaced
    last row no longer matches it."""

    __tablename__ = "verwerkingen_keten"

    id: Mapped[int] = mapped_column(primary_key=True)
    volgnummer: Mapped[int] = mapped_column(BigInteger, default=0)
    keten_hash: Mapped[str] = mapped_column(String(64))
    bijgewerkt: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
