"""Large content in bestandsdelen: create with only a size, upload every part with the lock,
unlock joins them; sizes, locks and completeness are checked; memory stays flat."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path
from typing import Any

import anyio
import orjson
from sqlalchemy import select

from mijnzaken.documenten import models as dm
from tests.documenten import factories as f
from tests.documenten.factories import EIO

MB = 1024 * 1024


def _small_parts(settings, size):
    settings.documenten_bestandsdeel_omvang = size


async def _announce(client, headers, iot, omvang):
    resp = await client.post(
        EIO, json=f.eio_body(iot, inhoud=None, bestandsomvang=omvang), headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


async def _put(client, headers, deel, data, lock):
    return await client.put(
        deel["url"], data={"lock": lock}, files={"inhoud": ("deel.bin", data)}, headers=headers
    )


async def test_upload_in_parts_and_unlock_joins_them(client, superuser, database, settings):
    iot = await f.informatieobjecttype(database)
    before = settings.documenten_bestandsdeel_omvang
    _small_parts(settings, 4)
    try:
        doc = await _announce(client, superuser, iot, 10)
    finally:
        settings.documenten_bestandsdeel_omvang = before
    assert doc["locked"] is True
    assert doc["lock"]
    assert doc["inhoud"] is None
    assert [(d["volgnummer"], d["omvang"], d["voltooid"]) for d in doc["bestandsdelen"]] == [
        (1, 4, False),
        (2, 4, False),
        (3, 2, False),
    ]
    delen, lock = doc["bestandsdelen"], doc["lock"]
    # parts may come in any order; each is put in its place by volgnummer
    for deel, data in ((delen[2], b"89"), (delen[0], b"0123"), (delen[1], b"4567")):
        resp = await _put(client, superuser, deel, data, lock)
        assert resp.status_code == 200, resp.text
        assert resp.json()["voltooid"] is True
    unlocked = await client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=superuser)
    assert unlocked.status_code == 204, unlocked.text
    got = (await client.get(doc["url"], headers=superuser)).json()
    assert got["bestandsdelen"] == []
    assert got["locked"] is False
    assert got["bestandsomvang"] == 10
    download = await client.get(got["inhoud"], headers=superuser)
    assert download.content == b"0123456789"
    async with database.transaction() as session:
        stored = (await session.execute(select(dm.InformatieObject))).scalar_one()
    assert stored.inhoud_sha256 == hashlib.sha256(b"0123456789").hexdigest()


async def test_part_of_the_wrong_size_or_with_a_wrong_lock_is_400(
    client, superuser, database, settings
):
    iot = await f.informatieobjecttype(database)
    before = settings.documenten_bestandsdeel_omvang
    _small_parts(settings, 4)
    try:
        doc = await _announce(client, superuser, iot, 8)
    finally:
        settings.documenten_bestandsdeel_omvang = before
    deel, lock = doc["bestandsdelen"][0], doc["lock"]
    short = await _put(client, superuser, deel, b"012", lock)
    assert short.status_code == 400
    assert short.json()["invalidParams"][0]["code"] == "file-size"
    long = await _put(client, superuser, deel, b"01234", lock)
    assert long.status_code == 400
    wrong = await _put(client, superuser, deel, b"0123", "verkeerd")
    assert wrong.status_code == 400
    assert wrong.json()["invalidParams"][0]["code"] == "incorrect-lock-id"
    ok = await _put(client, superuser, deel, b"0123", lock)
    assert ok.status_code == 200
    # the second part is missing: unlocking is refused
    incomplete = await client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=superuser)
    assert incomplete.status_code == 400
    assert incomplete.json()["invalidParams"][0]["code"] == "incomplete-upload"
    missing = await client.put(deel["url"], data={"lock": lock}, headers=superuser)
    assert missing.status_code == 400


async def test_announced_size_above_the_maximum_is_400(client, superuser, database, settings):
    iot = await f.informatieobjecttype(database)
    resp = await client.post(
        EIO,
        json=f.eio_body(iot, inhoud=None, bestandsomvang=settings.documenten_max_omvang + 1),
        headers=superuser,
    )
    assert resp.status_code == 400
    assert resp.json()["invalidParams"][0]["code"] == "file-size"


async def test_update_with_a_new_size_opens_new_bestandsdelen(
    client, superuser, database, settings
):
    iot = await f.informatieobjecttype(database)
    doc = await f.create_eio(client, superuser, iot, inhoud=b"oud")
    lock = (await client.post(f"{doc['url']}/lock", headers=superuser)).json()["lock"]
    patched = await client.patch(
        doc["url"], json={"lock": lock, "bestandsomvang": 5, "inhoud": None}, headers=superuser
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["versie"] == 2
    [deel] = patched.json()["bestandsdelen"]
    assert (await _put(client, superuser, deel, b"nieuw", lock)).status_code == 200
    assert (
        await client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=superuser)
    ).status_code == 204
    latest = (await client.get(doc["url"], headers=superuser)).json()
    assert (await client.get(latest["inhoud"], headers=superuser)).content == b"nieuw"
    first = (await client.get(doc["url"], params={"versie": 1}, headers=superuser)).json()
    assert (await client.get(first["inhoud"], headers=superuser)).content == b"oud"


async def _download_discarding(app: Any, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """GET `path` straight through the ASGI app, hashing and dropping each chunk as it comes
    (the test client would collect the whole body)."""
    digest = hashlib.sha256()
    size = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()  # the client stays connected until the body is complete
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        nonlocal size
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message
        if message["type"] == "http.response.body":
            digest.update(message.get("body", b""))
            size += len(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
    }
    await app(scope, receive, send)
    return size, digest.hexdigest()


async def test_100_mb_in_bestandsdelen_with_flat_memory(
    app, client, superuser, database, settings, tmp_path: Path
):
    """100 MB in ten parts of 10 MB: upload, join and download stay within a few MB of
    Python memory (tracemalloc peak), far below the size of the content."""
    total, part = 100 * MB, 10 * MB
    rng = random.Random(5)
    block = rng.randbytes(MB)
    expected = hashlib.sha256()
    files = []
    for i in range(total // part):
        path = tmp_path / f"deel{i}"
        with path.open("wb") as out:
            for j in range(part // MB):
                chunk = bytes([i, j]) + block[2:]
                expected.update(chunk)
                out.write(chunk)
        files.append(path)
    iot = await f.informatieobjecttype(database)
    before = settings.documenten_bestandsdeel_omvang
    _small_parts(settings, part)
    try:
        doc = await _announce(client, superuser, iot, total)
    finally:
        settings.documenten_bestandsdeel_omvang = before
    lock = doc["lock"]
    tracemalloc.start()
    try:
        for deel, path in zip(doc["bestandsdelen"], files, strict=True):
            with path.open("rb") as data:
                resp = await client.put(
                    deel["url"],
                    data={"lock": lock},
                    files={"inhoud": ("d", data)},
                    headers=superuser,
                )
            assert resp.status_code == 200, resp.text
        unlocked = await client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=superuser)
        assert unlocked.status_code == 204, unlocked.text
        path = doc["url"].removeprefix("http://testserver") + "/download"
        size, digest = await _download_discarding(app, path, superuser)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size == total
    assert digest == expected.hexdigest()
    print(f"peak {peak / MB:.2f} MB")
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB for a {total // MB} MB document"


async def test_a_json_body_above_the_limit_is_413_and_bestandsdelen_take_large_content(
    client, superuser, database, settings
):
    """Inline base64 content is held in memory while its JSON body is parsed: the Documenten
    API caps JSON bodies (MIJNZAKEN_DOCUMENTEN_MAX_JSON) before they are read whole; the same
    content in bestandsdelen passes, part by part."""
    iot = await f.informatieobjecttype(database)
    before = settings.documenten_max_json, settings.documenten_bestandsdeel_omvang
    settings.documenten_max_json = 4096
    _small_parts(settings, 3000)
    try:
        big = await client.post(EIO, json=f.eio_body(iot, inhoud=b"x" * 6000), headers=superuser)
        assert big.status_code == 413
        assert big.json()["code"] == "content_too_large"
        assert big.json()["status"] == 413
        # the same body without a Content-Length: counted as it arrives
        raw = orjson.dumps(f.eio_body(iot, inhoud=b"x" * 6000))

        async def chunks() -> Any:
            for start in range(0, len(raw), 1000):
                yield raw[start : start + 1000]

        streamed = await client.post(
            EIO,
            content=chunks(),
            headers={**superuser, "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        assert streamed.json()["code"] == "content_too_large"
        async with database.transaction() as session:
            assert (await session.execute(select(dm.InformatieObject))).first() is None
        small = await client.post(EIO, json=f.eio_body(iot, inhoud=b"x" * 100), headers=superuser)
        assert small.status_code == 201, small.text
        doc = await _announce(client, superuser, iot, 6000)
        for deel in doc["bestandsdelen"]:
            resp = await _put(client, superuser, deel, b"y" * deel["omvang"], doc["lock"])
            assert resp.status_code == 200, resp.text
        unlocked = await client.post(
            f"{doc['url']}/unlock", json={"lock": doc["lock"]}, headers=superuser
        )
        assert unlocked.status_code == 204, unlocked.text
    finally:
        settings.documenten_max_json, settings.documenten_bestandsdeel_omvang = before
