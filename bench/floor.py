"""The floor: the cheapest request this stack can answer on the same database.

A bare ASGI app that reads one zaak by primary key with the same engine settings MijnZaken
uses, and answers a few fields as JSON. Every scenario is reported as a ratio to it.

On PostgreSQL the read runs in autocommit, as MijnZaken's reads do (ADR 22): without it each
request also sent BEGIN and ROLLBACK, three round trips where MijnZaken's read makes one.
"""

from __future__ import annotations

import json
import os
from typing import Any

from sqlalchemy import text

from mijnzaken.core.db import create_engine

engine = create_engine(os.environ["MIJNZAKEN_DATABASE_URL"])
QUERY = text("SELECT id, identificatie, startdatum FROM zaken_zaak WHERE id = :id")
AUTOCOMMIT = engine.dialect.name == "postgresql"


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await engine.dispose()
                await send({"type": "lifespan.shutdown.complete"})
                return
    query = scope.get("query_string", b"").decode()
    ident = int(query.partition("id=")[2] or 1)
    async with engine.connect() as conn:
        if AUTOCOMMIT:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
        row = (await conn.execute(QUERY, {"id": ident})).first()
    body = json.dumps(
        {"id": row[0], "identificatie": row[1], "startdatum": str(row[2])} if row else {}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200 if row else 404,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
