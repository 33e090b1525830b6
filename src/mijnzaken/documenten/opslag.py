"""Where the content of documents lives: the file system (default) or S3-compatible object
storage, both behind the same small interface.

Content always passes through a staging file first: it is streamed in chunk by chunk (flat
memory whatever the size), counted against the maximum size and hashed (sha256), and only then
placed under its final key (an atomic rename on the file system, an upload on S3). Keys written
in a transaction are forgotten (deleted) when the transaction does not commit; keys that a
committed change no longer needs are deleted after the commit. What a crashed process leaves
behind, `mijnzaken documenten opruimen` sweeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import anyio
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from mijnzaken.core.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CHUNK = 1024 * 1024
_NIEUW = "mijnzaken.documenten.nieuw"
_VERVALLEN = "mijnzaken.documenten.vervallen"


class TeGroot(Exception):
    """The content is larger than allowed (or than announced)."""


class Ontbreekt(Exception):
    """The store holds nothing under a key the register refers to."""


@dataclass(frozen=True)
class Inhoud:
    """Content placed in storage: its key, size in bytes and sha256 (hex)."""

    key: str
    omvang: int
    sha256: str


class Opslag(Protocol):
    """A place for content. Every method is blocking: call it from a worker thread."""

    def plaats(self, staging: Path) -> str:
        """Move a finished staging file under a new key; returns the key."""

    def lees(self, key: str) -> Iterator[bytes]:
        """The content under `key`, chunk by chunk; `Ontbreekt` (at the first chunk) when
        the store holds nothing under it."""

    def verwijder(self, key: str) -> None:
        """Remove `key` (a missing key is no error)."""

    def sleutels(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every key with the moment it was written (for the sweep)."""

    @property
    def staging_map(self) -> Path:
        """Where staging files are written."""


def _nieuwe_key() -> str:
    ident = uuid.uuid4().hex
    return f"{ident[:2]}/{ident}"


class BestandsOpslag:
    """Content as files under one directory: `<map>/<xx>/<uuid>`, staging in `<map>/tmp`."""

    def __init__(self, map_: str | Path) -> None:
        self.root = Path(map_)
        self._staging = self.root / "tmp"

    @property
    def staging_map(self) -> Path:
        self._staging.mkdir(parents=True, exist_ok=True)
        return self._staging

    def _pad(self, key: str) -> Path:
        pad = (self.root / key).resolve()
        if self.root.resolve() not in pad.parents:
            raise ValueError("ongeldige sleutel")
        return pad

    def plaats(self, staging: Path) -> str:
        key = _nieuwe_key()
        pad = self._pad(key)
        pad.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, pad)  # atomic: the key exists whole or not at all
        return key

    def lees(self, key: str) -> Iterator[bytes]:
        try:
            f = self._pad(key).open("rb")
        except FileNotFoundError as exc:
            raise Ontbreekt(key) from exc
        with f:
            while chunk := f.read(CHUNK):
                yield chunk

    def verwijder(self, key: str) -> None:
        self._pad(key).unlink(missing_ok=True)

    def sleutels(self) -> Iterator[tuple[str, dt.datetime]]:
        if not self.root.is_dir():
            return
        for sub in self.root.iterdir():
            if not sub.is_dir() or sub.name == "tmp":
                continue
            for f in sub.iterdir():
                moment = dt.datetime.fromtimestamp(f.stat().st_mtime, dt.UTC)
                yield f"{sub.name}/{f.name}", moment


class S3Opslag:
    """Content as objects in one bucket of an S3-compatible store; staging on local disk."""

    def __init__(self, client: S3Client, bucket: str, staging: Path) -> None:
        self.client = client
        self.bucket = bucket
        self._staging = staging

    @property
    def staging_map(self) -> Path:
        self._staging.mkdir(parents=True, exist_ok=True)
        return self._staging

    def plaats(self, staging: Path) -> str:
        key = _nieuwe_key()
        # upload_fileobj sends large files as a multipart upload, part by part
        with staging.open("rb") as f:
            self.client.upload_fileobj(f, self.bucket, key)
        staging.unlink(missing_ok=True)
        return key

    def lees(self, key: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise Ontbreekt(key) from exc
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def verwijder(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def sleutels(self) -> Iterator[tuple[str, dt.datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        for page in pages:
            for obj in page.get("Contents", []):
                yield obj["Key"], obj["LastModified"]


@lru_cache(maxsize=8)
def _opslag(
    soort: str,
    map_: str,
    bucket: str,
    endpoint: str | None,
    region: str,
    key_id: str | None,
    secret: str | None,
) -> Opslag:
    if soort == "s3":
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
        )
        return S3Opslag(client, bucket, Path(map_) / "tmp")
    if soort == "bestanden":
        return BestandsOpslag(map_)
    raise ValueError(f"onbekende documentopslag {soort!r}: kies 'bestanden' of 's3'")


def voor(settings: Settings) -> Opslag:
    """The storage the settings describe (one per process and configuration)."""
    return _opslag(
        settings.documenten_opslag,
        settings.documenten_map,
        settings.documenten_s3_bucket,
        settings.documenten_s3_endpoint_url,
        settings.documenten_s3_region,
        settings.documenten_s3_access_key_id,
        settings.documenten_s3_secret_access_key,
    )


async def ontvang(
    session: AsyncSession,
    opslag: Opslag,
    chunks: AsyncIterator[bytes],
    *,
    max_omvang: int,
    precies: int | None = None,
) -> Inhoud:
    """Stream `chunks` into storage with size check and sha256, tied to the transaction of
    `session`: when it does not commit, the content is removed again.

    `precies`: the content must have exactly this many bytes. Raises `TeGroot` when it is
    larger than `max_omvang` (or than `precies`), `ValueError` when shorter than `precies`.
    """
    limiet = max_omvang if precies is None else min(precies, max_omvang)
    fd, naam = tempfile.mkstemp(dir=opslag.staging_map, prefix="in-")
    staging = Path(naam)
    digest = hashlib.sha256()
    omvang = 0
    try:
        with os.fdopen(fd, "wb") as f:
            async for chunk in chunks:
                omvang += len(chunk)
                if omvang > limiet:
                    raise TeGroot(limiet)
                digest.update(chunk)
                f.write(chunk)
        if precies is not None and omvang != precies:
            raise ValueError(omvang)
        key = await anyio.to_thread.run_sync(opslag.plaats, staging)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    _bij(session, _NIEUW).append((opslag, key))
    return Inhoud(key, omvang, digest.hexdigest())


async def voeg_samen(
    session: AsyncSession, opslag: Opslag, keys: list[str], *, max_omvang: int
) -> Inhoud:
    """One new content made of the contents under `keys`, in that order."""

    async def delen() -> AsyncIterator[bytes]:
        for key in keys:
            reader = opslag.lees(key)
            while True:
                chunk = await anyio.to_thread.run_sync(next, reader, None)
                if chunk is None:
                    break
                yield chunk

    return await ontvang(session, opslag, delen(), max_omvang=max_omvang)


def vervalt(session: AsyncSession, opslag: Opslag, key: str | None) -> None:
    """`key` is no longer needed once this transaction commits."""
    if key:
        _bij(session, _VERVALLEN).append((opslag, key))


def _bij(session: AsyncSession, naam: str) -> list[tuple[Opslag, str]]:
    lijst: list[tuple[Opslag, str]] = session.info.setdefault(naam, [])
    return lijst


def _weg(items: list[tuple[Opslag, str]]) -> None:
    for opslag, key in items:
        try:
            opslag.verwijder(key)
        except Exception:
            continue


@event.listens_for(Session, "after_commit")
def _na_commit(session: Session) -> None:
    session.info.pop(_NIEUW, None)  # committed: the new content stays
    _weg(session.info.pop(_VERVALLEN, []))


@event.listens_for(Session, "after_transaction_end")
def _na_transactie(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    # not committed (after_commit would have cleared it): the new content goes again
    _weg(session.info.pop(_NIEUW, []))
    session.info.pop(_VERVALLEN, None)
