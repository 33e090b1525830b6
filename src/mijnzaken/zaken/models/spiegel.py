"""zrc-024 / zrc-025: the relations of a zaak with a verzoek or a contactmoment, mirrored in the
remote register as an objectverzoek or objectcontactmoment; and brc-006: a besluit of our
Besluiten register on a zaak of a remote Zaken API, mirrored there as a ZaakBesluit. Each create
or delete of the link is one job in the durable queue (core/jobs.py), written in the link's own
transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core.db import ROW_ID, Base
from mijnzaken.core.jobs import AttemptColumns, QueueColumns, queue_indexes

# Spiegeling.soort: the remote resource, as its collection is named in the remote API
OBJECTVERZOEK = "objectverzoeken"
OBJECTCONTACTMOMENT = "objectcontactmomenten"
ZAAKBESLUIT = "zaakbesluiten"  # {zaak}/besluiten of a remote Zaken API
# Spiegeling.actie
AANMAKEN = "aanmaken"
VERWIJDEREN = "verwijderen"


class Spiegeling(QueueColumns, Base):
    """Create or delete the mirror of one link in the remote API."""

    __tablename__ = "zaken_spiegeling"
    __table_args__ = (
        *queue_indexes("zaken_spiegeling"),
        Index("ix_zaken_spiegeling_koppeling", "koppeling", "actie"),
    )

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    soort: Mapped[str] = mapped_column(String(30))  # objectverzoeken | … | zaakbesluiten
    actie: Mapped[str] = mapped_column(String(12))  # aanmaken | verwijderen
    # the zaakverzoek / zaakcontactmoment, or the besluit (zaakbesluiten)
    koppeling: Mapped[uuid.UUID] = mapped_column(Uuid)
    api_root: Mapped[str] = mapped_column(String(1000))  # the remote service (probe group)
    # `object` of the mirror; for zaakbesluiten the remote zaak
    zaak: Mapped[str] = mapped_column(String(1000))
    # the verzoek or contactmoment URL; for zaakbesluiten our besluit
    doel: Mapped[str] = mapped_column(String(1000))
    # the URL of the mirror in the remote API, once known (from its 201 or a search)
    remote_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)


class SpiegelPoging(AttemptColumns, Base):
    """One attempt at a spiegeling (status: the remote's HTTP status)."""

    __tablename__ = "zaken_spiegelpoging"

    spiegeling_id: Mapped[int] = mapped_column(
        ROW_ID, ForeignKey("zaken_spiegeling.id", ondelete="CASCADE"), index=True
    )
