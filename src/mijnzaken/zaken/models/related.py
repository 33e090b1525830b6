"""The resources that belong to one zaak: statussen, resultaat, rollen, objecten, documents,
eigenschappen, besluiten, contactmomenten, verzoeken and klantcontacten."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, UuidMixin

if TYPE_CHECKING:
    from mijnzaken.zaken.models.zaak import Zaak


def _zaak_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("zaken_zaak.id", ondelete="CASCADE"), index=True)


class Status(UuidMixin, Base):
    __tablename__ = "zaken_status"
    __table_args__ = (Index("ix_zaken_status_zaak_gezet", "zaak_id", "datum_status_gezet"),)

    zaak_id: Mapped[int] = _zaak_fk()
    statustype_id: Mapped[int] = mapped_column(ForeignKey("catalogi_statustype.id"), index=True)
    datum_status_gezet: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    statustoelichting: Mapped[str] = mapped_column(String(1000), default="")
    # URL of a rol; indexed because a rol's `statussen` are the statussen it set
    gezetdoor: Mapped[str] = mapped_column(String(200), default="", index=True)

    zaak: Mapped[Zaak] = relationship(
        back_populates="statussen", lazy="raise", foreign_keys=[zaak_id]
    )

    # What the renderer reads of the zaak, under the names a row of
    # zaken/services/common.children_rows gives them (see there)
    @property
    def zaak_uuid(self) -> uuid_lib.UUID:
        return self.zaak.uuid

    @property
    def zaak_status_id(self) -> int | None:
        return self.zaak.status_id


class Resultaat(UuidMixin, Base):
    __tablename__ = "zaken_resultaat"

    zaak_id: Mapped[int] = mapped_column(
        ForeignKey("zaken_zaak.id", ondelete="CASCADE"), unique=True
    )
    resultaattype_id: Mapped[int] = mapped_column(
        ForeignKey("catalogi_resultaattype.id"), index=True
    )
    toelichting: Mapped[str] = mapped_column(String(1000), default="")

    zaak: Mapped[Zaak] = relationship(back_populates="resultaat", lazy="raise")

    @property
    def zaak_uuid(self) -> uuid_lib.UUID:  # as Status.zaak_uuid
        return self.zaak.uuid


class Rol(UuidMixin, Base):
    """A party's role in a zaak. The identification fields that are searched on (BSN, KvK …)
    are kept in columns of their own, with indexes; the rest of the betrokkeneIdentificatie
    as JSON."""

    __tablename__ = "zaken_rol"

    zaak_id: Mapped[int] = _zaak_fk()
    roltype_id: Mapped[int] = mapped_column(ForeignKey("catalogi_roltype.id"), index=True)
    # copied from the roltype when the rol is created (a published roltype does not change),
    # so the list filters on them without reaching into the catalogue's tables
    omschrijving: Mapped[str] = mapped_column(String(100), default="")
    omschrijving_generiek: Mapped[str] = mapped_column(String(20), default="", index=True)
    betrokkene: Mapped[str] = mapped_column(String(1000), default="", index=True)
    betrokkene_type: Mapped[str] = mapped_column(String(30), index=True)
    afwijkende_naam_betrokkene: Mapped[str] = mapped_column(String(625), default="")
    roltoelichting: Mapped[str] = mapped_column(String(1000), default="")
    registratiedatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    indicatie_machtiging: Mapped[str] = mapped_column(String(20), default="")
    contactpersoon_rol: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    authenticatie_context: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    betrokkene_identificatie: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    inp_bsn: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    anp_identificatie: Mapped[str | None] = mapped_column(String(17), nullable=True, index=True)
    inp_a_nummer: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    inn_nnp_id: Mapped[str | None] = mapped_column(String(9), nullable=True, index=True)
    ann_identificatie: Mapped[str | None] = mapped_column(String(17), nullable=True, index=True)
    vestigings_nummer: Mapped[str | None] = mapped_column(String(24), nullable=True, index=True)
    medewerker_identificatie: Mapped[str | None] = mapped_column(
        String(254), nullable=True, index=True
    )
    organisatorische_eenheid_identificatie: Mapped[str | None] = mapped_column(
        String(24), nullable=True, index=True
    )

    zaak: Mapped[Zaak] = relationship(back_populates="rollen", lazy="raise")

    @property
    def zaak_uuid(self) -> uuid_lib.UUID:  # as Status.zaak_uuid
        return self.zaak.uuid


class ZaakObject(UuidMixin, Base):
    __tablename__ = "zaken_zaakobject"

    zaak_id: Mapped[int] = _zaak_fk()
    object: Mapped[str] = mapped_column(String(1000), default="", index=True)
    zaakobjecttype_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogi_zaakobjecttype.id"), nullable=True, index=True
    )
    object_type: Mapped[str] = mapped_column(String(100), index=True)
    object_type_overige: Mapped[str] = mapped_column(String(100), default="")
    object_type_overige_definitie: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, nullable=True
    )
    relatieomschrijving: Mapped[str] = mapped_column(String(80), default="")
    object_identificatie: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakInformatieObject(UuidMixin, Base):
    __tablename__ = "zaken_zaakinformatieobject"
    # one document is linked to a zaak once (a second link is a 400 'unique')
    __table_args__ = (UniqueConstraint("zaak_id", "informatieobject"),)

    zaak_id: Mapped[int] = _zaak_fk()
    # a document of our Documenten register or a remote one, by URL
    informatieobject: Mapped[str] = mapped_column(String(1000), index=True)
    aard_relatie: Mapped[str] = mapped_column(String(20), default="hoort_bij")
    titel: Mapped[str] = mapped_column(String(200), default="")
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    registratiedatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    vernietigingsdatum: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    status_id: Mapped[int | None] = mapped_column(
        ForeignKey("zaken_status.id", ondelete="SET NULL"), nullable=True, index=True
    )

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakEigenschap(UuidMixin, Base):
    __tablename__ = "zaken_zaakeigenschap"

    zaak_id: Mapped[int] = _zaak_fk()
    eigenschap_id: Mapped[int] = mapped_column(ForeignKey("catalogi_eigenschap.id"), index=True)
    waarde: Mapped[str] = mapped_column(Text)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakBesluit(UuidMixin, Base):
    __tablename__ = "zaken_zaakbesluit"

    zaak_id: Mapped[int] = _zaak_fk()
    besluit: Mapped[str] = mapped_column(String(1000), index=True)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakContactMoment(UuidMixin, Base):
    __tablename__ = "zaken_zaakcontactmoment"

    zaak_id: Mapped[int] = _zaak_fk()
    contactmoment: Mapped[str] = mapped_column(String(1000), index=True)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakVerzoek(UuidMixin, Base):
    __tablename__ = "zaken_zaakverzoek"

    zaak_id: Mapped[int] = _zaak_fk()
    verzoek: Mapped[str] = mapped_column(String(1000), index=True)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class KlantContact(UuidMixin, Base):
    __tablename__ = "zaken_klantcontact"

    zaak_id: Mapped[int] = _zaak_fk()
    identificatie: Mapped[str] = mapped_column(String(14))
    datumtijd: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    kanaal: Mapped[str] = mapped_column(String(20), default="")
    onderwerp: Mapped[str] = mapped_column(String(200), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakNotitie(UuidMixin, Base):
    __tablename__ = "zaken_zaaknotitie"

    zaak_id: Mapped[int] = _zaak_fk()  # gerelateerdAan
    onderwerp: Mapped[str] = mapped_column(String(255))
    tekst: Mapped[str] = mapped_column(Text)
    aangemaakt_door: Mapped[str] = mapped_column(String(255), default="")
    notitie_type: Mapped[str] = mapped_column(String(20), default="intern")
    status: Mapped[str] = mapped_column(String(20), default="concept")
    aanmaakdatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    wijzigingsdatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    zaak: Mapped[Zaak] = relationship(lazy="raise")


class ZaakIdentificatie(Base):
    """Reserved and issued identificaties per bronorganisatie (zaaknummer_reserveren, zrc-002)."""

    __tablename__ = "zaken_zaakidentificatie"
    __table_args__ = (
        Index("uq_zaken_identificatie", "bronorganisatie", "identificatie", unique=True),
    )

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    identificatie: Mapped[str] = mapped_column(String(40))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ZaakNummerTeller(Base):
    """The last number issued per bronorganisatie and prefix (`ZAAK-<year>-`). Incremented
    with one UPDATE … RETURNING, so concurrent requests never receive the same number."""

    __tablename__ = "zaken_zaaknummer_teller"

    bronorganisatie: Mapped[str] = mapped_column(String(9), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    laatste: Mapped[int] = mapped_column(BigInteger, default=0)  # 64-bit: never runs out
