"""A webhook subscriber for the Notificaties benchmark: answers 204 and records when each
message arrived (by its resourceUrl, or a CloudEvent's dataref). GET /stats returns them;
GET /count only how many arrived and over how many connections (cheap enough to poll while a
run goes on: /stats of ten thousand receipts would take the subscriber's time from the run).

    python bench/subscriber.py PORT
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from aiohttp import web

receipts: list[tuple[str, float]] = []
peers: set[object] = set()  # (address, port) of each connection a message came over


async def hook(request: web.Request) -> web.Response:
    body = await request.read()
    arrived = time.time()
    try:
        message = json.loads(body)
        key = message.get("resourceUrl") or message.get("dataref") or ""
    except ValueError:
        key = ""
    if request.headers.get("Authorization") != "Bearer bench-abonnee":
        return web.Response(status=403)
    receipts.append((key, arrived))
    if request.transport is not None:
        peers.add(request.transport.get_extra_info("peername"))
    return web.Response(status=204)


async def stats(_request: web.Request) -> web.Response:
    return web.json_response({"count": len(receipts), "receipts": receipts})


async def count(_request: web.Request) -> web.Response:
    return web.json_response({"count": len(receipts), "connections": len(peers)})


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
