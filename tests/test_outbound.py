"""core/outbound.py: SSRF refusals, limits, and a real fetch from a local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mijnzaken.core.outbound import MAX_BYTES, OutboundError, Sender, fetch_json
from mijnzaken.core.settings import Settings


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/ok":
            body = json.dumps({"omschrijving": "Toegekend"}).encode()
        elif self.path == "/half":  # under the limit, but more than one read's worth
            body = json.dumps({"x": "x" * (MAX_BYTES // 2)}).encode()
        elif self.path == "/big":
            body = b'"' + b"x" * (MAX_BYTES + 10) + b'"'
        elif self.path == "/redirect-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        elif self.path == "/html":
            body = b"<html></html>"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _settings(*, allow_private: bool) -> Settings:
    return Settings(
        database_url="sqlite+aiosqlite:///:memory:",
        outbound_allow_private=allow_private,
        outbound_timeout=5,
    )


async def _refused(url: str, *, allow_private: bool) -> OutboundError:
    with pytest.raises(OutboundError) as caught:
        await fetch_json(url, settings=_settings(allow_private=allow_private))
    return caught.value


async def test_metadata_address_is_refused_even_when_private_is_allowed() -> None:
    error = await _refused("http://169.254.169.254/latest/meta-data/", allow_private=True)
    assert error.code == "forbidden-address"


async def test_ipv6_link_local_is_refused() -> None:
    error = await _refused("http://[fe80::1]/", allow_private=True)
    assert error.code == "forbidden-address"


async def test_private_address_is_refused_without_allow_private() -> None:
    error = await _refused("http://10.0.0.1/api/v1/resultaten/x", allow_private=False)
    assert error.code == "forbidden-address"


async def test_loopback_is_refused_without_allow_private(server: str) -> None:
    error = await _refused(f"{server}/ok", allow_private=False)
    assert error.code == "forbidden-address"


async def test_localhost_name_is_resolved_and_refused() -> None:
    error = await _refused("http://localhost:1/", allow_private=False)
    assert error.code == "forbidden-address"


async def test_ipv4_mapped_ipv6_metadata_is_refused() -> None:
    error = await _refused("http://[::ffff:169.254.169.254]/", allow_private=True)
    assert error.code == "forbidden-address"


async def test_file_scheme_is_refused() -> None:
    error = await _refused("file:///etc/passwd", allow_private=True)
    assert error.code == "bad-url"


async def test_gopher_scheme_is_refused() -> None:
    error = await _refused("gopher://127.0.0.1/", allow_private=True)
    assert error.code == "bad-url"


async def test_error_becomes_400_naming_the_field() -> None:
    error = await _refused("file:///etc/passwd", allow_private=True)
    body = error.invalid("selectielijstklasse").body("urn:x")
    assert body["status"] == 400
    assert body["invalidParams"][0]["name"] == "selectielijstklasse"
    assert body["invalidParams"][0]["code"] == "bad-url"


async def test_fetches_json_from_an_allowed_server(server: str) -> None:
    body = await fetch_json(f"{server}/ok", settings=_settings(allow_private=True))
    assert body == {"omschrijving": "Toegekend"}


async def test_response_over_the_size_limit_is_refused(server: str) -> None:
    error = await _refused(f"{server}/big", allow_private=True)
    assert error.code == "too-large"


async def test_redirect_to_metadata_is_refused(server: str) -> None:
    error = await _refused(f"{server}/redirect-metadata", allow_private=True)
    assert error.code == "forbidden-address"


async def test_not_found_is_a_bad_url(server: str) -> None:
    error = await _refused(f"{server}/missing", allow_private=True)
    assert error.code == "bad-url"


async def test_non_json_is_an_invalid_resource(server: str) -> None:
    error = await _refused(f"{server}/html", allow_private=True)
    assert error.code == "invalid-resource"


async def test_closed_port_is_a_bad_url() -> None:
    error = await _refused("http://127.0.0.1:9/", allow_private=True)
    assert error.code == "bad-url"


async def test_sender_get_json_reads_a_large_body_whole(server: str) -> None:
    sender = Sender(_settings(allow_private=True), trusted=True)
    try:
        body = await sender.get_json(f"{server}/half", {})
        assert len(body["x"]) == MAX_BYTES // 2
        with pytest.raises(OutboundError) as caught:
            await sender.get_json(f"{server}/big", {})
        assert caught.value.code == "too-large"
    finally:
        await sender.close()


async def test_sender_names_a_host_that_resolves_to_a_refused_address() -> None:
    """Every way the sender calls out reports the resolver's refusal with its own code (not
    as an unreachable server)."""
    sender = Sender(_settings(allow_private=False))
    url = "http://localhost:9/ok"
    calls = {
        "get_json": lambda: sender.get_json(url, {}),
        "exchange": lambda: sender.exchange("GET", url, {}),
        "send": lambda: sender.send("GET", url, None, {}),
    }
    try:
        for name, call in calls.items():
            with pytest.raises(OutboundError) as caught:
                await call()
            assert caught.value.code == "forbidden-address", name
    finally:
        await sender.close()


async def test_sender_stream_passes_a_body_over_the_json_limit_on_in_chunks(server: str) -> None:
    sender = Sender(_settings(allow_private=True), trusted=True)
    stream = await sender.stream(f"{server}/big", {}, close_sender=True)
    assert stream.length == MAX_BYTES + 12
    chunks = [chunk async for chunk in stream.chunks()]
    assert len(chunks) > 1
    assert sum(len(c) for c in chunks) == MAX_BYTES + 12
    assert sender._session is None  # the stream closed its sender when it ended


async def test_sender_stream_refuses_a_non_200_and_a_forbidden_address(server: str) -> None:
    sender = Sender(_settings(allow_private=True), trusted=True)
    try:
        with pytest.raises(OutboundError) as caught:
            await sender.stream(f"{server}/redirect-metadata", {})
        assert caught.value.code == "bad-url"  # a redirect is not followed
    finally:
        await sender.close()
    checked = Sender(_settings(allow_private=False))
    try:
        with pytest.raises(OutboundError) as caught:
            await checked.stream(f"{server}/big", {})
        assert caught.value.code == "forbidden-address"
    finally:
        await checked.close()
