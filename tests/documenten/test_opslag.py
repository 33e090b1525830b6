"""Storage: no orphan after a refused or rolled-back request, the sweep (`mijnzaken documenten
opruimen`), and the S3 option against a real S3-compatible server process (moto's server)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from typer.testing import CliRunner

from mijnzaken.app import create_app
from mijnzaken.cli import app as cli
from mijnzaken.core.settings import Settings
from tests.documenten import factories as f
from tests.documenten.factories import EIO


def _files(root: str) -> set[Path]:
    base = Path(root)
    return {p for p in base.rglob("*") if p.is_file()}


async def test_refused_content_leaves_no_file(client, superuser, database, settings):
    """The content is placed before the size check fails: the rollback removes it again."""
    iot = await f.informatieobjecttype(database)
    before = _files(settings.documenten_map)
    resp = await client.post(
        EIO, json=f.eio_body(iot, inhoud=b"12345", bestandsomvang=4), headers=superuser
    )
    assert resp.status_code == 400
    assert _files(settings.documenten_map) == before


async def test_content_follows_the_transaction(database, settings):
    """Content written in a transaction that rolls back is removed; content replaced in a
    transaction is removed only after its commit, and kept when it rolls back."""
    from sqlalchemy import text

    from mijnzaken.documenten import opslag

    store = opslag.voor(settings)
    root = Path(settings.documenten_map)

    async def chunks(data: bytes):
        yield data

    class Boom(Exception):
        pass

    written: list[opslag.Inhoud] = []

    async def write_then_fail() -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            written.append(await opslag.ontvang(session, store, chunks(b"weg"), max_omvang=100))
            assert (root / written[0].key).is_file()
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()
    assert not (root / written[0].key).exists()

    async with database.transaction() as session:
        await session.execute(text("SELECT 1"))
        kept = await opslag.ontvang(session, store, chunks(b"blijft"), max_omvang=100)
    assert (root / kept.key).read_bytes() == b"blijft"

    async def drop_then_fail() -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            opslag.vervalt(session, store, kept.key)
            raise Boom

    with pytest.raises(Boom):
        await drop_then_fail()
    assert (root / kept.key).exists()  # the change that dropped it did not happen

    async with database.transaction() as session:
        await session.execute(text("SELECT 1"))
        opslag.vervalt(session, store, kept.key)
    assert not (root / kept.key).exists()


async def test_opruimen_removes_unreferenced_content_only(
    client, superuser, database, database_url, settings, monkeypatch
):
    from mijnzaken.core import settings as settings_module

    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot, inhoud=b"bewaar mij")
    root = Path(settings.documenten_map)
    orphan = root / "zz" / "zz0000000000000000000000000000"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"wees")
    recent = root / "zz" / "zz1111111111111111111111111111"
    recent.write_bytes(b"nog bezig")
    stale_upload = root / "tmp" / "in-oud"
    stale_upload.parent.mkdir(parents=True, exist_ok=True)
    stale_upload.write_bytes(b"half")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    os.utime(stale_upload, (old, old))

    monkeypatch.setenv("MIJNZAKEN_DATABASE_URL", database_url)
    monkeypatch.setenv("MIJNZAKEN_DOCUMENTEN_MAP", settings.documenten_map)
    settings_module.get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli, ["documenten", "opruimen", "--ouder-dan", "60"]
        )
    finally:
        settings_module.get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert not orphan.exists()
    assert not stale_upload.exists()
    assert recent.exists()  # younger than the margin: maybe a transaction still running
    download = await client.get(f"{doc['url']}/download", headers=superuser)
    assert download.content == b"bewaar mij"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """A real S3-compatible server (moto's server mode) in its own process."""
    port = _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url, timeout=0.5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("moto_server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def s3_settings(settings: Settings, s3_server: str, tmp_path: Path) -> Settings:
    bucket = f"docs-{time.time_ns()}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return settings.model_copy(
        update={
            "documenten_opslag": "s3",
            "documenten_s3_endpoint_url": s3_server,
            "documenten_s3_bucket": bucket,
            "documenten_s3_access_key_id": "test",
            "documenten_s3_secret_access_key": "test",
            "documenten_map": str(tmp_path),
        }
    )


def _s3(settings: Settings) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=settings.documenten_s3_endpoint_url,
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _objects(settings: Settings) -> list[str]:
    client = _s3(settings)
    found = client.list_objects_v2(Bucket=settings.documenten_s3_bucket)
    return [o["Key"] for o in found.get("Contents", [])]


@pytest.fixture
async def s3_client(s3_settings: Settings, database: Any) -> Any:
    from tests.conftest import contract_hooks

    app = create_app(s3_settings, database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver",
        event_hooks=contract_hooks(),
    ) as c:
        yield c


async def test_s3_inline_content_download_and_destroy(s3_client, s3_settings, superuser, database):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(s3_client, superuser, iot, inhoud=b"in de emmer")
    [key] = _objects(s3_settings)
    download = await s3_client.get(doc["inhoud"], headers=superuser)
    assert download.status_code == 200
    assert download.content == b"in de emmer"
    refused = await s3_client.post(
        EIO, json=f.eio_body(iot, inhoud=b"12345", bestandsomvang=1), headers=superuser
    )
    assert refused.status_code == 400
    assert _objects(s3_settings) == [key]  # the refused content was removed again
    assert (await s3_client.delete(doc["url"], headers=superuser)).status_code == 204
    assert _objects(s3_settings) == []


async def test_s3_bestandsdelen_joined_on_unlock(s3_client, s3_settings, superuser, database):
    iot = await f.informatieobjecttype(database)
    s3_settings.documenten_bestandsdeel_omvang = 3
    resp = await s3_client.post(
        EIO, json=f.eio_body(iot, inhoud=None, bestandsomvang=7), headers=superuser
    )
    assert resp.status_code == 201, resp.text
    doc = resp.json()
    for deel, data in zip(doc["bestandsdelen"], (b"abc", b"def", b"g"), strict=True):
        put = await s3_client.put(
            deel["url"],
            data={"lock": doc["lock"]},
            files={"inhoud": ("d", data)},
            headers=superuser,
        )
        assert put.status_code == 200, put.text
    assert len(_objects(s3_settings)) == 3
    unlocked = await s3_client.post(
        f"{doc['url']}/unlock", json={"lock": doc["lock"]}, headers=superuser
    )
    assert unlocked.status_code == 204
    assert len(_objects(s3_settings)) == 1  # the parts are gone, the joined content stays
    download = await s3_client.get(f"{doc['url']}/download", headers=superuser)
    assert download.content == b"abcdefg"


async def test_content_missing_from_the_file_store_is_an_error_answer_not_a_broken_200(
    client, superuser, database, settings, caplog
):
    iot = await f.informatieobjecttype(database)
    before = _files(settings.documenten_map)
    doc = await f.create_eio(client, superuser, iot, inhoud=b"weg uit de opslag")
    [path] = _files(settings.documenten_map) - before
    path.unlink()
    download = await client.get(doc["inhoud"], headers=superuser)
    assert download.status_code == 500
    assert download.headers["content-type"].startswith("application/problem+json")
    body = download.json()
    assert body["code"] == "inhoud_ontbreekt"
    assert (
        body["title"]
        == "De inhoud van dit informatieobject ontbreekt in de opslag van deze dienst."
    )
    uuid = doc["url"].rsplit("/", 1)[1]
    assert any(uuid in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


async def test_s3_content_missing_from_the_bucket_is_an_error_answer(
    s3_client, s3_settings, superuser, database
):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(s3_client, superuser, iot, inhoud=b"weg uit de emmer")
    [key] = _objects(s3_settings)
    _s3(s3_settings).delete_object(Bucket=s3_settings.documenten_s3_bucket, Key=key)
    download = await s3_client.get(doc["inhoud"], headers=superuser)
    assert download.status_code == 500
    assert download.json()["code"] == "inhoud_ontbreekt"
