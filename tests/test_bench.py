"""The benchmark harness keeps working: its quick mode runs end to end."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    """The harness in quick mode, with `args`."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_quick_benchmark_runs_and_reports(tmp_path):
    result = _bench("--out", str(tmp_path), "--workdir", str(tmp_path / "db"))
    assert result.returncode == 0, result.stderr[-2000:]
    reports = list(tmp_path.glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    # each scenario ran under the same load for a second first, not counted
    assert report["settings"]["warmup_s"] == 1
    names = [r["scenario"] for r in report["results"]]
    assert names[0].startswith("floor")
    assert "zaaktype detail" in names
    assert {"klantbeeld JSON of a citizen (application)", "portal Mijn overzicht"} <= set(names)
    assert "download of a 10 MB document" in names
    assert any(n.startswith("its 50 documents with metadata") for n in names)
    # the document scenarios say how large the register is they ran against
    download = next(r for r in report["results"] if r["scenario"].startswith("download"))
    assert download["register_documenten"] >= 51
    assert report["documenten"] == download["register_documenten"]
    # the citizen list also runs with one connection per server worker
    unqueued = next(r for r in report["results"] if r["scenario"].endswith(", 2 connections"))
    assert unqueued["scenario"].startswith("citizen zaken list")
    assert unqueued["connections"] == 2
    for r in report["results"]:
        assert r["requests"] > 0
        assert r["errors"] == 0, r
        # where the time went: the server and wrk spent some; SQLite has no process of its own
        assert r["server_cpu_ms"] > 0, r
        assert r["client_cpu_ms"] > 0, r
        # the load generator must not be what limits a scenario (wrk once copied every
        # response body into its script: on the 10 MB download it outspent the server)
        assert r["client_cpu_ms"] < r["server_cpu_ms"], r
        assert r["database_cpu_ms"] is None, r
    # registering a request: zaak, rol and status, every notificatie delivered
    registreer = next(r for r in report["results"] if r["scenario"].startswith("register"))
    assert registreer["registered"] > 0
    assert registreer["created"] >= 3 * registreer["registered"]
    assert registreer["notificaties_delivered"] >= registreer["notificaties_expected"]
    # each arrived once; a surplus comes only from requests wrk did not see answered
    assert registreer["notificaties_duplicates"] == 0
    assert registreer["notificaties_distinct"] == registreer["notificaties_delivered"]
    assert registreer["notificaties_unanswered"] <= registreer["unanswered"]
    # creating a zaak alone, its notificatie delivered too
    create = next(r for r in report["results"] if r["scenario"] == "create zaak, notified")
    assert create["created"] > 0
    assert create["notificaties_distinct"] >= create["notificaties_expected"] == create["created"]
    assert create["notificaties_duplicates"] == 0
    assert create["notificaties_unanswered"] <= create["unanswered"]
    assert list(tmp_path.glob("*.md"))

    # a run that was killed left its abonnement, whose subscriber is gone: the next run
    # deletes it before it measures, and leaves every other abonnement alone
    database = tmp_path / "db" / "quick.sqlite3"
    with sqlite3.connect(database) as conn:
        zaken = conn.execute("SELECT id FROM notificaties_kanaal WHERE naam = 'zaken'").fetchone()
        for callback, bronorganisatie in (
            ("http://127.0.0.1:9/hook", "100000009"),  # the harness's, as `subscribe` makes it
            ("http://127.0.0.1:9/hook", "123456782"),
            ("https://ontvanger.example/hook", "100000009"),
        ):
            row = conn.execute(
                "INSERT INTO notificaties_abonnement "
                "(callback_url, auth, send_cloudevents, client_id, uuid) "
                "VALUES (?, 'Bearer x', 0, 'bench', ?) RETURNING id",
                (callback, uuid.uuid4().hex),
            ).fetchone()
            conn.execute(
                "INSERT INTO notificaties_abonnement_kanaal (abonnement_id, kanaal_id, filters) "
                "VALUES (?, ?, ?)",
                (row[0], zaken[0], json.dumps({"bronorganisatie": bronorganisatie})),
            )
    later = _bench(
        "--only", "zaaktype detail",
        "--out", str(tmp_path / "later"), "--workdir", str(tmp_path / "db"),
    )  # fmt: skip
    assert later.returncode == 0, later.stderr[-2000:]
    assert "deleted 1 abonnementen that an interrupted run left" in later.stdout
    with sqlite3.connect(database) as conn:
        left = conn.execute(
            "SELECT a.callback_url, k.filters FROM notificaties_abonnement a "
            "JOIN notificaties_abonnement_kanaal k ON k.abonnement_id = a.id ORDER BY a.id"
        ).fetchall()
    assert [(url, json.loads(filters)["bronorganisatie"]) for url, filters in left] == [
        ("http://127.0.0.1:9/hook", "123456782"),
        ("https://ontvanger.example/hook", "100000009"),
    ]

    # the database reused with a file store that lacks its documents' contents (another
    # checkout made them): preparing writes them again, byte for byte what the register holds
    store = tmp_path / "db" / "documenten"
    shutil.rmtree(store)
    again = _bench("--prepare-only", "--workdir", str(tmp_path / "db"))
    assert again.returncode == 0, again.stderr[-2000:]
    with sqlite3.connect(tmp_path / "db" / "quick.sqlite3") as conn:
        # those the harness made (the demo's own are not reproducible, and no scenario
        # downloads them)
        contents = conn.execute(
            "SELECT inhoud_key, inhoud_sha256, bestandsomvang FROM documenten_informatieobject "
            "WHERE inhoud_key IS NOT NULL AND (titel LIKE 'bijlage-%' OR titel = 'groot')"
        ).fetchall()
    assert 10 * 1024 * 1024 in [omvang for _key, _sha256, omvang in contents]
    assert f"re-created the content of {len(contents)} documents" in again.stdout
    for key, sha256, omvang in contents:
        inhoud = (store / key).read_bytes()
        assert (hashlib.sha256(inhoud).hexdigest(), len(inhoud)) == (sha256, omvang)


def test_only_leaves_the_floor_and_the_scenarios_it_names():
    sys.path.insert(0, str(ROOT / "bench"))
    from run import Scenario, wanted

    floor = Scenario("floor (1 primary-key SELECT)", ["/?id=1"], floor=True)
    detail, lijst = Scenario("zaak detail", ["/z"]), Scenario("citizen zaken list", ["/l"])
    assert [s.name for s in (floor, detail, lijst) if wanted(s, "zaak detail")] == [
        floor.name,
        detail.name,
    ]
    assert all(wanted(s, None) and wanted(s, "") for s in (floor, detail, lijst))


def test_the_benchmark_subscriber_counts_a_notificatie_that_arrives_again_as_a_duplicate():
    sys.path.insert(0, str(ROOT / "bench"))
    from run import free_port, wait_for

    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "subscriber.py"), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/count")
        zaak = {
            "kanaal": "zaken",
            "hoofdObject": "http://mz.invalid/zaken/api/v1/zaken/1",
            "resource": "zaak",
            "resourceUrl": "http://mz.invalid/zaken/api/v1/zaken/1",
            "actie": "create",
            "aanmaakdatum": "2026-01-01T10:00:00.123456Z",
            "kenmerken": {},
        }
        later = {**zaak, "actie": "partial_update", "aanmaakdatum": "2026-01-01T10:00:01Z"}
        event = {"specversion": "1.0", "id": "n-1", "dataref": zaak["resourceUrl"], "data": zaak}
        auth = {"Authorization": "Bearer bench-abonnee"}
        # the same notificatie twice (a redelivery), another change of the same zaak, and a
        # CloudEvent sent twice: by its id, whatever else it carries
        for body in (zaak, zaak, later, event, {**event, "time": "anders"}):
            assert httpx.post(f"{base}/hook", json=body, headers=auth).status_code == 204
        assert httpx.post(f"{base}/hook", json=later).status_code == 403  # not counted
        counts = httpx.get(f"{base}/count").json()
        assert (counts["count"], counts["distinct"], counts["duplicates"]) == (5, 3, 2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _burn(seconds: float) -> str:
    return (
        f"import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass"
    )


def test_the_cpu_meter_counts_every_process_of_the_server_group():
    sys.path.insert(0, str(ROOT / "bench"))
    import cpu

    # a leader that starts a worker, as `mijnzaken serve --workers` does; both spend CPU
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', {_burn(0.3)!r}])\n"
        f"{_burn(0.2)}\n"
        "time.sleep(30)"
    )
    leader = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        spent = 0.0
        for _ in range(100):
            spent = cpu.process_group(leader.pid)
            if spent >= 0.5:
                break
            time.sleep(0.1)
        assert 0.5 <= spent < 5, spent
        assert cpu.process_group(leader.pid + 10**7) == 0  # no such group
    finally:
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_quick_benchmark_on_postgresql_reports_the_database_side(tmp_path):
    """On PostgreSQL each scenario also gets the database cluster's CPU and what its busy
    connections were doing (run with the PostgreSQL suite only: it takes a minute)."""
    if not os.environ.get("MIJNZAKEN_TEST_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("runs with the PostgreSQL test suite")
    sys.path.insert(0, str(ROOT / "bench"))
    import pg

    name = f"mz_bench_{os.getpid()}"
    try:
        result = _bench(
            "--db", "postgres", "--pg-database", name,
            "--out", str(tmp_path), "--workdir", str(tmp_path / "db"),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
    finally:
        pg.psql("test", "-qc", f"DROP DATABASE IF EXISTS {name}_quick WITH (FORCE)", check=False)
    report = json.loads(next(tmp_path.glob("*.json")).read_text())
    for r in report["results"]:
        assert r["errors"] == 0, r
        assert r["database_cpu_ms"] > 0, r
        waits = r["database_waits"]
        assert waits["samples"] >= 10, r  # 2 s at one sample per 50 ms
        # shares of one whole, each rounded to a thousandth
        assert sum(waits["shares"].values()) <= 1.0 + 0.0005 * len(waits["shares"])
    # a scenario that writes keeps the database busy
    create = next(r for r in report["results"] if r["scenario"] == "create zaak, notified")
    assert create["database_waits"]["busy_connections"] > 0
    assert (
        "What the database's busy connections were doing" in next(tmp_path.glob("*.md")).read_text()
    )


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not installed")
def test_the_cpu_meter_counts_the_work_of_a_postgresql_backend():
    sys.path.insert(0, str(ROOT / "bench"))
    import cpu
    import pg

    postmaster = cpu.postmaster_of("test")
    if postmaster is None:
        pytest.skip("no local PostgreSQL cluster to read")
    before = cpu.cluster(postmaster)
    # a backend that works for a while and then ends: its time is collected by the postmaster
    pg.psql("test", "-qAtc", "SELECT count(*) FROM generate_series(1, 5000000)")
    # the backend's time moves to the postmaster once it has collected the ended process,
    # which it does on its own schedule: wait for it
    spent = 0.0
    for _ in range(100):
        spent = cpu.cluster(postmaster) - before
        if spent >= 0.2:
            break
        time.sleep(0.1)
    assert spent >= 0.2
    assert cpu.postmaster_of("no_such_database_here") is None


async def test_the_wait_sampler_sees_a_lock_wait_and_a_transaction_left_open():
    """`bench/waits.py` counts, per sample, a connection waiting for a lock as the lock's
    wait event and one idle in its transaction as the application's turn; and the
    connections opened while it sampled."""
    import asyncpg

    sys.path.insert(0, str(ROOT / "bench"))
    import pg
    import waits

    dsn = pg.url("test")
    try:
        holder = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError):
        pytest.skip("no local PostgreSQL database 'test'")
    waiter = await asyncpg.connect(dsn)
    key = int.from_bytes(os.urandom(4), "big")
    try:
        async with holder.transaction():
            await holder.execute("SELECT pg_advisory_xact_lock($1)", key)
            blocked = asyncio.create_task(waiter.execute("SELECT pg_advisory_lock($1)", key))
            with waits.Waits(dsn, "test", interval=0.02) as sampler:
                await asyncio.sleep(0.3)
                for _ in range(3):  # what a pool too small for its requests does
                    await (await asyncpg.connect(dsn)).close()
                await asyncio.sleep(0.3)
            assert not blocked.done()
        await asyncio.wait_for(blocked, 10)  # granted once the holder's transaction ended
        await waiter.execute("SELECT pg_advisory_unlock($1)", key)
    finally:
        await holder.close()
        await waiter.close()
    summary = sampler.summary()
    assert summary["samples"] >= 5
    assert summary["shares"].get("Lock:advisory", 0) >= 0.3
    assert summary["shares"].get("Client:ClientRead", 0) >= 0.3
    assert summary["busy_connections"] >= 1.5
    assert "Lock:advisory" in waits.describe(summary)
    # the three, and any other client's meanwhile; not the sampler's own
    assert summary["connections_opened"] >= 3
    assert f"; {summary['connections_opened']} opened" in waits.describe(summary)
