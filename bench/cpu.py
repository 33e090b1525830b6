"""Where a scenario's CPU time goes: the server, the database, the load generator.

Throughput on a shared machine says how fast the whole was; it does not say which part spent
the time. Each scenario therefore also reports the CPU time per answered request of

- the server: every process of its process group (the serving master and its workers, with
  what they do in the background, such as delivering notificaties);
- the database: every process of the local PostgreSQL cluster (backends, WAL writer,
  checkpointer, autovacuum): also what another database of that cluster does meanwhile, so
  measure on a quiet cluster. SQLite works inside the server, so it has no figure of its own;
- the load generator (wrk), to show it is not what limits the run.

Read from /proc (Linux) before and after the scenario. A process that ended in between (a
PostgreSQL backend of a closed connection) is counted through its parent, which collected
its time when it ended.
"""

from __future__ import annotations

import os
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pg

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class _Stat:
    pid: int
    ppid: int
    pgrp: int
    own: float  # user + system seconds of the process itself
    children: float  # ... of its ended children it collected


def _stat(pid: int) -> _Stat | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # the name, in parentheses, may hold spaces: the fields follow the last ")"
    fields = text.rpartition(")")[2].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return _Stat(
        pid=pid,
        ppid=int(fields[1]),
        pgrp=int(fields[2]),
        own=(utime + stime) / _TICKS,
        children=(cutime + cstime) / _TICKS,
    )


def _all() -> list[_Stat]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                found.append(stat)
    return found


def process_group(pgrp: int) -> float:
    """CPU seconds so far of the processes of group `pgrp` and the children they collected."""
    return sum(s.own + s.children for s in _all() if s.pgrp == pgrp)


def cluster(postmaster: int) -> float:
    """CPU seconds so far of a PostgreSQL cluster: its postmaster, the children it runs and
    those it collected."""
    stats = _all()
    head = next((s for s in stats if s.pid == postmaster), None)
    if head is None:
        return 0.0
    return head.own + head.children + sum(s.own for s in stats if s.ppid == postmaster)


def postmaster_of(database: str) -> int | None:
    """The postmaster's pid of the local cluster that serves `database` (the parent of its
    checkpointer), or None when that cluster is not on this machine or not readable."""
    try:
        out = pg.psql(
            database,
            "-Atc",
            "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'",
            timeout=30,
        ).strip()
    except (OSError, subprocess.SubprocessError):
        return None
    checkpointer = _stat(int(out)) if out.isdigit() else None
    return checkpointer.ppid if checkpointer is not None else None


def collected_children() -> float:
    """CPU seconds of this process's ended children it waited for (wrk, once it ran)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Meter:
    """CPU time of the server, the database and the load generator over one scenario."""

    server_pgrp: int | None
    postmaster: int | None

    def read(self) -> tuple[float | None, float | None, float]:
        return (
            process_group(self.server_pgrp) if self.server_pgrp is not None else None,
            cluster(self.postmaster) if self.postmaster is not None else None,
            collected_children(),
        )

    @staticmethod
    def per_request(
        before: tuple[float | None, float | None, float],
        after: tuple[float | None, float | None, float],
        requests: int,
    ) -> dict[str, float | None]:
        """Milliseconds of CPU per answered request, by part."""
        names = ("server_cpu_ms", "database_cpu_ms", "client_cpu_ms")
        out: dict[str, float | None] = {}
        for name, a, b in zip(names, before, after, strict=True):
            out[name] = (
                round(1000 * (b - a) / requests, 3)
                if a is not None and b is not None and requests
                else None
            )
        return out
