"""A webhook subscriber for the Notificaties benchmark: answers 204 and records when each
message arrived (by its resourceUrl, or a CloudEvent's dataref). GET /stats returns them;
GET /count only how many arrived, how many distinct notificaties they were, and over how many
connections (cheap enough to poll while a run goes on: /stats of ten thousand receipts would
take the subscriber's time from the run).

Delivery is at least once: a notificatie whose delivery was retried (a lease that ran out, an
answer that got lost) may arrive twice. A notificatie is known by what the dispatcher puts in
it: a CloudEvent by its `id` (the notificatie's own, the same on every redelivery), a ZGW
message by kanaal, hoofdObject, resource, resourceUrl, actie and aanmaakdatum (the moment of
the change, to the microsecond). `duplicates` counts the receipts beyond the first of each.

    python bench/subscriber.py PORT
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from aiohttp import web

receipts: list[tuple[str, float]] = []
seen: set[str] = set()  # the identity of each notificatie received
peers: set[object] = set()  # (address, port) of each connection a message came over
IDENTITY = ("kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum")


def identity(message: dict[str, Any], body: bytes) -> str:
    """What makes a notificatie the same one when it arrives again."""
    if message.get("specversion") and message.get("id"):
        return f"cloudevent {message['id']}"
    if all(message.get(k) for k in ("resourceUrl", "actie", "aanmaakdatum")):
        return json.dumps([message.get(k) for k in IDENTITY])
    return body.decode("utf-8", "replace")  # not a notificatie we know: the body itself


async def hook(request: web.Request) -> web.Response:
    body = await request.read()
    arrived = time.time()
    try:
        message = json.loads(body)
        if not isinstance(message, dict):
            raise ValueError(message)
    except ValueError:
        message = {}
    if request.headers.get("Authorization") != "Bearer bench-abonnee":
        return web.Response(status=403)
    receipts.append((message.get("resourceUrl") or message.get("dataref") or "", arrived))
    seen.add(identity(message, body))
    if request.transport is not None:
        peers.add(request.transport.get_extra_info("peername"))
    return web.Response(status=204)


def counts() -> dict[str, int]:
    return {"count": len(receipts), "distinct": len(seen), "duplicates": len(receipts) - len(seen)}


async def stats(_request: web.Request) -> web.Response:
    return web.json_response({**counts(), "receipts": receipts})


async def count(_request: web.Request) -> web.Response:
    return web.json_response({**counts(), "connections": len(peers)})


def main() -> None:
    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_get("/stats", stats)
    app.router.add_get("/count", count)
    try:  # the benchmark measures the worker: spend as little CPU here as we can
        import uvloop

        loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    except ImportError:
        loop = asyncio.new_event_loop()
    web.run_app(
        app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None, loop=loop
    )


if __name__ == "__main__":
    main()
