"""The local PostgreSQL cluster the benchmark tools prepare and measure, and how they reach
it: 127.0.0.1:5432 as user postgres (trust authentication, as `make bench DB=postgres`
expects)."""

from __future__ import annotations

import subprocess

HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def url(database: str, driver: str = "postgresql") -> str:
    """The URL of `database`; `driver` e.g. `postgresql+asyncpg` for the server's setting."""
    return f"{driver}://{USER}@{HOST}:{PORT}/{database}"


def psql(database: str, *args: str, check: bool = True, timeout: float | None = None) -> str:
    """What `psql` on `database` with `args` printed (`check`: fail when psql does)."""
    return subprocess.run(
        ["psql", "-h", HOST, "-p", str(PORT), "-U", USER, "-d", database, *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    ).stdout
