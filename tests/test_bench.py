"""The benchmark harness keeps working: its quick mode runs end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_quick_benchmark_runs_and_reports(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--out",
            str(tmp_path),
            "--workdir",
            str(tmp_path / "db"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    reports = list(tmp_path.glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
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
    for r in report["results"]:
        assert r["requests"] > 0
        assert r["errors"] == 0, r
    # registering a request: zaak, rol and status, every notificatie delivered
    registreer = next(r for r in report["results"] if r["scenario"].startswith("register"))
    assert registreer["registered"] > 0
    assert registreer["created"] >= 3 * registreer["registered"]
    assert registreer["notificaties_delivered"] >= registreer["notificaties_expected"]
    assert list(tmp_path.glob("*.md"))
