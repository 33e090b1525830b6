"""Audit trail: who changed what, with the old and new representation, per main object.

The Zaken, Documenten and Besluiten APIs expose it per zaak, document or besluit. A record is
written in the transaction of the change, so a rolled-back change leaves none.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any

from sqlalchemy import JSON, Integer, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mijnzaken.core import clock
from mijnzaken.core.api import ApiModel
from mijnzaken.core.auth import AuthContext
from mijnzaken.core.db import ROW_ID, Base, UtcDateTime, iso

ACTIE_WEERGAVE = {
    "create": "Object aangemaakt",
    "list": "Lijst van objecten opgehaald",
    "retrieve": "Object opgehaald",
    "destroy": "Object verwijderd",
    "update": "Object bijgewerkt",
    "partial_update": "Object deels bijgewerkt",
}


class AuditTrail(Base):
    __tablename__ = "core_audittrail"

    id: Mapped[int] = mapped_column(ROW_ID, primary_key=True, autoincrement=True)
    uuid: Mapped[uuid_lib.UUID] = mapped_column(Uuid, unique=True, default=uuid_lib.uuid4)
    bron: Mapped[str] = mapped_column(String(50))
    applicatie_id: Mapped[str] = mapped_column(String(100), default="")
    applicatie_weergave: Mapped[str] = mapped_column(String(200), default="")
    gebruikers_id: Mapped[str] = mapped_column(String(255), default="")
    gebruikers_weergave: Mapped[str] = mapped_column(String(255), default="")
    actie: Mapped[str] = mapped_column(String(50))
    actie_weergave: Mapped[str] = mapped_column(String(200), default="")
    resultaat: Mapped[int] = mapped_column(Integer)
    hoofd_object: Mapped[str] = mapped_column(String(1000), index=True)
    resource: Mapped[str] = mapped_column(String(50))
    resource_url: Mapped[str] = mapped_column(String(1000))
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    resource_weergave: Mapped[str] = mapped_column(String(200), default="")
    aanmaakdatum: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    oud: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    nieuw: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Wijzigingen(ApiModel):
    oud: dict[str, Any] | None = None
    nieuw: dict[str, Any] | None = None


class AuditTrailOut(ApiModel):
    """The AuditTrail resource of the ZGW APIs (for the OpenAPI documents)."""

    uuid: str
    bron: str
    applicatie_id: str
    applicatie_weergave: str
    gebruikers_id: str
    gebruikers_weergave: str
    actie: str
    actie_weergave: str
    resultaat: int
    hoofd_object: str
    resource: str
    resource_url: str
    toelichting: str
    resource_weergave: str
    aanmaakdatum: str
    wijzigingen: Wijzigingen


def record(
    session: AsyncSession,
    *,
    bron: str,
    auth: AuthContext,
    actie: str,
    resultaat: int,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    resource_weergave: str = "",
    toelichting: str = "",
    oud: dict[str, Any] | None = None,
    nieuw: dict[str, Any] | None = None,
) -> AuditTrail:
    """Add one audit-trail record to the current transaction."""
    entry = AuditTrail(
        **values(
            bron=bron,
            auth=auth,
            actie=actie,
            resultaat=resultaat,
            hoofd_object=hoofd_object,
            resource=resource,
            resource_url=resource_url,
            resource_weergave=resource_weergave,
            toelichting=toelichting,
            oud=oud,
            nieuw=nieuw,
        )
    )
    session.add(entry)
    return entry


def values(
    *,
    bron: str,
    auth: AuthContext,
    actie: str,
    resultaat: int,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    resource_weergave: str = "",
    toelichting: str = "",
    oud: dict[str, Any] | None = None,
    nieuw: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The columns of one audit-trail record (for writing it with a statement of one's own)."""
    return dict(
        uuid=uuid_lib.uuid4(),
        bron=bron,
        applicatie_id=auth.client_id,
        applicatie_weergave=auth.label,
        gebruikers_id=auth.user_id,
        gebruikers_weergave=auth.user_representation,
        actie=actie,
        actie_weergave=ACTIE_WEERGAVE.get(actie, actie),
        resultaat=resultaat,
        hoofd_object=hoofd_object,
        resource=resource,
        resource_url=resource_url,
        resource_weergave=resource_weergave[:200],
        toelichting=toelichting[:1000],
        aanmaakdatum=clock.now(),
        oud=oud,
        nieuw=nieuw,
    )


async def for_object(session: AsyncSession, hoofd_object: str) -> list[AuditTrail]:
    """All records of one main object, oldest first."""
    stmt = select(AuditTrail).where(AuditTrail.hoofd_object == hoofd_object).order_by(AuditTrail.id)
    return list((await session.execute(stmt)).scalars())


def render(entry: AuditTrail) -> dict[str, Any]:
    """The AuditTrail resource of the ZGW APIs."""
    return {
        "uuid": str(entry.uuid),
        "bron": entry.bron.lower(),  # the specs' BronEnum is lower case
        "applicatieId": entry.applicatie_id,
        "applicatieWeergave": entry.applicatie_weergave,
        "gebruikersId": entry.gebruikers_id,
        "gebruikersWeergave": entry.gebruikers_weergave,
        "actie": entry.actie,
        "actieWeergave": entry.actie_weergave,
        "resultaat": entry.resultaat,
        "hoofdObject": entry.hoofd_object,
        "resource": entry.resource,
        "resourceUrl": entry.resource_url,
        "toelichting": entry.toelichting,
        "resourceWeergave": entry.resource_weergave,
        "aanmaakdatum": iso(entry.aanmaakdatum),
        # a create has no `oud`, a destroy no `nieuw`: left out (the specs allow no null)
        "wijzigingen": {
            k: v for k, v in (("oud", entry.oud), ("nieuw", entry.nieuw)) if v is not None
        },
    }
