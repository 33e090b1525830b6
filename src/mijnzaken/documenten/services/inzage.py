"""What a customer view (klantbeeld) reads of the Documenten register: the metadata of many
documents at once, named by their URLs, within the limits it is given; and the content of one,
streamed from the storage.

The caller decides who may see what (status and vertrouwelijkheid for a citizen); this module
applies those limits in the query, so nothing outside them is read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from mijnzaken.core.db import among
from mijnzaken.core.settings import Settings
from mijnzaken.core.urls import Urls
from mijnzaken.documenten import opslag
from mijnzaken.documenten.models import InformatieObject
from mijnzaken.documenten.services.informatieobjecten import API, COLLECTION


@dataclass(frozen=True)
class Document:
    """One document as a customer view shows it (current version)."""

    uuid: uuid.UUID
    titel: str
    bestandsnaam: str
    formaat: str
    bestandsomvang: int | None
    creatiedatum: dt.date
    identificatie: str
    inhoud_key: str | None  # where the content is stored (None: no content)


def ours(urls: Urls, document_urls: Iterable[str]) -> dict[str, uuid.UUID]:
    """The URLs that name a document of this register, with its uuid (others are left out)."""
    found: dict[str, uuid.UUID] = {}
    for url in document_urls:
        ident = urls.parse(url, API, COLLECTION)
        if ident is not None:
            found[url] = ident
    return found


async def documenten(
    session: AsyncSession,
    idents: Collection[uuid.UUID],
    *,
    statussen: Collection[str] | None,
    vertrouwelijkheid: Collection[str] | None,
    voorwaarde: ColumnElement[bool] | None = None,
) -> dict[uuid.UUID, Document]:
    """The documents among `idents` with one of `statussen` and a vertrouwelijkheidaanduiding
    in `vertrouwelijkheid` (None: any) that meet `voorwaarde` (an employee's rights per
    informatieobjecttype, from documenten.services.access): one query whatever their
    number."""
    if not idents:
        return {}
    io = InformatieObject
    stmt = select(
        io.uuid,
        io.titel,
        io.bestandsnaam,
        io.formaat,
        io.bestandsomvang,
        io.creatiedatum,
        io.identificatie,
        io.inhoud_key,
    ).where(among(session, io.uuid, set(idents)))
    if statussen is not None:
        stmt = stmt.where(io.status.in_(list(statussen)))
    if vertrouwelijkheid is not None:
        stmt = stmt.where(io.vertrouwelijkheidaanduiding.in_(list(vertrouwelijkheid)))
    if voorwaarde is not None:
        stmt = stmt.where(voorwaarde)
    return {row.uuid: Document(**row._mapping) for row in (await session.execute(stmt)).all()}


def inhoud(settings: Settings, document: Document) -> Iterator[bytes]:
    """The content of `document`, chunk by chunk from the storage (flat memory); nothing for
    a document without content."""
    if document.inhoud_key is None:
        return iter(())
    return opslag.voor(settings).lees(document.inhoud_key)
